"""Several annotators, one gold: merge the annotations of a task, let a lead settle the rest.

For every task with two or more annotators' annotations (live, not ground truth), each is
converted and checked (:func:`.export.annotation_to_document`; any problem stops the whole
run, nothing written). Items are compared whole: a span with every attribute, a casualty
together with the items its relations point at. An item every annotator has is *agreed*;
any other item is a *conflict* (one annotator's version of it).

* A task without conflicts is settled: its document goes straight into the gold source
  folder (validated with the rest of the folder, written all or nothing), and a
  ground-truth annotation holding it is added in Label Studio, so ``annotate pull`` takes
  the same version.
* A task with conflicts gets one *adjudication annotation* (ground truth, by the user
  running this): the agreed items, and every version of each conflicting item, marked with
  the per-region ``conflict`` choice and a note of whose annotation it comes from. The lead
  deletes the versions that are wrong, corrects, unticks ``conflict`` on what stays and
  submits. ``annotate pull`` takes the adjudication annotation (it is the ground truth) and
  refuses while any region is still marked ``conflict``. Conflicted documents never enter
  the gold folder half-settled.

Running it again updates an adjudication annotation that still has marked conflicts (the
annotators may have changed their work); a settled one (no marks left) is left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..actors import ActorRegistry
from ..errors import DataError
from ..schema import FIELDS
from . import config as C
from .gold import annotator_annotations

_REFS = {"date_ref": "dates", "perpetrator_ref": "actors"}


def _key(doc: dict[str, Any], field_: str, i: int) -> str:
    item = dict(doc[field_][i])
    if field_ == "casualties":
        for attr, target in _REFS.items():
            ref = item.get(attr)
            item[attr] = None if ref is None else _key(doc, target, ref)
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class TaskMerge:
    task_id: Any
    doc_id: str
    annotators: tuple[str, ...]
    #: the merged document: agreed items and every conflicting version, in text order
    document: dict[str, Any]
    #: (field, index in document) → annotators having that version, for conflicting items only
    conflicts: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        return not self.conflicts


def merge_documents(docs: Sequence[dict[str, Any]], who: Sequence[str], *, task_id: Any = None) -> TaskMerge:
    """Merge one task's annotators' documents (same text); see the module docstring."""
    if len(docs) < 2:
        raise DataError(f"task {task_id}: merging needs two or more annotations, got {len(docs)}")
    base = {k: v for k, v in docs[0].items() if k not in FIELDS}
    # per field: key → (item, multiset count per annotator)
    merged: dict[str, dict[str, tuple[dict[str, Any], list[int]]]] = {f: {} for f in FIELDS}
    for n, doc in enumerate(docs):
        for f in FIELDS:
            for i, item in enumerate(doc[f]):
                k = _key(doc, f, i)
                entry = merged[f].setdefault(k, (dict(item, _src=(n, i)), [0] * len(docs)))
                entry[1][n] += 1
    out: dict[str, Any] = dict(base)
    conflicts: dict[tuple[str, int], tuple[str, ...]] = {}
    order: dict[str, list[str]] = {}
    for f in FIELDS:
        rows: list[tuple[str, dict[str, Any], tuple[str, ...] | None]] = []
        for k, (item, counts) in merged[f].items():
            agreed = min(counts)
            rows += [(k, item, None)] * agreed
            extra = max(counts) - agreed
            for c in range(extra):  # each surplus copy is a conflict, held by those who have it
                holders = tuple(w for w, n in zip(who, counts) if n - agreed > c)
                rows.append((k, item, holders))
        rows.sort(key=lambda r: (r[1].get("start") if r[1].get("start") is not None else -1,
                                 r[1].get("end") if r[1].get("end") is not None else -1, r[0], r[2] or ()))
        order[f] = [r[0] for r in rows]
        out[f] = []
        for i, (_k, item, holders) in enumerate(rows):
            out[f].append({k2: v for k2, v in item.items() if k2 != "_src"})
            if holders is not None:
                conflicts[(f, i)] = holders
    # relations: point at the first merged item with the target's key
    for f in ("casualties",):
        for i, (k, (item, _c)) in enumerate([(k, merged[f][k]) for k in order[f]]):
            n, j = item["_src"]
            src = docs[n][f][j]
            for attr, target in _REFS.items():
                ref = src.get(attr)
                out[f][i][attr] = None if ref is None else order[target].index(_key(docs[n], target, ref))
    return TaskMerge(task_id, str(base.get("id")), tuple(who), out, conflicts)


def adjudication_result(merge: TaskMerge, registry: ActorRegistry) -> list[dict[str, Any]]:
    """The Label Studio result of an adjudication annotation: the merged document, each
    conflicting region marked (``conflict`` choice) with a note naming its annotators."""
    from .tasks import spans_to_result

    result, skipped = spans_to_result(merge.document, merge.document["text"], registry=registry,
                                      where=f"adjudication of task {merge.task_id}")
    if skipped:
        raise DataError("; ".join(skipped))
    prefix = {"casualties": "c", "actors": "a", "dates": "d"}
    for (f, i), holders in sorted(merge.conflicts.items()):
        rid = f"{prefix[f]}{i}"
        span = merge.document[f][i]
        note = (f"conflict: only in the annotation(s) of {', '.join(holders)} "
                f"(not of {', '.join(w for w in merge.annotators if w not in holders)}); keep or delete "
                "this version, then untick 'conflict'")
        for r in result:
            if r.get("id") == rid and r.get("from_name") == C.LABELS:
                r["meta"] = {"text": [note]}
        result.append({"id": rid, "from_name": C.CONFLICT_TAG, "to_name": C.TEXT, "type": "choices",
                       "value": {"start": span["start"], "end": span["end"], "text": span["text"],
                                 "choices": [C.CONFLICT_VALUE]}})
    return result


def has_conflict_marks(annotation: dict[str, Any]) -> bool:
    return any(r.get("from_name") == C.CONFLICT_TAG and C.CONFLICT_VALUE in ((r.get("value") or {}).get("choices") or [])
               for r in annotation.get("result") or [] if isinstance(r, dict))


@dataclass(frozen=True)
class AdjudicationResult:
    settled: tuple[str, ...]  # document ids written to the gold folder
    conflicted: dict[str, int]  # document id → conflicting items left for the lead
    already: tuple[str, ...]  # document ids whose adjudication was settled before (left alone)
    waiting: tuple[str, ...]  # document ids with fewer than two annotators yet
    written: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"settled": len(self.settled), "conflicted": len(self.conflicted),
                "conflicting_items": sum(self.conflicted.values()), "already": len(self.already),
                "waiting": len(self.waiting), "written": list(self.written)}


def plan(tasks: Sequence[dict[str, Any]], registry: ActorRegistry, users: dict[int, str]
         ) -> tuple[list[tuple[dict[str, Any], TaskMerge]], list[str], list[str]]:
    """Merge every task with 2+ annotators: (task, merge) pairs, already-settled and waiting ids."""
    from .export import ExportError, annotation_to_document

    merges, already, waiting, problems = [], [], [], []
    for task in tasks:
        doc_id = (task.get("data") or {}).get("doc_id")
        gts = [a for a in task.get("annotations") or [] if a.get("ground_truth") and not a.get("was_cancelled")]
        if gts and not any(has_conflict_marks(a) for a in gts):
            already.append(doc_id)
            continue
        anns = annotator_annotations(task)
        if len(anns) < 2:
            waiting.append(doc_id)
            continue
        docs, who, before = [], [], len(problems)
        for ann in anns:
            doc, probs = annotation_to_document(task["data"], ann.get("result"), registry,
                                                task_id=task.get("id"), annotation_id=ann.get("id"))
            problems += probs
            docs.append(doc)
            who.append(str(users.get(ann.get("completed_by"), ann.get("completed_by"))))
        if len(problems) == before:
            merges.append((task, merge_documents(docs, who, task_id=task.get("id"))))
    if problems:
        raise ExportError(problems, source="adjudicate")
    return merges, already, waiting


def adjudicate(session: Any, *, title: str, registry: ActorRegistry | None = None,
               gold_dir: str | Path, fallback_registry: str | Path | None = None) -> AdjudicationResult:
    """Merge project ``title``'s annotations (see the module docstring). ``registry``: by
    default the pushed corpus's (:func:`.preannotate.registry_for_tasks`), else
    ``fallback_registry`` for tasks that do not record their corpus."""
    from .gold import config_fields, write_pulled
    from .preannotate import registry_for_tasks

    pid = session.project_id(title)
    labelled = config_fields(session.call("read the project", session.ls.projects.get, pid).label_config)
    if set(labelled) != set(FIELDS):
        raise DataError(f"project {title!r} labels only {sorted(labelled)}: its documents cannot enter "
                        f"the gold folder {gold_dir}")
    tasks = session.export(pid)
    registry = registry if registry is not None else registry_for_tasks(tasks, fallback=fallback_registry)
    merges, already, waiting = plan(tasks, registry, session.users())
    settled = [m.document for _t, m in merges if m.settled]
    # the gold folder first (all or nothing, checked as a whole): a failure changes nothing in Label Studio
    res = write_pulled(settled, [], registry, gold_dir=gold_dir, corpus_dir=None) if settled else None
    for task, m in merges:
        result = adjudication_result(m, registry)
        gts = [a for a in task.get("annotations") or [] if a.get("ground_truth") and not a.get("was_cancelled")]
        if gts:
            session.call("update the adjudication", session.ls.annotations.update, gts[0]["id"], result=result)
        else:
            session.call("add the adjudication", session.ls.annotations.create, task["id"], result=result,
                         ground_truth=True, completed_by=session.user_id)
    return AdjudicationResult(
        settled=tuple(d["id"] for d in settled),
        conflicted={m.doc_id: len(m.conflicts) for _t, m in merges if not m.settled},
        already=tuple(already), waiting=tuple(waiting),
        written=res.written if res else (),
    )
