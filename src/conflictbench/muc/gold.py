"""A document's key templates → the project schema's casualties, actors and dates.

Mapping rules (the card repeats them):

* **dates** — INCIDENT: DATE of each relevant template, first alternative:
  ``25 AUG 88`` → ``1988-08-25``; ``- 25 AUG 88`` → ``1988-08-25`` with mod
  ``ON_OR_BEFORE``; ``24 AUG 88 - 25 AUG 88`` → ``1988-08-24/1988-08-25``. Type DATE.
  The key's dates are conversions, not strings of the text: offsets are null.
* **actors** — each PERP: INDIVIDUAL ID / ORGANIZATION ID fill, resolved to its
  corpus-wide entity (:mod:`.entities`); type from PERP: INCIDENT CATEGORY
  (state-sponsored violence → ``state_forces``, terrorist act → ``armed_group``, else
  ``other``). Span: first occurrence in the text of the first alternative that occurs.
* **casualties** — each HUM TGT: EFFECT OF INCIDENT fill DEATH → ``killed``, INJURY →
  ``injured`` (first alternative) is joined through its cross-reference to the target's HUM TGT: NUMBER (N exact, ~N approx, N- at_least,
  - N at_most, N - M range, PLURAL vague; no number → vague) and HUM TGT: TYPE (victims).
  A target is a cross-reference as written; targets written alike are told apart by
  position (see :func:`_casualties`).
  In an accomplished KIDNAPPING each target (its first number) also gives ``abducted``.
  The other effects (NO INJURY, NO DEATH, NO INJURY OR DEATH, REGAINED FREEDOM, ESCAPED,
  RESIGNATION, NO RESIGNATION, property effects) are not casualties. Span: the target's
  string in the text. ``date_ref`` / ``perpetrator_ref`` point to the template's date and
  first perpetrator (organisation before individual).
* **optional** — true for every item of an ``(OPTIONAL)`` template and for items built
  from a ``?`` fill (for casualties: a ``?`` effect or number).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from .entities import actor_type, entity_of
from .fills import Fill, FillError, Number, parse_date, parse_number
from .keys import Template
from .spans import find_span

EFFECT_KINDS = {"DEATH": "killed", "INJURY": "injured"}
#: The other HUM TGT: EFFECT OF INCIDENT set fills (§7.24; the property ones occur in the
#: keys too). They are not casualties; any other value is an error, not silently skipped.
OTHER_EFFECTS = frozenset(
    {"NO INJURY", "NO DEATH", "NO INJURY OR DEATH", "REGAINED FREEDOM", "ESCAPED",
     "RESIGNATION", "NO RESIGNATION", "PROPERTY TAKEN FROM TARGET", "MONEY TAKEN FROM TARGET",
     "TARGET TAKEN"}
)

#: HUM TGT: TYPE → victims (template-doc-part1 §7.21). Officials, diplomats, judges and
#: politicians are non-combatants; military and police are security forces.
VICTIM_TYPES = {
    "CIVILIAN": "civilians",
    "DIPLOMAT": "civilians",
    "GOVERNMENT OFFICIAL": "civilians",
    "FORMER GOVERNMENT OFFICIAL": "civilians",
    "FORMER ACTIVE MILITARY": "civilians",
    "LEGAL OR JUDICIAL": "civilians",
    "POLITICAL FIGURE": "civilians",
    "ACTIVE MILITARY": "security_forces",
    "LAW ENFORCEMENT": "security_forces",
    "SECURITY GUARD": "other",
}


class MappingError(ValueError):
    """A template whose fills cannot be mapped (message names the template and slot)."""

    def __init__(self, message: str, *, slot: str | None = None) -> None:
        super().__init__(message)
        self.slot = slot


@dataclass
class DocumentGold:
    casualties: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lenient readings, for the report


def perp_fills(t: Template) -> list[tuple[str, Fill]]:
    """(slot, fill) of a template's perpetrators, organisations first."""
    return [("PERP: ORGANIZATION ID", f) for f in t.fills("PERP: ORGANIZATION ID")] + [
        ("PERP: INDIVIDUAL ID", f) for f in t.fills("PERP: INDIVIDUAL ID")
    ]


def template_actor_type(t: Template) -> str:
    cats = t.fills("PERP: INCIDENT CATEGORY")
    return actor_type(cats[0].value if cats else None)


