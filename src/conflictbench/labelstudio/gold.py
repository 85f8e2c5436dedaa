"""Which annotation becomes gold, and pulling gold out of Label Studio.

The rule (:func:`select_gold`), per task, over the annotations that were not cancelled:

1. the one annotation marked *ground truth* in Label Studio (two marked → refuse);
2. else, when an annotator is named, that annotator's one annotation;
3. else refuse — the task has annotations but no rule picks one.

A task nobody annotated is left out of the pull (and counted), never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..actors import ActorRegistry
from ..errors import DataError
from ..schema import FIELDS


def config_fields(label_config: str) -> tuple[str, ...]:
    """The corpus fields a labeling config labels (from its CASUALTY/ACTOR/DATE labels)."""
    import xml.etree.ElementTree as ET

    from . import config as C

    try:
        root = ET.fromstring(label_config)
    except ET.ParseError as exc:
        raise DataError(f"the project's labeling config is not XML ({exc})") from None
    values = {e.get("value") for lab in root.iter("Labels") if lab.get("name") == C.LABELS
              for e in lab.iter("Label")}
    return tuple(f for f in FIELDS if C.LABEL_OF_FIELD[f] in values)


def live_annotations(task: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]


def annotator_annotations(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The annotators' own work on a task: live (not cancelled) and not ground truth (the
    corpus gold pushed with ``--with-gold``, or an adjudication, is nobody's judgement)."""
    return [a for a in task.get("annotations") or [] if not a.get("was_cancelled") and not a.get("ground_truth")]


def select_gold(
    task: dict[str, Any], *, annotator: str | None = None, users: dict[int, str] | None = None
) -> dict[str, Any] | None:
    """The annotation of ``task`` that becomes gold, None if it has none; DataError to refuse."""
    anns = live_annotations(task)
    if not anns:
        return None
    marked = [a for a in anns if a.get("ground_truth")]
    if len(marked) == 1:
        return marked[0]
    if len(marked) > 1:
        ids = [a.get("id") for a in marked]
        raise DataError(f"annotations {ids} are all marked ground truth; unmark all but one")
    if annotator is not None:
        users = users or {}
        mine = [a for a in anns if users.get(a.get("completed_by")) == annotator
                or a.get("completed_by") == annotator]
        if len(mine) == 1:
            return mine[0]
        if not mine:
            who = sorted({str(users.get(a.get("completed_by"), a.get("completed_by"))) for a in anns})
            raise DataError(f"no annotation by {annotator!r} (annotated by {who}) and none marked ground truth")
        raise DataError(f"{annotator!r} has {len(mine)} annotations on this task; keep one or mark one ground truth")
    raise DataError(
        f"{len(anns)} annotation(s), none marked ground truth: mark the gold one as ground truth "
        "in Label Studio, or name the annotator whose work is gold (--annotator EMAIL)"
    )


def chooser(*, annotator: str | None, users: dict[int, str]) -> Callable[[dict], dict | None]:
    return lambda task: select_gold(task, annotator=annotator, users=users)


@dataclass(frozen=True)
class PullResult:
    documents: tuple[dict[str, Any], ...]
    tasks_total: int
    tasks_unannotated: int
    written: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "tasks_total": self.tasks_total,
            "tasks_unannotated": self.tasks_unannotated,
            "written": list(self.written),
        }


def pull(
    session: Any,
    *,
    title: str,
    registry: ActorRegistry | None = None,
    annotator: str | None = None,
    gold_dir: str | Path | None = None,
    corpus_dir: str | Path | None = None,
    split: str = "test",
) -> PullResult:
    """Export project ``title``, convert and validate every annotated task, then write.

    ``gold_dir``: add/replace each document's ``<id>.json`` + ``<id>.txt`` in a gold source
    folder (``annotation/gold``; rebuild the corpus with ``make corpus``). ``corpus_dir``:
    write a corpus folder holding exactly the pulled documents (one split). Nothing is
    written unless every task converts and validates. ``registry``: by default the
    registry of the corpus the tasks were pushed from
    (:func:`.preannotate.registry_for_tasks`; ``annotation/actors.jsonl`` for tasks that do
    not record it).
    """
    from .export import export_to_documents
    from .preannotate import registry_for_tasks

    pid = session.project_id(title)
    labelled = config_fields(session.call("read the project", session.ls.projects.get, pid).label_config)
    if gold_dir is not None and set(labelled) != set(FIELDS):
        raise DataError(
            f"project {title!r} labels only {sorted(labelled)}: pulling it into the gold folder "
            f"{gold_dir} would leave the other fields empty; pull it with --corpus-out instead"
        )
    tasks = session.export(pid)
    if registry is None:
        from ..corpus import project_root

        root = project_root()
        registry = registry_for_tasks(tasks, fallback=root / "annotation" / "actors.jsonl" if root else None)
    users = session.users()
    docs = export_to_documents(
        tasks, registry, choose=chooser(annotator=annotator, users=users),
        source=f"Label Studio project {title!r} at {session.url}",
    )
    return write_pulled(docs, tasks, registry, gold_dir=gold_dir, corpus_dir=corpus_dir, split=split)


def write_pulled(
    docs: Sequence[dict[str, Any]],
    tasks: Sequence[dict[str, Any]],
    registry: ActorRegistry,
    *,
    gold_dir: str | Path | None,
    corpus_dir: str | Path | None,
    split: str = "test",
) -> PullResult:
    from ..corpus import read_gold_source, write_corpus
    from ..validation import check_documents

    written: list[str] = []
    if gold_dir is not None:
        # the gold folder after the pull must be valid as a whole before any file changes
        merged = {d["id"]: d for d in (read_gold_source(gold_dir) if Path(gold_dir).is_dir() else [])}
        merged.update({d["id"]: d for d in docs})
        check_documents(list(merged.values()), registry, source=str(gold_dir))
    if corpus_dir is not None:
        from ..card import gold_card

        if not docs:
            raise DataError(f"no annotated task to pull: {corpus_dir} was not written")

        splits = {split: list(docs)}
        write_corpus(corpus_dir, splits, registry, card=gold_card(splits, registry))
        written.append(str(corpus_dir))
    if gold_dir is not None and docs:
        written += [str(p) for p in _replace_gold_files(docs, Path(gold_dir))]
    unannotated = sum(1 for t in tasks if not any(not a.get("was_cancelled") for a in t.get("annotations") or []))
    return PullResult(tuple(docs), len(tasks), unannotated, tuple(written))


def _replace_gold_files(docs: Sequence[dict[str, Any]], gold_dir: Path) -> list[Path]:
    """Add/replace each document's ``<id>.json`` + ``<id>.txt`` in ``gold_dir``, all or
    nothing: a copy of the folder gets the new files and then replaces the folder
    (:func:`conflictbench.atomic.replace_dir`), so a failure leaves it as it was."""
    import shutil

    from .. import atomic, corpus

    with atomic.replace_dir(gold_dir) as tmp:
        if gold_dir.is_dir():
            shutil.copytree(gold_dir, tmp, dirs_exist_ok=True)
        for doc in docs:
            js, txt = corpus.gold_source_files(doc)
            (tmp / f"{doc['id']}.txt").write_bytes(txt)
            (tmp / f"{doc['id']}.json").write_bytes(js)
    return [gold_dir / f"{doc['id']}.json" for doc in docs]
