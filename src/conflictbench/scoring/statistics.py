"""Confidence intervals and significance tests over documents (as sacrebleu does for BLEU).

All procedures resample *documents* (the unit a corpus is sampled in) and recompute the
micro-averaged metric from pooled counts, so they need per-document counts
(:attr:`ScoreResult.documents`).

* :func:`bootstrap_ci` — percentile bootstrap interval of P, R or F1; resamples in which
  the metric is undefined (no gold and no predicted item drawn) are left out.
  :func:`bootstrap_intervals` computes every interval of a run (systems × fields × levels)
  in one pass over one shared resample set; each interval equals :func:`bootstrap_ci`'s.
* :func:`paired_bootstrap` — two systems on the same documents, resampled together;
  p-value of the mean-centred bootstrap distribution of the difference (two-sided):
  ``(1 + #{|δ* − mean δ*| ≥ |δ|}) / (1 + B)``; with fewer than two documents there is
  nothing to resample and p = 1.
* :func:`approximate_randomization` — swaps the two systems' per-document counts with
  probability ½; p-value ``(1 + #{|δ'| ≥ |δ|}) / (1 + R)`` (two-sided).
* :func:`compare` — both tests for every field of two results;
  :func:`conflictbench.scoring.significance.significance_groups` — every system against the best.

With ``zero_division=nan`` a resample or trial in which δ is undefined is left out (B or R
counts the defined ones) and an undefined observed δ has p = nan; with 0 or 1 (the
defaults) nothing is ever undefined.

Seeds. Bootstrap resample ``b`` and randomisation trial ``t`` each draw from their own
stretch of a NumPy PCG64 sequence: that of ``SeedSequence(seed, spawn_key=(0,))`` (resp.
``(1,)``) advanced by ``b · 2**64`` (resp. ``t · 2**64``) steps
(:mod:`conflictbench.scoring.resampling` states the draws exactly). The same inputs and seed give
the same numbers, bit for bit, whatever ``memory_budget`` (block size) and ``workers``
(threads) are, and every system, field and level of a call shares the same resamples:
``bootstrap_ci`` of one field equals the matching entry of ``bootstrap_intervals`` over a
whole run, and ``compare`` equals ``paired_bootstrap`` / ``approximate_randomization``
field by field. ``memory_budget`` (bytes of scratch, default 32 MiB) and ``workers``
(default: every usable core for large inputs, one for small) change speed and memory only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import ParameterError, check_choice
from .resampling import bootstrap_sums, check_engine, randomization_sums

METRICS = ("precision", "recall", "f1")


def doc_counts(result: Any, field: str, *, func: str = "doc_counts"):
    """(n_documents, 3) int64 array of per-document tp, fp, fn of ``field``."""
    import numpy as np

    return count_matrix([result], [field], func=func).astype(np.int64)


def count_matrix(results: Sequence[Any], fields: Sequence[str], *, func: str = "count_matrix"):
    """(n_documents, 3 · len(results) · len(fields)) int32 (int64 if needed): per document, the tp, fp, fn of
    every field of every result, result-major (``[r0.f0, r0.f1, …, r1.f0, …]``). All results
    must hold per-document counts of the same documents in the same order."""
    from operator import attrgetter

    import numpy as np

    results = list(results)
    per_result = 3 * len(fields)
    out, ids = None, None
    for i, result in enumerate(results):
        names = [f.field for f in result.fields]
        for field in fields:
            check_choice(func, "field", field, names)
        if result.n_documents and not result.documents:
            raise ParameterError("this result kept no per-document counts (Scorer(keep_documents=False))")
        these = list(map(attrgetter("doc_id"), result.documents))
        if ids is None:
            ids = these
            # int32 halves the memory of a many-system run (sums are taken in int64)
            out = np.empty((len(ids), per_result * len(results)), dtype=np.int32)
        elif these != ids:
            raise ParameterError(f"{func}(): the results must score the same documents in the same order")
        block = _document_counts(result.documents, [names.index(f) for f in fields])
        if block.size and int(block.max()) >= 2**31 and out.dtype != np.int64:
            out = out.astype(np.int64)
        out[:, per_result * i:per_result * (i + 1)] = block
    return np.zeros((0, 0), dtype=np.int64) if out is None else out


def _document_counts(documents: Sequence[Any], columns: Sequence[int]):
    """(n, 3 · len(columns)) int64 of the tp, fp, fn of ``DocumentCounts.counts[column]``;
    C-level ``map``s over the documents (a Python loop costs 3-4× more at 100k documents)."""
    import numpy as np
    from operator import attrgetter, itemgetter

    n = len(documents)
    out = np.empty((n, 3 * len(columns)), dtype=np.int64)
    per_doc = list(map(attrgetter("counts"), documents))
    for j, k in enumerate(columns):
        counts = list(map(itemgetter(k), per_doc))
        for m, name in enumerate(("tp", "fp", "fn")):
            out[:, 3 * j + m] = np.fromiter(map(attrgetter(name), counts), dtype=np.int64, count=n)
    return out


def metric_from_sums(sums, metric: str, zero_division: float):
    """The metric for each row of an (..., 3) array of summed counts."""
    import numpy as np

    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    num = {"precision": tp, "recall": tp, "f1": 2 * tp}[metric]
    den = {"precision": tp + fp, "recall": tp + fn, "f1": 2 * tp + fp + fn}[metric]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1), float(zero_division))
    return out


def _zd(result: Any) -> float:
    zd = result.zero_division
    return 0.0 if zd == "warn" else float(zd)


def _check(metric: str, n: int, func: str, seed: int, memory_budget: Any = None, workers: Any = None) -> None:
    check_choice(func, "metric", metric, METRICS)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"The number of resamples of {func}() must be a positive integer. Got {n!r} instead.")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:  # NumPy takes no negative seed
        raise ParameterError(f"The 'seed' parameter of {func}() must be a non-negative integer. Got {seed!r} instead.")
    check_engine(func, memory_budget, workers)


def _check_confidence(confidence: Any, func: str) -> None:
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ParameterError(f"The 'confidence' parameter of {func}() must be in (0, 1). Got {confidence!r} instead.")


# Two deltas that are equal as fractions of integer counts can differ by a rounding error
# once computed in floating point (e.g. 0.7 - 0.1 != 0.9 - 0.3); a difference this small is
# counted as a tie (|delta*| >= |delta|), as the p-value formulas require. A tie tolerance,
# not a smoothing epsilon: no ratio is ever computed with it.
TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Interval:
    """Percentile bootstrap interval of one field's micro metric, with its evidence."""

    field: str
    level: str
    metric: str
    estimate: float  # the metric on all documents
    low: float
    high: float
    confidence: float
    n_resamples: int
    n_defined: int  # resamples in which the metric is defined (the others are left out)
    seed: int
    signature: str  # of the field's score

    def to_dict(self) -> dict[str, Any]:
        """Flat: one key per field."""
        return dataclasses.asdict(self)


