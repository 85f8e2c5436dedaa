"""Pre-annotations through the evaluation's own road, and which corpus a task came from.

:func:`predictions_of` builds an extractor exactly as ``conflictbench eval`` does
(:func:`conflictbench.runner.build_extractor` with the corpus being pushed, so a
registry-aware extractor resolves actors through *that* corpus's registry, never the
embedded one) and runs it with :func:`conflictbench.runner.run_extractor` (failures isolated
per document, every output validated like a predictions file line).

Every pushed task records the corpus it came from in its data (:data:`CORPUS_KEY`, the
corpus folder, and :data:`FINGERPRINT_KEY`); :func:`registry_for_tasks` gives pull,
agreement, adjudication and status the registry of that corpus by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..actors import ActorRegistry
from ..errors import DataError

#: task-data keys recording where a task was pushed from
CORPUS_KEY = "corpus"
FINGERPRINT_KEY = "corpus_fingerprint"


@dataclass(frozen=True)
class Preannotation:
    """One system's pre-annotations: ``model_version`` (its signature), the validated
    predictions in document order, and the documents it failed on (pushed without it)."""

    spec: str
    model_version: str
    predictions: tuple[dict[str, Any], ...]
    failures: tuple[Any, ...] = ()

    def pair(self) -> tuple[str, list[dict[str, Any]]]:
        return self.model_version, list(self.predictions)


def predictions_of(spec: str, docs: Sequence[dict[str, Any]], *, corpus: Any,
                   progress: bool | None = None) -> Preannotation:
    """Run extractor ``spec`` (registered name or ``module:attr``) on ``docs`` of ``corpus``."""
    from ..extractors.base import extractor_signature
    from ..runner import build_extractor, run_extractor

    if corpus is None:
        raise DataError(f"pre-annotating with {spec!r} needs the corpus being pushed (its actor registry)")
    extractor = build_extractor(spec, corpus)
    run = run_extractor(extractor, docs, name=spec, progress=progress)
    preds = tuple(run.predictions[d["id"]] for d in docs if d["id"] in run.predictions)
    return Preannotation(spec, extractor_signature(extractor), preds, run.failures)


def corpus_record(corpus: Any) -> dict[str, str]:
    """What a pushed task records about its corpus (added to the task's data)."""
    return {CORPUS_KEY: str(Path(corpus.path).resolve()), FINGERPRINT_KEY: corpus.fingerprint}


def _registry_path(corpus_dir: Path) -> Path:
    """The registry to read for a corpus folder: the checkout's embedded corpus is built from
    ``annotation/actors.jsonl`` (a maintainer adds new actors there, then pulls again), any
    other corpus carries its own ``actors.jsonl``."""
    from ..corpus import REGISTRY_FILE, default_corpus_dir, project_root

    root = project_root()
    try:
        embedded = default_corpus_dir().resolve() == corpus_dir.resolve()
    except OSError:
        embedded = False
    if embedded and root is not None and (root / "annotation" / "actors.jsonl").is_file():
        return root / "annotation" / "actors.jsonl"
    return corpus_dir / REGISTRY_FILE


def pushed_corpora(tasks: Sequence[dict[str, Any]]) -> list[str]:
    """The distinct corpus folders the tasks were pushed from (tasks pushed before this was
    recorded contribute nothing)."""
    seen: list[str] = []
    for t in tasks:
        data = t.get("data") if isinstance(t, dict) else getattr(t, "data", None)
        c = (data or {}).get(CORPUS_KEY)
        if isinstance(c, str) and c not in seen:
            seen.append(c)
    return seen


def registry_for_tasks(tasks: Sequence[dict[str, Any]], explicit: str | Path | None = None,
                       *, fallback: str | Path | None = None) -> ActorRegistry:
    """The actor registry to read ``tasks`` with: ``explicit`` when given, else the registry
    of the corpus they were pushed from, else ``fallback`` (tasks pushed before the corpus was
    recorded). Tasks from two corpora, or a recorded corpus that is gone, are one clear error."""
    if explicit is not None:
        return ActorRegistry.load(explicit)
    corpora = pushed_corpora(tasks)
    if len(corpora) > 1:
        raise DataError(f"the project's tasks were pushed from {len(corpora)} corpora ({', '.join(corpora)}): "
                        "pass --registry to say which actor registry to read them with")
    if corpora:
        path = _registry_path(Path(corpora[0]))
        if not path.is_file():
            raise DataError(f"the tasks were pushed from {corpora[0]}, whose actor registry {path} is gone: "
                            "pass --registry")
        return ActorRegistry.load(path)
    if fallback is None:
        raise DataError("the tasks do not record the corpus they were pushed from: pass --registry")
    return ActorRegistry.load(fallback)
