"""The settings of an evaluation, validated when they are made (scikit-learn's wording)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..errors import ParameterError, check_choice


@dataclass(frozen=True)
class Settings:
    """How systems are scored: span mode, undefined-ratio policy, matchers, intervals.

    Every value is checked here, so a bad setting fails before any extractor runs.
    """

    span_mode: str = "strict"
    zero_division: Any = 0.0
    matchers: Mapping[str, str] = field(default_factory=dict)
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0

    def __post_init__(self) -> None:
        from ..scoring.alignment import SPAN_MODES
        from ..scoring.counts import check_zero_division
        from ..scoring.matchers import resolve_matchers

        check_choice("Settings", "span_mode", self.span_mode, SPAN_MODES)
        check_zero_division(self.zero_division, "Settings")
        if not isinstance(self.matchers, Mapping):
            raise ParameterError(f"The 'matchers' parameter of Settings() must be a mapping field → matcher name. "
                                 f"Got {self.matchers!r} instead.")
        resolve_matchers(dict(self.matchers))  # unknown fields or matcher names fail now
        _positive_int("n_resamples", self.n_resamples)
        if (not isinstance(self.confidence, (int, float)) or isinstance(self.confidence, bool)
                or math.isnan(self.confidence) or not 0 < self.confidence < 1):
            raise ParameterError(f"The 'confidence' parameter of Settings() must be a number in (0, 1). "
                                 f"Got {self.confidence!r} instead.")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ParameterError(f"The 'seed' parameter of Settings() must be a non-negative integer. "
                                 f"Got {self.seed!r} instead.")
        object.__setattr__(self, "matchers", dict(self.matchers))


def _positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ParameterError(f"The {name!r} parameter of Settings() must be a positive integer. Got {value!r} instead.")