def _percentile(sums, total, metric: str, zd: float, confidence: float):
    """(low, high, n_defined) from one column group's (B × 3) resample sums."""
    import numpy as np

    vals = metric_from_sums(sums, metric, float("nan"))
    vals = vals[~np.isnan(vals)]  # resamples where the metric is undefined are left out
    if len(vals) == 0:
        v = float(metric_from_sums(total, metric, zd))
        return v, v, 0
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(vals, [alpha, 1 - alpha])
    return float(lo), float(hi), len(vals)


def bootstrap_intervals(
    results: Sequence[Any], *, fields: Sequence[str] | None = None, metric: str = "f1",
    n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0,
    memory_budget: int | None = None, workers: int | None = None,
) -> tuple[tuple[Interval, ...], ...]:
    """Every interval of a run in one pass: per result (e.g. each system's mention and value
    scores, all on the same documents), one :class:`Interval` per field (default: all), all
    from one shared resample set. Entry ``[i][j]`` equals ``bootstrap_ci(results[i],
    fields[j], ...)`` with the same options."""
    _check(metric, n_resamples, "bootstrap_intervals", seed, memory_budget, workers)
    _check_confidence(confidence, "bootstrap_intervals")
    results = list(results)
    if not results:
        return ()
    fields = [f.field for f in results[0].fields] if fields is None else list(fields)
    return _intervals(results, fields, metric, n_resamples, confidence, seed, memory_budget, workers,
                      "bootstrap_intervals")


