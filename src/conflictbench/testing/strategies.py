"""Hypothesis strategies for valid data: gold documents, corpora, predictions."""

from __future__ import annotations

from hypothesis import strategies as st

from ..schema import (
    ACTOR_TYPES,
    CASUALTY_KINDS,
    DATE_MODS,
    VICTIM_TYPES,
)

# any code point except surrogates: astral-plane text included, so offsets are tested as code points
TEXT_CHARS = st.characters(blacklist_categories=("Cs",))

TIMEX = st.one_of(
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1900, 2100), st.integers(1, 12),
              st.integers(1, 28)).map(lambda v: (v, "DATE")),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2100), st.integers(1, 12)).map(
        lambda v: (v, "DATE")),
    st.builds(lambda n, u: f"P{n}{u}", st.integers(1, 99), st.sampled_from("YMWD")).map(
        lambda v: (v, "DURATION")),
    st.builds(lambda h, mi: f"2020-01-17T{h:02d}:{mi:02d}", st.integers(0, 23), st.integers(0, 59)).map(
        lambda v: (v, "TIME")),
)


@st.composite
def spans_in(draw, text: str, max_size: int = 6):
    """(start, end, text) triples inside ``text``, or null offsets."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        if len(text) == 0 or draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            out.append((None, None, None))
            continue
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        out.append((start, end, text[start:end]))
    return out


def _unique(spans: list[dict]) -> list[dict]:
    """Drop exact duplicates (the validator rejects them)."""
    seen, out = set(), []
    for s in spans:
        key = tuple(sorted(s.items()))
        if s["start"] is None or key not in seen:
            out.append(s)
        seen.add(key)
    return out


@st.composite
def casualty_counts(draw):
    q = draw(st.sampled_from(["exact", "at_least", "at_most", "approx", "range", "vague"]))
    if q == "range":
        lo = draw(st.integers(0, 10**7))
        return q, None, lo, draw(st.integers(lo, 10**7 + 1))
    if q == "vague":
        return q, None, None, None
    return q, draw(st.integers(0, 2**40)), None, None


#: registry ids used when none are given (documents for an extractor's tests need no registry)
DEFAULT_ENTITIES = ("entity-a", "entity-b")


@st.composite
def documents(draw, entity_ids: list[str] = DEFAULT_ENTITIES, doc_id: str | None = None):
    """A valid gold document (every field of the corpus schema); its actors name ``entity_ids``."""
    text = draw(st.text(TEXT_CHARS, min_size=0, max_size=200))
    dates = []
    for s, e, t in draw(spans_in(text)):
        value, typ = draw(TIMEX)
        dates.append({"start": s, "end": e, "text": t, "value": value, "type": typ,
                      "mod": draw(st.none() | st.sampled_from(DATE_MODS)),
                      "optional": draw(st.booleans())})
    dates = _unique(dates)
    actors = [
        {"start": s, "end": e, "text": t, "entity": draw(st.sampled_from(entity_ids)),
         "type": draw(st.sampled_from(ACTOR_TYPES)), "optional": draw(st.booleans())}
        for s, e, t in draw(spans_in(text))
    ]
    actors = _unique(actors)
    casualties = []
    for s, e, t in draw(spans_in(text)):
        q, c, lo, hi = draw(casualty_counts())
        casualties.append({
            "start": s, "end": e, "text": t, "count": c, "count_low": lo, "count_high": hi,
            "qualifier": q, "kind": draw(st.sampled_from(CASUALTY_KINDS)),
            "victims": draw(st.sampled_from(VICTIM_TYPES)),
            "date_ref": draw(st.none() | st.integers(0, len(dates) - 1)) if dates else None,
            "perpetrator_ref": draw(st.none() | st.integers(0, len(actors) - 1)) if actors else None,
            "optional": draw(st.booleans()),
        })
    return {
        "id": doc_id or draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        "text": text,
        "title": draw(st.text(TEXT_CHARS, min_size=1, max_size=30)),
        "source": draw(st.text(TEXT_CHARS, min_size=1, max_size=20)),
        "url": draw(st.none() | st.just("https://example.org/a")),
        "language": draw(st.sampled_from(["en", "es", "ar", "fr"])),
        "publication_date": draw(st.dates().map(lambda d: d.isoformat())),
        "casualties": _unique(casualties),
        "actors": actors,
        "dates": dates,
    }


@st.composite
def corpora(draw, entity_ids: list[str] = DEFAULT_ENTITIES, max_docs: int = 4):
    """1 to ``max_docs`` valid documents with distinct ids ``doc-0``, ``doc-1``, ..."""
    n = draw(st.integers(1, max_docs))
    return [draw(documents(entity_ids, doc_id=f"doc-{i}")) for i in range(n)]


@st.composite
def predictions(draw, doc, entity_ids: list[str] = DEFAULT_ENTITIES, *, offsets: bool | None = None):
    """A valid prediction for ``doc`` (what :func:`conflictbench.predictions.check_prediction`
    accepts): items with offsets inside the text (or, when ``offsets`` is False or drawn so,
    without offsets), actors by text or entity, any casualty qualifier with its numbers."""
    text = doc["text"]

    def anchor() -> dict:
        use = offsets if offsets is not None else draw(st.booleans())
        if not use or not text:
            return {}
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        return {"start": start, "end": end, "text": text[start:end]}

    casualties = []
    for _ in range(draw(st.integers(0, 3))):
        q, c, lo, hi = draw(casualty_counts())
        item = {**anchor(), "qualifier": q, "kind": draw(st.sampled_from(CASUALTY_KINDS))}
        item |= {k: v for k, v in (("count", c), ("count_low", lo), ("count_high", hi)) if v is not None}
        if draw(st.booleans()):
            item["victims"] = draw(st.sampled_from(VICTIM_TYPES))
        casualties.append(item)
    actors = []
    for _ in range(draw(st.integers(0, 3))):
        item = anchor()
        if not item or draw(st.booleans()):
            item["entity"] = draw(st.sampled_from(list(entity_ids)))
        if "text" not in item and "entity" not in item:
            item["text"] = draw(st.text(TEXT_CHARS, min_size=1, max_size=20))
        if draw(st.booleans()):
            item["type"] = draw(st.sampled_from(ACTOR_TYPES))
        actors.append(item)
    dates = []
    for _ in range(draw(st.integers(0, 3))):
        value, typ = draw(TIMEX)
        item = {**anchor(), "value": value}
        if draw(st.booleans()):
            item["type"] = typ
        dates.append(item)
    return {"id": doc["id"], "casualties": casualties, "actors": actors, "dates": dates}
