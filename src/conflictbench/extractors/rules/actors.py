"""Actor mentions: EntityRuler patterns from the corpus actor registry plus general patterns
for unnamed parties, and the policy that turns matches into schema mentions.

Policy (from the annotation conventions, not from any one article):

* the span is the name or designation without a leading article ("the regime" → "regime");
* registry names match case-sensitively (so the alias "IS" never matches the verb "is");
  a lower-case alias also matches capitalised at a sentence start, and every name matches
  in upper case (headlines, wire copy);
* a demonym alias ("Russian", "Sudanese") is a mention only where it names a party: before
  a party noun ("Russian jets", "Russian and Syrian jets", "Turkish troops") or a
  "-backed/-led/-steered" compound; geographic uses ("the Turkish border") are not;
* a state's place name after a locative preposition ("talks in Ankara") is geographic;
* *generic* designations — lower-case descriptions such as "government troops", "the
  regime", "rebels", "militants" — name different parties in different articles, so they
  resolve through the document (guidelines §3.4): government designations to the state
  whose government the document names explicitly most often (title included); opposition
  designations ("rebels", "militants", "rebel" in "rebel-held") to that state's collective
  opposition — the armed group the registry gives for "rebels" and that shares the state's
  country adjective ("Syrian …"); anything that stays unresolved is not predicted (an
  actor prediction needs a registry id);
* a role noun after a name is left out when the name alone resolves to the same entity
  ("UN officials" → "UN", guidelines §3.3).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ...actors import ActorRegistry

ARTICLES = frozenset({"the", "a", "an"})
PARTY_NOUNS = frozenset(
    "jets warplanes aircraft planes helicopters drones forces troops soldiers army military "
    "navy police officials authorities government regime officers artillery strikes airstrikes "
    "air bombardment bombing bombers shelling missiles missile offensive president minister "
    "ministry embassy diplomats delegation side leader leaders mercenaries militia militias "
    "defence defense intelligence commanders special-forces warships tanks".split()
)
COMPOUND_VERBS = frozenset("backed led steered brokered supported sponsored allied funded armed".split())
LOCATIVE = frozenset("in into from near across inside throughout within towards toward outside".split())
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ican|ish|ese|i)$")  # Syrian, Korean, Turkish, Yemeni
_STATES = ("state_forces", "foreign_state")
#: heads that denote the party's people in a role, not the party (guidelines §3.3)
ROLE_NOUNS = frozenset(
    "official officials spokesman spokeswoman spokesperson envoy envoys leader leaders chief "
    "head commander commanders minister ministers ambassador representative representatives".split()
)
#: party nouns that name the party also as modifiers ("rebel-held", "opposition enclave")
MODIFIER_PARTIES = frozenset({"rebel", "opposition"})
FUNCTION_WORDS = frozenset(
    "to of in on at by for with from and or but the a an is was were are has have had that "
    "which who said says".split()
)
#: generic names of a conflict's collective opposition, tried in the registry
OPPOSITION_WORDS = ("rebels", "opposition fighters", "opposition", "insurgents")


def is_demonym(text: str) -> bool:
    return bool(_DEMONYM.match(text))


def _names(registry: ActorRegistry):
    for actor in registry.actors.values():
        for name in (actor.name, *actor.aliases):
            words = name.split()
            if len(words) > 1 and words[0].lower() in ARTICLES:
                name = " ".join(words[1:])
            yield actor, name


def registry_patterns(registry: ActorRegistry) -> list[dict[str, Any]]:
    """EntityRuler phrase patterns (label ``ACTOR``, id = entity) for every name and alias."""
    out, seen = [], set()
    for actor, name in _names(registry):
        variants = [name, name.upper()]  # upper case: headlines and wire copy
        if name[:1].islower():
            variants.append(name[:1].upper() + name[1:])
        for v in variants:
            if (v, actor.id) not in seen:
                seen.add((v, actor.id))
                out.append({"label": "ACTOR", "id": actor.id, "pattern": v})
    return out


def _sentence_initial(tk, i: int) -> bool:
    if i == 0:
        return True
    prev = tk.text[i - 1]
    return prev in {".", "!", "?", '"', "\u201c", ":"} or prev.isspace()


def _generic(tk, start: int, end: int) -> bool:
    """A designation written in lower case (sentence-initial capital aside)."""
    for i in range(start, end):
        t = tk.text[i]
        if t == t.lower():
            continue
        initial = i == start and _sentence_initial(tk, i) and t[1:] == t[1:].lower()
        if not initial or is_demonym(t):
            return False
    return True


def _names_party(tk, i: int) -> bool:
    """Whether the demonym at token ``i`` stands for a party (see the module docstring)."""
    j = i + 1
    if j + 1 < tk.n and tk.text[j] == "-" and tk.lower[j + 1] in COMPOUND_VERBS:
        return True
    for _ in range(6):
        if j >= tk.n:
            return False
        if tk.lower[j] in {"and", ",", "or"} or is_demonym(tk.text[j]):
            j += 1
            continue
        return tk.lower[j] in PARTY_NOUNS
    return False


def _modifies(tk, i: int) -> bool:
    """Whether token ``i`` continues a noun phrase ("rebel-held", "opposition enclave")."""
    return i < tk.n and (tk.text[i] == "-" or (tk.alpha[i] and tk.lower[i] not in FUNCTION_WORDS))


def _country_key(registry: ActorRegistry, entity: str | None) -> str | None:
    actor = registry.get(entity) if entity else None
    return actor.name.split()[0] if actor else None


def trim_mention(tk, start: int, end: int, registry: ActorRegistry, entity: str | None) -> tuple[int, int]:
    """The mention's token span without a leading article, and without a trailing role
    noun when the rest names the same entity ("the UN officials" → "UN")."""
    while end - start > 1 and tk.lower[start] in ARTICLES:
        start += 1
    if entity is not None and end - start > 1 and tk.lower[end - 1] in ROLE_NOUNS:
        if registry.resolve(tk.doc_text[tk.start[start] : tk.end[end - 2]]) == entity:
            end -= 1
    return start, end


def is_geographic(tk, start: int, end: int, actor) -> bool:
    """A state's demonym not naming a party ("the Turkish border"), or its place name after
    a locative preposition ("talks in Ankara")."""
    if actor is None or actor.type not in _STATES:
        return False
    text = tk.doc_text[tk.start[start] : tk.end[end - 1]]
    if end - start == 1 and is_demonym(text) and text != actor.name:  # "Mali" is a name
        return not _names_party(tk, start)
    return (
        not is_demonym(text)
        and all(tk.text[k][:1].isupper() for k in range(start, end))
        and start > 0
        and tk.lower[start - 1] in LOCATIVE
    )


def _candidates(doc, tk, registry: ActorRegistry):
    """(start, end, label, ent_id) of the ruler's matches, trimmed, with geographic uses
    of demonyms and place names and non-modifier uses of "opposition" dropped."""
    for ent in doc.ents:
        ent_id = ent.ent_id_ or None
        start, end = trim_mention(tk, ent.start, ent.end, registry, ent_id if ent.label_ == "ACTOR" else None)
        if ent.label_ == "PARTY" and end - start == 1 and tk.lower[start] in MODIFIER_PARTIES:
            if not _modifies(tk, end):
                continue  # "opposition to the plan": not the party
        if ent.label_ == "ACTOR" and is_geographic(tk, start, end, registry.get(ent_id)):
            continue
        yield start, end, ent.label_, ent_id


def document_state(tk, registry: ActorRegistry, candidates, title: str = "") -> str | None:
    """The state whose government the document names explicitly most often (title included)."""
    counts: Counter[str] = Counter()
    for start, end, label, ent_id in candidates:
        actor = registry.get(ent_id) if label == "ACTOR" else None
        if actor is not None and actor.type == "state_forces" and not _generic(tk, start, end):
            counts[actor.id] += 1
    if title:
        for actor_id, pattern in _state_title_patterns(registry):
            counts[actor_id] += len(pattern.findall(title))
    counts = Counter({k: v for k, v in counts.items() if v > 0})
    if not counts:
        return None
    best = max(counts.values())
    return next(k for k, v in counts.items() if v == best)


_TITLE_PATTERNS: dict[int, tuple[ActorRegistry, list[tuple[str, "re.Pattern[str]"]]]] = {}


def _state_title_patterns(registry: ActorRegistry) -> list[tuple[str, "re.Pattern[str]"]]:
    """(entity, compiled ``\\bname\\b``) of every capitalised state-forces name, compiled once per
    registry: never left to the ``re`` module's cache, which another library may shrink
    (numpy's f2py sets ``re._MAXCACHE = 50``) and which ~300 names per document would evict."""
    hit = _TITLE_PATTERNS.get(id(registry))
    if hit is not None and hit[0] is registry:
        return hit[1]
    patterns = [(actor.id, re.compile(r"\b" + re.escape(name) + r"\b")) for actor, name in _names(registry)
                if actor.type == "state_forces" and name != name.lower()]
    if len(_TITLE_PATTERNS) >= 8:  # a few registries per process; keep the cache bounded
        _TITLE_PATTERNS.pop(next(iter(_TITLE_PATTERNS)))
    _TITLE_PATTERNS[id(registry)] = (registry, patterns)
    return patterns


def document_opposition(registry: ActorRegistry, state: str | None) -> str | None:
    """The collective opposition entity of the document's state: the armed group the
    registry gives for a generic opposition name ("rebels") and that shares the state's
    country adjective ("Syrian …"); None without a state."""
    if state is None:
        return None
    key = _country_key(registry, state)
    for word in OPPOSITION_WORDS:
        entity = registry.resolve(word)
        actor = registry.get(entity) if entity else None
        if actor is not None and actor.type == "armed_group" and _country_key(registry, entity) == key:
            return entity
    return None


def find_actors(doc, registry: ActorRegistry, *, title: str = "", tokens=None) -> list[dict[str, Any]]:
    """Actor mentions of ``doc`` (after the EntityRuler) as schema dicts, in text order;
    ``tokens`` is the document's :class:`.casualties.Tokens` when already built."""
    from .casualties import Tokens

    tk = tokens if tokens is not None else Tokens(doc)
    candidates = list(_candidates(doc, tk, registry))
    state = document_state(tk, registry, candidates, title)
    opposition = document_opposition(registry, state)
    out = []
    for start, end, label, ent_id in candidates:
        s_char, e_char = tk.start[start], tk.end[end - 1]
        text = tk.doc_text[s_char:e_char]
        entity = ent_id if label == "ACTOR" else registry.resolve(text)
        if _generic(tk, start, end):
            actor = registry.get(entity) if entity else None
            role = {"state_forces": "government", "armed_group": "opposition"}.get(
                actor.type if actor else "", ent_id if label == "PARTY" else None
            )
            if role == "government":
                entity = state
            elif role == "opposition":
                same_state = entity and state and _country_key(registry, entity) == _country_key(registry, state)
                entity = entity if same_state else opposition
        if entity is None or entity not in registry:
            continue
        out.append(
            {
                "start": s_char,
                "end": e_char,
                "text": text,
                "entity": entity,
                "type": registry.get(entity).type,
            }
        )
    return out
