"""A small actor registry for conflicts other than the seed article's, used by the rule tests."""

from __future__ import annotations

from conflictbench.actors import Actor, ActorRegistry

TEST_ACTORS = [
    Actor("nigeria_government", "Nigerian government", "state_forces",
          ("Nigerian army", "Nigerian troops", "Nigerian military", "Abuja")),
    Actor("boko_haram", "Boko Haram", "armed_group", ("Jama'atu Ahlis Sunna",)),
    Actor("houthis", "Houthis", "armed_group", ("Houthi", "Houthi rebels", "Ansar Allah")),
    Actor("saudi_coalition", "Saudi-led coalition", "foreign_state", ("Arab coalition",)),
    Actor("saudi_arabia", "Saudi Arabia", "foreign_state", ("Saudi", "Riyadh")),
    Actor("rsf", "Rapid Support Forces", "armed_group", ("RSF",)),
    Actor("sudan_government", "Sudanese government", "state_forces",
          ("Sudanese army", "Sudanese Armed Forces", "SAF")),
    Actor("chad", "Chad", "foreign_state", ("Chadian", "N'Djamena")),
    Actor("myanmar_military", "Myanmar military", "state_forces", ("Tatmadaw", "junta", "military junta")),
    Actor("myanmar_resistance", "Myanmar resistance forces", "armed_group",
          ("People's Defence Force", "PDF", "rebels")),
    Actor("ukraine_government", "Ukrainian government", "state_forces",
          ("Ukrainian forces", "Ukrainian army", "Kyiv", "Ukrainian")),
    Actor("russia", "Russia", "foreign_state", ("Russian", "Moscow", "Kremlin")),
    Actor("belarus", "Belarus", "foreign_state", ("Belarusian", "Minsk")),
    Actor("iran", "Iran", "foreign_state", ("Iranian", "Tehran")),
    Actor("mali", "Mali", "foreign_state", ("Malian", "Bamako")),
    Actor("islamic_state", "Islamic State", "armed_group", ("IS", "ISIS")),
    Actor("msf", "Medecins Sans Frontieres", "monitor_ngo", ("MSF", "Doctors Without Borders")),
    Actor("un", "United Nations", "international_org", ("UN", "OCHA", "UN officials")),
    Actor("civilians", "civilians", "civilians", ()),
]  # fmt: skip


def make_registry() -> ActorRegistry:
    return ActorRegistry.from_actors(TEST_ACTORS, path="tests/rules_registry.py")
