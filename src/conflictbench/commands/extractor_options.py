"""The extractor options of ``conflictbench eval`` / ``compare`` (given to the factories that
take them as keywords: ``llm.v1`` today). The API key has no option: it is only ever read
from ``OPENAI_API_KEY``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable


def add_extractor_options(p: argparse.ArgumentParser) -> None:
    x = p.add_argument_group("extractor options (given to the extractors that take them: llm.v1)")
    x.add_argument("--jobs", type=int, help="requests at once (llm.v1 default 2); copies of each program "
                                            "(--extractor-cmd, cmd:) run on disjoint documents (default 1)")
    x.add_argument("--llm-model", metavar="NAME", help="model name the endpoint serves (default $CONFLICTBENCH_LLM_MODEL)")
    x.add_argument("--llm-base-url", metavar="URL",
                   help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (default $OPENAI_BASE_URL); "
                        "the key is only ever read from $OPENAI_API_KEY")
    x.add_argument("--llm-cache", type=Path, metavar="DIR", help="replay cache folder (default eval/llm-cache)")
    cache = x.add_mutually_exclusive_group()
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the replay cache")
    cache.add_argument("--refresh", action="store_true", help="ask the model again and overwrite the cache")
    x.add_argument("--chunk-chars", type=int, metavar="N", help="chunk size in code points (llm.v1 default 2000)")
    x.add_argument("--request-timeout", type=float, metavar="S", help="seconds per request (llm.v1 default 120)")


def extractor_options(args: argparse.Namespace, default_out: Callable[[], Path]) -> dict[str, Any]:
    """The options as factory keywords, checked before anything runs (``None``: the factory's default)."""
    from ..errors import ParameterError

    for option in ("jobs", "chunk_chars"):
        n = getattr(args, option)
        if n is not None and n < 1:
            raise ParameterError(f"--{option.replace('_', '-')} must be a positive integer. Got {n!r} instead.")
    if args.request_timeout is not None and not 0 < args.request_timeout < float("inf"):
        raise ParameterError(f"--request-timeout must be a number of seconds > 0. Got {args.request_timeout!r} instead.")
    return {"jobs": args.jobs, "model": args.llm_model, "base_url": args.llm_base_url,
            "cache_dir": args.llm_cache or default_out().parent / "llm-cache",
            "cache": "off" if args.no_cache else ("refresh" if args.refresh else "use"),
            "chunk_chars": args.chunk_chars, "request_timeout": args.request_timeout}
