"""Counts first: ``Counts(tp, fp, fn)`` and the precision/recall/F1 derived from them.

Micro-averaging is summing counts (``sum(counts, Counts())``). A ratio whose denominator
is zero is *undefined*; what it reports follows an explicit ``zero_division`` policy
(scikit-learn's): ``"warn"`` (report 0.0 and emit :class:`UndefinedMetricWarning`),
or a number to report silently (``0.0``, ``1.0`` or ``float("nan")``). Never an epsilon.

F1 is ``2·tp / (2·tp + fp + fn)``: defined whenever there is anything to count, even
when precision or recall alone is undefined (e.g. nothing predicted, gold present: F1 = 0).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Union

from ..errors import ParameterError

ZeroDivision = Union[str, float]


class UndefinedMetricWarning(UserWarning):
    """A precision, recall or F1 with a zero denominator was reported as the zero_division value."""


def check_zero_division(value: object, func: str = "score") -> None:
    if value == "warn":
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isnan(value) or value in (0, 1):
            return
    raise ParameterError(
        f"The 'zero_division' parameter of {func}() must be one of {{'warn', 0.0, 1.0, nan}}. "
        f"Got {value!r} instead."
    )


def _ratio(num: int, den: int, zero_division: ZeroDivision, what: str) -> float:
    if den:
        return num / den
    check_zero_division(zero_division, what)
    if zero_division == "warn":
        warnings.warn(
            f"{what} is undefined (zero denominator); reported as 0.0. "
            "Pass zero_division to choose the value and silence this warning.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        return 0.0
    return float(zero_division)


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives, false negatives of one comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __post_init__(self) -> None:
        for name in ("tp", "fp", "fn"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise ParameterError(f"Counts.{name} must be a non-negative integer, got {v!r}")

    def __add__(self, other: "Counts") -> "Counts":
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __radd__(self, other: object) -> "Counts":
        if other == 0:  # sum(list_of_counts) starts from 0
            return self
        return NotImplemented

    @property
    def n_pred(self) -> int:
        return self.tp + self.fp

    @property
    def n_gold(self) -> int:
        return self.tp + self.fn

    def precision(self, *, zero_division: ZeroDivision = "warn") -> float:
        return _ratio(self.tp, self.tp + self.fp, zero_division, "precision")

    def recall(self, *, zero_division: ZeroDivision = "warn") -> float:
        return _ratio(self.tp, self.tp + self.fn, zero_division, "recall")

    def f1(self, *, zero_division: ZeroDivision = "warn") -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, zero_division, "f1")

    def prf(self, *, zero_division: ZeroDivision = "warn") -> tuple[float, float, float]:
        return (
            self.precision(zero_division=zero_division),
            self.recall(zero_division=zero_division),
            self.f1(zero_division=zero_division),
        )

    def to_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}
