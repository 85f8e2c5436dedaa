"""Significance groups: every system tested against the best, per field and level, with a
Holm–Bonferroni correction — which systems a leaderboard may not rank apart from the top.

:func:`significance_groups` takes the scores of several systems on the same documents (each
system's :class:`~conflictbench.scoring.scorer.ScoreResult` per level, with per-document counts).
For every (field, level) *table* it finds the best system (highest micro metric; ties go
to the system named first; an undefined metric, NaN under ``zero_division=nan``, ranks
last), tests every other system against it with a paired two-sided test — the paired
bootstrap or approximate randomisation of :mod:`conflictbench.scoring.statistics` — and corrects
the table's p-values for multiple comparisons with Holm's step-down method: with the m
defined p-values of a table sorted ``p(1) ≤ … ≤ p(m)``, ``p_holm(i) = max over j ≤ i of
min(1, (m − j + 1) · p(j))``. Each table is its own family (one leaderboard column); tables
are not corrected against each other. A system is *in the best group* when it is the best
or its corrected p-value is above ``alpha`` (not significantly different from the best).

One resample (or trial) set serves every system, field and level of the call, and each raw
p-value equals the one :func:`~conflictbench.scoring.statistics.paired_bootstrap` (or
:func:`~conflictbench.scoring.statistics.approximate_randomization`) gives for that pair with the
same seed and count: same inputs + seed → same numbers, whatever the block size and threads.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import ParameterError, check_choice

METHODS = ("paired_bootstrap", "approximate_randomization")
CORRECTION = "holm-bonferroni"


def holm_bonferroni(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm's step-down adjusted p-values, in the order given. A NaN (undefined) p-value
    stays NaN and is not counted in the family size m."""
    defined = [(p, i) for i, p in enumerate(p_values) if not math.isnan(p)]
    m = len(defined)
    out = [float("nan")] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(defined)):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return tuple(out)


