"""The prompt of ``llm.v1``: package data files, the response schema, the messages.

Everything the model is shown lives in ``conflictbench/data/llm/`` (versioned file names):

* ``instructions.v1.md`` — the system message;
* ``examples.v1.json`` — few-shot examples, constructed sentences taken from
  ``annotation/GUIDELINES.md`` §6 (never from a corpus document; a test checks that no
  example text occurs in any corpus document), each with the answer the guidelines give;
* ``user.v1.md`` — the user message around one chunk (``{publication_date}``, ``{text}``);
* ``repair.v1.md`` — the follow-up when an answer could not be used (``{problem}``).

:func:`response_schema` derives the JSON Schema of an answer from the project's prediction
schema (``data/predictions.schema.json``): the same attributes and vocabularies, minus what
a model cannot give from a chunk (offsets, registry ids, cross-references, ``optional``),
``text`` required, every attribute present (nullable where the prediction schema allows
null), and bounds on list and string lengths so that a constrained decoder always finishes.

:func:`prompt_hash` covers the four files and the response schema: it enters the cache key
and the extractor's signature, so an edited prompt is a different system.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ...schema import FIELDS

PROMPT_VERSION = "v1"
PROMPT_FILES = ("instructions", "examples", "user", "repair")
#: prediction attributes the model is not asked for (offsets come from grounding; the
#: registry id from resolving ``text``; refs and ``optional`` do not survive chunking)
NOT_ASKED = ("start", "end", "entity", "date_ref", "perpetrator_ref", "optional", "grounding")
#: bounds that keep a schema-constrained answer finite
MAX_ITEMS = 6
MAX_TEXT = 80
ITEM_DEFS = {"casualties": "casualty", "actors": "actor", "dates": "date"}


def _data_file(name: str) -> str:
    ext = "json" if name == "examples" else "md"
    return f"data/llm/{name}.{PROMPT_VERSION}.{ext}"


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    return resources.files("conflictbench").joinpath(_data_file(name)).read_text("utf-8")


@dataclass(frozen=True)
class Example:
    source: str
    publication_date: str
    text: str
    answer: dict[str, list[dict[str, Any]]]


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    return tuple(Example(e["source"], e["publication_date"], e["text"], e["answer"])
                 for e in json.loads(_read("examples")))


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target: Any = defs
            for part in ref[len("#/$defs/"):].split("/"):
                target = target[part]
            return _resolve(copy.deepcopy(target), defs)
        return {k: _resolve(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, defs) for v in node]
    return node


def _item_schema(defn: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {"text": {}}  # the mention first, then its attributes (decoding order)
    for attr, spec in defn["properties"].items():
        if attr in NOT_ASKED:
            continue
        spec = dict(spec)
        if attr == "text":
            spec = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
        props[attr] = spec
    return {"type": "object", "additionalProperties": False, "required": list(props), "properties": props}


@lru_cache(maxsize=1)
def _schema_json() -> str:
    from ...predictions import prediction_schema

    defs = prediction_schema()["$defs"]
    props = {}
    for field in FIELDS:
        item = _item_schema(_resolve(defs[ITEM_DEFS[field]], defs))
        props[field] = {"type": "array", "maxItems": MAX_ITEMS, "items": item}
    schema = {"type": "object", "additionalProperties": False, "required": list(FIELDS), "properties": props}
    return json.dumps(schema)  # key order kept: a constrained decoder writes properties in this order


def response_schema() -> dict[str, Any]:
    """The JSON Schema of one answer (a fresh copy)."""
    return json.loads(_schema_json())


@lru_cache(maxsize=1)
def prompt_hash() -> str:
    """sha256 (first 12 hex digits) of the prompt files and the response schema."""
    h = hashlib.sha256()
    for name in PROMPT_FILES:
        h.update(f"{name}\0{_read(name)}\0".encode("utf-8"))
    h.update(_schema_json().encode("utf-8"))
    return h.hexdigest()[:12]


def _user(text: str, publication_date: str | None) -> str:
    # str.replace, not str.format: a template or a text may hold braces
    return _read("user").replace("{publication_date}", publication_date or "unknown").replace("{text}", text)


def messages(text: str, publication_date: str | None) -> list[dict[str, str]]:
    """System instructions, the examples as user/assistant turns, then the chunk."""
    out = [{"role": "system", "content": _read("instructions")}]
    for ex in examples():
        out.append({"role": "user", "content": _user(ex.text, ex.publication_date)})
        out.append({"role": "assistant", "content": json.dumps(ex.answer, ensure_ascii=False)})
    out.append({"role": "user", "content": _user(text, publication_date)})
    return out


def repair_message(problem: str) -> dict[str, str]:
    return {"role": "user", "content": _read("repair").replace("{problem}", problem[:300])}
