"""``conflictbench site``: the static leaderboard site of one or more result folders.

:func:`build_site` reads and checks every folder first (:mod:`.inputs`), computes the tables
(:mod:`.stats`), then writes the whole site into a temporary folder beside ``out`` and moves
it into place (:func:`conflictbench.atomic.replace_dir`): a failure leaves the previous site.
A folder that is not empty and was not written by this command is never replaced.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import ParameterError, check_choice
from ..schema import FIELDS
from .browse import browse_page, document_html, error_rows, errors_page, n_pages, page_bounds
from .cards import SliceCounts, cards_body, slices_section
from .inputs import LEVELS, Run, read_run
from .layout import CSS, JS, downloads_box, esc, page
from .leaderboard import index_body
from .stats import TESTS, build_table

MARKER = ".conflictbench-site"


@dataclass(frozen=True)
class SiteSummary:
    out: Path
    corpora: tuple[str, ...]
    n_documents: int
    n_pages: int


def _check_int(name: str, value: object, low: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ParameterError(f"The {name!r} parameter of build_site() must be an integer ≥ {low}. Got {value!r} instead.")


def build_site(folders: Sequence[str | Path], out: str | Path, *, page_size: int = 20, list_size: int = 200,
               test: str = "bootstrap", n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05) -> SiteSummary:
    from ..atomic import replace_dir

    _check_int("page_size", page_size)
    _check_int("list_size", list_size)
    _check_int("n_resamples", n_resamples)
    _check_int("seed", seed, 0)
    check_choice("build_site", "test", test, TESTS)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ParameterError(f"The 'alpha' parameter of build_site() must be in (0, 1). Got {alpha!r} instead.")
    if not folders:
        raise ParameterError("conflictbench site needs at least one results folder")
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise ParameterError(f"--out {out}: exists and is not a site written by conflictbench site; "
                             "choose an empty or new folder")
    taken: set[str] = set()
    runs: list[Run] = []
    for f in folders:
        run = read_run(f, taken=taken)
        taken.add(run.slug)
        runs.append(run)
    tables = {run.slug: {(field, level): build_table(run, field, level, test=test, n_resamples=n_resamples,
                                                     seed=seed, alpha=alpha)
                         for field in FIELDS for level in LEVELS} for run in runs}
    written = 0
    with replace_dir(out) as tmp:
        def write(rel: str, text: str) -> None:
            nonlocal written
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
            written += rel.endswith(".html")

        write("assets/site.css", CSS)
        write("assets/site.js", JS)
        for run in runs:
            dest = tmp / "data" / run.slug
            (dest / "predictions").mkdir(parents=True)
            for name in ("results.json", "documents.csv"):
                shutil.copyfile(run.folder / name, dest / name)
            for p in run.predictions:
                shutil.copyfile(p, dest / "predictions" / p.name)
        top = downloads_box(runs, "")
        write("index.html", page("conflictbench leaderboard", index_body(runs, tables),
                                 root="", downloads=top))
        write("cards.html", page("Extractor cards", cards_body(runs), root="", downloads=top))
        slices = []
        for run in runs:
            acc = SliceCounts(len(run.systems))
            dl = downloads_box([run], "../../")
            last = n_pages(len(run.doc_ids), page_size)
            n_err = [error_rows(run, k) for k in range(len(run.systems))]
            batch: list[str] = []
            pno = 1
            for i, doc in enumerate(run.documents()):
                acc.add(doc)
                batch.append(document_html(doc, i, run))
                if len(batch) == page_size:
                    start, _ = page_bounds(pno, page_size, len(run.doc_ids))
                    write(f"browse/{run.slug}/p{pno}.html", page(f"Documents, page {pno}", browse_page(
                        run, pno, last, batch, start, [len(e) for e in n_err]), root="../../", downloads=dl, scripts=True))
                    batch, pno = [], pno + 1
            if batch or pno == 1:
                start, _ = page_bounds(pno, page_size, len(run.doc_ids))
                write(f"browse/{run.slug}/p{pno}.html", page(f"Documents, page {pno}", browse_page(
                    run, pno, last, batch, start, [len(e) for e in n_err]), root="../../", downloads=dl, scripts=True))
            for k, rows in enumerate(n_err):
                elast = n_pages(len(rows), list_size)
                for epno in range(1, elast + 1):
                    a, b = page_bounds(epno, list_size, len(rows))
                    write(f"browse/{run.slug}/errors-s{k}-{epno}.html", page(
                        f"Errors of {run.systems[k]}, page {epno}",
                        errors_page(run, k, epno, elast, rows[a:b], page_size, list_size),
                        root="../../", downloads=dl))
            slices.append(slices_section(run, acc))
        write("slices.html", page("Slices", "".join(slices), root="", downloads=top))
        links = "".join(
            f'<li>{esc(r.corpus_name)} <code>{esc(r.fingerprint)}</code>: <a href="browse/{esc(r.slug)}/p1.html">'
            f'{len(r.doc_ids)} documents, {n_pages(len(r.doc_ids), page_size)} pages of {page_size}</a></li>'
            for r in runs)
        write("browse.html", page("Instance browser", f"<ul>{links}</ul>", root="", downloads=top))
        write(MARKER, "written by conflictbench site; the whole folder is replaced on the next run\n")
    return SiteSummary(out, tuple(r.slug for r in runs), sum(len(r.doc_ids) for r in runs), written)
