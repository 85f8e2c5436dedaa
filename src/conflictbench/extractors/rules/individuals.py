"""Individual victims without a quantity word (guidelines §2.1: "a named victim", count 1):
the singular subject of a passive casualty verb — "Judge Maria Ortiz was assassinated",
"THE MAYOR OF ACHI WAS KIDNAPPED", "his driver was also wounded".

The policy, on the tokens and trigger index of :mod:`.casualties`:

* the subject is the noun phrase right before a singular auxiliary ("was", "has been",
  "had been") or an intransitive trigger ("died", "lost his life"; then it must not look
  plural), skipping one or two comma-delimited appositions ("Juan Perez, 45, a farmer,
  was killed"), reached backwards over words only — a comma, a clause word ("that", "who",
  "said") or a pronoun stops it, and a pronoun alone ("he was killed") is anaphora, not a
  mention; a leading determiner ("the", "his") is left out, and so is a post-modifying "of"
  phrase ("mayor of Achi" → "mayor");
* in mixed-case text the phrase must end in a name ("local journalist Ahmed Ali") or
  follow a determiner ("his driver"); upper-case wire copy cannot tell, so any such phrase counts;
* the trigger after the auxiliary (over adverbs: "was also killed", "was found dead")
  decides ``kind``; ``detained`` needs a victim noun of the lexicon ("the town was
  captured" is no casualty);
* the same for the object of a verb in the past tense or of a nominal trigger ("gunmen
  killed journalist Ana Ruiz", "the murder of opposition leader Boris Nemtsov", "killed his
  driver"), up to a boundary word, when it is not plural and not a passive ("was killed
  today");
* count 1, qualifier ``exact``; ``victims`` from the phrase's head noun when the lexicon
  knows it, otherwise ``people``.
"""

from __future__ import annotations

from typing import Any

SINGULAR_AUX = frozenset({"was", "is"})
#: words before a quantity or trigger that make it hypothetical ("might be", "could kill")
MODALS = frozenset("might may could would can should will".split())
#: verbs before "to" that make what follows intended, not done ("threatened to kill 5")
INTENT = frozenset(
    "threatened threatening threaten threatens vowed vow plan plans planned planning want wants "
    "wanted tried trying attempted attempt intended intends".split()
)
PERFECT = frozenset({"has", "had"})
SUBJECT_CUES = SINGULAR_AUX | PERFECT | {"were"}
ADVERBS = frozenset("also reportedly allegedly later subsequently then later initially found seriously badly "
                    "critically slightly fatally mortally".split())
DETERMINERS = frozenset("the a an his her their its this that these those".split())
PRONOUNS = frozenset("he she it they who which that this one someone nobody none each another".split())
STOP = frozenset(
    "and or but when while after before said says reported according where since because if "
    "today yesterday tonight also then to by for with from in on at as than not no though although "
    "even unless whether how why what whom whose".split()
)
MAX_WORDS = 6
MAX_APPOSITION = 10
MAX_OBJECT_WORDS = 8
AUX_ALL = frozenset("was were is are be been being has have had do does did".split()) | ADVERBS
#: words that end an object noun phrase
BOUNDARY = STOP | AUX_ALL | PRONOUNS | DETERMINERS | MODALS | frozenset(
    "during near inside outside following last this early late who which that whose".split()
)
#: plural nouns not ending in -s
PLURALS = frozenset("people men women children police personnel militia staff clergy".split())


