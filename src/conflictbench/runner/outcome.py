"""What a run of an extractor yields: predictions checked at the boundary, and failures.

A document whose extraction raises, times out, or returns output that is not a valid
prediction is a :class:`Failure` (scored as empty); the run goes on.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import ConflictbenchError, DataError
from ..predictions import check_prediction

FAILURE_KINDS = ("exception", "timeout", "malformed", "crashed", "request")


class ExtractorWarning(UserWarning):
    """Something about an extractor's run the user must know, though no document failed."""


class ExtractorFailed(ConflictbenchError):
    """An extractor's factory raised: the system cannot be scored (exit 2, nothing written)."""


@dataclass(frozen=True)
class Failure:
    doc_id: str
    kind: str  # one of FAILURE_KINDS
    message: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class StrayLine:
    """A line a program wrote that answers no document asked about (recorded, never scored)."""

    doc_id: str  # the document asked about when the line came
    text: str  # an excerpt (repr)

    def __str__(self) -> str:
        return f"while asking {self.doc_id}: {self.text}"


@dataclass(frozen=True)
class RunOutput:
    name: str
    #: validated predictions by document id (failed documents are absent: scored as empty)
    predictions: dict[str, dict[str, Any]]
    failures: tuple[Failure, ...] = ()
    seconds: float = 0.0
    #: what the extractor reports about its run (its ``run_statistics()``), e.g. an LLM's
    #: requests, tokens and grounding; None when it reports nothing
    stats: Any = None
    #: stray output lines of a program (the first ones; ``n_stray`` counts them all)
    stray: tuple[StrayLine, ...] = ()
    n_stray: int = 0


def progress_bar(iterable, *, total: int, desc: str, progress: bool | None):
    from tqdm import tqdm

    disable = (not progress) if progress is not None else None  # None: tqdm decides (TTY only)
    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, disable=disable, leave=False)


def validated(out: Any, doc: Mapping[str, Any], name: str) -> dict[str, Any]:
    if isinstance(out, dict) and "id" not in out:
        out = {"id": doc["id"], **out}
    if isinstance(out, dict) and out.get("id") != doc["id"]:
        raise DataError(f"extractor {name}: returned id {out.get('id')!r} for document {doc['id']!r}")
    return check_prediction(out, doc, where=f"extractor {name}, document {doc['id']!r}")


