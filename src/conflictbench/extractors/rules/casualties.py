"""Casualty mentions from a tokenised ``Doc``: a quantity phrase, an optional victim noun
phrase, and a trigger word that says what happened to them.

The three kinds of pieces are token patterns kept as data (see :mod:`.patterns`); this
module holds only the policy that puts them together, from the annotation conventions:

* the span is the quantity with its qualifier and victim noun phrase ("At least 12
  soldiers", "Eleven police officers and allied militiamen", "350,000" without a noun);
  the trigger is outside the span and decides ``kind``;
* plural nationality nouns ("Yemenis", "Sudanese") are victim nouns of type ``people``;
* up to three free modifiers may stand between the quantity and the victim noun
  ("23 unarmed Rohingya"); a second victim noun joined by "and" extends the span;
* a trigger *after* the phrase may be reached over auxiliaries and adverbs ("were also
  killed", "are reported dead", "who fled", "to flee"), and over one comma-delimited
  apposition ("30,000 Sudanese, mostly women, have fled") — but a transitive verb there
  must be passive ("one that killed the driver" is an agent, not a victim); otherwise a
  trigger right *before* the quantity ("the raid killed 12", "the death toll rose to 40");
* a negated quantity ("no one was hurt") is not a casualty, nor an age ("12-year-old", or a
  bare number in commas after a name: "Juan Perez, 45, was killed"), nor a figure that
  combines two kinds ("killed or wounded"), nor a hypothetical one ("might be dead");
* an individual is a quantity of one when a victim noun follows ("a man", "an aid worker",
  "a 12-year-old boy": an age is a modifier of the victim noun);
* conjoined quantities share the trigger ("four soldiers and two rebels were killed",
  "killed four soldiers and two rebels": two mentions), and a sub-count after "including"
  / "among them" takes the kind of the figure it details (guidelines §2.3);
* a quantity inside a temporal expression ("24 hours") is not a casualty.
"""

from __future__ import annotations

import re
from typing import Any

from .individuals import MODALS, find_individuals, intended
from .numbers import QUALIFIER_PHRASES, TRAILING_TOKENS, parse_quantity, qualifier_start
from .patterns import PARTS, load_casualty_matcher
from .tokens import AGE_UNITS, Tokens, age_end as _age_end, is_age as _is_age

__all__ = ["Tokens", "casualty_at", "find_casualties", "index_matches", "load_casualty_matcher"]

#: words that may stand between a casualty phrase and its trigger
POST_GAP = frozenset(
    "were was are is have has had been be being also reportedly all who that which both "
    "allegedly later already now still to initially subsequently since mostly among them "
    "believed said reported thought confirmed presumed found left slightly seriously "
    "critically badly gravely fatally mortally brutally reportedly apparently".split()
)

AUXILIARIES = frozenset("were was are is have has had been be being".split())
RELATIVES = frozenset("who that which".split())
#: words that open the object of an active verb ("killed *the* driver", "killed *two* ...")
OBJECT_STARTS = frozenset(
    "the a an his her their its two three four five six seven eight nine ten dozens hundreds "
    "thousands several more nearly".split()
)
#: words that negate a quantity ("no one was hurt")
NEGATIONS = frozenset("no not none nobody".split())
#: words that may stand between a trigger and the quantity after it
PRE_GAP = frozenset("another a an further additional the".split())
#: words that are never free modifiers of a victim noun
NOT_MODIFIER = POST_GAP | PRE_GAP | frozenset(
    "and or of in on at by for with from into than as after before during ago days weeks months "
    "years hours minutes".split()  # "a few days ago" is a date, not a victim noun
)
MAX_MODIFIERS = 3
#: plural nationality nouns (an open class, so a regex rather than a word list): victims "people"
_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]{2,}(?:ians|ans|is|ese)$")
MAX_APPOSITION = 8
#: words after a conjoined phrase that end its clause (so it has no verb of its own)
CLAUSE_BOUNDARY = frozenset(
    "in on at near during when while as after before and including among from by with "
    "yesterday today overnight inside outside across".split()
)


def _trigger_index(matches) -> tuple[dict[int, tuple[int, str, str]], dict[int, tuple[int, str, str]]]:
    by_start: dict[int, tuple[int, str, str]] = {}
    by_end: dict[int, tuple[int, str, str]] = {}
    for label, start, end in matches:
        kind, _, role = label.partition("@")
        if role != "pre" and (start not in by_start or end > by_start[start][0]):
            by_start[start] = (end, kind, role)
        if role != "post" and (end not in by_end or start < by_end[end][0]):
            by_end[end] = (start, kind, role)
    return by_start, by_end


def _is_modifier(tk: Tokens, i: int) -> bool:
    return (tk.alpha[i] or tk.text[i] == "-") and tk.lower[i] not in NOT_MODIFIER


