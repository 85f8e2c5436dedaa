"""Renderers: they read a run's typed results and never recompute a score.

* :mod:`.common` — rows, signatures, notes and escaping shared by every renderer;
* :mod:`.terminal` — the table printed by ``conflictbench eval``;
* :mod:`.markdown` — ``leaderboard.md``; :mod:`.results_json` — ``results.json``;
* :mod:`.html` — ``report.html``; :mod:`.files` — writing the set atomically;
* :mod:`.run_stats` — a system's run statistics (an LLM's requests, tokens, grounding).
"""

from .files import write_results
from .html import render_report
from .markdown import markdown
from .results_json import results_json
from .terminal import terminal_table

__all__ = ["markdown", "render_report", "results_json", "terminal_table", "write_results"]
