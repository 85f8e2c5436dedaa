"""The corpus actor registry: canonical entities, their types and aliases.

The registry is data (``actors.jsonl`` beside the corpus), one JSON object per line::

    {"id": "syria_government", "name": "Syrian government", "type": "state_forces",
     "aliases": ["regime forces", "Damascus", ...], "description": "..."}

:meth:`ActorRegistry.resolve` maps a mention's text to an entity id through the canonical
name, the aliases and a normalised-name match (case, punctuation, leading articles,
possessive 's and surrounding whitespace ignored).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from .errors import DataError
from .jsonl import read_jsonl
from .schema import ACTOR_TYPES

_ARTICLES = ("the ", "a ", "an ")


# compiled once: never left to the ``re`` module's cache, which other libraries may shrink
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Casefolded, accent-free, punctuation-free form of a name used for alias matching.

    >>> normalise_name("  The Syrian Observatory for Human-Rights's ")
    'syrian observatory for human rights'
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = _POSSESSIVE.sub("", s)
    s = _PUNCTUATION.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    for art in _ARTICLES:
        if s.startswith(art):
            s = s[len(art) :]
            break
    return s


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ActorRegistry:
    actors: dict[str, Actor]
    path: str | None = None
    _index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_actors(
        cls, actors: Iterable[Actor], *, path: str | None = None, wheres: Mapping[int, str] | None = None
    ) -> "ActorRegistry":
        """``wheres[i]`` (e.g. ``"actors.jsonl:12"``) names where the i-th actor came from."""
        by_id: dict[str, Actor] = {}
        index: dict[str, str] = {}
        loc: dict[str, str] = {}
        for i, actor in enumerate(actors):
            here = (wheres or {}).get(i) or path or "actor registry"
            if actor.id in by_id:
                raise DataError(f"{here}: duplicate actor id {actor.id!r} (first at {loc[actor.id]})")
            by_id[actor.id] = actor
            loc[actor.id] = here
        for actor in by_id.values():
            for name in (actor.id.replace("_", " "), actor.name, *actor.aliases):
                key = normalise_name(name)
                other = index.get(key)
                if other is not None and other != actor.id:
                    raise DataError(
                        f"{loc[actor.id]}: name {name!r} of {actor.id!r} "
                        f"already names {other!r} ({loc[other]})"
                    )
                index[key] = actor.id
        return cls(actors=by_id, path=path, _index=index)

    @classmethod
    def load(cls, path: str | Path) -> "ActorRegistry":
        records = list(read_jsonl(path, what="actor registry"))
        actors = [_actor_from_record(rec, where) for where, rec in records]
        return cls.from_actors(actors, path=str(path), wheres={i: where for i, (where, _) in enumerate(records)})

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, entity_id: str) -> Actor | None:
        return self.actors.get(entity_id)

    def resolve(self, text: str) -> str | None:
        """The entity id a mention's text names, or None."""
        if text in self.actors:
            return text
        return self._index.get(normalise_name(text))

    def names(self) -> dict[str, str]:
        """Every normalised name and alias → entity id (for building matchers)."""
        return dict(self._index)

    def to_records(self) -> list[dict]:
        return [
            {
                "id": a.id,
                "name": a.name,
                "type": a.type,
                "aliases": list(a.aliases),
                "description": a.description,
            }
            for a in self.actors.values()
        ]


def _actor_from_record(rec: object, where: str) -> Actor:
    if not isinstance(rec, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    for key in ("id", "name", "type"):
        if not isinstance(rec.get(key), str) or not rec[key]:
            raise DataError(f"{where}: field {key!r} must be a non-empty string")
    if rec["type"] not in ACTOR_TYPES:
        raise DataError(
            f"{where}: field 'type' must be one of {sorted(ACTOR_TYPES)}; got {rec['type']!r}"
        )
    aliases = rec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise DataError(f"{where}: field 'aliases' must be a list of non-empty strings")
    unknown = set(rec) - {"id", "name", "type", "aliases", "description"}
    if unknown:
        raise DataError(f"{where}: unknown field(s) {sorted(unknown)}")
    return Actor(
        id=rec["id"],
        name=rec["name"],
        type=rec["type"],
        aliases=tuple(aliases),
        description=rec.get("description", ""),
    )
