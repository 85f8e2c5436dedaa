"""Hypothesis strategies for property-testing against conflictbench's schema (public).

For extractor authors: feed your system generated documents and check that what it returns
is a valid prediction (PREDICTIONS.md, "Property-testing your system")::

    from hypothesis import given
    from conflictbench.predictions import check_prediction
    from conflictbench.testing import documents

    @given(documents())
    def test_output_is_valid(doc):
        check_prediction(my_extract(doc), doc, where="my system")

* :mod:`.strategies` — valid data: :func:`documents` (gold documents, astral-plane text
  included, so offsets are tested as code points), :func:`corpora`, :func:`predictions` (a
  valid prediction for a given document), :data:`TIMEX`, :func:`spans_in`;
* :mod:`.hostile` — what a scorer must survive: :func:`invalid_predictions` (each one
  rejected by :func:`conflictbench.predictions.check_prediction`), :func:`hostile_lines`
  (output lines that answer no document: bytes, non-UTF-8, JSON that is not an answer,
  answers without or with the wrong id), :func:`hostile_names` (control characters, ANSI
  escapes, bidirectional overrides, newlines).

Nothing here is imported by the rest of the package; ``hypothesis`` is a dependency.
"""

from .hostile import hostile_lines, hostile_names, invalid_predictions
from .strategies import TEXT_CHARS, TIMEX, casualty_counts, corpora, documents, predictions, spans_in

__all__ = [
    "TEXT_CHARS", "TIMEX", "casualty_counts", "corpora", "documents", "hostile_lines", "hostile_names",
    "invalid_predictions", "predictions", "spans_in",
]
