"""The per-corpus actor registry built from the keys' perpetrator fills.

Every PERP: INDIVIDUAL ID and PERP: ORGANIZATION ID fill lists alternative strings for
one perpetrator (``"FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"``). The entities
of the registry are derived from those alternatives by the rules of
:func:`build_registry` (not by a transitive closure, which would fuse the FMLN with the
armed forces through generic alternatives such as "TERRORISTS"); each gets a MUC-derived
id (``muc4:fmln``), its most frequent first-listed string as name and its other strings
as aliases — so a system's mention "FMLN" resolves to the same entity as the key's
"FARABUNDO MARTI NATIONAL LIBERATION FRONT". The registry is derived, not curated: it is
as good as the keys' alternatives (which sometimes list a rival or parent group).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from ..actors import Actor, ActorRegistry, normalise_name

ID_PREFIX = "muc4:"

#: PERP: INCIDENT CATEGORY → actor type (template-doc-part1 §7.9).
CATEGORY_TYPES = {
    "STATE-SPONSORED VIOLENCE": "state_forces",
    "TERRORIST ACT": "armed_group",
}
DEFAULT_TYPE = "other"


def actor_type(category: str | None) -> str:
    """The schema actor type for a template's PERP: INCIDENT CATEGORY (first alternative)."""
    return CATEGORY_TYPES.get((category or "").strip().upper(), DEFAULT_TYPE)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise_name(name)).strip("_") or "actor"


def build_registry(
    mentions: Iterable[tuple[Sequence[str], str, bool]],
) -> tuple[ActorRegistry, dict[str, str]]:
    """Registry and (normalised string → entity id) from ``(alternatives, type, is_org)``
    mentions (``is_org``: the fill is a PERP: ORGANIZATION ID).

    Alternatives are not merged transitively — the keys list generic strings
    ("TERRORISTS", "ARMY") as alternatives of many different perpetrators, and a closure
    would fuse the FMLN with the armed forces. Instead:

    1. every first-listed string names an entity;
    2. two first-listed strings are one entity when at least two ORGANIZATION ID fills
       list them as alternatives of each other (consistent evidence, e.g. "FARABUNDO
       MARTI NATIONAL LIBERATION FRONT" / "FMLN"); INDIVIDUAL ID fills, whose
       alternatives run from "ELN GUERRILLAS" to "GUERRILLAS", merge nothing;
    3. a string never listed first is an alias of the entity whose fills list it, when
       they all belong to one entity; a string listed under several entities is
       ambiguous and names none.

    ``type`` is the mention's actor type; an entity's registry type is its most frequent
    mention type (ties broken alphabetically).
    """
    uf = _UnionFind()
    first_counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    pair_counts: Counter[tuple[str, str]] = Counter()
    mention_list = []
    for alts, typ, is_org in mentions:
        pairs = [(normalise_name(a), a) for a in alts]
        pairs = [(k, a) for k, a in pairs if k]
        if not pairs:
            continue
        keys = list(dict.fromkeys(k for k, _ in pairs))
        mention_list.append((keys, typ))
        for k, a in pairs:
            spellings[k][a] += 1
        first_counts[keys[0]] += 1
        uf.find(keys[0])
        if not is_org:
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pair_counts[(min(a, b), max(a, b))] += 1
    for (a, b), n in pair_counts.items():
        if n >= 2 and a in first_counts and b in first_counts:
            uf.union(a, b)
    heads = {k: uf.find(k) for k in first_counts}
    owners: dict[str, set[str]] = defaultdict(set)
    for keys, _typ in mention_list:
        for k in keys[1:]:
            if k not in heads:
                owners[k].add(heads[keys[0]])
    members: dict[str, list[str]] = defaultdict(list)
    for k, root in heads.items():
        members[root].append(k)
    for k, roots in owners.items():
        if len(roots) == 1:
            members[next(iter(roots))].append(k)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for keys, typ in mention_list:
        types[heads[keys[0]]][typ] += 1

    actors = []
    key_to_id: dict[str, str] = {}
    used_ids: set[str] = set()
    for root in sorted(members):
        keys = sorted(members[root])
        canon_key = max(
            keys, key=lambda k: (first_counts[k], sum(spellings[k].values()), -len(k), k)
        )
        name = spellings[canon_key].most_common(1)[0][0]
        base = ID_PREFIX + _slug(name)
        eid, n = base, 2
        while eid in used_ids:
            eid, n = f"{base}_{n}", n + 1
        used_ids.add(eid)
        aliases = tuple(spellings[k].most_common(1)[0][0] for k in keys if k != canon_key)
        typ = sorted(types[root].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        actors.append(
            Actor(
                id=eid,
                name=name,
                type=typ,
                aliases=aliases,
                description=f"MUC-4 perpetrator; first-listed in {sum(types[root].values())} key fill(s)",
            )
        )
        for k in keys:
            key_to_id[k] = eid
    return ActorRegistry.from_actors(actors, path="MUC-4 actor registry"), key_to_id


def entity_of(alts: Sequence[str], key_to_id: dict[str, str]) -> str | None:
    """The entity id of a fill: the entity its first (non-empty) alternative names."""
    for a in alts:
        k = normalise_name(a)
        if k:
            return key_to_id.get(k)
    return None