def _span(text: str, alts, taken=frozenset()) -> dict[str, Any]:
    hit = find_span(text, alts, taken=taken)
    if hit is None:
        return {"start": None, "end": None, "text": None}
    return {"start": hit[0], "end": hit[1], "text": text[hit[0] : hit[1]]}


def map_document(
    text: str, pub_date: _dt.date, templates: list[Template], key_to_id: dict[str, str]
) -> DocumentGold:
    """Casualties, actors and dates of one document (empty for an irrelevant one)."""
    gold = DocumentGold()
    date_index: dict[tuple[str, str | None], int] = {}
    actor_index: dict[str, int] = {}
    for t in templates:
        if not t.relevant:
            continue
        try:
            _map_template(t, text, pub_date, key_to_id, gold, date_index, actor_index)
        except (FillError, MappingError) as exc:
            line = t.slot_lines.get(getattr(exc, "slot", None) or "", t.line)
            where = f"template {t.number} ({t.source + ':' if t.source else 'key line '}{line})"
            raise MappingError(f"{where}: {exc}") from None
    return gold


def _map_template(t, text, pub_date, key_to_id, gold, date_index, actor_index) -> None:
    t_opt = t.optional
    for slot in ("HUM TGT: NAME", "HUM TGT: DESCRIPTION", "HUM TGT: NUMBER",
                 "HUM TGT: TYPE", "HUM TGT: EFFECT OF INCIDENT"):
        for f in t.fills(slot):
            if f.repaired:
                gold.notes.append(f"template {t.number}: {slot} {f.refs or f.values!r} read leniently")
    # date
    date_ref = None
    dfills = t.fills("INCIDENT: DATE")
    if len(dfills) > 1:
        raise MappingError(f"INCIDENT: DATE has {len(dfills)} fills; one is expected",
                           slot="INCIDENT: DATE")
    if dfills:
        f = dfills[0]
        try:
            dv = parse_date(f.value, anchor=pub_date)
        except FillError as exc:
            raise MappingError(f"INCIDENT: DATE: {exc}", slot="INCIDENT: DATE") from None
        if dv.repair:
            gold.notes.append(f"template {t.number}: INCIDENT: DATE {dv.repair}")
        date_ref = _shared_item(
            gold.dates, date_index, (dv.value, dv.mod), t_opt or f.optional,
            lambda opt: {"start": None, "end": None, "text": None, "value": dv.value, "type": "DATE",
                         "mod": dv.mod, "optional": opt},
        )
    # actors
    perp_ref = None
    typ = template_actor_type(t)
    for slot, f in perp_fills(t):
        if f.repaired or not f.quoted:
            gold.notes.append(f"template {t.number}: {slot} {f.values!r} read leniently"
                              + ("" if f.quoted else " (string fill without quotes)"))
        eid = entity_of(f.values, key_to_id)
        if eid is None:
            raise MappingError(f"{slot}: {f.values!r} names no entity of the registry", slot=slot)
        i = _shared_item(
            gold.actors, actor_index, eid, t_opt or f.optional,
            lambda opt: {**_span(text, f.values), "entity": eid, "type": typ, "optional": opt},
        )
        if perp_ref is None:
            perp_ref = i
    # casualties
    for item in _casualties(t, text):
        item["date_ref"] = date_ref
        item["perpetrator_ref"] = perp_ref
        item["optional"] = item["optional"] or t_opt
        taken = {
            (c["start"], c["end"]) for c in gold.casualties
            if c["start"] is not None and _same_but_span(c, item)
        }
        item.update(_span(text, item.pop("_strings"), taken))
        gold.casualties.append(item)


def _shared_item(items: list[dict[str, Any]], index: dict[Any, int], key: Any, optional: bool,
                 make: Any) -> int:
    """The index of the document's item for ``key``, appending ``make(optional)`` the first time.

    Templates of one document share dates and perpetrators: one gold item each, optional only
    while every template that names it marks it optional."""
    if key in index:
        i = index[key]
        if not optional:
            items[i]["optional"] = False
        return i
    index[key] = len(items)
    items.append(make(optional))
    return index[key]


