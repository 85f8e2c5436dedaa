"""Confidence intervals and significance tests over documents (as sacrebleu does for BLEU).

All procedures resample *documents* (the unit a corpus is sampled in) and recompute the
micro-averaged metric from pooled counts, so they need per-document counts
(:attr:`ScoreResult.documents`). Resampling uses NumPy's PCG64 generator with an explicit
seed: the same inputs and seed give the same numbers.

* :func:`bootstrap_ci` — percentile bootstrap interval of P, R or F1; resamples in which
  the metric is undefined (no gold and no predicted item drawn) are left out.
* :func:`paired_bootstrap` — two systems on the same documents, resampled together;
  p-value of the mean-centred bootstrap distribution of the difference (two-sided):
  ``(1 + #{|δ* − mean δ*| ≥ |δ|}) / (1 + B)``; with fewer than two documents there is
  nothing to resample and p = 1.
* :func:`approximate_randomization` — swaps the two systems' per-document counts with
  probability ½; p-value ``(1 + #{|δ'| ≥ |δ|}) / (1 + R)`` (two-sided).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import ParameterError, check_choice

METRICS = ("precision", "recall", "f1")


def doc_counts(result: Any, field: str, *, func: str = "doc_counts"):
    """(n_documents, 3) array of per-document tp, fp, fn of ``field``."""
    import numpy as np

    names = [f.field for f in result.fields]
    check_choice(func, "field", field, names)
    k = names.index(field)
    if result.n_documents and not result.documents:
        raise ParameterError("this result kept no per-document counts (Scorer(keep_documents=False))")
    return np.array([[d.counts[k].tp, d.counts[k].fp, d.counts[k].fn] for d in result.documents],
                    dtype=np.int64).reshape(-1, 3)


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


def _check(metric: str, n: int, func: str, seed: int) -> None:
    check_choice(func, "metric", metric, METRICS)
    if not isinstance(n, int) or n < 1:
        raise ParameterError(f"The number of resamples of {func}() must be a positive integer. Got {n!r} instead.")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:  # NumPy takes no negative seed
        raise ParameterError(f"The 'seed' parameter of {func}() must be a non-negative integer. Got {seed!r} instead.")


# Two deltas that are equal as fractions of integer counts can differ by a rounding error
# once computed in floating point (e.g. 0.7 - 0.1 != 0.9 - 0.3); a difference this small is
# counted as a tie (|delta*| >= |delta|), as the p-value formulas require. A tie tolerance,
# not a smoothing epsilon: no ratio is ever computed with it.
TIE_TOLERANCE = 1e-12


def bootstrap_ci(
    result: Any, field: str, *, metric: str = "f1", n_resamples: int = 1000,
    confidence: float = 0.95, seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval over documents of a micro-averaged metric."""
    import numpy as np

    _check(metric, n_resamples, "bootstrap_ci", seed)
    if not 0 < confidence < 1:
        raise ParameterError(f"The 'confidence' parameter of bootstrap_ci() must be in (0, 1). Got {confidence!r} instead.")
    c = doc_counts(result, field, func="bootstrap_ci")
    zd = _zd(result)
    if len(c) == 0:
        v = float(metric_from_sums(np.zeros(3, dtype=np.int64), metric, zd))
        return (v, v)
    rng = np.random.default_rng(seed)
    vals = np.empty(n_resamples)
    for start in range(0, n_resamples, 256):
        stop = min(n_resamples, start + 256)
        idx = rng.integers(0, len(c), size=(stop - start, len(c)))
        vals[start:stop] = metric_from_sums(c[idx].sum(axis=1), metric, float("nan"))
    vals = vals[~np.isnan(vals)]  # resamples where the metric is undefined are left out
    if len(vals) == 0:
        v = float(metric_from_sums(c.sum(0), metric, zd))
        return (v, v)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(vals, [alpha, 1 - alpha])
    return (float(lo), float(hi))


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


