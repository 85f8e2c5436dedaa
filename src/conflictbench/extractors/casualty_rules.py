"""Casualty mentions from a tokenised ``Doc``: a quantity phrase, an optional victim noun
phrase, and a trigger word that says what happened to them.

The three kinds of pieces are token patterns kept as data (see :mod:`.patterns`); this
module holds only the policy that puts them together, from the annotation conventions:

* the span is the quantity with its qualifier and victim noun phrase ("At least 12
  soldiers", "Eleven police officers and allied militiamen", "350,000" without a noun);
  the trigger is outside the span and decides ``kind``;
* up to three free modifiers may stand between the quantity and the victim noun
  ("23 unarmed Rohingya"); a second victim noun joined by "and" extends the span;
* a trigger *after* the phrase may be reached over auxiliaries and adverbs ("were also
  killed", "are feared dead", "who fled", "to flee"), and over one comma-delimited
  apposition ("30,000 Sudanese, mostly women, have fled"); otherwise a trigger right
  *before* the quantity ("the raid killed 12", "the death toll rose to 40");
* a quantity inside a temporal expression ("24 hours") is not a casualty.
"""

from __future__ import annotations

from typing import Any, Iterable

from .numbers import parse_quantity

#: words that may stand between a casualty phrase and its trigger
POST_GAP = frozenset(
    "were was are is have has had been be being also reportedly all who that which both "
    "allegedly later already now still to initially subsequently since mostly among them "
    "believed feared said reported thought confirmed presumed found left".split()
)
#: words that may stand between a trigger and the quantity after it
PRE_GAP = frozenset("another a an further additional the".split())
#: words that are never free modifiers of a victim noun
NOT_MODIFIER = POST_GAP | PRE_GAP | frozenset(
    "and or of in on at by for with from into than as after before during".split()
)
MAX_MODIFIERS = 3
MAX_APPOSITION = 8


def _spans_by_start(matches: Iterable[tuple[int, int, int]], strings: Any) -> dict[int, tuple[int, str]]:
    """start token → (end, label) of the longest match starting there."""
    out: dict[int, tuple[int, str]] = {}
    for key, start, end in matches:
        if start not in out or end > out[start][0]:
            out[start] = (end, strings[key])
    return out


def _trigger_index(matches, strings) -> tuple[dict[int, tuple[int, str, str]], dict[int, tuple[int, str, str]]]:
    by_start: dict[int, tuple[int, str, str]] = {}
    by_end: dict[int, tuple[int, str, str]] = {}
    for key, start, end in matches:
        kind, _, role = strings[key].partition("@")
        if role != "pre" and (start not in by_start or end > by_start[start][0]):
            by_start[start] = (end, kind, role)
        if role != "post" and (end not in by_end or start < by_end[end][0]):
            by_end[end] = (start, kind, role)
    return by_start, by_end


def _is_modifier(token: Any) -> bool:
    return (token.is_alpha or token.text == "-") and token.lower_ not in NOT_MODIFIER


def _victim_phrase(doc, qend: int, victims: dict[int, tuple[int, str]], triggers: dict) -> tuple[int, str]:
    """(end token, victim type) of the noun phrase after a quantity ending at ``qend``."""
    p = qend
    for _ in range(MAX_MODIFIERS + 1):
        if p >= len(doc) or p in triggers:
            break
        if p in victims:
            end, label = victims[p]
            if end < len(doc) and doc[end].lower_ == "and":  # "troops and allied militia"
                q = end + 1
                for _ in range(3):
                    if q in victims:
                        end = victims[q][0]
                        break
                    if q >= len(doc) or not _is_modifier(doc[q]) or q in triggers:
                        break
                    q += 1
            return end, label
        if not _is_modifier(doc[p]):
            break
        p += 1
    # an unlisted noun ("50 miners") ends the phrase when a trigger or auxiliary follows it
    if MAX_MODIFIERS > p - qend > 0 and p < len(doc) and (p in triggers or doc[p].lower_ in POST_GAP):
        if all(doc[k].is_alpha for k in range(qend, p)):
            return p, "people"
    return qend, "people"


def _post_trigger(doc, p: int, triggers: dict) -> str | None:
    steps = 0
    while p < len(doc) and steps < 10:
        if p in triggers:
            return triggers[p][1]
        tok = doc[p]
        if tok.lower_ in POST_GAP:
            p += 1
        elif tok.text == ",":
            close = next(
                (j for j in range(p + 1, min(len(doc), p + 1 + MAX_APPOSITION)) if doc[j].text == ","),
                None,
            )
            if close is None or any(doc[j].text in ".;!?" or "\n" in doc[j].text for j in range(p, close)):
                return None
            p = close + 1
        else:
            return None
        steps += 1
    return None


def _pre_trigger(doc, qstart: int, by_end: dict) -> str | None:
    p = qstart
    for _ in range(2):
        if p in by_end:
            return by_end[p][1]
        if p - 1 >= 0 and doc[p - 1].lower_ in PRE_GAP:
            p -= 1
        else:
            break
    return by_end[p][1] if p in by_end else None


def index_matches(doc, matchers: dict[str, Any]) -> tuple[dict, dict, dict]:
    """(victims by start, triggers by start, triggers by end) of ``doc``."""
    strings = doc.vocab.strings
    victims = _spans_by_start(matchers["victims"](doc), strings)
    by_start, by_end = _trigger_index(matchers["triggers"](doc), strings)
    return victims, by_start, by_end


def casualty_at(doc, qstart: int, qend: int, index: tuple[dict, dict, dict]) -> dict[str, Any] | None:
    """The casualty mention whose quantity is ``doc[qstart:qend]``, or None when the
    quantity does not parse or no trigger says what happened."""
    victims, by_start, by_end = index
    qty = parse_quantity(doc[qstart:qend].text)
    if qty is None:
        return None
    end, victim_type = _victim_phrase(doc, qend, victims, by_start)
    kind = _post_trigger(doc, end, by_start) or _pre_trigger(doc, qstart, by_end)
    if kind is None:
        return None
    span = doc[qstart:end]
    return {
        "start": span.start_char,
        "end": span.end_char,
        "text": span.text,
        **qty.to_dict(),
        "kind": kind,
        "victims": victim_type,
    }


def find_casualties(doc, matchers: dict[str, Any], blocked: list[tuple[int, int]] = ()) -> list[dict[str, Any]]:
    """Casualty mentions of ``doc`` as schema dicts (character offsets), in text order.

    ``matchers`` holds the compiled ``quantities``, ``victims`` and ``triggers`` matchers;
    ``blocked`` lists character spans (temporal expressions) no quantity may overlap.
    """
    from spacy.util import filter_spans

    quantities = []
    for _key, start, end in matchers["quantities"](doc):
        span = doc[start:end]
        if any(span.start_char < e and s < span.end_char for s, e in blocked):
            continue
        if parse_quantity(span.text) is not None:
            quantities.append(span)
    index = index_matches(doc, matchers)
    out = []
    for q in filter_spans(quantities):
        found = casualty_at(doc, q.start, q.end, index)
        if found is not None:
            out.append(found)
    return out
