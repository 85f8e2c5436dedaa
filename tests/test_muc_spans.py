"""Locating key fills in the text: case- and whitespace-insensitive, whole words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.muc.spans import find_span

TEXT = "   LIMA, 3 JUN 89 -- Guerrillas of the\nShining  Path killed FIVE peasants; the PATHS were cut."


@pytest.mark.parametrize(
    "fills, expected",
    [
        (["SHINING PATH"], "Shining  Path"),  # line break and double space in the text
        (["PEASANTS"], "peasants"),
        (["PATH"], "Path"),  # not inside "PATHS"
        (["CAMPESINOS", "PEASANTS"], "peasants"),  # alternatives in key order
        (["SENDERO"], None),
        (["GUERRILLAS OF THE SHINING PATH"], "Guerrillas of the\nShining  Path"),
    ],
)
def test_find_span(fills, expected):
    hit = find_span(TEXT, fills)
    assert (TEXT[hit[0]:hit[1]] if hit else None) == expected


def test_taken_spans_are_skipped():
    text = "PEASANTS here, peasants there"
    first = find_span(text, ["PEASANTS"])
    assert first == (0, 8)
    assert find_span(text, ["PEASANTS"], taken={first}) == (15, 23)
    assert find_span(text, ["PEASANTS"], taken={first, (15, 23)}) is None


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@given(st.lists(WORD, min_size=1, max_size=12), st.data())
def test_any_word_run_is_found_whatever_case_and_spacing(words, data):
    seps = data.draw(st.lists(st.sampled_from([" ", "  ", "\n", " \n  "]),
                              min_size=len(words) - 1, max_size=len(words) - 1))
    text = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    fill = " ".join(words[i:j]).upper()
    hit = find_span(text, [fill])
    assert hit is not None
    found = text[hit[0]:hit[1]]
    assert found.upper().split() == fill.split()
    # whole words only
    assert hit[0] == 0 or not text[hit[0] - 1].isalnum()
    assert hit[1] == len(text) or not text[hit[1]].isalnum()
