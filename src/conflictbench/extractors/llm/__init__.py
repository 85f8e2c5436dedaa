"""``llm.v1``: an OpenAI-compatible chat-completions endpoint as an extractor (see :mod:`.extractor`).

The factory is registered by :mod:`conflictbench.registrations`; it imports the extractor lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

NAME = "llm.v1"


def make_llm_extractor(*, jobs: int | None = None, cache_dir: str | Path | None = None, cache: str | None = None,
                       model: str | None = None, base_url: str | None = None, chunk_chars: int | None = None,
                       request_timeout: float | None = None) -> Any:
    """Any OpenAI-compatible endpoint (OPENAI_BASE_URL, CONFLICTBENCH_LLM_MODEL): grounded, cached, chunked."""
    from .extractor import make_llm_extractor as make

    return make(jobs=jobs, cache_dir=cache_dir, cache=cache or "use", model=model, base_url=base_url,
                chunk_chars=chunk_chars, timeout=request_timeout)
