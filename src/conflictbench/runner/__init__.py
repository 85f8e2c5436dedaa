"""Running extractors over documents, one failure isolated per document.

* :mod:`.python` — a Python extractor (registered name or ``package.module:attr``);
* :mod:`.command` — any program speaking JSONL on stdin/stdout (``--extractor-cmd``);
* :mod:`.outcome` — :class:`RunOutput` and :class:`Failure`, what every engine returns.
"""

from .command import (
    DEFAULT_STARTUP_TIMEOUT, DEFAULT_TIMEOUT, CommandSession, check_seconds, command_name, run_command, split_command,
)
from .outcome import FAILURE_KINDS, ExtractorFailed, ExtractorWarning, Failure, RunOutput, StrayLine
from .python import build_extractor, extractor_name, run_extractor

__all__ = [
    "CommandSession", "DEFAULT_STARTUP_TIMEOUT", "DEFAULT_TIMEOUT", "FAILURE_KINDS", "ExtractorFailed", "ExtractorWarning", "Failure",
    "RunOutput", "StrayLine", "build_extractor", "check_seconds", "command_name", "split_command", "extractor_name", "run_command", "run_extractor",
]
