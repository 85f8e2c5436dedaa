"""The evaluation as one library call: :func:`evaluate` takes the documents, the systems and the
settings, runs or reads every system once and returns a typed :class:`Leaderboard`.

The CLI (``conflictbench eval``) parses its options, calls :func:`evaluate` and renders the
result (:mod:`conflictbench.report`); a library user gets the same object.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from ..errors import ExtractorUnavailable, ParameterError
from .selection import Selection
from .settings import Settings
from .specs import SystemSpec, parse_system
from .systems import SystemResult, evaluate_command, evaluate_extractor, evaluate_predictions, finish_system, with_intervals


@dataclass(frozen=True)
class Leaderboard:
    """Every system scored on one selection with one set of settings."""

    selection: Selection
    settings: Settings
    systems: tuple[SystemResult, ...]
    #: (extractor name, reason) of registered extractors that cannot run here (skipped)
    unavailable: tuple[tuple[str, str], ...] = ()

    @property
    def failed(self) -> tuple[SystemResult, ...]:
        """The systems that failed on at least one document."""
        return tuple(s for s in self.systems if s.failures)


def evaluate(
    selection: Selection,
    systems: Sequence[SystemSpec | str],
    settings: Settings | None = None,
    *,
    timeout: float = 60.0,
    startup_timeout: float = 300.0,
    jobs: int = 1,
    pass_env: Sequence[str] = (),
    optional: Sequence[str] = (),
    progress: bool | None = None,
    extractor_options: Mapping[str, Any] | None = None,
    engine: Any = None,
) -> Leaderboard:
    """Score ``systems`` on ``selection``.

    Predictions files are read (and checked) first, so a bad file stops the run before any
    extractor runs; then the extractors, then the commands. An extractor named in
    ``optional`` that reports itself unavailable (:class:`ExtractorUnavailable`) is skipped
    and listed in :attr:`Leaderboard.unavailable`; any other raises. ``timeout`` is the
    per-document limit of command systems, ``startup_timeout`` the extra allowance of a freshly
    started program's first document, ``jobs`` the copies of each program run in parallel and
    ``pass_env`` the credential variables passed to them on purpose (others are withheld).
    ``extractor_options`` (``{"jobs": 4, ...}``) go to the extractor factories that take them as
    keywords (``llm.v1``). Two systems never share a name in the result.

    ``engine``: None or ``"local"`` runs the extractors and commands in this process; a
    :class:`conflictbench.engines.dask.DaskEngine` runs them on its cluster, with the same
    scores (one program per worker; ``llm.v1``'s options are not passed to a cluster's workers
    yet). Predictions files are read here either way.
    """
    if not isinstance(selection, Selection):
        raise ParameterError(f"The 'selection' parameter of evaluate() must be a Selection "
                             f"(conflictbench.evaluation.select). Got {type(selection).__name__} instead.")
    settings = settings if settings is not None else Settings()
    if not isinstance(settings, Settings):
        raise ParameterError(f"The 'settings' parameter of evaluate() must be a Settings. "
                             f"Got {type(settings).__name__} instead.")
    from ..runner import check_seconds

    check_seconds(timeout, "The 'timeout' parameter of evaluate()")
    check_seconds(startup_timeout, "The 'startup_timeout' parameter of evaluate()")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"The 'jobs' parameter of evaluate() must be a positive integer. Got {jobs!r} instead.")
    if engine == "local":
        engine = None
    if engine is not None and not callable(getattr(engine, "run", None)):
        raise ParameterError(f"The 'engine' parameter of evaluate() must be 'local' or an engine "
                             f"(conflictbench.engines.dask.DaskEngine). Got {engine!r} instead.")
    specs = [s if isinstance(s, SystemSpec) else parse_system(s) for s in systems]
    order = {"predictions": 0, "extractor": 1, "command": 2}
    results: list[SystemResult] = []
    unavailable: list[tuple[str, str]] = []
    for spec in sorted(specs, key=lambda s: order[s.kind]):  # stable: the given order within a kind
        if spec.kind == "predictions":
            results.append(evaluate_predictions(spec.target, selection, settings, intervals=False))
        elif engine is not None and spec.kind == "command":
            batch = engine.run("command", spec.target, selection, settings, timeout=timeout,
                               startup_timeout=startup_timeout, progress=progress)
            results.append(finish_system(batch, spec.target, selection, settings, intervals=False))
        elif spec.kind == "command":
            results.append(evaluate_command(spec.target, selection, settings, timeout=timeout,
                                            startup_timeout=startup_timeout, jobs=jobs, pass_env=tuple(pass_env),
                                            progress=progress, intervals=False))
        else:
            try:
                if engine is not None:
                    if spec.target.startswith("llm."):
                        raise ParameterError(f"{spec.target}: its options (--jobs, --llm-*) are not passed to a "
                                             "Dask cluster's workers yet; run it with --engine local")
                    batch = engine.run("extractor", spec.target, selection, settings, progress=progress)
                    results.append(finish_system(batch, spec.target, selection, settings, intervals=False))
                else:
                    results.append(evaluate_extractor(spec.target, selection, settings, progress=progress,
                                                      intervals=False, options=extractor_options))
            except ExtractorUnavailable as exc:
                if spec.target not in optional:
                    raise
                why = str(exc)
                why = why[len(spec.target) + 2:] if why.startswith(f"{spec.target}: ") else why
                unavailable.append((spec.target, why))
    # every interval of the run (systems × fields × levels) in one pass over one resample set
    return Leaderboard(selection, settings, tuple(with_intervals(_unique_names(results), settings)),
                       tuple(unavailable))


def _unique_names(systems: list[SystemResult]) -> list[SystemResult]:
    """Two systems of one run never share a name (``preds`` and ``preds (2)``): rows stay distinguishable."""
    seen: dict[str, int] = {}
    out = []
    for s in systems:
        n = seen.get(s.name, 0) + 1
        seen[s.name] = n
        out.append(s if n == 1 else replace(s, name=f"{s.name} ({n})"))
    return out
