"""What every renderer shares: the leaderboard rows, signatures, notes, paths and escaping.

Renderers read typed results (:class:`~conflictbench.evaluation.SystemResult`) and never
recompute a score.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from ..schema import FIELDS

LEVELS = ("mention", "value")


#: characters that must never reach a terminal or a file raw: C0/C1 controls (ANSI escapes start
#: with ESC), DEL, zero-width and bidirectional controls, line/paragraph separators, lone surrogates
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def printable(text: Any, *, keep_newlines: bool = False) -> str:
    """``text`` with every :data:`UNPRINTABLE` character written as its escape (``\\n``, ``\\x1b``,
    ``\\u202e``): a name or message from outside (an extractor's name, a program's output)
    cannot break a table row, colour a terminal or reorder what is shown."""
    text = text if isinstance(text, str) else str(text)

    def esc(m: re.Match) -> str:
        c = m.group()
        if keep_newlines and c == "\n":
            return c
        if c in "\n\r\t":
            return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[c]
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return UNPRINTABLE.sub(esc, text)


def json_safe_text(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with every :data:`UNPRINTABLE` character as a ``\\uXXXX``
    escape: the same JSON value, nothing raw in the file (they can only occur inside strings)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: what json.dumps(ensure_ascii=False) leaves raw (it escapes C0 controls itself; the newlines of
#: its indentation are outside strings and stay)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


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
                printable(s.name), f, _f(m.precision), _f(m.recall), _f(m.f1), f"[{_f(lo)}, {_f(hi)}]",
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


def stray_note(s: Any) -> str:
    shown = "; ".join(str(x) for x in s.stray[:3]) + (" ..." if s.n_stray > 3 else "")
    return (f"{s.name}: {s.n_stray} stray output line(s) answered no document asked about (ignored, "
            f"never scored): {shown}")


def display_path(path: Any) -> str:
    """``path`` relative to the source checkout when inside it (results stay reproducible)."""
    from ..corpus import project_root

    root = project_root()
    p = Path(path).resolve()
    if root is not None and p.is_relative_to(root):
        return str(p.relative_to(root))
    return str(path)


def md_cell(text: str) -> str:
    """A table cell: control characters, HTML-significant characters and pipes escaped (names come
    from users)."""
    return printable(text.strip()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


