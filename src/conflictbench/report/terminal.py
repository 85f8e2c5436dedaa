"""The leaderboard as a terminal table, with signatures and notes under it."""

from __future__ import annotations

from typing import Any, Sequence

from . import run_stats
from .common import HEADER, intervals, printable, rows, signatures, stray_note, unanchored_note


def terminal_table(systems: Sequence[Any], unavailable: Sequence[tuple[str, str]] = (), *,
                   settings: Any = None) -> str:
    table = [HEADER] + rows(systems)
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if systems:
        lines.append("")
        lines.append("signatures:")
        lines += [f"  {sig}" for sig in signatures(systems)]
        if settings is not None:
            lines.append(f"intervals: {intervals(settings)}")
    for s in systems:
        if s.failures:
            lines.append(f"{s.name}: {len(s.failures)} document(s) failed, scored as empty: "
                         + "; ".join(str(f) for f in s.failures[:3]) + (" ..." if len(s.failures) > 3 else ""))
        if s.outside:
            lines.append(f"{s.name}: {len(s.outside)} prediction(s) for documents outside the selected splits, "
                         "not scored: " + ", ".join(s.outside[:5]) + (" ..." if len(s.outside) > 5 else ""))
        unresolved = s.mention.field("actors").unresolved
        if unresolved:
            lines.append(f"{s.name}: {unresolved} predicted actor mention(s) resolved to no registry entity "
                         "(counted as false positives)")
        if getattr(s, "unanchored", 0):
            lines.append(unanchored_note(s))
        if s.missing:
            lines.append(f"{s.name}: {len(s.missing)} document(s) without a prediction, scored as empty: "
                         + ", ".join(s.missing[:5]) + (" ..." if len(s.missing) > 5 else ""))
        if getattr(s, "n_stray", 0):
            lines.append(stray_note(s))
    lines += run_stats.terminal_lines(systems)
    for name, why in unavailable:
        lines.append(f"{name}: skipped: {why}")
    return "\n".join(printable(line) for line in lines)  # nothing from outside reaches the terminal raw


