"""Hypothesis strategies for hostile input: what a scorer must reject or survive, never mis-score."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from .strategies import DEFAULT_ENTITIES, predictions

#: characters that break a terminal, a table row or the order text is shown in
NASTY_CHARS = st.sampled_from(["\n", "\r", "\t", "\x00", "\x1b[31m", "\x1b[2J", "\x1b]0;title\x07", "\x7f", "\x85",
                               "\u202e", "\u2066", "\u200b", "\u2028", "\ufeff", "|", "<script>", "`", "&amp;"])


@st.composite
def hostile_names(draw) -> str:
    """A system name mixing ordinary text with control characters, ANSI escapes, bidirectional
    overrides, newlines and Markdown/HTML-significant characters."""
    parts = draw(st.lists(st.one_of(NASTY_CHARS, st.text(min_size=1, max_size=5)), min_size=1, max_size=8))
    name = "".join(parts)
    return name if name.strip() else name + "x"


@st.composite
def invalid_predictions(draw, doc, entity_ids=DEFAULT_ENTITIES) -> dict:
    """A valid prediction for ``doc`` with one defect that the validator must name and reject:
    an unknown attribute, kind, qualifier or date type; offsets outside the text or only one of
    them; span text that disagrees with the document; a casualty missing the number its
    qualifier calls for; an actor with neither entity nor text; a malformed TIMEX3 value."""
    pred = draw(predictions(doc, entity_ids))
    text = doc["text"]
    defect = draw(st.sampled_from(["attribute", "kind", "qualifier", "outside", "one-offset", "span-text",
                                   "no-count", "empty-actor", "date-type", "timex", "not-a-list"]))
    if defect == "attribute":
        pred["confidence"] = 0.9
    elif defect == "kind":
        pred["casualties"].append({"kind": "kiled", "qualifier": "exact", "count": 1})
    elif defect == "qualifier":
        pred["casualties"].append({"kind": "killed", "qualifier": "some", "count": 1})
    elif defect == "outside":
        pred["actors"].append({"start": len(text), "end": len(text) + 3, "text": "abc"})
    elif defect == "one-offset":
        pred["dates"].append({"start": 0, "value": "2020-01-01"})
    elif defect == "span-text":
        if text:
            pred["actors"].append({"start": 0, "end": 1, "text": text[0] + "x"})
        else:
            pred["actors"].append({"start": 0, "end": 1, "text": "x"})  # outside an empty text
    elif defect == "no-count":
        pred["casualties"].append({"kind": "killed", "qualifier": draw(st.sampled_from(["exact", "at_least", "range"]))})
    elif defect == "empty-actor":
        pred["actors"].append({"type": "person"})
    elif defect == "date-type":
        pred["dates"].append({"value": "2020-01-01", "type": "DAY"})
    elif defect == "timex":
        pred["dates"].append({"value": draw(st.sampled_from(["2020-13-01", "20-01-01", "yesterday", "2020-1-1"]))})
    else:
        pred["actors"] = {"text": "not a list"}
    return pred


@st.composite
def hostile_lines(draw, ids=()) -> bytes:
    """One output line (bytes, without its newline) that must never be taken as the answer to a
    document: random bytes, invalid UTF-8, text that is not JSON, JSON that is not an object,
    deeply nested JSON, an integer of more than 4,300 digits, an object with a duplicated key,
    an answer without an id, or with an id not in ``ids``."""
    kind = draw(st.sampled_from(["bytes", "bad-utf8", "text", "json-scalar", "nested", "huge-int", "duplicate",
                                 "no-id", "wrong-id"]))
    if kind == "bytes":
        line = draw(st.binary(min_size=0, max_size=40))
    elif kind == "bad-utf8":
        line = draw(st.binary(max_size=10)) + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"]))
    elif kind == "text":
        line = draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
    elif kind == "json-scalar":
        line = json.dumps(draw(st.one_of(st.integers(), st.text(max_size=10), st.lists(st.integers(), max_size=3),
                                         st.none(), st.booleans()))).encode()
    elif kind == "nested":
        depth = draw(st.integers(1000, 5000))
        line = b"[" * depth + b"]" * depth
    elif kind == "huge-int":
        line = b'{"id": 1' + b"0" * 4400 + b"}"
    elif kind == "duplicate":
        line = b'{"actors": [], "actors": [{"text": "x"}]}'
    elif kind == "no-id":
        line = b'{"casualties": [], "actors": [], "dates": []}'
    else:
        other = draw(st.from_regex(r"[a-z]{1,8}-stranger", fullmatch=True))
        assert other not in ids
        line = json.dumps({"id": other, "actors": []}).encode()
    return line.replace(b"\n", b" ").replace(b"\r", b" ")
