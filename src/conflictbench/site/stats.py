"""Ranking and significance groups of one leaderboard table (one corpus, field and level).

* :func:`competition_ranks` — rank by F1, ties share a rank ("1, 1, 3"), undefined F1 last;
* :func:`holm` — Holm–Bonferroni adjusted p-values of a family of tests;
* :func:`significance_groups` — each system against the best one, on the same documents,
  with :mod:`conflictbench.scoring.statistics` (paired bootstrap or approximate
  randomisation of the micro F1 over documents), Holm–Bonferroni over the k − 1 comparisons.
  The *top group* is the best system and every system whose adjusted p-value is above α
  (not significantly different from the best). This is the one place the test is called:
  swap it for ``scoring.statistics.significance_groups`` when that lands.

Nothing here recomputes a score: F1, P, R, counts and intervals come from ``results.json``;
the tests read the per-document counts of ``documents.csv``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import check_choice

TESTS = ("bootstrap", "randomization")
TEST_NAMES = {"bootstrap": "paired bootstrap", "randomization": "approximate randomisation"}


def competition_ranks(values: Sequence[float]) -> list[int]:
    """1-based ranks, larger is better; equal values share the best rank; NaN ranks last."""
    out = []
    for v in values:
        if v != v:
            out.append(1 + sum(1 for w in values if w == w))
        else:
            out.append(1 + sum(1 for w in values if w == w and w > v))
    return out


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (step-down): sorted ascending, the i-th (0-based) of m
    is ``max_{j<=i} min(1, (m - j) p_(j))``; reject where the adjusted value is ≤ α."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adj = [0.0] * m
    running = 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (m - j) * pvalues[i]))
        adj[i] = running
    return adj


class _C:
    __slots__ = ("tp", "fp", "fn")

    def __init__(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = tp, fp, fn


class _Doc:
    __slots__ = ("doc_id", "counts")

    def __init__(self, doc_id: str, counts: tuple) -> None:
        self.doc_id, self.counts = doc_id, counts


class _Field:
    def __init__(self, field: str) -> None:
        self.field = field


class CountsResult:
    """The per-document counts of one field, shaped as :mod:`scoring.statistics` reads a result."""

    def __init__(self, field: str, doc_ids: Sequence[str], counts: Any, signature: Any, zero_division: Any) -> None:
        self.fields = (_Field(field),)
        self.documents = tuple(_Doc(i, (_C(int(c[0]), int(c[1]), int(c[2])),)) for i, c in zip(doc_ids, counts))
        self.n_documents = len(self.documents)
        self.signature = signature
        self.zero_division = zero_division


@dataclass(frozen=True)
class Comparison:
    """A system against the best one of its table."""

    system: str
    delta: float  # F1(system) − F1(best)
    p: float  # the test's two-sided p-value
    p_holm: float  # Holm–Bonferroni adjusted over the table's family
    in_top_group: bool


def significance_groups(
    counts: Mapping[str, Any], best: str, field: str, *, doc_ids: Sequence[str], signatures: Mapping[str, str],
    zero_division: Any, test: str = "bootstrap", n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05,
) -> dict[str, Comparison]:
    """Every system of ``counts`` (name → (n_documents, 3) tp/fp/fn array) against ``best``."""
    from ..scoring.signature import Signature
    from ..scoring.statistics import approximate_randomization, paired_bootstrap

    check_choice("significance_groups", "test", test, TESTS)
    results = {name: CountsResult(field, doc_ids, c, Signature.parse(signatures[name]), zero_division)
               for name, c in counts.items()}
    others = [n for n in counts if n != best]
    raw: dict[str, tuple[float, float]] = {}
    for name in others:
        if test == "bootstrap":
            raw[name] = paired_bootstrap(results[best], results[name], field, n_resamples=n_resamples, seed=seed)
        else:
            raw[name] = approximate_randomization(results[best], results[name], field, n_trials=n_resamples, seed=seed)
    adjusted = holm([raw[n][1] for n in others])
    out = {best: Comparison(best, 0.0, 1.0, 1.0, True)}
    for name, padj in zip(others, adjusted):
        delta, p = raw[name]
        out[name] = Comparison(name, delta, p, padj, padj > alpha)
    return out


@dataclass(frozen=True)
class Row:
    """One system in one table, everything read from the results."""

    system: str
    rank: int
    f1: float
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    ci: tuple[float, float]
    signature: str
    comparison: Comparison | None


@dataclass(frozen=True)
class Table:
    field: str
    level: str
    rows: tuple[Row, ...]
    best: str | None
    #: how the groups were made, stated on the page
    method: str


def _num(x: Any) -> float:
    return float("nan") if x is None else float(x)


def build_table(run: Any, field: str, level: str, *, test: str = "bootstrap", n_resamples: int = 1000,
                seed: int = 0, alpha: float = 0.05) -> Table:
    from .inputs import LEVELS
    from ..schema import FIELDS

    li, fi = LEVELS.index(level), FIELDS.index(field)
    entries = []
    for k, name in enumerate(run.systems):
        s = run.system(name)[level]
        ci = run.system(name)["ci"].get(f"{field}.{level}.f1_ci") or [None, None]
        entries.append((name, k, _num(s.get(f"{field}.f1")), _num(s.get(f"{field}.precision")),
                        _num(s.get(f"{field}.recall")), s[f"{field}.tp"], s[f"{field}.fp"], s[f"{field}.fn"],
                        (_num(ci[0]), _num(ci[1])), str(s.get(f"{field}.signature", ""))))
    ranks = competition_ranks([e[2] for e in entries])
    order = sorted(range(len(entries)), key=lambda i: (ranks[i], entries[i][0]))
    best = entries[order[0]][0] if entries and not math.isnan(entries[order[0]][2]) else None
    comps: dict[str, Comparison] = {}
    m = len(entries) - 1
    method = (f"{TEST_NAMES[test]} of F1 over the {len(run.doc_ids)} documents, each system against the best "
              f"({n_resamples} {'resamples' if test == 'bootstrap' else 'trials'}, seed {seed}); "
              f"Holm–Bonferroni correction over the {max(m, 0)} comparison(s) of this table, α = {alpha:g}")
    if best is not None and m >= 1:
        counts = {e[0]: run.counts[e[1], li, fi] for e in entries}
        comps = significance_groups(counts, best, field, doc_ids=run.doc_ids,
                                    signatures={e[0]: e[9] for e in entries},
                                    zero_division=run.results["settings"].get("zero_division", "0.0"),
                                    test=test, n_resamples=n_resamples, seed=seed, alpha=alpha)
    rows = tuple(Row(e[0], ranks[i], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9], comps.get(e[0]))
                 for i in order for e in [entries[i]])
    return Table(field, level, rows, best, method)