def _quantity_at(tk: Tokens, q: int, qstarts: frozenset[int] | set[int]) -> bool:
    """A quantity (with or without a qualifier in front) starts at token ``q``."""
    if q in qstarts:
        return True
    return any(" ".join(tk.lower[q : q + n]) in QUALIFIER_PHRASES and q + n in qstarts for n in (1, 2, 3))


def _victim_phrase(
    tk: Tokens, qend: int, victims: dict[int, tuple[int, str]], triggers: dict, qstarts: frozenset[int] = frozenset()
) -> tuple[int, str]:
    """(end token, victim type) of the noun phrase after a quantity ending at ``qend``."""
    p = qend
    for _ in range(MAX_MODIFIERS + 1):
        if p >= tk.n or p in triggers:
            break
        age = _age_end(tk, p)
        if age is not None:  # "a 12-year-old boy": the age is a modifier
            p = age
            continue
        found = victims.get(p)
        if found is None and p + 1 not in victims and _DEMONYM_PLURAL.match(tk.text[p]):
            found = (p + 1, "people")  # "350 Yemenis", "2,000 Sudanese"
        if found is not None:
            end, label = found
            q = end  # the head may come later: "two other diplomatic officials", "a police commander"
            while q < tk.n and q - end < 2 and q not in victims and q not in triggers and _is_modifier(tk, q):
                q += 1
            if q in victims:
                end, label = victims[q]
            elif q > end and q < tk.n and (q in triggers or tk.lower[q] in AUXILIARIES or tk.text[q] in ",;:()"):
                end = q
            if end < tk.n and tk.lower[end] == "and":  # "troops and allied militia"
                q = end + 1
                for _ in range(3):
                    if _quantity_at(tk, q, qstarts):
                        break  # "four soldiers and two rebels": a second mention
                    if q in victims:
                        end = victims[q][0]
                        break
                    if q >= tk.n or not _is_modifier(tk, q) or q in triggers:
                        break
                    q += 1
            return end, label
        if not _is_modifier(tk, p):
            break
        p += 1
    # an unlisted noun ("50 miners") ends the phrase when a trigger or auxiliary follows it
    follows = p >= tk.n or p in triggers or tk.lower[p] in AUXILIARIES or tk.lower[p] in CLAUSE_BOUNDARY
    follows = follows or (p < tk.n and not tk.text[p][:1].isalnum() and tk.text[p] not in "-/'")
    if MAX_MODIFIERS + 4 > p - qend > 0 and follows:
        if all(tk.alpha[k] or tk.text[k][:1].isdigit() or "-" in tk.text[k] for k in range(qend, p)):
            return p, "people"
    return qend, "people"


def _object_follows(tk: Tokens, i: int) -> bool:
    if i >= tk.n:
        return False
    if tk.lower[i] in OBJECT_STARTS or tk.text[i][:1].isdigit():
        return True
    return tk.lower[i] == "at" and i + 1 < tk.n and tk.lower[i + 1] == "least"


def _post_trigger(tk: Tokens, p: int, triggers: dict) -> str | None:
    """The kind of the trigger after a casualty phrase ending at token ``p``, or None.

    A verb that also takes an object ("killed", "abducted") names what happened to the
    phrase only in the passive or as a participle: after a relative pronoun it needs an
    auxiliary ("12 who were killed", not "one that killed"), and straight after the phrase
    it must not be followed by its own object ("3 gunmen killed 5 people").
    """
    steps = 0
    relative = auxiliary = False
    while p < tk.n and steps < 10:
        if p in triggers:
            end, kind, role = triggers[p]
            if role != "post" and not auxiliary:
                if relative or _object_follows(tk, end):
                    return None
            if end + 1 < tk.n and tk.lower[end] in ("or", "and") and end + 1 in triggers:
                other_end, other, _ = triggers[end + 1]
                if other != kind and not _object_follows(tk, other_end):
                    return None  # "30 people were killed or wounded": a combined figure
            return kind
        word = tk.lower[p]
        if word in POST_GAP:
            relative = relative or word in RELATIVES
            auxiliary = auxiliary or word in AUXILIARIES
            p += 1
        elif tk.text[p] == "(":  # a parenthesis, like a comma apposition: "(three soldiers and ...)"
            close = next((j for j in range(p + 1, min(tk.n, p + 1 + MAX_APPOSITION)) if tk.text[j] == ")"), None)
            if close is None:
                return None
            p = close + 1
        elif tk.text[p] == ")":
            p += 1  # the end of the parenthesis the phrase stands in
        elif tk.text[p] == ",":
            close = next((j for j in range(p + 1, min(tk.n, p + 1 + MAX_APPOSITION)) if tk.text[j] == ","), None)
            if close is None or any(tk.text[j] in ".;!?" or "\n" in tk.text[j] for j in range(p, close)):
                return None
            p = close + 1
        else:
            return None
        steps += 1
    return None


