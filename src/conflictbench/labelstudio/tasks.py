"""Corpus document → Label Studio task, with gold as annotations or any extractor's output
as predictions (``model_version`` = the extractor's signature, ``extractors.base.extractor_signature``), so annotators correct
pre-annotations instead of starting blank.

Region ids are stable: ``c<i>``, ``a<i>``, ``d<i>`` for the i-th casualty, actor and date.
Offsets are written as they are (Python code points): Label Studio's Text tag counts code
points too (tests/labelstudio prove it on astral-plane text in the real UI).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..actors import ActorRegistry
from ..errors import DataError, ParameterError, check_choice
from ..schema import FIELDS
from ..validation import check_span_offsets
from . import config as C

_PREFIX = {"casualties": "c", "actors": "a", "dates": "d"}


def task_data(doc: dict[str, Any]) -> dict[str, Any]:
    """The task's ``data``: the text and the metadata (document id, publication date...)."""
    return {
        "text": doc["text"],
        "doc_id": doc["id"],
        "title": doc.get("title") or "",
        "publisher": doc.get("source") or "",  # "$source" is taken by Label Studio
        "url": doc.get("url") or "",
        "language": doc.get("language") or "",
        "publication_date": doc.get("publication_date") or "",  # "" = none (null in the corpus)
        "published": published_line(doc.get("publication_date")),
    }


#: the header line of a task without a DCT (annotation/GUIDELINES.md §1.2)
NO_DCT = "no publication date (relative dates: XXXX values, guidelines §1.2)"


def published_line(publication_date: Any) -> str:
    """The task header's date: ``Published 2020-01-17``, or the note for a document without one."""
    return f"Published {publication_date}" if publication_date else NO_DCT


def _region(rid: str, span: dict[str, Any], tag: str, rtype: str, key: str, value: Any) -> dict:
    return {
        "id": rid,
        "from_name": tag,
        "to_name": C.TEXT,
        "type": rtype,
        "value": {"start": span["start"], "end": span["end"], "text": span["text"], key: value},
    }


def spans_to_result(
    doc: dict[str, Any],
    text: str,
    *,
    fields: Iterable[str] = FIELDS,
    where: str = "document",
    registry: ActorRegistry | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Label Studio ``result`` items for the spans of ``doc`` (gold or a prediction).

    Returns ``(result, skipped)``: ``skipped`` describes every item that cannot become a
    region (no offsets) so the caller reports it; items with bad offsets raise
    :class:`DataError` naming ``where``, the field and the index.
    """
    result: list[dict[str, Any]] = []
    skipped: list[str] = []
    fields = [f for f in FIELDS if f in set(fields)]
    ids: dict[str, list[str | None]] = {}
    for field in fields:
        ids[field] = []
        for i, span in enumerate(doc.get(field) or []):
            if span.get("start") is None and span.get("end") is None:
                skipped.append(f"{where}: {field}[{i}] has no offsets ({span.get('text')!r})")
                ids[field].append(None)
                continue
            probs = check_span_offsets(span, text, require=True)
            if probs:
                raise DataError(f"{where}: {field}[{i}]: {probs[0][0]}: {probs[0][1]}")
            span = {**span, "text": text[span["start"] : span["end"]]}
            rid = f"{_PREFIX[field]}{i}"
            ids[field].append(rid)
            label = C.LABEL_OF_FIELD[field]
            result.append(_region(rid, span, C.LABELS, "labels", "labels", [label]))
            result += _attributes(field, rid, span, registry)
    if "casualties" in ids:
        for i, span in enumerate(doc.get("casualties") or []):
            src = ids["casualties"][i]
            for attr, field, rel in (
                ("date_ref", "dates", C.REL_DATE),
                ("perpetrator_ref", "actors", C.REL_PERPETRATOR),
            ):
                ref = span.get(attr)
                if src is None or ref is None or field not in ids:
                    continue
                if not isinstance(ref, int) or not 0 <= ref < len(ids[field]):
                    raise DataError(f"{where}: casualties[{i}]: {attr} {ref!r} indexes no {field} item")
                dst = ids[field][ref]
                if dst is None:
                    skipped.append(f"{where}: casualties[{i}].{attr} points at {field}[{ref}] (no offsets)")
                    continue
                result.append(
                    {"type": "relation", "from_id": src, "to_id": dst, "direction": "right", "labels": [rel]}
                )
    return result, skipped


def _attributes(
    field: str, rid: str, span: dict[str, Any], registry: ActorRegistry | None = None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def choice(tag: str, v: Any) -> None:
        if v is not None:
            out.append(_region(rid, span, tag, "choices", "choices", [v]))

    def number(tag: str, v: Any) -> None:
        if v is not None:
            out.append(_region(rid, span, tag, "number", "number", v))

    def textarea(tag: str, v: Any) -> None:
        if v is not None:
            out.append(_region(rid, span, tag, "textarea", "text", [v]))

    if field == "casualties":
        for tag in ("count", "count_low", "count_high"):
            number(tag, span.get(tag))
        for tag in ("qualifier", "kind", "victims"):
            choice(tag, span.get(tag))
    elif field == "actors":
        entity = span.get("entity")
        choice("actor_type", span.get("type"))
        if entity is not None and registry is not None and entity not in registry:
            textarea("new_actor", entity)  # resolved (alias) or reported by the importer
        elif entity is not None:
            out.append(_region(rid, span, "entity", "taxonomy", "taxonomy", [[entity]]))
    elif field == "dates":
        textarea("timex", span.get("value"))
        choice("date_type", span.get("type"))
        choice("date_mod", span.get("mod"))
    if span.get("optional"):
        choice(C.OPTIONAL_TAG, "optional")
    return out


def document_to_task(
    doc: dict[str, Any],
    *,
    gold: bool = False,
    predictions: Iterable[tuple[str, dict[str, Any]]] = (),
    fields: Iterable[str] = FIELDS,
    registry: ActorRegistry | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """A task for ``doc``: ``gold=True`` adds its annotations (marked ground truth);
    ``predictions`` are ``(model_version, prediction)`` pairs. Returns ``(task, skipped)``."""
    if isinstance(fields, str):
        raise ParameterError(
            f"The 'fields' parameter of document_to_task() must be a list of fields. Got {fields!r} instead."
        )
    fields = tuple(fields)
    for f in fields:  # a misspelt field would drop every annotation of it without a word
        check_choice("document_to_task", "fields", f, FIELDS)
    task: dict[str, Any] = {"data": task_data(doc)}
    skipped: list[str] = []
    if gold:
        result, sk = spans_to_result(doc, doc["text"], fields=fields, where=f"gold {doc['id']}")
        skipped += sk
        task["annotations"] = [{"result": result, "ground_truth": True}]
    preds = []
    for model_version, pred in predictions:
        if pred.get("id") != doc["id"]:
            raise DataError(
                f"prediction of {model_version!r} is for document {pred.get('id')!r}, expected {doc['id']!r}"
            )
        result, sk = spans_to_result(pred, doc["text"], fields=fields, where=f"{model_version} on {doc['id']}",
                                     registry=registry)
        skipped += sk
        preds.append({"model_version": model_version, "result": result})
    if preds:
        task["predictions"] = preds
    return task, skipped
