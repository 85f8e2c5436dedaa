"""The scoring engine, pure: no file, no extractor, no rendering.

* :mod:`.counts` — ``Counts(tp, fp, fn)`` and P/R/F1 with an explicit ``zero_division``;
* :mod:`.matchers` — value matchers (registered by versioned name);
* :mod:`.alignment` — the one-to-one (Hungarian) alignment of one field in one document;
* :mod:`.scorer` — :func:`score` and the streaming :class:`Scorer`, typed results;
* :mod:`.signature` — the reproducibility signature of every score;
* :mod:`.statistics` — bootstrap intervals and paired significance tests over documents.
"""

from .alignment import SPAN_MODES, Alignment, align
from .counts import Counts, UndefinedMetricWarning
from .scorer import LEVELS, DocumentCounts, FieldScore, Scorer, ScoreResult, index_predictions, score
from .signature import Signature

__all__ = [
    "LEVELS", "SPAN_MODES", "Alignment", "Counts", "DocumentCounts", "FieldScore", "ScoreResult", "Scorer",
    "Signature", "UndefinedMetricWarning", "align", "index_predictions", "score",
]
