"""conflictbench.testing: the public strategies give what they promise (valid is valid, hostile
is rejected or escaped)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from conflictbench.errors import DataError
from conflictbench.predictions import check_prediction
from conflictbench.report.common import UNPRINTABLE, md_cell, printable
from conflictbench.testing import documents, hostile_names, invalid_predictions, predictions
from conflictbench.validation import validate_document


@given(documents().flatmap(lambda d: st.tuples(st.just(d), predictions(d))))
def test_generated_predictions_are_valid_for_their_document(case):
    doc, pred = case
    assert validate_document(doc, None) == []  # a valid gold document (no registry: entities unchecked)
    check_prediction(pred, doc, where="generated")


@given(documents().flatmap(lambda d: st.tuples(st.just(d), invalid_predictions(d))))
def test_invalid_predictions_are_rejected_naming_the_record(case):
    doc, pred = case
    with pytest.raises(DataError, match=r"^hostile"):
        check_prediction(pred, doc, where="hostile")


@given(hostile_names())
def test_hostile_names_are_escaped_for_a_terminal_and_a_table_row(name):
    for shown in (printable(name), md_cell(name)):
        assert not UNPRINTABLE.search(shown)
    assert "\n" not in md_cell(name) and "\x1b" not in md_cell(name)