def _same_but_span(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("count", "count_low", "count_high", "qualifier", "kind", "victims", "date_ref",
            "perpetrator_ref", "optional")
    return all(a.get(k) == b.get(k) for k in keys)


def _target(refs: tuple[str, ...]) -> tuple[str, ...]:
    """A cross-reference as written (upper case, whitespace collapsed): a target's key."""
    return tuple(" ".join(r.upper().split()) for r in refs)


def _casualties(t: Template, text: str) -> list[dict[str, Any]]:
    # A target is named by its cross-reference as written — every alternative, in order:
    # "PEOPLE" / "PERSON" (1 killed) and "PEOPLE" (12 injured) are two targets, and a
    # later alternative may name a larger group ("ONE FROM GUATEMALA" / "MILITARY
    # ADVISERS"), so alternatives are not merged. An effect whose reference names no
    # numbered target is joined to the one numbered target with the same first string,
    # else to the one sharing any string. The dummy reference "-" joins a number and an
    # effect that both use it (2: "-" and DEATH: "-"). A null number ('-: "X"') is none.
    numbers = [(f, _target(f.refs)) for f in t.fills("HUM TGT: NUMBER") if f.value != "-"]
    known = list(dict.fromkeys(g for _f, g in numbers))

    def resolve(refs: tuple[str, ...]) -> tuple[str, ...]:
        g = _target(refs)
        if g in known or not g or g == ("-",):
            return g
        same_first = [k for k in known if k[:1] == g[:1]]
        if len(same_first) == 1:
            return same_first[0]
        sharing = [k for k in known if set(k) & set(g) - {"-"}]
        return sharing[0] if len(sharing) == 1 else g

    victim_of: dict[tuple[str, ...], str] = {}
    for f in t.fills("HUM TGT: TYPE"):
        victim_of.setdefault(resolve(f.refs), VICTIM_TYPES.get(f.value.upper(), "people"))
    effects = [(f, resolve(f.refs)) for f in t.fills("HUM TGT: EFFECT OF INCIDENT")]

    # Targets with the same strings (two "PEOPLE" fills: 23 killed, 1000 injured) are
    # told apart by position. A group's k effects go with its last k numbers (the keys
    # list a whole group first, then its subsets: "24" guards, of whom "7 -" killed);
    # when one number is shared by several casualty effects (~7 PEOPLE, DEATH and
    # INJURY) the split is unknown and each casualty is vague.
    nums_of: dict[tuple[str, ...], list[Fill]] = {}
    for f, g in numbers:
        nums_of.setdefault(g, []).append(f)
    effs_of: dict[tuple[str, ...], list[Fill]] = {}
    for f, g in effects:
        for v in f.values:
            if v.upper() not in EFFECT_KINDS and v.upper() not in OTHER_EFFECTS:
                raise MappingError(f"HUM TGT: EFFECT OF INCIDENT: unknown effect {v!r}",
                                   slot="HUM TGT: EFFECT OF INCIDENT")
        effs_of.setdefault(g, []).append(f)

    out = []

    def add(kind: str, g: tuple[str, ...], f: Fill | None, nf: Fill | None, *, shared: bool = False):
        strings = list(nf.refs) if nf is not None else []
        strings += [s for s in (f.refs if f is not None else ()) if s not in strings]
        if nf is not None and not shared:
            try:
                num = parse_number(nf.value)
            except FillError as exc:
                raise MappingError(f"HUM TGT: NUMBER: {exc}", slot="HUM TGT: NUMBER") from None
        else:
            num = Number("vague")
        out.append(
            {"count": num.count, "count_low": num.low, "count_high": num.high,
             "qualifier": num.qualifier, "kind": kind,
             "victims": victim_of.get(g, "people"),
             "optional": any(x is not None and x.optional for x in (f, nf)),
             "_strings": [s for s in strings if s.strip() not in ("", "-")]}
        )

    for g, effs in effs_of.items():
        nums = nums_of.get(g, [])
        n, k = len(nums), len(effs)
        casualty_effects = [f for f in effs if f.value.upper() in EFFECT_KINDS]
        for i, f in enumerate(effs):
            kind = EFFECT_KINDS.get(f.value.upper())
            if kind is None:
                continue
            if n == 0:
                add(kind, g, f, None)
            elif k <= n:
                add(kind, g, f, nums[n - k + i])
            else:
                add(kind, g, f, nums[-1], shared=len(casualty_effects) > 1)
    itype = t.fills("INCIDENT: TYPE")
    stage = t.fills("INCIDENT: STAGE OF EXECUTION")
    if (itype and itype[0].value.upper() == "KIDNAPPING"
            and stage and stage[0].value.upper() == "ACCOMPLISHED"):
        for g, nums in nums_of.items():  # the group's first number is the whole group
            add("abducted", g, None, nums[0])
    return out