def _pre_trigger(tk: Tokens, qstart: int, by_end: dict) -> str | None:
    p = qstart
    for _ in range(2):
        if p in by_end:
            start, kind, _ = by_end[p]
            if intended(tk, start):
                return None  # "could kill 5", "threatened to kill 5": not casualties (§2.2)
            if start >= 2 and tk.lower[start - 1] in ("or", "and") and start - 1 in by_end:
                if by_end[start - 1][1] != kind:
                    return None  # "killed or wounded 30 people": a combined figure
            return kind
        if p - 1 >= 0 and tk.lower[p - 1] in PRE_GAP:
            p -= 1
        else:
            break
    return by_end[p][1] if p in by_end else None


def index_matches(doc, matcher: Any, text: str | None = None, *, tokens: Tokens | None = None) -> tuple:
    """(tokens, quantity matches, victims by start, triggers by start, triggers by end,
    quantity start tokens)."""
    strings = doc.vocab.strings
    parts: dict[str, list] = {p: [] for p in PARTS}
    for key, start, end in matcher(doc):
        part, _, label = strings[key].partition("|")
        parts[part].append((label, start, end))
    victims: dict[int, tuple[int, str]] = {}
    for label, start, end in parts["victims"]:
        if start not in victims or end > victims[start][0]:
            victims[start] = (end, label)
    by_start, by_end = _trigger_index(parts["triggers"])
    tk = tokens if tokens is not None else Tokens(doc, text)
    qstarts = frozenset(start for _, start, _ in parts["quantities"])
    return tk, parts["quantities"], victims, by_start, by_end, qstarts


def _chars(tk: Tokens, start: int, end: int) -> tuple[int, int, str]:
    s, e = tk.start[start], tk.end[end - 1]
    return s, e, tk.doc_text[s:e]


def _phrase(qstart: int, qend: int, index: tuple) -> tuple[int, str, Any] | None:
    """(end token, victim type, quantity) of the phrase whose quantity is ``[qstart, qend)``,
    or None when it is no casualty phrase whatever follows."""
    tk, _quantities, victims, by_start, _by_end, qstarts = index[:6]
    if qstart > 0 and tk.lower[qstart - 1] in NEGATIONS:
        return None  # "no one was injured": no casualty
    if (qstart >= 1 and tk.lower[qstart - 1] in MODALS) or (qstart >= 2 and tk.lower[qstart - 2] in MODALS):
        return None  # "there might be many people wounded": hypothetical
    if _is_age(tk, qend) or (qend < tk.n and tk.text[qend - 1].endswith("-") and tk.lower[qend].rstrip("-") in AGE_UNITS):
        return None  # "a 12-year-old boy": an age, not a count
    qty = parse_quantity(_chars(tk, qstart, qend)[2])
    if qty is None:
        return None
    end, victim_type = _victim_phrase(tk, qend, victims, by_start, qstarts)
    if end == qend and tk.lower[qend - 1] in ("a", "an"):
        return None  # an individual needs a victim noun: "a man", "an aid worker"
    if end == qend and 0 < qstart and tk.text[qstart - 1] == "," and end < tk.n and tk.text[end] == ",":
        if tk.text[qstart].isdigit() and qend == qstart + 1:
            return None  # "Juan Perez, 45, was killed": an age in apposition
    return end, victim_type, qty


def _forward_kind(end: int, index: tuple, chosen: dict[int, int], depth: int = 0) -> str | None:
    """The kind of a conjoined phrase after ``end`` that has its own trigger after it:
    "four soldiers *and two rebels were killed*"."""
    tk, by_start = index[0], index[3]
    if end >= tk.n or tk.lower[end] not in ("and", ",") or depth > 3:
        return None
    q = end + 2 if tk.text[end] == "," and end + 1 < tk.n and tk.lower[end + 1] == "and" else end + 1
    if q not in chosen:  # a last conjunct without a number: "..., and Senator Luis Galan were killed"
        q = e = q + (q < tk.n and tk.lower[q] in ("the", "his", "her", "their"))
        while e < tk.n and e - q < MAX_MODIFIERS + 4 and tk.alpha[e] and tk.lower[e] not in NOT_MODIFIER:
            e += 1
        return _post_trigger(tk, e, by_start) if e > q else None
    found = _phrase(q, chosen[q], index)
    if found is None:
        return None
    return _post_trigger(tk, found[0], by_start) or _forward_kind(found[0], index, chosen, depth + 1)