def find_individuals(index: tuple, taken: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """Individual-victim mentions as schema dicts, none overlapping a token span of
    ``taken`` (``(start, end, kind)`` of the quantity mentions already found) nor one another."""
    tk = index[0]
    mixed = tk.doc_text != tk.doc_text.upper()  # upper-case wire copy cannot show names
    found = _subjects(index, mixed) + _objects(index, mixed) + _included(index, mixed, taken)
    out, spans = [], [(s, e) for s, e, _ in taken]
    for start, end, kind, victim in sorted(found):
        if any(start < te and ts < end for ts, te in spans):
            continue
        spans.append((start, end))
        s, e = tk.start[start], tk.end[end - 1]
        out.append({"start": s, "end": e, "text": tk.doc_text[s:e], "qualifier": "exact", "count": 1,
                    "count_low": None, "count_high": None, "kind": kind, "victims": victim})
    return out


def _objects(index: tuple, mixed: bool) -> list[tuple[int, int, str, str]]:
    """The object of an active or nominal trigger: "gunmen killed *journalist Ana Ruiz*",
    "the murder of *opposition leader Boris Nemtsov*"."""
    tk, by_end, qstarts = index[0], index[4], index[5]
    out = []
    for t_end, (t, kind, role) in by_end.items():
        if role == "post" or t_end >= tk.n or t_end in qstarts:
            continue
        if intended(tk, t):
            continue
        if t_end - t == 1 and (not tk.lower[t].endswith("ed") or (t > 0 and tk.lower[t - 1] in AUX_ALL)):
            continue  # a verb in the past ("killed"), not a passive ("was killed today") nor a
            # word that is also a noun ("the massacre committed", "the kidnapping operation")
        found = _victim_after(index, t_end, kind, mixed)
        if found is not None:
            out.append(found)
    return out


def _included(index: tuple, mixed: bool, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """A named individual detailing the figure before it (§2.3 sub-counts): "three people
    were injured, including *U.S. citizen Brenda Hoover*"."""
    tk = index[0]
    out = []
    for i, word in enumerate(tk.lower):
        if word != "including" or i + 1 >= tk.n:
            continue
        before = [(e, kind) for s, e, kind in taken if e <= i]
        if not before:
            continue
        prev_end, kind = max(before)
        if any(w in ".;!?" for w in tk.lower[prev_end:i]):
            continue  # the figure is in another sentence
        found = _victim_after(index, i + 1, kind, mixed)
        if found is not None:
            out.append(found)
    return out


def _victim_after(index: tuple, t_end: int, kind: str, mixed: bool) -> tuple[int, int, str, str] | None:
    """The singular victim phrase starting at token ``t_end`` (after a trigger), or None."""
    tk, victims, qstarts = index[0], index[2], index[5]
    if t_end >= tk.n or t_end in qstarts:
        return None
    start = t_end + (1 if tk.lower[t_end] in ("the", "his", "her", "their") else 0)
    end = start
    named = name_ended = False
    while end < tk.n and end - start < MAX_OBJECT_WORDS and _wordlike(tk, end) and tk.lower[end] not in BOUNDARY:
        if mixed and named and not tk.text[end][:1].isupper():
            name_ended = True  # the name ends where lower case resumes: "Boris Nemtsov shocked"
            break
        named = named or (tk.text[end][:1].isupper() and "." not in tk.text[end])  # not "U.S."
        end += 1
    if "of" in tk.lower[start:end]:
        end = start + tk.lower[start:end].index("of")
    if end == start or end in qstarts:
        return None
    if not name_ended and end < tk.n and _wordlike(tk, end) and tk.lower[end] not in BOUNDARY:
        return None  # no clear end: too long to be one victim's phrase
    head = victims.get(end - 1) or victims.get(start)
    if _plural(tk, end - 1, mixed, victims, end - start == 1) or (kind == "detained" and head is None):
        return None
    if mixed and not tk.text[end - 1][:1].isupper() and not (end - 1 in victims and start > t_end):
        return None  # mixed case: a name, or "the/his" + a victim noun ("killed his driver")
    return start, end, kind, head[1] if head else "people"


def _wordlike(tk, i: int) -> bool:
    """A word or an abbreviation with full stops ("U.S.", "Dr.")."""
    return tk.alpha[i] or (len(tk.text[i]) > 1 and tk.text[i].replace(".", "").isalpha())


def intended(tk, start: int) -> bool:
    """The trigger at token ``start`` is hypothetical or intended (§2.2): "could kill",
    "threatened to kill"."""
    if start < 1:
        return False
    if tk.lower[start - 1] in MODALS:
        return True
    return tk.lower[start - 1] == "to" and start >= 2 and tk.lower[start - 2] in INTENT


def _plural(tk, i: int, mixed: bool, victims: dict, single: bool = True) -> bool:
    """The phrase ending at token ``i`` looks plural ("villagers", "people"); a capitalised
    word in mixed case, or the last of several words outside the lexicon in upper case,
    is read as a name ("Flores")."""
    word = tk.lower[i]
    if word in PLURALS or (word.endswith("s") and i in victims):
        return True
    if not word.endswith("s"):
        return False
    return not (tk.text[i][:1].isupper() if mixed else not single)


def _subjects(index: tuple, mixed: bool) -> list[tuple[int, int, str, str]]:
    tk, victims, by_start = index[0], index[2], index[3]
    out = []
    candidates = [i for i, w in enumerate(tk.lower) if w in SUBJECT_CUES] + [i for i in by_start if i > 0]
    for i in sorted(set(candidates)):
        word = tk.lower[i]
        if i == 0:
            continue
        if word in SINGULAR_AUX or (word == "were" and i >= 2 and "and" in tk.lower[max(0, i - 8) : i - 1]):
            j = i + 1  # "were" after a conjunction: the last conjunct of a list of victims
        elif word in PERFECT and i + 1 < tk.n and tk.lower[i + 1] == "been":
            j = i + 2  # "has been killed"
        elif i in by_start and by_start[i][2] == "post" and (word.endswith("ed") or word == "lost"):
            j = i  # an intransitive trigger: "Inspector Juan Flores died", "lost his life"
        else:
            continue
        while j < tk.n and tk.lower[j] in ADVERBS:
            j += 1
        if j >= tk.n or j not in by_start or by_start[j][2] == "pre":
            continue
        kind = by_start[j][1]
        phrase = _subject(tk, i)
        if phrase is None:
            continue
        start, end = phrase
        head = victims.get(end - 1) or victims.get(start)
        if kind == "detained" and head is None:
            continue
        conj = start - 2 if tk.lower[start - 1] in DETERMINERS else start - 1
        if word == "were" and (tk.lower[conj] != "and" or _plural(tk, end - 1, mixed, victims, end - start == 1)):
            continue  # "..., a judge and Senator Luis Galan were killed" only
        if j == i and _plural(tk, end - 1, mixed, victims, end - start == 1):
            continue  # "villagers died": no number, no individual
        if mixed and not _named_or_determined(tk, start, end):
            continue
        out.append((start, end, kind, head[1] if head else "people"))
    return out


def _subject(tk, aux: int) -> tuple[int, int] | None:
    """Token span of the noun phrase ending right before ``aux`` (or before a
    comma-delimited apposition and an age: "Juan Perez, 45, a farmer, was killed"), or None."""
    end = aux
    if end >= 1 and tk.text[end - 1] == ",":
        opening = next((m for m in range(end - 2, max(-1, end - 2 - MAX_APPOSITION), -1) if tk.text[m] == ","), None)
        if opening is None or any(tk.text[m] in ".;!?" or tk.lower[m] in PRONOUNS for m in range(opening, end)):
            return None  # no apposition, or a relative clause ("X, who was ...")
        end = opening
    if end >= 2 and tk.text[end - 1].isdigit() and tk.text[end - 2] == ",":
        end -= 2  # an age: "Juan Perez, 45,"
    k = end - 1
    while k >= 0 and end - k <= MAX_WORDS and tk.alpha[k] and tk.lower[k] not in STOP | DETERMINERS | PRONOUNS:
        k -= 1
    start = k + 1
    if start >= end:
        return None
    if "of" in tk.lower[start:end]:
        end = start + tk.lower[start:end].index("of")
    if start >= end or (k >= 0 and tk.alpha[k] and tk.lower[k] not in STOP | DETERMINERS):
        return None  # too long, or a pronoun right before: not a phrase of its own
    return start, end


def _named_or_determined(tk, start: int, end: int) -> bool:
    if start > 0 and tk.lower[start - 1] in DETERMINERS:
        return True
    return tk.text[end - 1][:1].isupper()  # ends in a name: "local journalist Ahmed Ali"
