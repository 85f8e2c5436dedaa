"""Actor rules on sentences written for these tests, with a registry of other conflicts
(tests/rules_registry.py). Expected (span, entity) pairs are derived by hand from the
conventions: names without a leading article; demonyms only where they name a party;
generic designations resolved through the state the document names."""

from __future__ import annotations

import pytest

from conflictbench.actors import ActorRegistry
from conflictbench.extractors.rules.actors import ROLE_NOUNS
from conflictbench.extractors.rules import RuleExtractor

from .support.rules_registry import make_registry

DCT = "2023-06-14"


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor(make_registry())


def actors(extractor, text, title=""):
    pred = extractor.extract({"id": "t", "text": text, "publication_date": DCT, "title": title})
    for a in pred["actors"]:
        assert text[a["start"] : a["end"]] == a["text"]
    return [(a["text"], a["entity"]) for a in pred["actors"]]


CASES = [
    # registry names and aliases; "the army" is generic → the state the text names (Nigeria)
    ("Nigerian troops repelled an attack by Boko Haram in Borno, the army said.",
     [("Nigerian troops", "nigeria_government"), ("Boko Haram", "boko_haram"),
      ("army", "nigeria_government")]),
    ("The Nigerian army said the police arrested 12 suspects.",
     [("Nigerian army", "nigeria_government"), ("police", "nigeria_government")]),
    # the longest name wins; a multi-word country name
    ("Houthi rebels fired missiles at Saudi Arabia, the Saudi-led coalition said.",
     [("Houthi rebels", "houthis"), ("Saudi Arabia", "saudi_arabia"),
      ("Saudi-led coalition", "saudi_coalition")]),
    ("The Rapid Support Forces (RSF) said its fighters took the airport.",
     [("Rapid Support Forces", "rsf"), ("RSF", "rsf")]),
    # generic "junta" resolves to the state named explicitly ("Tatmadaw")
    ("The Tatmadaw shelled Karen villages; the junta denied it.",
     [("Tatmadaw", "myanmar_military"), ("junta", "myanmar_military")]),
    # generic opposition designations → the collective opposition of the named state's
    # conflict; "rebel" as a modifier names the party, "opposition to" does not
    ("The Tatmadaw said militants attacked a rebel-held town.",
     [("Tatmadaw", "myanmar_military"), ("militants", "myanmar_resistance"), ("rebel", "myanmar_resistance")]),
    ("The Tatmadaw's opposition to the talks angered the rebels.",
     [("Tatmadaw", "myanmar_military"), ("rebels", "myanmar_resistance")]),
    # a role noun after a name is left out ("UN officials" is a registry alias here)
    ("UN officials and MSF staff said 12 died.", [("UN", "un"), ("MSF", "msf")]),
    # demonyms: party uses only
    ("Refugees crossed the Chadian border.", []),
    ("Chadian troops closed the crossing.", [("Chadian", "chad")]),
    ("Russian and Belarusian troops massed near the frontier.",
     [("Russian", "russia"), ("Belarusian", "belarus")]),
    ("Iranian-backed militias attacked the convoy.", [("Iranian", "iran")]),
    # a state's place name after a locative preposition is geographic
    ("Talks were held in Riyadh.", []),
    ("Riyadh condemned the attack.", [("Riyadh", "saudi_arabia")]),
    # a country or capital name is not a demonym, whatever its ending
    ("Tehran and Iran denied it; Mali agreed.", [("Tehran", "iran"), ("Iran", "iran"), ("Mali", "mali")]),
    # case-sensitive names: the alias "IS" is not the verb "is"
    ("The town is calm, MSF said.", [("MSF", "msf")]),
    ("IS claimed the bombing.", [("IS", "islamic_state")]),
    # upper-case wire copy
    ("HOUTHI REBELS AND THE RAPID SUPPORT FORCES", [("HOUTHI REBELS", "houthis"), ("RAPID SUPPORT FORCES", "rsf")]),
    # lower-case generic at a sentence start
    ("Ukrainian forces advanced. Government troops then shelled the bridge.",
     [("Ukrainian forces", "ukraine_government"), ("Government troops", "ukraine_government")]),
]  # fmt: skip


@pytest.mark.parametrize("text,expected", CASES)
def test_actor_mentions(extractor, text, expected):
    assert actors(extractor, text) == expected


def test_generic_party_without_a_named_state_is_not_guessed(extractor):
    # no state is named: "government troops" and "rebels" cannot be resolved
    assert actors(extractor, "Government troops clashed with rebels near Maiduguri.") == []


def test_title_names_the_state(extractor):
    got = actors(extractor, "The army said it had retaken the town.", title="Sudanese army retakes town")
    assert got == [("army", "sudan_government")]


def test_seed_registry_generic_aliases_stay_in_their_country(registry):
    """With the embedded (Syria) registry, "government forces" in a Nigerian story must not
    become the Syrian government, although the registry lists it as an alias."""
    ex = RuleExtractor(registry)
    text = "Government forces and jihadists clashed in Borno on Monday, killing 12 soldiers."
    pred = ex.extract({"id": "t", "text": text, "publication_date": DCT})
    assert [a["entity"] for a in pred["actors"]] == []
    # ... while an explicit Syrian mention makes them Syrian
    text2 = "Syrian troops and extremists clashed in Hama. Government forces shelled the town."
    pred2 = ex.extract({"id": "t", "text": text2, "publication_date": DCT})
    assert [(a["text"], a["entity"]) for a in pred2["actors"]] == [
        ("Syrian troops", "syria_government"),
        ("extremists", "syrian_opposition"),
        ("Government forces", "syria_government"),
    ]


def test_every_registry_name_is_found_where_it_stands_alone():
    reg: ActorRegistry = make_registry()
    ex = RuleExtractor(reg)
    for actor in reg.actors.values():
        for name in (actor.name, *actor.aliases):
            if actor.type in ("foreign_state", "state_forces") and name.istitle() and " " not in name:
                continue  # bare demonyms/place names need a party context (tested above)
            if name == name.lower() and actor.type in ("state_forces", "armed_group"):
                continue  # generic designations resolve through the document (tested above)
            text = f"Reports said {name} was involved."
            got = ex.extract({"id": "t", "text": text, "publication_date": DCT})["actors"]
            words = name.split()
            if len(words) > 1 and words[-1] in ROLE_NOUNS:  # "UN officials" → "UN"
                name = " ".join(words[:-1])
            assert (name, actor.id) in [(a["text"], a["entity"]) for a in got], name
