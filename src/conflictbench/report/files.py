"""Writing a run's result files as one set.

The result folder is written whole into a fresh folder and swapped with the old one in one
step (:func:`conflictbench.atomic.write_set`): at every instant the folder holds the previous
run's files or the new run's, never a mix, and a run that fails or is killed half-way leaves the
previous results in place (its leftovers are removed by the next run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..atomic import write_sets
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

    ``extra`` (path → text; e.g. saved predictions) is written first, each folder as one set.
    Everything is rendered first, then written into a fresh folder, then swapped in: a failure
    at any step leaves every previous file as it was, so the three files always describe the
    same run. With ``html=False`` a ``report.html`` of an earlier run is removed (it
    would disagree with the new leaderboard), and so are per-document files of an earlier run.
    """
    out_dir = Path(out_dir)
    texts: dict[Path, str | None] = {Path(p): t for p, t in (extra or {}).items() if Path(p).parent != out_dir}
    texts |= {
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
        texts[Path(path)] = text  # extra files inside the result folder join its set
    write_sets(texts)
    return [p for p, t in texts.items() if t is not None]
