"""The instance browser: every document, ``page_size`` to a page, with per-document scores,
gold and predicted spans highlighted from the run's alignment, the MUC-style taxonomy of every
pair, and filters (system, field, only errors, TP/FP/FN) in a few lines of vanilla JS.

No page holds every document: ``browse/<corpus>/p<N>.html`` holds documents
``(N−1)·size … N·size − 1``; ``browse/<corpus>/errors-s<k>-<N>.html`` lists, ``list_size``
to a page, the documents where system *k* has a false positive or negative (links into the
pages), so "only errors" reaches beyond the page at hand.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..report.html import describe
from ..schema import FIELDS
from .layout import esc, fmt

#: what an entry counts as → (class of the gold item's mark, class of the predicted item's mark)
MARKS = {"tp": ("tp", "tp"), "fp fn": ("fn", "fp"), "fn": ("fn", None), "fp": (None, "fp"), "": ("ig", None)}


def n_pages(n_items: int, size: int) -> int:
    """Pages needed for ``n_items`` at ``size`` a page; an empty list still has one (empty) page."""
    return max(1, -(-n_items // size))


def page_of(index: int, size: int) -> int:
    """The 1-based page holding the 0-based item ``index``."""
    return index // size + 1


def page_bounds(page: int, size: int, n_items: int) -> tuple[int, int]:
    """The half-open [start, stop) item range of 1-based ``page``."""
    start = (page - 1) * size
    return start, min(n_items, start + size)


def window(page: int, last: int, radius: int = 3) -> list[int]:
    """The page numbers linked around ``page``: first, last and ``radius`` on each side."""
    keep = {1, last, *range(max(1, page - radius), min(last, page + radius) + 1)}
    return sorted(keep)


def pager(page: int, last: int, prefix: str, label: str) -> str:
    """Navigation links: previous, a window of pages (gaps marked …), next, and a go-to form."""
    parts = []
    if page > 1:
        parts.append(f'<a href="{prefix}{page - 1}.html" rel="prev">← previous</a>')
    prev = 0
    for n in window(page, last):
        if n - prev > 1:
            parts.append("<span>…</span>")
        parts.append(f'<span aria-current="page">{n}</span>' if n == page else f'<a href="{prefix}{n}.html">{n}</a>')
        prev = n
    if page < last:
        parts.append(f'<a href="{prefix}{page + 1}.html" rel="next">next →</a>')
    return f'<nav class="pager" aria-label="{esc(label)}">{"".join(parts)}</nav>'


def highlight(text: str, marks: Sequence[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, every (start, end, class, title) range wrapped in nested ``<mark>``s."""
    marks = [m for m in marks if 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = esc(text[a:b])
        cover = sorted((m for m in marks if m[0] <= a and b <= m[1]), key=lambda m: (m[0], -m[1], m[2]))
        for m in cover:
            out.append(f'<mark class="{m[2]}" title="{esc(m[3])}">')
        out.append(seg)
        out.append("</mark>" * len(cover))
    return "".join(out)


def _anchored(item: dict | None, text: str) -> bool:
    return (item is not None and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
            and 0 <= item["start"] < item["end"] <= len(text))


def _f1(tp: int, fp: int, fn: int) -> str:
    den = 2 * tp + fp + fn
    return "—" if den == 0 else fmt(2 * tp / den)


def system_section(doc: dict, k: int, name: str, entry: dict) -> str:
    text = doc["text"]
    marks, rows, floating = [], [], []
    for field in FIELDS:
        gold = doc["gold"].get(field) or []
        pred = (entry.get("pred") or {}).get(field) or []
        for status, g, p, counted in (entry.get("taxonomy") or {}).get(field) or []:
            gi = gold[g] if g is not None and 0 <= g < len(gold) else None
            pi = pred[p] if p is not None and 0 <= p < len(pred) else None
            gcls, pcls = MARKS.get(counted, (None, None))
            items = [(gi, gcls, "gold"), (pi, pcls, "predicted")]
            if (counted == "tp" and status == "correct" and _anchored(gi, text) and _anchored(pi, text)
                    and (gi["start"], gi["end"]) == (pi["start"], pi["end"])):
                items = [(gi, gcls, "gold = predicted")]  # one mark for the pair at one place
            for item, cls, who in items:
                if item is None or cls is None:
                    continue
                desc = f"{status} ({counted.upper() or 'not counted'}) {field} ({who}): {describe(field, item)}"
                if _anchored(item, text):
                    marks.append((item["start"], item["end"], f"f-{field} {cls}", desc))
                else:
                    floating.append(f'<li data-field="{field}"><span class="st {status}">{status}</span> {esc(desc)}</li>')
            rows.append(
                f'<tr data-field="{field}" data-st="{esc(counted or "ig")}"><td>{field}</td>'
                f'<td><span class="st {esc(status)}">{esc(status)}</span> {esc(counted.upper() or "—")}</td>'
                f'<td>{esc(gi.get("text") or "") if gi else ""}</td><td>{esc(describe(field, gi)) if gi else ""}</td>'
                f'<td>{esc(pi.get("text") or "") if pi else ""}</td><td>{esc(describe(field, pi)) if pi else ""}</td></tr>')
    failed = entry.get("failed")
    note = f' <span class="st spurious">failed: {esc(failed)} (scored as empty)</span>' if failed else ""
    side = (f'<h5>Items without a place in the text</h5><ul>{"".join(floating)}</ul>' if floating else "")
    table = ('<table class="pairs"><tr><th>field</th><th>taxonomy</th><th>gold text</th><th>gold value</th>'
             '<th>predicted text</th><th>predicted value</th></tr>' + "".join(rows) + "</table>"
             ) if rows else "<p class=muted>No gold or predicted item.</p>"
    return (f'<section class="sys" data-sys="s{k}"><h4>{esc(name)}{note}</h4><div class="row">'
            f'<div class="text">{highlight(text, marks)}</div><div class="side">{side}{table}</div></div></section>')


def document_html(doc: dict, index: int, run: Any) -> str:
    has, score_rows = [], []
    for k, name in enumerate(run.systems):
        cells = []
        for fi, field in enumerate(FIELDS):
            tp, fp, fn = (int(x) for x in run.counts[k, 0, fi, index])
            vtp, vfp, vfn = (int(x) for x in run.counts[k, 1, fi, index])
            has += [f"s{k}-{field}-{s}" for s, n in (("tp", tp), ("fp", fp), ("fn", fn)) if n]
            cells.append(f'<td>{tp}/{fp}/{fn}</td><td>{_f1(tp, fp, fn)}</td><td>{_f1(vtp, vfp, vfn)}</td>')
        score_rows.append(f'<tr data-sys="s{k}"><th class=l>{esc(name)}</th>{"".join(cells)}</tr>')
    head = "".join(f"<th>{f} tp/fp/fn</th><th>F1</th><th>value F1</th>" for f in FIELDS)
    title = doc.get("title") or doc["id"]
    return (f'<article class="doc" id="d-{index}" data-id="{esc(doc["id"])}" data-has="{" ".join(has)}">'
            f'<h3>{esc(title)}</h3><p class="muted">#{index + 1} · <code>{esc(doc["id"])}</code> · split '
            f'{esc(doc.get("split") or "—")} · {len(doc["text"])} characters</p>'
            f'<table class="scores"><tr><th class=l>system</th>{head}</tr>{"".join(score_rows)}</table>'
            + "".join(system_section(doc, k, name, e) for k, (name, e) in enumerate(zip(run.systems, doc["systems"])))
            + "</article>")


def filters_form(run: Any, n_on_page: int) -> str:
    sys_opts = '<option value="all">all systems</option>' + "".join(
        f'<option value="s{k}">{esc(n)}</option>' for k, n in enumerate(run.systems))
    field_opts = '<option value="all">all fields</option>' + "".join(f'<option value="{f}">{f}</option>' for f in FIELDS)
    sts = "".join(f'<label><input type="checkbox" name="st-{s}" checked> {s.upper()}</label>' for s in ("tp", "fp", "fn"))
    return (f'<form class="filters" id="filters" aria-label="filters"><label>System <select name="sys">{sys_opts}</select>'
            f'</label><label>Field <select name="field">{field_opts}</select></label>{sts}'
            f'<label><input type="checkbox" name="errors"> only errors (FP or FN)</label>'
            f'<p role="status"><span id="shown">{n_on_page}</span> of {n_on_page} documents of this page shown. '
            f"Filters act on this page; the error lists below span the whole corpus.</p></form>")


def error_links(run: Any, n_lists: Sequence[int]) -> str:
    return "<p>Documents with an error (FP or FN, any field, mention level) across the corpus: " + " · ".join(
        f'<a href="errors-s{k}-1.html">{esc(name)}</a> ({n})' for k, (name, n) in enumerate(zip(run.systems, n_lists))
    ) + "</p>"


def browse_page(run: Any, page: int, last: int, docs_html: Sequence[str], start: int, n_err: Sequence[int]) -> str:
    stop = start + len(docs_html)
    form = (f'<form id="goto" data-pages="{last}"><label>Go to page <input name="page" type="number" min="1" '
            f'max="{last}" value="{page}"></label> <button type="submit">go</button></form>')
    return (f"<p>{esc(run.corpus_name)} <code>{esc(run.fingerprint)}</code>: documents {start + 1}–{stop} of "
            f"{len(run.doc_ids)}, page {page} of {last}. Marks: <mark class=tp>TP</mark> <mark class=fp>FP</mark> "
            f"<mark class=fn>FN</mark> <mark class=ig>optional, unmatched</mark>. Taxonomy (MUC): correct (same "
            f"place and value); partial (same value, overlapping place: TP in span mode overlap, FP + FN in strict); "
            f"incorrect (overlapping place, other value: FP + FN); missing (FN); spurious (FP). Each document's "
            f"table: its mention-level tp/fp/fn and F1, and its value-level F1, per system.</p>"
            + error_links(run, n_err) + filters_form(run, len(docs_html)) + pager(page, last, "p", "pages") + form
            + "".join(docs_html) + pager(page, last, "p", "pages (bottom)"))


def error_rows(run: Any, k: int) -> list[int]:
    """Indices of the documents where system ``k`` has a FP or FN in some field (mention level)."""
    errs = run.counts[k, 0, :, :, 1:].sum(axis=(0, 2))
    return [int(i) for i in errs.nonzero()[0]]


def errors_page(run: Any, k: int, page: int, last: int, indices: Sequence[int], size: int, list_size: int) -> str:
    head = "".join(f"<th scope=col>{f} fp</th><th scope=col>{f} fn</th>" for f in FIELDS)
    rows = []
    for i in indices:
        cells = "".join(f"<td>{int(run.counts[k, 0, fi, i, 1])}</td><td>{int(run.counts[k, 0, fi, i, 2])}</td>"
                        for fi in range(len(FIELDS)))
        rows.append(f'<tr><td class=l><a href="p{page_of(i, size)}.html#d-{i}">{esc(run.doc_ids[i])}</a></td>'
                    f'<td class=l>{esc(run.splits[i] if i < len(run.splits) else "")}</td>{cells}</tr>')
    name = run.systems[k]
    return (f"<p>Documents where <strong>{esc(name)}</strong> has a false positive or negative "
            f"({esc(run.corpus_name)} <code>{esc(run.fingerprint)}</code>), {list_size} to a page, "
            f"page {page} of {last}. <a href=\"p1.html\">All documents</a>.</p>"
            + pager(page, last, f"errors-s{k}-", "pages")
            + f'<table><tr><th scope=col class=l>document</th><th scope=col class=l>split</th>{head}</tr>'
            + "".join(rows) + "</table>")
