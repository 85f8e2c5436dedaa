"""Reading and validating predictions (JSONL, one document per line; see PREDICTIONS.md).

Every problem is one :class:`~conflictbench.errors.DataError` naming the file, the line,
the document and the field: malformed JSON, an unknown or duplicate document id, offsets
outside the text, span text that disagrees with the document, unknown kind/type values,
a corpus fingerprint that is not the corpus being scored. A corpus document with no line
is not an error: it is scored as empty and reported (:attr:`PredictionFile.missing`).

:func:`check_prediction` is the same check for one prediction object (the runner applies
it to every extractor's output).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import DataError
from .jsonl import read_jsonl
from .schema import FIELDS, normalise_span
from .validation import check_span_offsets, check_span_values

#: attributes a prediction may leave null although the gold schema requires them
NULLABLE_IN_PREDICTIONS: dict[str, tuple[str, ...]] = {
    "casualties": ("victims",),
    "actors": ("type", "entity"),
    "dates": ("type",),
}


@lru_cache(maxsize=1)
def prediction_schema() -> dict:
    """The JSON Schema of a prediction line (``data/predictions.schema.json``)."""
    text = resources.files("conflictbench").joinpath("data/predictions.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = prediction_schema()
    sub = {"$schema": schema["$schema"], "$ref": "#/$defs/prediction", "$defs": schema["$defs"]}
    cls = jsonschema.validators.validator_for(sub)
    cls.check_schema(sub)
    return cls(sub)


def _json_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(line)"


def check_prediction(pred: Any, doc: Mapping[str, Any] | None, *, where: str) -> dict[str, Any]:
    """Validate one prediction object against its document; return it normalised.

    ``doc`` is the gold document (its text checks offsets); ``where`` prefixes messages
    (e.g. ``"preds.jsonl:12"``). Raises :class:`DataError` on the first problem.
    """
    import jsonschema

    if not isinstance(pred, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(pred).__name__}")
    errors = list(_validator().iter_errors(pred))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        msg = err.schema.get(f"x-{err.validator}-message", err.message) if isinstance(err.schema, dict) else err.message
        raise DataError(f"{where}: field {_json_path(err.absolute_path)}: {msg}")
    doc_id = pred["id"]
    if doc is None:
        raise DataError(f"{where}: field id: unknown document id {doc_id!r}")
    text = doc.get("text") or ""
    n = {f: len(pred.get(f) or []) for f in FIELDS}
    out: dict[str, Any] = {"id": doc_id}
    for f in FIELDS:
        spans = pred.get(f) or []
        for i, span in enumerate(spans):
            span = {k: v for k, v in span.items() if k != "grounding"}  # checked by the schema; not a gold attribute
            problems = check_span_offsets(span, text, require=False)
            problems += [
                (attr, msg)
                for attr, msg in check_span_values(
                    f, span, registry=None, n_dates=n["dates"], n_actors=n["actors"], require_entity=False
                )
                if not (attr in NULLABLE_IN_PREDICTIONS[f] and span.get(attr) is None)
            ]
            if problems:
                attr, msg = problems[0]
                raise DataError(f"{where}: document {doc_id!r}, field {f}[{i}].{attr}: {msg}")
        out[f] = [_with_grounding(normalise_span(f, s), s) for s in spans]
    return out


def _with_grounding(norm: dict[str, Any], span: Mapping[str, Any]) -> dict[str, Any]:
    """``grounding`` (reported by LLM extractors, never scored) travels with the item."""
    if span.get("grounding") is not None:
        norm["grounding"] = span["grounding"]
    return norm


@dataclass(frozen=True)
class PredictionFile:
    path: str
    #: document id → normalised prediction, for the documents being scored
    predictions: dict[str, dict[str, Any]]
    #: the optional header's ``meta`` object
    meta: dict[str, Any] = field(default_factory=dict)
    #: scored documents with no line in the file (scored as empty)
    missing: tuple[str, ...] = ()
    #: ids of lines for corpus documents outside the selection being scored (not scored)
    outside: tuple[str, ...] = ()


def read_predictions(
    path: str | Path,
    corpus: Any,
    *,
    doc_ids: Iterable[str] | None = None,
) -> PredictionFile:
    """Read and validate a predictions JSONL file against ``corpus``.

    ``doc_ids`` is the selection being scored (default: every corpus document). An id the
    corpus does not have is an error; an id of a corpus document outside the selection is
    reported in :attr:`PredictionFile.outside`.
    """
    path = Path(path)
    by_id = corpus.by_id()
    selected = list(doc_ids) if doc_ids is not None else list(by_id)
    wanted = set(selected)
    preds: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    outside: list[str] = []
    meta: dict[str, Any] = {}
    seen_record = False
    for where, rec in read_jsonl(path, what="predictions"):
        lineno = int(where.rsplit(":", 1)[1])
        if isinstance(rec, dict) and "meta" in rec and "id" not in rec:
            if seen_record:
                raise DataError(f"{where}: field meta: the header must be the first line")
            meta = _check_meta(rec, corpus, where)
            seen_record = True
            continue
        seen_record = True
        doc_id = rec.get("id") if isinstance(rec, dict) else None
        if isinstance(doc_id, str):
            if doc_id in first_line:
                raise DataError(
                    f"{where}: field id: duplicate document id {doc_id!r} "
                    f"(first at line {first_line[doc_id]})"
                )
            first_line[doc_id] = lineno
        pred = check_prediction(rec, by_id.get(doc_id) if isinstance(doc_id, str) else None, where=where)
        if doc_id in wanted:
            preds[doc_id] = pred
        else:
            outside.append(doc_id)
    missing = tuple(i for i in selected if i not in preds)
    return PredictionFile(str(path), preds, meta, missing, tuple(outside))


def _check_meta(rec: dict, corpus: Any, where: str) -> dict[str, Any]:
    meta = rec["meta"]
    extra = set(rec) - {"meta"}
    if extra or not isinstance(meta, dict):
        raise DataError(f"{where}: field meta: the header is {{\"meta\": {{...}}}} and nothing else")
    allowed = {"corpus_fingerprint", "extractor", "conflictbench_version"}
    for key, value in meta.items():
        if key not in allowed:
            raise DataError(f"{where}: field meta.{key}: unknown header field (known: {sorted(allowed)})")
        if not isinstance(value, str):
            raise DataError(f"{where}: field meta.{key}: must be a string, got {value!r}")
    fp = meta.get("corpus_fingerprint")
    if fp is not None and fp != corpus.fingerprint:
        raise DataError(
            f"{where}: field meta.corpus_fingerprint: the predictions were made on corpus {fp!r}, "
            f"but the corpus being scored ({corpus.path}) has fingerprint {corpus.fingerprint!r}"
        )
    return dict(meta)


def write_predictions(path: str | Path, predictions: Iterable[Mapping[str, Any]], *, meta: Mapping[str, str] | None = None) -> None:
    """Write predictions as JSONL (header first when ``meta`` is given), atomically."""
    from . import atomic

    with atomic.temp_path(path) as tmp:
        with tmp.open("w", encoding="utf-8") as fh:
            if meta:
                fh.write(json.dumps({"meta": dict(meta)}, ensure_ascii=False) + "\n")
            for p in predictions:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")


def compact_prediction(pred: Mapping[str, Any]) -> dict[str, Any]:
    """A normalised prediction without its null attributes and ``optional: false`` (same meaning, shorter)."""
    out: dict[str, Any] = {"id": pred["id"]}
    for f in FIELDS:
        out[f] = [{k: v for k, v in s.items() if v is not None and not (k == "optional" and v is False)}
                  for s in pred.get(f) or []]
    return out


def prediction_lines(system: Any, selection: Any) -> str:
    """A system's predictions on ``selection`` as a predictions file (header first).

    The header carries the fingerprint of the whole corpus (what :func:`read_predictions`
    checks), the system's name and the conflictbench version. A document the system failed
    on has no line: read back, it is scored as empty, as it was in the run.
    """
    from . import __version__

    meta = {"corpus_fingerprint": selection.corpus.fingerprint, "extractor": system.name,
            "conflictbench_version": __version__}
    lines = [json.dumps({"meta": meta}, ensure_ascii=False)]
    for doc_id in selection.doc_ids:
        pred = system.predictions.get(doc_id)
        if pred is not None:
            lines.append(json.dumps(compact_prediction(pred), ensure_ascii=False))
    return "\n".join(lines) + "\n"
