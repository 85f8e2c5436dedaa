"""Small span builders shared by the harness tests (scoring, matching, runner)."""

from __future__ import annotations

from conflictbench.actors import Actor, ActorRegistry


def cas(start=None, end=None, *, kind="killed", count=None, q="exact", low=None, high=None,
        victims="civilians", optional=False, text=None):
    return {"start": start, "end": end, "text": text, "count": count, "count_low": low,
            "count_high": high, "qualifier": q, "kind": kind, "victims": victims,
            "date_ref": None, "perpetrator_ref": None, "optional": optional}


def act(start=None, end=None, *, entity=None, text=None, type=None, optional=False):
    return {"start": start, "end": end, "text": text, "entity": entity, "type": type,
            "optional": optional}


def date(start=None, end=None, *, value, type="DATE", optional=False, text=None):
    return {"start": start, "end": end, "text": text, "value": value, "type": type, "mod": None,
            "optional": optional}


def small_registry() -> ActorRegistry:
    return ActorRegistry.from_actors([
        Actor("syria_government", "Syrian government", "state_forces", ("regime forces", "Damascus")),
        Actor("russia", "Russia", "foreign_state", ("Moscow", "Russian")),
    ])