def _inherited_kind(tk: Tokens, qstart: int, end: int, prev: tuple[int, str] | None) -> str | None:
    """The kind of the mention just before (ending at token ``prev[0]``) when this phrase
    details it ("40 people were killed, including five children") or is conjoined to it
    with no verb of its own ("killed four soldiers and two rebels in ...")."""
    if prev is None:
        return None
    prev_end, kind = prev
    between = tk.lower[prev_end:qstart]
    if any(w in ".;!?" or "\n" in w for w in between):
        return None
    if between[-1:] in (["including"], ["them"]) or between[-2:] == ["among", "them"]:
        return kind  # a sub-count: a separate mention of the same kind (§2.3)
    if between in (["and"], [","], [",", "and"]):
        nxt = tk.lower[end] if end < tk.n else "."
        if not nxt.isalpha() or nxt in CLAUSE_BOUNDARY:
            return kind
    return None


def casualty_at(qstart: int, qend: int, index: tuple) -> dict[str, Any] | None:
    """The casualty mention whose quantity is tokens ``[qstart, qend)``, or None when the
    quantity does not parse or no trigger says what happened."""
    found = _mention(qstart, qend, index)
    return None if found is None else found[0]


def _mention(qstart: int, qend: int, index: tuple, chosen: dict[int, int] | None = None,
             prev: tuple[int, str] | None = None) -> tuple[dict[str, Any], int] | None:
    """(mention, end token), as :func:`casualty_at`; ``chosen`` (quantity start → end) and
    ``prev`` (end token and kind of the mention before) let conjoined phrases and
    sub-counts share a trigger."""
    tk, by_start, by_end = index[0], index[3], index[4]
    found = _phrase(qstart, qend, index)
    if found is None:
        return None
    end, victim_type, qty = found
    kind = _post_trigger(tk, end, by_start) or _pre_trigger(tk, qstart, by_end)
    if kind is None and chosen:
        kind = _forward_kind(end, index, chosen)
    if kind is None:
        kind = _inherited_kind(tk, qstart, end, prev)
    if kind is None:
        return None
    s, e, text = _chars(tk, qstart, end)
    return {"start": s, "end": e, "text": text, **qty.to_dict(), "kind": kind, "victims": victim_type}, end


TRAILING_FIRST = frozenset(words[0] for words in TRAILING_TOKENS)


def _with_trailing_qualifier(tk: Tokens, start: int, end: int) -> int:
    """Extend a quantity's end over a qualifier after it ("40 or more", "30-plus")."""
    if end >= tk.n or tk.lower[end] not in TRAILING_FIRST:
        return end
    for words in TRAILING_TOKENS:
        if tuple(tk.lower[end : end + len(words)]) == words:
            if parse_quantity(_chars(tk, start, end + len(words))[2]) is not None:
                return end + len(words)
    return end


def find_casualties(
    doc, matcher: Any, blocked: list[tuple[int, int]] = (), *, text: str | None = None, tokens: Tokens | None = None
) -> list[dict[str, Any]]:
    """Casualty mentions of ``doc`` as schema dicts (character offsets), in text order,
    never overlapping.

    ``matcher`` is :func:`load_casualty_matcher`'s; ``blocked`` lists character spans
    (temporal expressions) no quantity may overlap; ``text`` is ``doc.text`` when known.
    """
    index = index_matches(doc, matcher, text, tokens=tokens)
    tk = index[0]
    longest: dict[int, list[int]] = {}  # start → candidate ends, longest first
    for label, start, end in index[1]:
        if label == "QUANTITY":
            longest.setdefault(start, []).append(end)
    chosen: dict[int, int] = {}
    for start in sorted(longest):
        for end in sorted(set(longest[start]), reverse=True):
            qstart = start if tk.lower[start] == "between" else qualifier_start(tk.lower, start)
            s, e, text = _chars(tk, qstart, end)
            if any(s < be and bs < e for bs, be in blocked):
                continue
            if parse_quantity(text) is not None:
                end = _with_trailing_qualifier(tk, qstart, end)
                if chosen.get(qstart, -1) < end:
                    chosen[qstart] = end
                break
    out = []
    last_end = -1
    prev: tuple[int, str] | None = None
    taken: list[tuple[int, int, str]] = []
    for qstart, end in sorted(chosen.items(), key=lambda c: (c[0], -c[1])):  # longest, non-overlapping
        if qstart < last_end:
            continue
        found = _mention(qstart, end, index, chosen, prev)
        last_end = end
        if found is not None:
            mention, last_end = found
            prev = (last_end, mention["kind"])
            out.append(mention)
            taken.append((qstart, last_end, mention["kind"]))
    out += find_individuals(index, taken)  # "Judge Maria Ortiz was assassinated"
    return sorted(out, key=lambda m: m["start"])
