"""Evaluation: the documents (:mod:`.selection`), the settings (:mod:`.settings`), the systems
(:mod:`.specs`), scoring each system (:mod:`.systems`) and the whole run (:mod:`.leaderboard`)."""

from .leaderboard import Leaderboard, evaluate
from .selection import Selection, select
from .settings import Settings
from .specs import SystemSpec, parse_system
from .systems import (
    SystemResult, evaluate_command, evaluate_extractor, evaluate_predictions, score_system, with_intervals,
)

__all__ = [
    "Leaderboard", "Selection", "Settings", "SystemResult", "SystemSpec", "evaluate", "evaluate_command",
    "evaluate_extractor", "evaluate_predictions", "parse_system", "score_system", "select", "with_intervals",
]