def _pair(a: Any, b: Any, field: str, func: str):
    ids_a = [d.doc_id for d in a.documents]
    ids_b = [d.doc_id for d in b.documents]
    if ids_a != ids_b:
        raise ParameterError("the two results must score the same documents in the same order")
    if not a.signature.comparable(b.signature):
        raise ParameterError(f"the two results were scored with different settings: {a.signature} vs {b.signature}")
    return doc_counts(a, field, func=func), doc_counts(b, field, func=func)


def paired_bootstrap(a: Any, b: Any, field: str, *, metric: str = "f1", n_resamples: int = 1000, seed: int = 0):
    """(delta, p-value) of system b minus system a, documents resampled jointly."""
    import numpy as np

    _check(metric, n_resamples, "paired_bootstrap", seed)
    ca, cb = _pair(a, b, field, "paired_bootstrap")
    zd = _zd(a)
    delta = float(metric_from_sums(cb.sum(0), metric, zd) - metric_from_sums(ca.sum(0), metric, zd))
    if len(ca) < 2:  # no variation to resample: no evidence either way
        return delta, 1.0
    rng = np.random.default_rng(seed)
    deltas = np.empty(n_resamples)
    for start in range(0, n_resamples, 256):
        stop = min(n_resamples, start + 256)
        idx = rng.integers(0, len(ca), size=(stop - start, len(ca)))
        deltas[start:stop] = (metric_from_sums(cb[idx].sum(1), metric, zd)
                              - metric_from_sums(ca[idx].sum(1), metric, zd))
    centred = np.abs(deltas - deltas.mean())
    p = (1 + int((centred >= abs(delta) - TIE_TOLERANCE).sum())) / (1 + n_resamples)
    return delta, float(p)


def approximate_randomization(a: Any, b: Any, field: str, *, metric: str = "f1", n_trials: int = 10000, seed: int = 0):
    """(delta, p-value) of b minus a under random per-document swaps of the two systems."""
    import numpy as np

    _check(metric, n_trials, "approximate_randomization", seed)
    ca, cb = _pair(a, b, field, "approximate_randomization")
    zd = _zd(a)
    sa, sb = ca.sum(0), cb.sum(0)
    delta = float(metric_from_sums(sb, metric, zd) - metric_from_sums(sa, metric, zd))
    if len(ca) == 0:
        return delta, 1.0
    diff = (cb - ca).astype(np.int64)
    rng = np.random.default_rng(seed)
    hits = 0
    for start in range(0, n_trials, 512):
        stop = min(n_trials, start + 512)
        swap = rng.integers(0, 2, size=(stop - start, len(ca)), dtype=np.int64)
        moved = swap @ diff  # counts that move from b to a
        da = metric_from_sums(sa + moved, metric, zd)
        db = metric_from_sums(sb - moved, metric, zd)
        hits += int((np.abs(db - da) >= abs(delta) - TIE_TOLERANCE).sum())
    return delta, float((1 + hits) / (1 + n_trials))


def compare(a: Any, b: Any, *, metric: str = "f1", n_resamples: int = 1000, n_trials: int = 10000,
            seed: int = 0) -> tuple[PairedTest, ...]:
    """Both tests for every field of two results on the same documents."""
    out = []
    zd = _zd(a)
    for fa in a.fields:
        field = fa.field
        ca, cb = _pair(a, b, field, "compare")
        va = float(metric_from_sums(ca.sum(0), metric, zd))
        vb = float(metric_from_sums(cb.sum(0), metric, zd))
        delta, p_bs = paired_bootstrap(a, b, field, metric=metric, n_resamples=n_resamples, seed=seed)
        _, p_ar = approximate_randomization(a, b, field, metric=metric, n_trials=n_trials, seed=seed)
        out.append(PairedTest(field, metric, va, vb, delta, p_bs, p_ar, n_resamples, n_trials, seed))
    return tuple(out)
