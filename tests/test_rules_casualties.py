"""Casualty rules on sentences written for these tests (Nigeria, Yemen, Sudan, Ukraine,
Myanmar, Somalia ...). Each expected tuple is derived by hand from the conventions:
span = quantity + qualifier + victim noun phrase (trigger outside), kind from the trigger,
qualifier/count from the quantity words, victims from the victim noun."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.extractors.rules import RuleExtractor

from .support.rules_registry import make_registry

DCT = "2023-06-14"


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor(make_registry())


def casualties(extractor, text):
    pred = extractor.extract({"id": "t", "text": text, "publication_date": DCT, "title": ""})
    return [
        (c["text"], c["qualifier"], c["count"], c["count_low"], c["count_high"], c["kind"], c["victims"])
        for c in pred["casualties"]
    ]


CASES = [
    ("At least 12 soldiers were killed when militants stormed a base in Borno state.",
     [("At least 12 soldiers", "at_least", 12, None, None, "killed", "security_forces")]),
    ("A coalition air strike killed 23 civilians in Saada province.",
     [("23 civilians", "exact", 23, None, None, "killed", "civilians")]),
    ("More than 1,200 people have fled their homes in Khartoum.",
     [("More than 1,200 people", "at_least", 1200, None, None, "displaced", "people")]),
    ("Gunmen abducted 80 schoolgirls from a boarding school in Zamfara.",
     [("80 schoolgirls", "exact", 80, None, None, "abducted", "civilians")]),
    ("Two dozen Houthi fighters were wounded in clashes near Marib.",
     [("Two dozen Houthi fighters", "exact", 24, None, None, "injured", "fighters")]),
    ("Between 30 and 45 villagers are missing after the raid.",
     [("Between 30 and 45 villagers", "range", None, 30, 45, "missing", "civilians")]),
    ("Police said 17 protesters were arrested in Yangon.",
     [("17 protesters", "exact", 17, None, None, "detained", "civilians")]),
    ("Thousands of civilians fled the shelling in Bakhmut.",
     [("Thousands of civilians", "vague", None, None, None, "displaced", "civilians")]),
    ("The death toll rose to 121, officials in Mogadishu said.",
     [("121", "exact", 121, None, None, "killed", "people")]),
    ("Shelling killed three people and injured 15 others in Kharkiv.",
     [("three people", "exact", 3, None, None, "killed", "people"),
      ("15 others", "exact", 15, None, None, "injured", "people")]),
    ("Around 3 million Ukrainians have been displaced inside the country.",
     [("Around 3 million Ukrainians", "approx", 3_000_000, None, None, "displaced", "people")]),
    ("The fighting forced nearly 40,000 Sudanese, most of them women and children, to flee to Chad.",
     [("nearly 40,000 Sudanese", "approx", 40000, None, None, "displaced", "people")]),
    ("Up to 50 villagers are reported dead after the shelling.",
     [("Up to 50 villagers", "at_most", 50, None, None, "killed", "civilians")]),
    ("Up to 50 miners are dead.",  # a noun outside the lexicon still ends the phrase
     [("Up to 50 miners", "at_most", 50, None, None, "killed", "people")]),
    ("Some 200 families were displaced by the clashes.",
     [("Some 200 families", "approx", 200, None, None, "displaced", "other")]),
    ("Seven policemen were kidnapped on the highway.",
     [("Seven policemen", "exact", 7, None, None, "abducted", "security_forces")]),
    ("At least 9 anti-junta fighters were killed in Sagaing.",
     [("At least 9 anti-junta fighters", "at_least", 9, None, None, "killed", "fighters")]),
    ("The ambush left 5 government soldiers and allied militiamen dead.",
     [("5 government soldiers and allied militiamen", "exact", 5, None, None, "killed", "security_forces")]),
    ("The raid killed 12-15 insurgents, the army said.",
     [("12-15 insurgents", "range", None, 12, 15, "killed", "fighters")]),
    ("Dozens were wounded when a car bomb exploded.",
     [("Dozens", "vague", None, None, None, "injured", "people")]),
    ("In 2022, 40 people were killed in the region.",  # the year is a date, not a count
     [("40 people", "exact", 40, None, None, "killed", "people")]),
    # singular victim nouns
    ("The ambush killed one soldier and wounded a dozen civilians.",
     [("one soldier", "exact", 1, None, None, "killed", "security_forces"),
      ("a dozen civilians", "exact", 12, None, None, "injured", "civilians")]),
    # a relative clause: passive → victims; active → the quantity is the agent
    ("Relatives named 57 people who were killed in the massacre.",
     [("57 people", "exact", 57, None, None, "killed", "people")]),
    # "one" is the agent, not a victim; "the driver" is an individual victim (§2.1, count 1)
    ("Police blamed two gangs, one that killed the driver.",
     [("driver", "exact", 1, None, None, "killed", "civilians")]),
    ("Three gunmen killed 5 traders at the market.",  # "Three gunmen" are the agents
     [("5 traders", "exact", 5, None, None, "killed", "civilians")]),
    ("Nine soldiers killed at a checkpoint were buried on Friday.",
     [("Nine soldiers", "exact", 9, None, None, "killed", "security_forces")]),
    # a nationality before a victim noun is a modifier, on its own it is the victim noun
    ("Two Sudanese soldiers died of their wounds; 300 Sudanese fled to Chad.",
     [("Two Sudanese soldiers", "exact", 2, None, None, "killed", "security_forces"),
      ("300 Sudanese", "exact", 300, None, None, "displaced", "people")]),
    # guidelines §2.1/§2.5: individuals, multipliers, vague phrases, ranges with "or"
    ("A man was killed and an aid worker was abducted in Goma.",
     [("A man", "exact", 1, None, None, "killed", "people"),
      ("an aid worker", "exact", 1, None, None, "abducted", "civilians")]),
    # §2.4: "a 12-year-old boy" is an individual victim (count 1); the age is a modifier
    ("A 12-year-old boy was killed by a stray bullet.",
     [("A 12-year-old boy", "exact", 1, None, None, "killed", "civilians")]),
    ("Half a dozen soldiers were captured near Tessalit.",
     [("Half a dozen soldiers", "exact", 6, None, None, "detained", "security_forces")]),
    ("A handful of villagers fled; two or three others are missing.",
     [("A handful of villagers", "vague", None, None, None, "displaced", "civilians"),
      ("two or three others", "range", None, 2, 3, "missing", "people")]),
    ("As many as 60 protesters were detained in Dhaka.",
     [("As many as 60 protesters", "at_most", 60, None, None, "detained", "civilians")]),
    ("No fewer than 350.000 people have been displaced.",  # European digit grouping
     [("No fewer than 350.000 people", "at_least", 350000, None, None, "displaced", "people")]),
    # negation
    ("No one was injured in the blast in Aden.", []),
    # line breaks inside a sentence (wire copy) do not split the phrase; upper case works
    ("AT LEAST\n12 PEOPLE WERE\nKILLED IN THE ATTACK.",
     [("AT LEAST\n12 PEOPLE", "at_least", 12, None, None, "killed", "people")]),
    ("SIX GUERRILLAS WERE KILLED 11 DAYS AGO.",  # "11 DAYS AGO" is a date
     [("SIX GUERRILLAS", "exact", 6, None, None, "killed", "fighters")]),
]  # fmt: skip


# second review: cases from the guidelines' tables (§2.1–§2.5) not covered above
CASES += [
    # trailing qualifiers (§2.5): "N or more" / "N-plus" → at_least, "N or so" → approx
    ("Forty or more villagers were killed in the attack on Kukawa.",
     [("Forty or more villagers", "at_least", 40, None, None, "killed", "civilians")]),
    ("Drone strikes killed 30-plus fighters near Marib.",
     [("30-plus fighters", "at_least", 30, None, None, "killed", "fighters")]),
    ("Some 200 or so families fled Kassala.",  # a qualifier in front and behind: approx either way
     [("Some 200 or so families", "approx", 200, None, None, "displaced", "other")]),
    # "the death toll from X rose to N" (§2.4: span = the number)
    ("The death toll from the market bombing in Mogadishu rose to 17.",
     [("17", "exact", 17, None, None, "killed", "people")]),
    # individuals: ages are modifiers, a compound head outside the lexicon ends the phrase
    ("Two 15-year-old girls were shot dead in Kachin.",
     [("Two 15-year-old girls", "exact", 2, None, None, "killed", "civilians")]),
    ("A 15-year-old was abducted from his village.",
     [("A 15-year-old", "exact", 1, None, None, "abducted", "people")]),
    ("A local judge and a police commander were assassinated in Kandahar.",
     [("A local judge", "exact", 1, None, None, "killed", "civilians"),
      ("a police commander", "exact", 1, None, None, "killed", "security_forces")]),
    # conjoined quantities share the trigger: two mentions, not one span (§2.3)
    ("Four soldiers and two rebels were killed in clashes in Sagaing.",
     [("Four soldiers", "exact", 4, None, None, "killed", "security_forces"),
      ("two rebels", "exact", 2, None, None, "killed", "fighters")]),
    ("Militants killed four soldiers and two civilians in Borno.",
     [("four soldiers", "exact", 4, None, None, "killed", "security_forces"),
      ("two civilians", "exact", 2, None, None, "killed", "civilians")]),
    ("The army killed 5 fighters and 300 troops remain in the town.",  # "remain": its own verb
     [("5 fighters", "exact", 5, None, None, "killed", "fighters")]),
    # sub-counts after "including" are separate mentions of the same kind (§2.3)
    ("40 people were killed in Rafah, including five children.",
     [("40 people", "exact", 40, None, None, "killed", "people"),
      ("five children", "exact", 5, None, None, "killed", "civilians")]),
    ("Shelling wounded 12 people, among them two nurses.",
     [("12 people", "exact", 12, None, None, "injured", "people"),
      ("two nurses", "exact", 2, None, None, "injured", "civilians")]),  # nurses: medics (§2.6)
    # kinds: murdered / assassinated / massacred / shot to death / bodies found → killed
    ("Gunmen assassinated two councillors and massacred 14 herders in Plateau.",
     [("two councillors", "exact", 2, None, None, "killed", "people"),
      ("14 herders", "exact", 14, None, None, "killed", "civilians")]),
    ("Three traders were shot to death at a checkpoint.",
     [("Three traders", "exact", 3, None, None, "killed", "civilians")]),
    ("Residents found the bodies of 12 men near Bucha.",
     [("12 men", "exact", 12, None, None, "killed", "people")]),
    ("The killing of 3 journalists in Gaza drew protests.",
     [("3 journalists", "exact", 3, None, None, "killed", "civilians")]),
    ("The kidnapping of 20 passengers on the Kaduna road was condemned.",
     [("20 passengers", "exact", 20, None, None, "abducted", "civilians")]),
    # an age in apposition is not a count; the named victim before it is an individual (§2.1)
    ("Musa Ibrahim, 45, a farmer, was killed in Zamfara.",
     [("Musa Ibrahim", "exact", 1, None, None, "killed", "people")]),
    # named and individual victims without a number word (§2.1: count 1)
    ("Judge Maria Ortiz was assassinated in Kandahar on Monday.",
     [("Judge Maria Ortiz", "exact", 1, None, None, "killed", "civilians")]),
    ("Gunmen killed journalist Ana Ruiz in Culiacan.",
     [("journalist Ana Ruiz", "exact", 1, None, None, "killed", "civilians")]),
    ("The murder of opposition leader Boris Nemtsov shocked Moscow.",
     [("opposition leader Boris Nemtsov", "exact", 1, None, None, "killed", "people")]),
    ("A roadside bomb killed his driver near Herat.",
     [("driver", "exact", 1, None, None, "killed", "civilians")]),
    ("Inspector Eulogio Flores died in the explosion.",
     [("Inspector Eulogio Flores", "exact", 1, None, None, "killed", "people")]),
    ("THE ELN KIDNAPPED BUSINESSMAN SERGIO ALARCON.",
     [("BUSINESSMAN SERGIO ALARCON", "exact", 1, None, None, "abducted", "civilians")]),
    ("THE MAYOR OF ACHI WAS KIDNAPPED ON 5 JANUARY.",  # the "of" phrase is a post-modifier
     [("MAYOR", "exact", 1, None, None, "abducted", "people")]),
    ("The governor has been kidnapped.",
     [("governor", "exact", 1, None, None, "abducted", "people")]),
    # a list of victims shares the trigger; each individual is a mention of 1 (§2.1, §2.3)
    ("A police colonel, a judge, and Senator Aliyu Bello were murdered last week in Kano.",
     [("A police colonel", "exact", 1, None, None, "killed", "security_forces"),
      ("a judge", "exact", 1, None, None, "killed", "civilians"),
      ("Senator Aliyu Bello", "exact", 1, None, None, "killed", "people")]),
    ("Two soldiers and the driver were killed near Gao.",
     [("Two soldiers", "exact", 2, None, None, "killed", "security_forces"),
      ("driver", "exact", 1, None, None, "killed", "civilians")]),
    # a victim noun after "other" and modifiers; a parenthesis details the figure before it
    ("Fighters seized the ambassador and two other diplomatic officials are being held hostage.",
     [("two other diplomatic officials", "exact", 2, None, None, "abducted", "people")]),
    ("Two children and eight other people (three soldiers and five civilians) were wounded.",
     [("Two children", "exact", 2, None, None, "injured", "civilians"),
      ("eight other people", "exact", 8, None, None, "injured", "people"),
      ("three soldiers", "exact", 3, None, None, "injured", "security_forces"),
      ("five civilians", "exact", 5, None, None, "injured", "civilians")]),
    # a named sub-count after "including" (§2.3), abbreviations inside the name phrase
    ("Three people were seriously injured, including U.S. citizen Mary Jones, 41.",
     [("Three people", "exact", 3, None, None, "injured", "people"),
      ("U.S. citizen Mary Jones", "exact", 1, None, None, "injured", "people")]),
    ("Musa Ibrahim, a farmer, is seriously injured.",
     [("Musa Ibrahim", "exact", 1, None, None, "injured", "people")]),
    # intended and hypothetical triggers are not casualties (§2.2)
    ("The gunman managed to kill 1 person and wound 12 others.",
     [("1 person", "exact", 1, None, None, "killed", "people"),
      ("12 others", "exact", 12, None, None, "injured", "people")]),
    # upper-case wire copy with the same rules
    ("ONE SOLDIER WAS KILLED AND SIX MORE PERSONS WERE INJURED, INCLUDING THREE JOURNALISTS.",
     [("ONE SOLDIER", "exact", 1, None, None, "killed", "security_forces"),
      ("SIX MORE PERSONS", "exact", 6, None, None, "injured", "people"),
      ("THREE JOURNALISTS", "exact", 3, None, None, "injured", "civilians")]),
]  # fmt: skip


@pytest.mark.parametrize("text,expected", CASES)
def test_casualty_phrases(extractor, text, expected):
    assert casualties(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Some 2 million people live in Kharkiv.",  # no trigger
        "The army deployed 5,000 troops to the region.",
        "Shelling continued for 24 hours without pause.",  # a duration, not a count
        "Nearly 3 million people are trapped in the enclave.",  # trapped is not a casualty
        "The 12 soldiers returned to base on Monday.",
        # §2.2: combined figures the kind vocabulary cannot express
        "30 people were killed or wounded in the blast in Aden.",
        "The shelling killed or wounded 30 people in Kherson.",
        # §2.2: hypothetical casualties
        "Aid agencies said there might be many people wounded in Khartoum.",
        "Al-Shabaab threatened to kill 5 hostages.",
        "MILITANTS THREATENED TO KILL THE GOVERNOR.",
        "The rebels could kill the mayor.",
        # feared casualties are not mentions (guidelines §2.2)
        "Up to 50 villagers are feared dead after the landslide of shells.",
        # individuals need a victim: pronouns are anaphora, plurals without a number are not
        # mentions, a captured town is not a detainee, a passive is not a verb with an object
        "He was killed in the attack.",
        "Villagers died in the blast.",
        "Soldiers and civilians were killed.",  # plural nouns without a number
        "IF THIS SAVAGE KILLING OF PEOPLE DOES NOT STOP, THE ARMY WILL PAY.",
        "THE PUBLIC EXECUTION OF THESE AUTHORITIES WAS PLANNED.",
        "The town was captured by the rebels.",
        "The police chief, who was injured in the blast, survived.",
        "The kidnapping operation failed.",
        "The murder of the priests shocked the country.",
        "The commander, who was arrested a few days ago, was released.",  # a date, not a count
        "THE ASSASSINATION OF THE JESUIT PRIESTS SHOULD BE INVESTIGATED.",  # plural, no number
    ],
)
def test_no_casualty(extractor, text):
    assert casualties(extractor, text) == []


def test_offsets_point_at_the_text(extractor):
    text = "On Sunday, at least 30 people were killed in Kordofan. Another 12 were injured."
    pred = extractor.extract({"id": "t", "text": text, "publication_date": DCT})
    assert [text[c["start"] : c["end"]] for c in pred["casualties"]] == ["at least 30 people", "12"]
    assert [c["kind"] for c in pred["casualties"]] == ["killed", "injured"]


@given(st.lists(st.sampled_from([text for text, _ in CASES]), min_size=1, max_size=6),
       st.sampled_from([str, str.upper]))
def test_casualty_spans_never_overlap(extractor, texts, case):
    """§2.4: two casualty spans never overlap, whatever sentences are joined (and in upper
    case, as wire copy prints them); each span is the text at its offsets."""
    text = case(" ".join(texts))
    pred = extractor.extract({"id": "t", "text": text, "publication_date": DCT, "title": ""})
    spans = sorted((c["start"], c["end"]) for c in pred["casualties"])
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), spans
    assert all(text[c["start"] : c["end"]] == c["text"] for c in pred["casualties"])
