"""Writing a run's result files as one set.

The files are written as one set (:func:`conflictbench.atomic.write_together`): a run that
fails or is interrupted half-way leaves the previous results in place, never a mix of two runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..atomic import write_together
from .html import render_report
from .markdown import markdown
from .documents import document_files, stale_document_files
from .results_json import results_json


def write_results(out_dir: str | Path, systems: Sequence[Any], selection: Any, settings: Any,
                  unavailable: Sequence[tuple[str, str]] = (), *, html: bool = True,
                  extra: Mapping[str | Path, str] | None = None) -> list[Path]:
    """Write ``leaderboard.md``, ``results.json``, ``report.html`` and the per-document files
    (``documents.csv``, ``documents.jsonl``, ``predictions/<name>.jsonl``: :mod:`.documents`,
    the input of ``conflictbench site``) as one set.

    ``extra`` (path → text) joins the set (e.g. saved predictions). Everything is rendered
    first, then written to temporary siblings, then moved into place together: a failure
    at any step leaves every previous file as it was, so the three files always describe
    the same run. With ``html=False`` a ``report.html`` of an earlier run is removed (it
    would disagree with the new leaderboard), and so are per-document files of an earlier run.
    """
    out_dir = Path(out_dir)
    texts: dict[Path, str | None] = {
        out_dir / "leaderboard.md": markdown(systems, selection, unavailable, settings=settings),
        out_dir / "results.json": results_json(systems, selection, settings, unavailable),
    }
    if html:
        texts[out_dir / "report.html"] = render_report(systems, selection, settings=settings)
        texts.update(document_files(out_dir, systems, selection, settings))
    else:
        if (out_dir / "report.html").exists():
            texts[out_dir / "report.html"] = None
        texts.update(stale_document_files(out_dir))
    for path, text in (extra or {}).items():
        texts[Path(path)] = text
    write_together(texts)
    return [p for p, t in texts.items() if t is not None]
