"""One batch of documents scored: the unit every engine computes and merges.

:func:`score_batch` scores a system's predictions on some documents at both levels and keeps
the per-document counts; :meth:`ScoredBatch.merge` appends the next batch. The in-process
engine scores the whole selection as one batch; the Dask engine scores one batch per
partition on the workers and merges them in corpus order on the client. Counts add up and the
macro averages and bootstrap are computed from the kept per-document counts in corpus order,
so the merged result is the one-batch result exactly (no engine-specific scoring code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..schema import FIELDS
from ..scoring.scorer import Scorer, index_predictions


@dataclass
class ScoredBatch:
    """A system's run and scores on consecutive documents (mutable while merging)."""

    name: str
    doc_ids: list[str]
    #: validated predictions by document id, in document order (failed documents absent)
    predictions: dict[str, dict[str, Any]]
    failures: list[Any]
    mention: Scorer
    value: Scorer
    #: documents with no prediction (scored as empty), in document order
    missing: list[str]
    #: predicted items without offsets (they match nothing in the strict/overlap span modes)
    unanchored: int
    seconds: float = 0.0
    #: warnings the run emitted where it ran (a worker's are shown again by the client)
    warnings: list[tuple[Any, str]] = field(default_factory=list)
    #: the extractor's ``extract_batch`` failed on this batch (it fell back to one document at a time)
    batch_failed: bool = False

    def merge(self, other: "ScoredBatch") -> "ScoredBatch":
        """Append ``other`` (the documents after this batch's); in place, returns ``self``."""
        self.doc_ids += other.doc_ids
        self.predictions.update(other.predictions)
        self.failures += other.failures
        self.mention.merge(other.mention)
        self.value.merge(other.value)
        self.missing += other.missing
        self.unanchored += other.unanchored
        self.seconds += other.seconds
        self.warnings += [w for w in other.warnings if w not in self.warnings]
        self.batch_failed = self.batch_failed or other.batch_failed
        return self


def score_batch(
    docs: Sequence[Mapping[str, Any]],
    predictions: Mapping[str, dict[str, Any]],
    settings: Any,
    registry: Any,
    *,
    name: str = "",
    failures: Sequence[Any] = (),
    seconds: float = 0.0,
) -> ScoredBatch:
    """Score ``predictions`` (by id) on ``docs`` at mention and value level (``settings``: an
    :class:`~conflictbench.evaluation.Settings`). Every prediction is checked as a predictions
    file line is (:func:`conflictbench.predictions.check_prediction`); a malformed one is a
    :class:`~conflictbench.errors.DataError`, an id outside ``docs`` too."""
    from ..predictions import check_prediction

    preds = index_predictions(list(predictions.values()), {d["id"] for d in docs})
    by_id = {d["id"]: d for d in docs}
    checked = {doc_id: check_prediction(dict(p), by_id[doc_id], where=f"predictions: record {i}")
               for i, (doc_id, p) in enumerate(preds.items())}
    kw = dict(registry=registry, zero_division=settings.zero_division, matchers=settings.matchers)
    mention = Scorer(span_mode=settings.span_mode, level="mention", **kw)
    value = Scorer(span_mode=settings.span_mode, level="value", **kw)
    missing = []
    for doc in docs:
        if doc["id"] not in preds:
            missing.append(doc["id"])
        mention.add(doc, checked.get(doc["id"]))
        value.add(doc, preds.get(doc["id"]))  # as score(validate=False) on the checked run output
    unanchored = 0
    if settings.span_mode != "none":
        unanchored = sum(1 for p in preds.values() for f in FIELDS for s in p.get(f) or []
                         if s.get("start") is None or s.get("end") is None)
    return ScoredBatch(name, [d["id"] for d in docs], dict(predictions), list(failures), mention, value, missing,
                       unanchored, seconds)
