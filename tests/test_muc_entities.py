"""The MUC-4 actor registry rules (entities from the keys' perpetrator alternatives)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflictbench.muc.entities import build_registry, entity_of

FMLN_LONG = "FARABUNDO MARTI NATIONAL LIBERATION FRONT"
MENTIONS = [
    # organisations: the long name and the acronym listed together twice → one entity
    ((FMLN_LONG, "FMLN"), "armed_group", True),
    ((FMLN_LONG, "FMLN"), "armed_group", True),
    (("FMLN", FMLN_LONG), "armed_group", True),
    # listed together once only → no merge
    (("ARMED FORCES", "FMLN"), "state_forces", True),
    (("ARMED FORCES",), "state_forces", True),
    # individuals merge nothing, even when listed together twice
    (("TERRORISTS", "FMLN TERRORISTS"), "armed_group", False),
    (("GUERRILLAS", "TERRORISTS"), "armed_group", False),
    (("GUERRILLAS", "TERRORISTS"), "other", False),
    # "REBELS" is never listed first and is listed under two entities → ambiguous
    (("URBAN COMMANDOS", "REBELS"), "armed_group", False),
    (("GUERRILLAS", "REBELS"), "armed_group", False),
]


def test_registry_rules():
    reg, key_to_id = build_registry(MENTIONS)
    fmln = reg.resolve("fmln")
    assert fmln == reg.resolve(FMLN_LONG) == "muc4:farabundo_marti_national_liberation_front"
    assert reg.get(fmln).name == FMLN_LONG  # first-listed 2 times against 1
    assert reg.get(fmln).aliases == ("FMLN",)
    assert reg.resolve("armed forces") == "muc4:armed_forces" != fmln
    assert reg.resolve("TERRORISTS") == "muc4:terrorists" != reg.resolve("GUERRILLAS")
    assert reg.resolve("FMLN terrorists") == "muc4:terrorists"  # only ever under TERRORISTS
    assert reg.resolve("REBELS") is None
    assert {a.type for a in reg.actors.values() if a.id == "muc4:guerrillas"} == {"armed_group"}
    assert len(reg) == 5  # fmln, armed forces, terrorists, guerrillas, urban commandos
    # a mention resolves through its first alternative
    assert entity_of(("FMLN", "ARMED FORCES"), key_to_id) == fmln
    assert entity_of(("", "GUERRILLAS"), key_to_id) == "muc4:guerrillas"


NAME = st.text(alphabet="ABCDEFGH ", min_size=1, max_size=6).filter(str.strip)


@given(st.lists(st.tuples(st.lists(NAME, min_size=1, max_size=4), st.booleans()), max_size=25))
def test_every_first_listed_string_resolves_to_one_entity(fills):
    mentions = [(tuple(alts), "armed_group", is_org) for alts, is_org in fills]
    reg, key_to_id = build_registry(mentions)
    for alts, _typ, _org in mentions:
        eid = entity_of(alts, key_to_id)
        assert eid in reg
        assert reg.resolve(alts[0]) == eid
    # ids are unique and prefixed
    assert all(i.startswith("muc4:") for i in reg.actors)
