"""Grounding and chunking of llm.v1: hand-derived tables, properties, undefined cases."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.extractors.llm.chunking import chunks, sentences
from conflictbench.extractors.llm.grounding import FUZZY_THRESHOLD, NormalisedText, ground, normalise

DOC = ("Government forces said \u201cthe rebels\u201d killed 12 people on Monday.  The Free  Syrian Army "
       "denied it. The Syrian Observatory for Human Rights counted 12 people.")


# (returned string, status, start, end): offsets counted by hand on DOC
@pytest.mark.parametrize("s, status, start, end", [
    ("Government forces", "exact", 0, 17),
    ("12 people", "exact", 43, 52),                # the first of two occurrences
    ("  Monday ", "exact", 56, 62),                # the string's own whitespace is not part of it
    ('"the rebels"', "normalised", 24, 34),        # ASCII quotes, edge punctuation ignored
    ("GOVERNMENT FORCES", "normalised", 0, 17),
    ("Free Syrian Army", "normalised", 69, 86),    # the document has two spaces inside
    ("Syrian Observatory for Humam Rights", "fuzzy", 102, 137),
    ("Wagner Group", "ungrounded", None, None),
    ("Mondy", "fuzzy", 56, 62),                    # 5 characters: fuzzy is tried; "Monday" has ratio 10/11
    ("Mday", "ungrounded", None, None),            # 4 characters: under FUZZY_MIN_CHARS, never fuzzy
    ("Mond", "exact", 56, 60),                     # a substring is a substring (no word-boundary rule)
    ("", "ungrounded", None, None),
    ("   ", "ungrounded", None, None),
    ("...", "ungrounded", None, None),
])
def test_ground_table(s, status, start, end):
    g = ground(s, NormalisedText(DOC))
    assert (g.status, g.start, g.end) == (status, start, end)
    if start is not None:
        assert DOC[start:end].strip() == DOC[start:end]


def test_offsets_by_hand():
    assert DOC[0:17] == "Government forces"
    assert DOC[24:34] == "the rebels"
    assert DOC[43:52] == "12 people"
    assert DOC[56:62] == "Monday"
    assert DOC[69:86] == "Free  Syrian Army"
    assert DOC[102:137] == "Syrian Observatory for Human Rights"


def test_taken_occurrences_move_to_the_next_one():
    doc = NormalisedText(DOC)
    first = ground("12 people", doc)
    second = ground("12 people", doc, taken={(first.start, first.end)})
    assert (first.start, second.start) == (43, DOC.rindex("12 people"))
    # every occurrence taken: the first again (the merge then drops it as a duplicate)
    third = ground("12 people", doc, taken={(43, 52), (second.start, second.end)})
    assert third.start == 43


def test_fuzzy_threshold_is_a_boundary():
    # "Observatori" vs "Observatory": 10 of 11 letters; "Obsxrvxtori": 8 of 11 -> 0.727 < 0.85
    doc = NormalisedText("The Observatory said so.")
    assert ground("Observatori", doc).status == "fuzzy"
    assert ground("Obsxrvxtori", doc).status == "ungrounded"
    assert FUZZY_THRESHOLD == 0.85


def test_normalisation_keeps_one_code_point_per_character():
    # "İ".lower() is two code points: kept as it is, so offsets still map back
    text = "İstanbul and \u00a0Ankara"
    doc = NormalisedText(text)
    g = ground("ankara", doc)
    assert g.status == "normalised" and text[g.start:g.end] == "Ankara"
    assert normalise("  \u2018Hi\u2019 ") == "hi"


@given(st.text(min_size=1, max_size=60), st.data())
def test_any_substring_is_grounded_exactly(text, data):
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    s = text[i:j]
    g = ground(s, NormalisedText(text))
    if not s.strip():
        assert g.status == "ungrounded"
    else:
        assert g.status == "exact"
        assert text[g.start:g.end] == s.strip()


@given(st.lists(st.sampled_from(["Rebels", "killed", "12", "people", "in", "Idlib", "\u2019s", "army"]),
                min_size=1, max_size=12), st.data())
def test_case_and_space_variants_are_normalised(words, data):
    text = " ".join(words) + "."
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    s = "  ".join(w.upper() for w in words[i:j])
    g = ground(s, NormalisedText(text))
    assert g.status in ("exact", "normalised")
    assert normalise(text[g.start:g.end]) == normalise(s)


def test_undefined_cases_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ground("x", NormalisedText("")).status == "ungrounded"
        assert chunks("", chunk_chars=500) == []
        assert chunks("   \n\n  ", chunk_chars=500) == []
        assert sentences("") == []


# --- chunking ------------------------------------------------------------------------------

TEXT = "One two. Three four five! Six?\n\nSeven eight nine ten. Eleven."


def test_sentences_by_hand():
    assert [TEXT[s:e] for s, e in sentences(TEXT)] == [
        "One two.", "Three four five!", "Six?", "Seven eight nine ten.", "Eleven."]


def test_chunks_by_hand():
    # sentences at [0,8) [9,25) [26,30) [32,53) [54,61); at most 30 code points per chunk,
    # one sentence of overlap
    got = [(c.start, c.text) for c in chunks(TEXT, chunk_chars=30, overlap=1)]
    assert got == [(0, "One two. Three four five! Six?"), (26, "Six?\n\nSeven eight nine ten."),
                   (32, "Seven eight nine ten. Eleven.")]
    assert [(c.start, c.text) for c in chunks(TEXT, chunk_chars=1000)] == [(0, TEXT)]


def test_a_sentence_longer_than_a_chunk_is_kept_whole():
    text = "A" * 50 + ". Short one."
    got = chunks(text, chunk_chars=20, overlap=1)
    assert [c.text for c in got] == ["A" * 50 + ".", "Short one."]


@given(st.lists(st.sampled_from(["Alpha beta.", "Gamma!", "Delta epsilon zeta?", "\n\n", " ", "Eta"]),
                max_size=30), st.integers(10, 80), st.integers(0, 2))
def test_chunks_cover_every_sentence_and_map_back(parts, size, overlap):
    text = " ".join(parts)
    got = chunks(text, chunk_chars=size, overlap=overlap)
    for c in got:
        assert text[c.start:c.end] == c.text
        assert len(c.text) <= size or len(sentences(c.text)) == 1
    covered = {(s, e) for c in got for s, e in sentences(text) if c.start <= s and e <= c.end}
    assert covered == set(sentences(text))
    assert [c.start for c in got] == sorted({c.start for c in got})  # always moves on
