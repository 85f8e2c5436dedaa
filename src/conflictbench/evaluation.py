"""Evaluate systems on a corpus: run (or read) predictions, score both levels, attach CIs.

This is the library under ``conflictbench eval`` / ``make eval``; rendering lives in
:mod:`conflictbench.leaderboard` and :mod:`conflictbench.report_html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .errors import ParameterError
from .schema import FIELDS


@dataclass(frozen=True)
class Selection:
    """The documents being scored: a corpus and an ordered subset of its ids."""

    corpus: Any
    doc_ids: tuple[str, ...]
    splits: tuple[str, ...]
    fingerprint: str

    def documents(self) -> list[dict[str, Any]]:
        by_id = self.corpus.by_id()
        return [by_id[i] for i in self.doc_ids]


def select(corpus: Any, splits: Sequence[str] | None = None) -> Selection:
    """All documents, or those of ``splits`` (unknown split names are an error)."""
    from .corpus import fingerprint

    if not splits:
        return Selection(corpus, tuple(d["id"] for d in corpus.documents), tuple(corpus.splits), corpus.fingerprint)
    unknown = [s for s in splits if s not in corpus.splits]
    if unknown:
        raise ParameterError(f"unknown split(s) {unknown}; the corpus {corpus.path} has {sorted(corpus.splits)}")
    ids = tuple(i for s in splits for i in corpus.splits[s])
    by_id = corpus.by_id()
    fp = fingerprint([by_id[i] for i in ids], corpus.registry)
    return Selection(corpus, ids, tuple(splits), fp)


@dataclass(frozen=True)
class Settings:
    span_mode: str = "strict"
    zero_division: Any = 0.0
    matchers: Mapping[str, str] = field(default_factory=dict)
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0


@dataclass(frozen=True)
class SystemResult:
    name: str
    source: str  # the spec, command or file it came from
    mention: Any  # ScoreResult
    value: Any  # ScoreResult
    #: (field, level) -> (low, high) bootstrap interval of F1
    ci: Mapping[tuple[str, str], tuple[float, float]]
    predictions: Mapping[str, dict[str, Any]]
    failures: tuple[Any, ...] = ()
    missing: tuple[str, ...] = ()
    seconds: float = 0.0
    #: ids of predictions for corpus documents outside the selected splits (not scored)
    outside: tuple[str, ...] = ()
    #: predicted items without offsets, which match nothing in the strict/overlap span modes
    unanchored: int = 0


def score_system(
    name: str,
    source: str,
    predictions: Mapping[str, dict[str, Any]],
    selection: Selection,
    settings: Settings,
    *,
    failures: tuple = (),
    seconds: float = 0.0,
    outside: tuple[str, ...] = (),
) -> SystemResult:
    from .scoring import score
    from .statistics import bootstrap_ci

    docs = selection.documents()
    kw = dict(registry=selection.corpus.registry, zero_division=settings.zero_division,
              matchers=settings.matchers, fingerprint=selection.fingerprint)
    preds = [p for i, p in predictions.items()]
    mention = score(docs, preds, span_mode=settings.span_mode, level="mention", **kw)
    value = score(docs, preds, span_mode=settings.span_mode, level="value", validate=False, **kw)  # checked just above
    ci = {}
    for res in (mention, value):
        for f in FIELDS:
            ci[(f, res.level)] = bootstrap_ci(res, f, n_resamples=settings.n_resamples,
                                              confidence=settings.confidence, seed=settings.seed)
    failed = {f.doc_id for f in failures}
    missing = tuple(i for i in mention.missing if i not in failed)
    unanchored = 0
    if settings.span_mode != "none":
        unanchored = sum(1 for p in preds for f in FIELDS for s in p.get(f) or []
                         if s.get("start") is None or s.get("end") is None)
    return SystemResult(name, source, mention, value, ci, dict(predictions), tuple(failures), missing, seconds,
                        tuple(outside), unanchored)


def evaluate_extractor(spec: str, selection: Selection, settings: Settings, *, progress: bool | None = None) -> SystemResult:
    """Build (``ExtractorUnavailable`` propagates), run and score a Python extractor."""
    from .runner import build_extractor, extractor_name, run_extractor

    extractor = build_extractor(spec, selection.corpus)
    name = extractor_name(extractor, spec)
    run = run_extractor(extractor, selection.documents(), name=name, progress=progress)
    return score_system(name, spec, run.predictions, selection, settings, failures=run.failures, seconds=run.seconds)


def evaluate_command(cmd: str, selection: Selection, settings: Settings, *, timeout: float = 60.0,
                     name: str | None = None, progress: bool | None = None) -> SystemResult:
    from .runner import run_command

    run = run_command(cmd, selection.documents(), timeout=timeout, name=name, progress=progress)
    return score_system(run.name, cmd, run.predictions, selection, settings, failures=run.failures,
                        seconds=run.seconds)


def evaluate_predictions(path: str | Path, selection: Selection, settings: Settings) -> SystemResult:
    from .predictions import read_predictions

    pf = read_predictions(path, selection.corpus, doc_ids=selection.doc_ids)
    name = pf.meta.get("extractor") or Path(path).stem
    return score_system(name, str(path), pf.predictions, selection, settings, outside=pf.outside)
