"""The sanity references: null.v1 predicts nothing, oracle.v1 predicts exactly the gold."""

from __future__ import annotations

import pytest

from conflictbench.errors import DataError, ParameterError
from conflictbench.extractors.base import document_view
from conflictbench.registrations import extractor_names, get_extractor
from conflictbench.schema import FIELDS


def test_registered():
    assert {"rules.v1", "null.v1", "oracle.v1"} <= set(extractor_names())


def test_null_predicts_nothing(seed_doc):
    ex = get_extractor("null.v1")
    assert ex.name == "null.v1"
    assert ex.extract(document_view(seed_doc)) == {
        "id": seed_doc["id"], "casualties": [], "actors": [], "dates": []
    }


def test_oracle_returns_the_gold(corpus):
    ex = get_extractor("oracle.v1", corpus=corpus)
    assert ex.name == "oracle.v1"
    for doc in corpus.documents:
        pred = ex.extract(document_view(doc))
        assert pred["id"] == doc["id"]
        for field in FIELDS:
            assert pred[field] == list(doc[field])
            assert len(pred[field]) > 0
        pred["casualties"].clear()  # a copy: the corpus is untouched
        assert len(doc["casualties"]) > 0


def test_oracle_unknown_document(corpus):
    ex = get_extractor("oracle.v1", corpus=corpus)
    with pytest.raises(DataError, match="'no-such-doc' is not in the corpus"):
        ex.extract({"id": "no-such-doc", "text": ""})


def test_oracle_needs_a_corpus():
    with pytest.raises(ParameterError, match="'corpus' parameter of oracle.v1"):
        get_extractor("oracle.v1")


def test_registering_the_extractors_imports_nothing_heavy():
    """The CLI lists extractors without paying for spaCy, dateutil or text2num."""
    import subprocess
    import sys

    code = (
        "import sys, conflictbench.registrations as r; names = r.extractor_names(); "
        "print(','.join(m for m in ('spacy', 'dateutil', 'text_to_num', 'datasets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
