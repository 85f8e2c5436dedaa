"""``conflictbench timeml score GOLD SYSTEM``: TempEval-3 timex figures of a folder of system
``.tml`` files against a gold folder (the definitions are in :mod:`conflictbench.scoring.te3`).

Every gold file (any depth) is paired with the system file at the same relative path; a
missing system file, or one whose ``<TEXT>`` text differs from the gold's, is an error (the
official scorer stops on "TEXTS NOT SAME" too). The DCT is not scored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..scoring import te3
from ..errors import DataError
from .reader import TmlFile, read_tml


def timex_items(tml: TmlFile) -> list[dict[str, Any]]:
    """The scored TIMEX3 of ``<TEXT>``: consuming ones with their extent, and one item
    without extent per empty TIMEX3 (counted, never matched, as the official script does)."""
    items = [{"start": t.start, "end": t.end, "value": t.get("value"), "type": t.get("type")}
             for t in tml.timexes]
    return items + [{"start": None, "end": None, "value": None, "type": None} for _ in tml.empty_timexes]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.tml") if p.is_file() and not p.name.startswith("._"))


def score_folders(gold_dir: str | Path, system_dir: str | Path) -> te3.TE3Score:
    gold_dir, system_dir = Path(gold_dir), Path(system_dir)
    for label, d in (("gold", gold_dir), ("system", system_dir)):
        if not d.is_dir():
            raise DataError(f"{d}: {label} folder not found")
    gold_files = _files(gold_dir)
    if not gold_files:
        raise DataError(f"{gold_dir}: no .tml file in the gold folder")
    h = hashlib.sha256()
    pairs = []
    for g in gold_files:
        rel = g.relative_to(gold_dir)
        s = system_dir / rel
        if not s.is_file():
            raise DataError(f"{s}: no system file for gold {g}")
        gdata = g.read_bytes()
        h.update(rel.as_posix().encode("utf-8") + b"\0" + gdata)
        gold, system = read_tml(gdata, str(g)), read_tml(s.read_bytes(), str(s))
        if gold.text != system.text:
            at = next((i for i, (a, b) in enumerate(zip(gold.text, system.text)) if a != b),
                      min(len(gold.text), len(system.text)))
            line = gold.text.count("\n", 0, at) + 1
            raise DataError(f"{s}: the <TEXT> text differs from the gold's ({g}) at character {at} "
                            f"(text line {line}); a system file adds tags only")
        pairs.append((timex_items(gold), timex_items(system)))
    return te3.score_documents(pairs, fingerprint=h.hexdigest()[:12])
