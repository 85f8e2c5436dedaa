"""What every renderer shares: the leaderboard rows, signatures, notes, paths and escaping.

Renderers read typed results (:class:`~conflictbench.evaluation.SystemResult`) and never
recompute a score.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..schema import FIELDS

LEVELS = ("mention", "value")


def _f(x: float) -> str:
    return "  nan" if x != x else f"{x:.3f}"


def rows(systems: Sequence[Any]) -> list[list[str]]:
    """One row per system and field: P, R, F1 and its CI at mention level, F1 at value level."""
    out = []
    for s in systems:
        for f in FIELDS:
            m, v = s.mention.field(f), s.value.field(f)
            lo, hi = s.ci[(f, "mention")]
            vlo, vhi = s.ci[(f, "value")]
            out.append([
                s.name, f, _f(m.precision), _f(m.recall), _f(m.f1), f"[{_f(lo)}, {_f(hi)}]",
                f"{m.counts.tp}/{m.counts.fp}/{m.counts.fn}", _f(v.f1), f"[{_f(vlo)}, {_f(vhi)}]",
                str(len(s.failures)),
            ])
    return out


HEADER = ["system", "field", "P", "R", "F1", "F1 95% CI", "tp/fp/fn", "value F1", "value F1 95% CI", "failed"]


def signatures(systems: Sequence[Any]) -> list[str]:
    seen: list[str] = []
    for s in systems:
        for res in (s.mention, s.value):
            for f in res.fields:
                if str(f.signature) not in seen:
                    seen.append(str(f.signature))
    return seen


def intervals(settings: Any) -> str:
    """How the confidence intervals were computed (they depend on these, the signatures do not)."""
    return (f"{settings.confidence:.0%} percentile bootstrap intervals over documents "
            f"({settings.n_resamples} resamples, seed {settings.seed})")


def unanchored_note(s: Any) -> str:
    return (f"{s.name}: {s.unanchored} predicted item(s) without offsets match nothing with span mode "
            "strict/overlap (counted as false positives); score offset-less systems with --span-mode none")


def display_path(path: Any) -> str:
    """``path`` relative to the source checkout when inside it (results stay reproducible)."""
    from ..corpus import project_root

    root = project_root()
    p = Path(path).resolve()
    if root is not None and p.is_relative_to(root):
        return str(p.relative_to(root))
    return str(path)


def md_cell(text: str) -> str:
    """A table cell: HTML-significant characters and pipes escaped (names come from users)."""
    return text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


