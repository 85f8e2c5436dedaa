"""Running extractors over documents, one failure isolated per document.

* :mod:`.python` — a Python extractor (registered name or ``package.module:attr``);
* :mod:`.command` — any program speaking JSONL on stdin/stdout (``--extractor-cmd``);
* :mod:`.outcome` — :class:`RunOutput` and :class:`Failure`, what every engine returns.
"""

from .command import CommandSession, command_name, run_command
from .outcome import FAILURE_KINDS, ExtractorFailed, ExtractorWarning, Failure, RunOutput
from .python import build_extractor, extractor_name, run_extractor

__all__ = [
    "FAILURE_KINDS", "CommandSession", "ExtractorFailed", "ExtractorWarning", "Failure", "RunOutput", "build_extractor",
    "command_name", "extractor_name", "run_command", "run_extractor",
]
