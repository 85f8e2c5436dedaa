"""A synthetic corpus for the scoring benchmark: documents with ~30 annotations each and
predictions derived from them by seeded perturbations, generated lazily (nothing is held).

Per document: 10 casualties, 10 actors, 10 dates on disjoint character ranges; the
prediction keeps most items, drops some, shifts some offsets, changes some values and adds
spurious ones — so every branch of the alignment is exercised.
"""

from __future__ import annotations

import random
from typing import Iterator

KINDS = ("killed", "injured", "displaced", "missing", "detained", "abducted")
QUALIFIERS = ("exact", "at_least", "approx", "at_most")
VICTIMS = ("civilians", "fighters", "security_forces", "people")
ENTITIES = ("syria_government", "syrian_opposition", "hts", "russia", "turkey", "un", "sohr", "civilians")
DATES = ("2020-01-16", "2020-01-15", "2019-12", "P9Y", "2020-01-17T05:06", "2020", "2020-01-12", "P1W")
PER_FIELD = 10


def _spans(rng: random.Random, n: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for _ in range(n):
        pos += rng.randint(5, 60)
        w = rng.randint(3, 25)
        out.append((pos, pos + w))
        pos += w
    return out


def _casualty(rng, s, e):
    q = rng.choice(QUALIFIERS)
    return {"start": s, "end": e, "text": None, "count": rng.randint(1, 50), "count_low": None,
            "count_high": None, "qualifier": q, "kind": rng.choice(KINDS), "victims": rng.choice(VICTIMS),
            "date_ref": None, "perpetrator_ref": None, "optional": False}


def _actor(rng, s, e):
    ent = rng.choice(ENTITIES)
    return {"start": s, "end": e, "text": None, "entity": ent, "type": None, "optional": False}


def _date(rng, s, e):
    v = rng.choice(DATES)
    return {"start": s, "end": e, "text": None, "value": v, "type": "DURATION" if v.startswith("P") else "DATE",
            "mod": None, "optional": False}


MAKERS = {"casualties": _casualty, "actors": _actor, "dates": _date}


def _perturb(rng: random.Random, field: str, items: list[dict]) -> list[dict]:
    out = []
    for it in items:
        r = rng.random()
        if r < 0.10:  # dropped: a false negative
            continue
        if r < 0.20:  # boundary error: shifted start
            it = {**it, "start": it["start"] + 1}
        elif r < 0.27:  # wrong value
            it = {**MAKERS[field](rng, it["start"], it["end"])}
        out.append(it)
    for _ in range(rng.randint(0, 2)):  # spurious items
        s = rng.randint(0, 2000)
        out.append(MAKERS[field](rng, s, s + rng.randint(2, 9)))
    rng.shuffle(out)
    return out


def generate(n_docs: int, *, seed: int = 0) -> Iterator[tuple[dict, dict]]:
    """Yield ``(gold_document, prediction)`` pairs, one at a time."""
    rng = random.Random(seed)
    for i in range(n_docs):
        gold: dict = {"id": f"syn-{i:07d}"}
        pred: dict = {"id": gold["id"]}
        spans = _spans(rng, 3 * PER_FIELD)
        rng.shuffle(spans)
        for k, field in enumerate(MAKERS):
            items = [MAKERS[field](rng, s, e) for s, e in spans[k * PER_FIELD:(k + 1) * PER_FIELD]]
            gold[field] = items
            pred[field] = _perturb(rng, field, items)
        yield gold, pred


def label(field: str, item: dict) -> str:
    """The nervaluate label of an item: the field and its value (so a label match is a value match)."""
    if field == "casualties":
        return f"c:{item['kind']}:{item['count']}"
    if field == "actors":
        return f"a:{item['entity']}"
    return f"d:{item['value']}"
