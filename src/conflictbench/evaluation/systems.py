"""Scoring one system: its predictions (run or read) scored at both levels, with intervals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..schema import FIELDS
from .selection import Selection
from .settings import Settings


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
    #: what the system reported about its run (e.g. an LLM's RunStatistics: requests, tokens,
    #: grounding shares), rendered as it is; None for most systems
    run_stats: Any = None
    #: a program's stray output lines (answering no document asked about; never scored)
    stray: tuple[Any, ...] = ()
    n_stray: int = 0


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
    intervals: bool = True,
    run_stats: Any = None,
    stray: tuple = (),
    n_stray: int = 0,
) -> SystemResult:
    """Score ``predictions`` on the whole selection, in process (one batch); ``intervals=False``
    leaves ``ci`` empty (see :func:`with_intervals`)."""
    from ..engines.batch import score_batch

    batch = score_batch(selection.documents(), predictions, settings, selection.corpus.registry, name=name,
                        failures=failures, seconds=seconds)
    return finish_system(batch, source, selection, settings, outside=outside, intervals=intervals,
                         run_stats=run_stats, stray=stray, n_stray=n_stray)


def finish_system(batch: Any, source: str, selection: Selection, settings: Settings, *,
                  outside: tuple[str, ...] = (), intervals: bool = True, run_stats: Any = None,
                  stray: tuple = (), n_stray: int = 0) -> SystemResult:
    """A :class:`SystemResult` from a :class:`~conflictbench.engines.batch.ScoredBatch` covering the
    selection (one batch in process, or an engine's batches merged in corpus order)."""
    mention = batch.mention.result(fingerprint=selection.fingerprint, missing=batch.missing)
    value = batch.value.result(fingerprint=selection.fingerprint, missing=batch.missing)
    ci = _intervals([(mention, value)], settings)[0] if intervals else {}
    failed = {f.doc_id for f in batch.failures}
    missing = tuple(i for i in mention.missing if i not in failed)
    return SystemResult(batch.name, source, mention, value, ci, dict(batch.predictions), tuple(batch.failures),
                        missing, batch.seconds, tuple(outside), batch.unanchored, run_stats, tuple(stray), n_stray)


def _intervals(levels: Sequence[tuple[Any, Any]], settings: Settings) -> list[dict[tuple[str, str], tuple[float, float]]]:
    """Per system, (field, level) → F1 interval, every one from one shared resample set."""
    from ..scoring.statistics import bootstrap_intervals

    flat = [r for pair in levels for r in pair]
    found = bootstrap_intervals(flat, fields=FIELDS, n_resamples=settings.n_resamples,
                                confidence=settings.confidence, seed=settings.seed)
    return [{(iv.field, iv.level): (iv.low, iv.high) for row in found[2 * k:2 * k + 2] for iv in row}
            for k in range(len(levels))]


def with_intervals(systems: Sequence[SystemResult], settings: Settings) -> list[SystemResult]:
    """The systems with the bootstrap intervals of every field × level computed in one pass
    (the same numbers as one ``score_system`` each: the resamples depend on the seed only)."""
    from dataclasses import replace

    if not systems:
        return []
    found = _intervals([(s.mention, s.value) for s in systems], settings)
    return [replace(s, ci=ci) for s, ci in zip(systems, found)]


def evaluate_extractor(spec: str, selection: Selection, settings: Settings, *, progress: bool | None = None,
                       intervals: bool = True, options: Mapping[str, Any] | None = None) -> SystemResult:
    """Build (``ExtractorUnavailable`` propagates), run and score a Python extractor.

    ``options`` go to a factory that takes them as keywords (see :func:`~conflictbench.runner.build_extractor`).
    """
    from ..runner import build_extractor, extractor_name, run_extractor

    extractor = build_extractor(spec, selection.corpus, options=options)
    name = extractor_name(extractor, spec)
    run = run_extractor(extractor, selection.documents(), name=name, progress=progress)
    return score_system(name, spec, run.predictions, selection, settings, failures=run.failures, seconds=run.seconds,
                        intervals=intervals, run_stats=run.stats)


def evaluate_command(cmd: str, selection: Selection, settings: Settings, *, timeout: float = 60.0,
                     startup_timeout: float = 300.0, jobs: int = 1, pass_env: tuple[str, ...] = (),
                     name: str | None = None, progress: bool | None = None, intervals: bool = True) -> SystemResult:
    """Run a program (:func:`conflictbench.runner.run_command`: answers matched by id) and score it."""
    from ..runner import run_command

    run = run_command(cmd, selection.documents(), timeout=timeout, startup_timeout=startup_timeout, jobs=jobs,
                      allow_env=pass_env, name=name, progress=progress)
    return score_system(run.name, cmd, run.predictions, selection, settings, failures=run.failures,
                        seconds=run.seconds, intervals=intervals, stray=run.stray, n_stray=run.n_stray)


def evaluate_predictions(path: str | Path, selection: Selection, settings: Settings, *,
                         intervals: bool = True) -> SystemResult:
    from ..predictions import read_predictions

    pf = read_predictions(path, selection.corpus, doc_ids=selection.doc_ids)
    name = pf.meta.get("extractor") or Path(path).stem
    return score_system(name, str(path), pf.predictions, selection, settings, outside=pf.outside,
                        intervals=intervals)