@dataclass(frozen=True)
class Comparison:
    """One system against the best of its table."""

    system: str
    value: float  # the system's metric
    delta: float  # value − the best's value (≤ 0)
    p_value: float  # raw, two-sided
    p_holm: float  # Holm–Bonferroni adjusted within the table
    in_best_group: bool  # p_holm > alpha: not significantly different from the best

    def to_dict(self) -> dict[str, Any]:
        """Flat: one key per field."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class GroupTable:
    """One (field, level): the best system and every other system tested against it."""

    field: str
    level: str
    best: str
    best_value: float
    comparisons: tuple[Comparison, ...]  # the other systems, in the order given
    signature: str  # the best system's field signature (every system's has the same settings)

    @property
    def best_group(self) -> tuple[str, ...]:
        """The best and every system not significantly different from it."""
        return (self.best,) + tuple(c.system for c in self.comparisons if c.in_best_group)


@dataclass(frozen=True)
class SignificanceGroups:
    method: str
    correction: str
    metric: str
    alpha: float
    n_resamples: int  # resamples (paired bootstrap) or trials (approximate randomisation)
    seed: int
    n_documents: int
    systems: tuple[str, ...]
    tables: tuple[GroupTable, ...]

    def table(self, field: str, level: str) -> GroupTable:
        for t in self.tables:
            if (t.field, t.level) == (field, level):
                return t
        raise ParameterError(f"no table for field {field!r} at level {level!r}; "
                             f"tables: {[(t.field, t.level) for t in self.tables]}")

    def to_dict(self) -> dict[str, Any]:
        """Flat: ``"casualties.mention.best"``, ``"casualties.mention.<system>.p_holm"``, ..."""
        out: dict[str, Any] = {k: getattr(self, k) for k in
                               ("method", "correction", "metric", "alpha", "n_resamples", "seed", "n_documents")}
        out["systems"] = ",".join(self.systems)
        for t in self.tables:
            p = f"{t.field}.{t.level}"
            out[f"{p}.best"] = t.best
            out[f"{p}.best_value"] = t.best_value
            out[f"{p}.best_group"] = ",".join(t.best_group)
            out[f"{p}.signature"] = t.signature
            for c in t.comparisons:
                out.update({f"{p}.{c.system}.{k}": v for k, v in c.to_dict().items() if k != "system"})
        return out


def _levels(results: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """system → level → ScoreResult; every system has the same levels."""
    if not isinstance(results, Mapping) or not results:
        raise ParameterError("significance_groups() takes a non-empty mapping of system name to its ScoreResult "
                             "(or a sequence of ScoreResults, one per level)")
    out: dict[str, dict[str, Any]] = {}
    for name, value in results.items():
        seq = [value] if hasattr(value, "level") else list(value)
        levels = {}
        for r in seq:
            if r.level in levels:
                raise ParameterError(f"significance_groups(): system {name!r} has two {r.level} results")
            levels[r.level] = r
        out[str(name)] = levels
    first = next(iter(out.values()))
    for name, levels in out.items():
        if levels.keys() != first.keys():
            raise ParameterError(f"significance_groups(): system {name!r} has levels {sorted(levels)}, "
                                 f"another has {sorted(first)}")
    return out


def significance_groups(
    results: Mapping[str, Any], *, fields: Sequence[str] | None = None, metric: str = "f1",
    method: str = "paired_bootstrap", n_resamples: int = 10000, alpha: float = 0.05, seed: int = 0,
    memory_budget: int | None = None, workers: int | None = None,
) -> SignificanceGroups:
    """Test every system against the best per field and level (see the module docstring).

    ``results`` maps a system's name to its ``ScoreResult`` or to its ScoreResults of several
    levels (e.g. ``{"rules.v1": (mention, value), ...}``), all on the same documents and scored
    with the same settings per level. ``n_resamples`` is the number of bootstrap resamples or
    of randomisation trials, by ``method``.
    """
    import numpy as np

    from .resampling import bootstrap_sums, randomization_sums
    from .statistics import (_check, _zd, bootstrap_p, check_same_settings, count_matrix, metric_from_sums,
                             randomization_p)

    check_choice("significance_groups", "method", method, METHODS)
    _check(metric, n_resamples, "significance_groups", seed, memory_budget, workers)
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0 < alpha < 1:
        raise ParameterError(f"The 'alpha' parameter of significance_groups() must be in (0, 1). Got {alpha!r} instead.")
    by_system = _levels(results)
    systems = tuple(by_system)
    levels = tuple(next(iter(by_system.values())))
    flat = [by_system[s][lvl] for lvl in levels for s in systems]  # level-major, then system
    if fields is None:
        fields = [f.field for f in flat[0].fields]
    fields = list(fields)
    for lvl in levels:
        check_same_settings([by_system[s][lvl] for s in systems])
    c = count_matrix(flat, fields, func="significance_groups")
    n, nf, ns = len(c), len(fields), len(systems)
    totals = c.sum(axis=0)

    def col(li: int, si: int, fi: int) -> slice:
        start = 3 * ((li * ns + si) * nf + fi)
        return slice(start, start + 3)

    # the best of each table, then one resample set for every pair of every table
    plan = []  # (level index, field index, best index, [other indices])
    for li, lvl in enumerate(levels):
        zd = _zd(by_system[systems[0]][lvl])
        for fi in range(nf):
            values = [float(metric_from_sums(totals[col(li, si, fi)], metric, zd)) for si in range(ns)]
            best = max(range(ns), key=lambda si: (not math.isnan(values[si]), values[si] if not math.isnan(values[si])
                                                  else 0.0, -si))
            plan.append((li, fi, best, [si for si in range(ns) if si != best], values, zd))
    if method == "paired_bootstrap":
        sums = (bootstrap_sums(c, n_resamples, seed, memory_budget=memory_budget, workers=workers)
                if n >= 2 else np.zeros((0, c.shape[1]), dtype=np.int64))
    else:
        pairs = [(li, fi, best, si) for li, fi, best, others, _, _ in plan for si in others]
        diff = (np.concatenate([c[:, col(li, si, fi)] - c[:, col(li, best, fi)] for li, fi, best, si in pairs], axis=1)
                if pairs else np.zeros((n, 0), dtype=np.int64))
        moved = (randomization_sums(diff, n_resamples, seed, memory_budget=memory_budget, workers=workers)
                 if n else np.zeros((0, diff.shape[1]), dtype=np.int64))
        pair_col = {p: slice(3 * i, 3 * i + 3) for i, p in enumerate(pairs)}

    tables = []
    for li, fi, best, others, values, zd in plan:
        raw = []
        for si in others:
            tb, ts = totals[col(li, best, fi)], totals[col(li, si, fi)]
            if method == "paired_bootstrap":
                _, p = bootstrap_p(tb, ts, sums[:, col(li, best, fi)], sums[:, col(li, si, fi)], metric, zd, n)
            else:
                _, p = randomization_p(tb, ts, moved[:, pair_col[(li, fi, best, si)]], metric, zd)
            raw.append(p)
        holm = holm_bonferroni(raw)
        comparisons = tuple(
            Comparison(systems[si], values[si], values[si] - values[best], p, ph, bool(ph > alpha))
            for si, p, ph in zip(others, raw, holm))
        lvl = levels[li]
        tables.append(GroupTable(fields[fi], lvl, systems[best], values[best], comparisons,
                                 str(by_system[systems[best]][lvl].field(fields[fi]).signature)))
    return SignificanceGroups(method, CORRECTION, metric, float(alpha), n_resamples, seed, n, systems, tuple(tables))
