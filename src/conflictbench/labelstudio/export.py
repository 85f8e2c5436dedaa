"""Label Studio JSON export → corpus documents, checked region by region.

Label Studio stores whatever it is sent, so everything is checked here: unknown labels
and control tags, offsets outside the text, span text that differs from the text at its
offsets, attributes on regions that do not exist or belong to another label, relations to
missing regions, then the corpus validator on the finished document. Every problem is
reported with its task id, annotation id and region id; :func:`export_to_documents`
raises one :class:`ExportError` listing all of them, so nothing is written unless the
whole import is valid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..actors import ActorRegistry, normalise_name
from ..errors import DataError
from ..schema import ACTOR_TYPES, FIELDS, empty_span
from ..validation import validate_document
from . import config as C

_TAG_TYPES = (
    {t: "number" for t in C.NUMBER_TAGS}
    | {t: "choices" for t in C.CHOICE_TAGS}
    | {t: "taxonomy" for t in C.TAXONOMY_TAGS}
    | {t: "textarea" for t in C.TEXTAREA_TAGS}
    | {C.OPTIONAL_TAG: "choices", C.CONFLICT_TAG: "choices"}
)
#: a document id becomes a file name in the gold folder: no path separators, no dot files
_SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_TAG_LABEL = C.NUMBER_TAGS | C.CHOICE_TAGS | C.TAXONOMY_TAGS | C.TEXTAREA_TAGS


@dataclass(frozen=True)
class ExportProblem:
    task_id: Any
    annotation_id: Any
    region_id: Any
    message: str
    doc_id: str | None = None

    def __str__(self) -> str:
        parts = [f"task {self.task_id}"]
        if self.doc_id:
            parts[0] += f" (document {self.doc_id!r})"
        if self.annotation_id is not None:
            parts.append(f"annotation {self.annotation_id}")
        if self.region_id is not None:
            parts.append(f"region {self.region_id!r}")
        return ", ".join(parts) + f": {self.message}"


class ExportError(DataError):
    def __init__(self, problems: Sequence[ExportProblem], *, source: str = "Label Studio export") -> None:
        self.problems = list(problems)
        lines = [f"{source}: {len(self.problems)} problem(s); nothing was written"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


def _value_ok(r: dict) -> bool:
    return isinstance(r.get("value"), dict)


def annotation_to_document(
    data: dict[str, Any],
    result: list[dict[str, Any]],
    registry: ActorRegistry,
    *,
    task_id: Any = None,
    annotation_id: Any = None,
) -> tuple[dict[str, Any], list[ExportProblem]]:
    """One annotation's ``result`` on a task's ``data`` → (corpus document, problems)."""
    doc_id = data.get("doc_id") if isinstance(data.get("doc_id"), str) else None
    problems: list[ExportProblem] = []

    def bad(region: Any, msg: str) -> None:
        problems.append(ExportProblem(task_id, annotation_id, region, msg, doc_id))

    text = data.get("text")
    if not isinstance(text, str):
        bad(None, "task data has no 'text' string")
        text = ""
    if doc_id is None:
        bad(None, f"task data has no 'doc_id' string (got {data.get('doc_id')!r})")
    elif not _SAFE_ID.fullmatch(doc_id):
        bad(None, f"task data 'doc_id' {doc_id!r} cannot name a gold file (letters, digits, '.', '_', '-'; "
                  "not starting with '.')")
        doc_id = None
    doc: dict[str, Any] = {"id": doc_id or f"<task {task_id}>", "text": text}
    for key, dkey in (("title", "title"), ("source", "publisher"), ("url", "url"), ("language", "language"),
                      ("publication_date", "publication_date")):
        v = data.get(dkey)
        doc[key] = None if (key in ("url", "publication_date") and not v) else v  # "": none
    if not isinstance(result, list):
        bad(None, f"'result' must be a list, got {type(result).__name__}")
        result = []

    regions: dict[str, dict[str, Any]] = {}  # id → {"label", "start", "end", "text", attrs...}
    attrs: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    rejected: set[Any] = set()  # labelled regions already reported: their attributes say nothing more
    for r in result:
        if not isinstance(r, dict):
            bad(None, f"result item is not an object: {r!r}")
            continue
        rid = r.get("id")
        if r.get("type") == "relation":
            relations.append(r)
            continue
        tag = r.get("from_name")
        if tag == C.LABELS:
            known = rid in regions
            _read_label(r, rid, text, regions, bad)
            if rid not in regions or known:
                rejected.add(rid)
        elif tag in _TAG_TYPES:
            attrs.append(r)
        else:
            bad(rid, f"unknown control tag {tag!r} (type {r.get('type')!r})")
    for r in attrs:
        if r.get("id") in rejected and r.get("id") not in regions:
            continue  # one message per rejected region, not one per attribute
        _read_attribute(r, regions, text, bad)
    relations = [r for r in relations
                 if not ({r.get("from_id"), r.get("to_id")} & rejected - set(regions))]

    # spans per field, in text order; region id → (field, index)
    spans: dict[str, list[tuple[str, dict]]] = {f: [] for f in FIELDS}
    for rid, reg in regions.items():
        spans[reg["field"]].append((rid, reg))
    where: dict[tuple[str, int], str] = {}
    index: dict[str, tuple[str, int]] = {}
    for field in FIELDS:
        spans[field].sort(key=lambda p: (p[1]["start"], p[1]["end"], str(p[0])))
        for i, (rid, _reg) in enumerate(spans[field]):
            where[(field, i)] = rid
            index[rid] = (field, i)
    for field in FIELDS:
        doc[field] = [_span(field, rid, reg, registry, bad) for rid, reg in spans[field]]
    _read_relations(relations, regions, index, doc, bad)

    for p in validate_document(doc, registry):
        rid = where.get((p.field, p.index)) if p.index is not None else None
        if rid is not None and regions[rid].get("unknown_actor") and p.message.startswith("entity:"):
            continue  # already reported as an unknown new actor, with what to do about it
        loc = f"{p.field}[{p.index}]" if p.index is not None else p.field
        bad(rid, f"{loc}: {p.message}")
    return doc, problems


def _read_label(r: dict, rid: Any, text: str, regions: dict, bad: Callable) -> None:
    if r.get("type") != "labels" or not _value_ok(r):
        bad(rid, f"a '{C.LABELS}' result must have type 'labels' and a value object")
        return
    v = r["value"]
    labels = v.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        bad(rid, f"a region needs exactly one label, got {labels!r}")
        return
    label = labels[0]
    if label not in C.FIELD_OF_LABEL:
        bad(rid, f"unknown label {label!r} (known: {sorted(C.FIELD_OF_LABEL)})")
        return
    if rid is None or rid in regions:
        bad(rid, "region id missing or used by two labelled regions")
        return
    start, end, stext = v.get("start"), v.get("end"), v.get("text")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        bad(rid, f"offsets must be integers, got start={start!r} end={end!r}")
        return
    if not 0 <= start < end <= len(text):
        bad(rid, f"offsets [{start}, {end}) are outside the text (length {len(text)}) or empty")
        return
    if stext != text[start:end]:
        bad(rid, f"span text {stext!r} != text[{start}:{end}] = {text[start:end]!r}")
        return
    regions[rid] = {"field": C.FIELD_OF_LABEL[label], "label": label, "start": start, "end": end,
                    "text": stext, "attrs": {}}


def _read_attribute(r: dict, regions: dict, text: str, bad: Callable) -> None:
    rid, tag = r.get("id"), r.get("from_name")
    reg = regions.get(rid)
    if reg is None:
        bad(rid, f"attribute {tag!r} is attached to region {rid!r}, which is not a labelled region")
        return
    if r.get("type") != _TAG_TYPES[tag] or not _value_ok(r):
        bad(rid, f"attribute {tag!r} must have type {_TAG_TYPES[tag]!r}, got {r.get('type')!r}")
        return
    want = _TAG_LABEL.get(tag)
    if want is not None and want != reg["label"]:
        bad(rid, f"attribute {tag!r} belongs to {want} regions, this region is {reg['label']}")
        return
    v = r["value"]
    if (v.get("start"), v.get("end")) != (reg["start"], reg["end"]):
        bad(rid, f"attribute {tag!r} has offsets [{v.get('start')}, {v.get('end')}), "
                 f"its region [{reg['start']}, {reg['end']})")
        return
    if tag in reg["attrs"]:
        bad(rid, f"attribute {tag!r} given twice")
        return
    kind = _TAG_TYPES[tag]
    if kind == "number":
        val = v.get("number")
        if isinstance(val, float) and val.is_integer():
            val = int(val)
    elif kind == "choices":
        ch = v.get("choices")
        if not isinstance(ch, list) or len(ch) != 1:
            bad(rid, f"attribute {tag!r} needs exactly one choice, got {ch!r}")
            return
        val = ch[0]
    elif kind == "taxonomy":  # a list of paths; the registry is one level: [[entity_id]]
        paths = v.get("taxonomy")
        if (not isinstance(paths, list) or len(paths) != 1 or not isinstance(paths[0], list)
                or len(paths[0]) != 1 or not isinstance(paths[0][0], str)):
            bad(rid, f"attribute {tag!r} needs exactly one entity, got {paths!r}")
            return
        val = paths[0][0]
    else:  # a per-region TextArea stores its text as a list of strings
        lines = v.get("text")
        if isinstance(lines, str):
            lines = [lines]
        if not isinstance(lines, list) or not all(isinstance(s, str) for s in lines):
            bad(rid, f"attribute {tag!r}: text must be a list of strings, got {lines!r}")
            return
        lines = [s.strip() for s in lines if s.strip()]
        if len(lines) > 1:
            bad(rid, f"attribute {tag!r} has {len(lines)} entries {lines!r}; give one")
            return
        val = lines[0] if lines else None
    reg["attrs"][tag] = val


def _span(field: str, rid: str, reg: dict, registry: ActorRegistry, bad: Callable) -> dict[str, Any]:
    a = reg["attrs"]
    span = empty_span(field)
    span.update(start=reg["start"], end=reg["end"], text=reg["text"])
    span["optional"] = a.get(C.OPTIONAL_TAG) == "optional"
    if a.get(C.CONFLICT_TAG) is not None:
        bad(rid, f"{reg['label']} {reg['text']!r} is still marked as an unresolved adjudication conflict: "
                 "keep this version (untick 'conflict') or delete the region, then submit")
    if field == "casualties":
        for key in ("count", "count_low", "count_high", "qualifier", "kind", "victims"):
            span[key] = a.get(key)
    elif field == "actors":
        entity, new = a.get("entity"), a.get("new_actor")
        if entity is not None and new is not None:
            bad(rid, f"both a registry entity ({entity!r}) and a new actor ({new!r}) are given; keep one")
        elif new is not None:
            resolved = registry.resolve(new)
            if resolved is None:
                bad(rid, _new_actor_message(new, reg["text"], a.get("actor_type")))
                reg["unknown_actor"] = True
            entity = resolved
        span["entity"] = entity
        actor = registry.get(entity) if isinstance(entity, str) else None
        span["type"] = a.get("actor_type") or (actor.type if actor else None)
    else:
        span["value"], span["type"], span["mod"] = a.get("timex"), a.get("date_type"), a.get("date_mod")
    return span


def _new_actor_message(name: str, span_text: str, actor_type: Any) -> str:
    """What to do about an actor typed in the free field that the registry does not know:
    the registry line to add (the pull then resolves the name), or pick an existing entity.
    The span text is not offered as an alias: a mention ("Idlib", "the Front") is rarely a
    name that should resolve to this actor everywhere."""
    slug = normalise_name(name).replace(" ", "_") or "new_actor"
    kind = actor_type if actor_type in ACTOR_TYPES else f"<one of {'|'.join(ACTOR_TYPES)}>"
    line = json.dumps({"id": slug, "name": name, "type": kind, "aliases": []}, ensure_ascii=False)
    return (f"new actor {name!r} (span {span_text!r}) is not in the actor registry. Either the annotator "
            "picks an existing entity for this region in Label Studio, or a maintainer adds this line to "
            f"annotation/actors.jsonl: {line} (with the aliases articles use), pulls again (the typed name "
            "then resolves to the new entity) and runs `make corpus` (corpus and configs: the drop-down "
            "then offers it)")


def _read_relations(relations: list, regions: dict, index: dict, doc: dict, bad: Callable) -> None:
    for r in relations:
        src, dst = r.get("from_id"), r.get("to_id")
        labels = r.get("labels") or []
        rel = f"relation {src!r} → {dst!r}"
        if src not in regions or dst not in regions:
            missing = [x for x in (src, dst) if x not in regions]
            bad(src, f"{rel} points at missing region(s) {missing}")
            continue
        ends = (regions[src]["label"], regions[dst]["label"])
        if ends.count("CASUALTY") != 1:
            bad(src, f"{rel}: a relation links one CASUALTY region to a DATE or an ACTOR, not {list(ends)}")
            continue
        if ends[0] != "CASUALTY":  # drawn from the target to the casualty: direction is not meaning
            src, dst = dst, src
        target = regions[dst]["label"]
        attr = {"DATE": "date_ref", "ACTOR": "perpetrator_ref"}.get(target)
        expected = {"DATE": C.REL_DATE, "ACTOR": C.REL_PERPETRATOR}.get(target)
        if attr is None:
            bad(src, f"{rel}: a casualty relates to a DATE or an ACTOR, not a {target}")
            continue
        if any(lab != expected for lab in labels) or len(labels) > 1:
            bad(src, f"{rel}: label(s) {labels} do not fit a {target} target (expected [{expected!r}])")
            continue
        _f, ci = index[src]
        span = doc["casualties"][ci]
        if span[attr] is not None:
            bad(src, f"{rel}: the casualty already has a {attr} relation")
            continue
        span[attr] = index[dst][1]


def export_to_documents(
    tasks: list[dict[str, Any]],
    registry: ActorRegistry,
    *,
    choose: Callable[[dict[str, Any]], dict[str, Any] | None],
    source: str = "Label Studio export",
) -> list[dict[str, Any]]:
    """Every annotated task of an export → a validated corpus document.

    ``choose(task)`` returns the annotation that becomes gold (see :mod:`.agreement`), or
    None for a task nobody has annotated (such tasks are left out and not an error); it
    raises :class:`DataError` to refuse. Raises :class:`ExportError` listing every problem.
    """
    if not isinstance(tasks, list):
        raise DataError(f"{source}: expected a JSON list of tasks, got {type(tasks).__name__}")
    docs: list[dict[str, Any]] = []
    problems: list[ExportProblem] = []
    seen: dict[str, Any] = {}
    for task in tasks:
        tid = task.get("id") if isinstance(task, dict) else None
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(ExportProblem(tid, None, None, "task is not an object with 'data'"))
            continue
        try:
            ann = choose(task)
        except DataError as exc:
            problems.append(ExportProblem(tid, None, None, str(exc), task["data"].get("doc_id")))
            continue
        if ann is None:
            continue
        doc, probs = annotation_to_document(
            task["data"], ann.get("result"), registry, task_id=tid, annotation_id=ann.get("id")
        )
        problems += probs
        if doc["id"] in seen:
            problems.append(ExportProblem(tid, ann.get("id"), None,
                                          f"document {doc['id']!r} also comes from task {seen[doc['id']]}"))
        seen.setdefault(doc["id"], tid)
        docs.append(doc)
    if problems:
        raise ExportError(problems, source=source)
    return docs