def _intervals(results, fields, metric, n_resamples, confidence, seed, memory_budget, workers, func):
    c = count_matrix(results, fields, func=func)
    sums = bootstrap_sums(c, n_resamples, seed, memory_budget=memory_budget, workers=workers)
    totals = c.sum(axis=0)
    out = []
    for i, result in enumerate(results):
        zd, row = _zd(result), []
        for j, field in enumerate(fields):
            col = slice(3 * (i * len(fields) + j), 3 * (i * len(fields) + j) + 3)
            estimate = float(metric_from_sums(totals[col], metric, zd))
            if len(c) == 0:
                lo = hi = estimate
                defined = 0
            else:
                lo, hi, defined = _percentile(sums[:, col], totals[col], metric, zd, confidence)
            row.append(Interval(field, result.level, metric, estimate, lo, hi, float(confidence), n_resamples,
                                defined, seed, str(result.field(field).signature)))
        out.append(tuple(row))
    return tuple(out)


def bootstrap_ci(
    result: Any, field: str, *, metric: str = "f1", n_resamples: int = 1000,
    confidence: float = 0.95, seed: int = 0, memory_budget: int | None = None, workers: int | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap interval over documents of a micro-averaged metric."""
    _check(metric, n_resamples, "bootstrap_ci", seed, memory_budget, workers)
    _check_confidence(confidence, "bootstrap_ci")
    (iv,), = _intervals([result], [field], metric, n_resamples, confidence, seed, memory_budget, workers,
                        "bootstrap_ci")
    return (iv.low, iv.high)


# -- paired tests ---------------------------------------------------------------------------

def bootstrap_p(total_a, total_b, sums_a, sums_b, metric: str, zd: float, n_documents: int):
    """(δ = b − a, p) of the paired bootstrap from the two systems' totals (3,) and their sums
    over the same resamples (B × 3)."""
    import numpy as np

    delta = float(metric_from_sums(total_b, metric, zd) - metric_from_sums(total_a, metric, zd))
    if delta != delta:
        return delta, float("nan")
    if n_documents < 2:  # no variation to resample: no evidence either way
        return delta, 1.0
    deltas = metric_from_sums(sums_b, metric, zd) - metric_from_sums(sums_a, metric, zd)
    deltas = deltas[~np.isnan(deltas)]  # only with zero_division=nan
    if len(deltas) == 0:
        return delta, 1.0
    centred = np.abs(deltas - deltas.mean())
    p = (1 + int((centred >= abs(delta) - TIE_TOLERANCE).sum())) / (1 + len(deltas))
    return delta, float(p)


def randomization_p(total_a, total_b, moved, metric: str, zd: float):
    """(δ = b − a, p) of approximate randomisation from the totals (3,) and, per trial, the
    counts that move from b to a (R × 3: the sum of b − a over the swapped documents)."""
    import numpy as np

    delta = float(metric_from_sums(total_b, metric, zd) - metric_from_sums(total_a, metric, zd))
    if delta != delta:
        return delta, float("nan")
    if len(moved) == 0:
        return delta, 1.0
    d = metric_from_sums(total_b - moved, metric, zd) - metric_from_sums(total_a + moved, metric, zd)
    d = d[~np.isnan(d)]  # only with zero_division=nan
    hits = int((np.abs(d) >= abs(delta) - TIE_TOLERANCE).sum())
    return delta, float((1 + hits) / (1 + len(d)))


def check_same_settings(results: Sequence[Any]) -> None:
    """Results compared with each other must be scored with the same settings."""
    first = results[0]
    for other in results[1:]:
        if not first.signature.comparable(other.signature):
            raise ParameterError(f"the results were scored with different settings: {first.signature} vs "
                                 f"{other.signature}")


def _pair(a: Any, b: Any, fields: Sequence[str], func: str):
    if [d.doc_id for d in a.documents] != [d.doc_id for d in b.documents]:
        raise ParameterError("the two results must score the same documents in the same order")
    check_same_settings([a, b])
    c = count_matrix([a, b], fields, func=func)
    k = 3 * len(fields)
    return c[:, :k], c[:, k:]


def _paired(a, b, fields, *, metric, n_resamples, n_trials, seed, memory_budget, workers, func):
    """Per field: [δ, p bootstrap or None, p randomisation or None]; each test draws one
    resample (or trial) set for all fields."""
    import numpy as np

    ca, cb = _pair(a, b, fields, func)
    zd, n, k = _zd(a), len(ca), 3 * len(fields)
    ta, tb = ca.sum(0), cb.sum(0)
    out = [[float(metric_from_sums(tb[3 * j:3 * j + 3], metric, zd) - metric_from_sums(ta[3 * j:3 * j + 3], metric, zd)),
            None, None] for j in range(len(fields))]
    if n_resamples:
        sums = (bootstrap_sums(np.hstack([ca, cb]), n_resamples, seed, memory_budget=memory_budget, workers=workers)
                if n >= 2 else np.zeros((0, 2 * k), dtype=np.int64))  # below 2 documents: p = 1, nothing drawn
        for j in range(len(fields)):
            col = slice(3 * j, 3 * j + 3)
            _, out[j][1] = bootstrap_p(ta[col], tb[col], sums[:, col], sums[:, k + 3 * j:k + 3 * j + 3],
                                       metric, zd, n)
    if n_trials:
        moved = (randomization_sums(cb - ca, n_trials, seed, memory_budget=memory_budget, workers=workers)
                 if n else np.zeros((0, k), dtype=np.int64))
        for j in range(len(fields)):
            col = slice(3 * j, 3 * j + 3)
            _, out[j][2] = randomization_p(ta[col], tb[col], moved[:, col], metric, zd)
    return out, ta, tb


def paired_bootstrap(a: Any, b: Any, field: str, *, metric: str = "f1", n_resamples: int = 1000, seed: int = 0,
                     memory_budget: int | None = None, workers: int | None = None):
    """(delta, p-value) of system b minus system a, documents resampled jointly."""
    _check(metric, n_resamples, "paired_bootstrap", seed, memory_budget, workers)
    ((delta, p, _),), _, _ = _paired(a, b, [field], metric=metric, n_resamples=n_resamples, n_trials=0,
                                     seed=seed, memory_budget=memory_budget, workers=workers,
                                     func="paired_bootstrap")
    return delta, p


def approximate_randomization(a: Any, b: Any, field: str, *, metric: str = "f1", n_trials: int = 10000,
                              seed: int = 0, memory_budget: int | None = None, workers: int | None = None):
    """(delta, p-value) of b minus a under random per-document swaps of the two systems."""
    _check(metric, n_trials, "approximate_randomization", seed, memory_budget, workers)
    ((delta, _, p),), _, _ = _paired(a, b, [field], metric=metric, n_resamples=0, n_trials=n_trials,
                                     seed=seed, memory_budget=memory_budget, workers=workers,
                                     func="approximate_randomization")
    return delta, p


@dataclass(frozen=True)
class PairedTest:
    field: str
    metric: str
    a: float
    b: float
    delta: float  # b - a
    p_bootstrap: float
    p_randomization: float
    n_resamples: int
    n_trials: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """Flat: one key per field."""
        return dataclasses.asdict(self)


def compare(a: Any, b: Any, *, metric: str = "f1", n_resamples: int = 1000, n_trials: int = 10000,
            seed: int = 0, memory_budget: int | None = None, workers: int | None = None) -> tuple[PairedTest, ...]:
    """Both tests for every field of two results on the same documents: one bootstrap
    resample set and one randomisation trial set serve all fields."""
    _check(metric, n_resamples, "compare", seed, memory_budget, workers)
    _check(metric, n_trials, "compare", seed)
    fields = [f.field for f in a.fields]
    tests, ta, tb = _paired(a, b, fields, metric=metric, n_resamples=n_resamples, n_trials=n_trials, seed=seed,
                            memory_budget=memory_budget, workers=workers, func="compare")
    zd = _zd(a)
    out = []
    for j, (field, (delta, p_bs, p_ar)) in enumerate(zip(fields, tests)):
        va = float(metric_from_sums(ta[3 * j:3 * j + 3], metric, zd))
        vb = float(metric_from_sums(tb[3 * j:3 * j + 3], metric, zd))
        out.append(PairedTest(field, metric, va, vb, delta, p_bs, p_ar, n_resamples, n_trials, seed))
    return tuple(out)
