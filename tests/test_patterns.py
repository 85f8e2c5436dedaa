"""The rule baseline's pattern files are data: every record loads, validates against
spaCy's pattern schema (validate=True) and uses the schema's vocabularies."""

from __future__ import annotations

import json

import pytest
import spacy

from conflictbench.errors import DataError
from conflictbench.extractors.rules.patterns import (
    PATTERN_FILES,
    build_matcher,
    load_patterns,
    pattern_path,
    ruler_patterns,
)
from conflictbench.schema import CASUALTY_KINDS, VICTIM_TYPES

ALLOWED_LABELS = {
    "casualty_quantities.jsonl": {"QUANTITY"},
    "casualty_victims.jsonl": set(VICTIM_TYPES),
    "casualty_triggers.jsonl": {k + r for k in CASUALTY_KINDS for r in ("", "@pre", "@post")},
    "parties.jsonl": {"PARTY"},
}


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_pattern_file_validates(name):
    records = load_patterns(pattern_path(name))
    assert records, name
    assert {r["label"] for r in records} <= ALLOWED_LABELS[name]
    nlp = spacy.blank("en")
    if name == "parties.jsonl":
        ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
        ruler.add_patterns(ruler_patterns(nlp.vocab, records))
        assert {r["id"] for r in records} <= {"government", "opposition", "unidentified"}
    else:
        matcher = build_matcher(nlp.vocab, records)
        assert len(matcher) == len({r["label"] for r in records})


def _literals(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _literals(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k != "REGEX":
                yield from _literals(v)


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_patterns_name_no_proper_noun(name):
    """Patterns hold general vocabulary only (lower-case words, punctuation): no place,
    person or organisation of any particular article can be written into them."""
    for rec in load_patterns(pattern_path(name)):
        for lit in _literals(rec["pattern"]):
            assert lit == lit.lower(), (rec["_where"], lit)


@pytest.mark.parametrize(
    "line,message",
    [
        ("not json", "not valid JSON"),
        ('{"pattern": [{"LOWER": "x"}]}', "field 'label'"),
        ('{"label": "QUANTITY", "pattern": []}', "field 'pattern'"),
        ('{"label": "QUANTITY", "pattern": [{"LOWER": "x"}], "extra": 1}', "unknown field"),
        ('{"label": "QUANTITY", "pattern": [{"LOWERCASE": "x"}]}', "invalid pattern"),
    ],
)
def test_bad_pattern_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "casualty_quantities.jsonl"
    good = json.dumps({"label": "QUANTITY", "pattern": [{"LIKE_NUM": True}]})
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{path.name}:2: .*{message}"):
        build_matcher(spacy.blank("en").vocab, load_patterns(path))
