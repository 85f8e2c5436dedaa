"""The HTML report: per-field tables, a precision–recall plot per system, and per document
the gold and predicted spans highlighted and marked TP / FP / FN.

One self-contained file, no JavaScript. Every piece of text that comes from a document or
a prediction goes through :func:`html.escape` (a ``<script>`` in an article stays text).
"""

from __future__ import annotations

from html import escape
from typing import Any, Sequence

from .. import __version__
from .common import display_path, intervals, printable
from ..schema import FIELDS

CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
td:first-child,th:first-child,td.l{text-align:left}
.doc{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.6;border:1px solid #ddd;padding:.5em}
mark.tp{background:#b7e4b0}mark.fp{background:#f7c4c4}mark.fn{background:#fde6a7}
mark.mix{background:linear-gradient(#b7e4b0,#f7c4c4)}
.k{font-size:.8em;padding:0 4px}.tp{background:#b7e4b0}.fp{background:#f7c4c4}.fn{background:#fde6a7}
code{font-size:.85em}svg{border:1px solid #ddd;margin:4px}
"""


def describe(field: str, s: dict) -> str:
    """A short plain-text description of an item's value."""
    if field == "casualties":
        q = s.get("qualifier")
        n = (f"{s.get('count_low')}–{s.get('count_high')}" if q == "range"
             else "vague" if q == "vague" else str(s.get("count")))
        return f"{s.get('kind')} {n} ({q}, {s.get('victims')})"
    if field == "actors":
        return str(s.get("entity")) if s.get("entity") else f"unresolved: {s.get('text')!r}"
    return str(s.get("value"))


def highlight(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with ``<mark>`` around every segment covered by (start, end, status, title)."""
    marks = [m for m in marks if m[0] is not None and m[1] is not None and 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = escape(text[a:b])
        cover = [m for m in marks if m[0] <= a and b <= m[1]]
        if not cover:
            out.append(seg)
            continue
        statuses = {m[2] for m in cover}
        cls = statuses.pop() if len(statuses) == 1 else "mix"
        title = "; ".join(f"{m[2].upper()} {m[3]}" for m in cover)
        out.append(f'<mark class="{cls}" title="{escape(title)}">{seg}</mark>')
    return "".join(out)


def pr_plot(system: Any, size: int = 240) -> str:
    """An SVG precision–recall plot: one point per field and level, iso-F1 curves behind."""
    pad = 30
    span = size - 2 * pad

    def xy(r: float, p: float) -> tuple[float, float]:
        return pad + r * span, size - pad - p * span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
             f'aria-label="precision-recall plot of {escape(printable(system.name))}">']
    for f1 in (0.2, 0.4, 0.6, 0.8):
        pts = []
        for i in range(1, 101):
            r = f1 / 2 + (1 - f1 / 2) * i / 100
            p = f1 * r / (2 * r - f1)
            if 0 <= p <= 1:
                pts.append("%.1f,%.1f" % xy(r, p))
        parts.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="#ddd"/>')
    x0, y0 = xy(0, 0)
    x1, y1 = xy(1, 1)
    parts.append(f'<rect x="{x0}" y="{y1}" width="{x1 - x0}" height="{y0 - y1}" fill="none" stroke="#888"/>')
    parts.append(f'<text x="{size / 2}" y="{size - 6}" font-size="11" text-anchor="middle">recall</text>')
    parts.append(f'<text x="10" y="{size / 2}" font-size="11" transform="rotate(-90 10 {size / 2})" '
                 'text-anchor="middle">precision</text>')
    colours = {"casualties": "#c0392b", "actors": "#2471a3", "dates": "#1e8449"}
    for res, fill in ((system.mention, True), (system.value, False)):
        for f in res.fields:
            if f.precision != f.precision or f.recall != f.recall:
                continue
            x, y = xy(f.recall, f.precision)
            c = colours[f.field]
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" stroke="{c}" stroke-width="2" '
                         f'fill="{c if fill else "white"}"><title>{f.field} {res.level}: P={f.precision:.3f} '
                         f'R={f.recall:.3f} F1={f.f1:.3f}</title></circle>')
    for i, (field, c) in enumerate(colours.items()):
        parts.append(f'<text x="{pad + 4}" y="{pad - 16 + 11 * i}" font-size="9" fill="{c}">{field}</text>')
    parts.append(f'<text x="{size - pad}" y="{pad - 16}" font-size="9" text-anchor="end">● mention ○ value</text>')
    parts.append("</svg>")
    return "".join(parts)


def _field_table(systems: Sequence[Any], field: str) -> str:
    rows = []
    for s in systems:
        f = s.mention.field(field)
        lo, hi = s.ci[(field, "mention")]
        v = s.value.field(field)
        attrs = ", ".join(f"{a.name} {a.correct}/{a.total}" for a in f.attributes)
        rows.append(f"<tr><td>{escape(printable(s.name))}</td><td>{f.counts.tp}</td><td>{f.counts.fp}</td><td>{f.counts.fn}</td>"
                    f"<td>{f.precision:.3f}</td><td>{f.recall:.3f}</td><td>{f.f1:.3f}</td>"
                    f"<td>[{lo:.3f}, {hi:.3f}]</td><td>{v.f1:.3f}</td><td class=l>{escape(attrs)}</td></tr>")
        zd = s.mention.zero_division
        for label, c in f.by_label:
            p, r, f1 = c.prf(zero_division=0.0 if zd == "warn" else zd)  # the run's policy, as results.json
            rows.append(f"<tr><td class=l>&nbsp;&nbsp;{escape(label)}</td><td>{c.tp}</td><td>{c.fp}</td>"
                        f"<td>{c.fn}</td><td>{p:.3f}</td><td>{r:.3f}</td><td>{f1:.3f}</td><td></td><td></td><td></td></tr>")
    sigs = []  # every score in the table carries its signature: P/R/F1 at mention level, value F1
    for s in systems:
        for res in (s.mention, s.value):
            sig = str(res.field(field).signature)
            if sig not in sigs:
                sigs.append(sig)
    return (f"<h3>{field}</h3><p>" + "<br>".join(f"<code>{escape(sig)}</code>" for sig in sigs) + "</p>"
            "<table><tr><th>system / label</th><th>tp</th><th>fp</th><th>fn</th><th>P</th><th>R</th><th>F1</th>"
            "<th>F1 95% CI</th><th>value F1</th><th>attribute accuracy</th></tr>" + "".join(rows) + "</table>")


def _document_section(doc: dict, systems: Sequence[Any], registry: Any) -> str:
    from ..scoring import Scorer

    out = [f'<h3 id="{escape(doc["id"])}">{escape(doc.get("title") or doc["id"])}</h3>'
           f'<p><code>{escape(doc["id"])}</code> · {escape(str(doc.get("source") or ""))} · '
           f'{escape(str(doc.get("publication_date") or ""))}</p>']
    for s in systems:
        sm = s.mention
        aligned = Scorer(registry=registry, span_mode=sm.span_mode, zero_division=0.0,
                         matchers={f.field: f.matcher for f in sm.fields}, keep_documents=False
                         ).add(doc, s.predictions.get(doc["id"]))
        failed = [f for f in s.failures if f.doc_id == doc["id"]]
        note = f' <span class="k fp">failed: {escape(str(failed[0].kind))}</span>' if failed else ""
        out.append(f"<details><summary>{escape(printable(s.name))}{note}</summary>")
        for field in FIELDS:
            gold, pred, al = aligned[field]
            marks, items = [], []
            for g, p in al.pairs:
                marks.append((gold[g].get("start"), gold[g].get("end"), "tp", describe(field, gold[g])))
                if (pred[p].get("start"), pred[p].get("end")) != (gold[g].get("start"), gold[g].get("end")):
                    marks.append((pred[p].get("start"), pred[p].get("end"), "tp", describe(field, pred[p])))
                items.append(("tp", gold[g], pred[p]))
            for g in al.missed:
                marks.append((gold[g].get("start"), gold[g].get("end"), "fn", describe(field, gold[g])))
                items.append(("fn", gold[g], None))
            for p in al.spurious:
                marks.append((pred[p].get("start"), pred[p].get("end"), "fp", describe(field, pred[p])))
                items.append(("fp", None, pred[p]))
            c = al.counts
            out.append(f"<h4>{field}: {c.tp} TP, {c.fp} FP, {c.fn} FN</h4>")
            out.append(f'<div class="doc">{highlight(doc["text"], marks)}</div>')
            rows = "".join(
                f'<tr><td class="l"><span class="k {st}">{st.upper()}</span></td>'
                f'<td class="l">{escape(repr(g.get("text"))) if g else ""}</td>'
                f'<td class="l">{escape(describe(field, g)) if g else ""}</td>'
                f'<td class="l">{escape(repr(p.get("text"))) if p else ""}</td>'
                f'<td class="l">{escape(describe(field, p)) if p else ""}</td></tr>'
                for st, g, p in items)
            out.append("<table><tr><th>status</th><th>gold text</th><th>gold value</th><th>predicted text</th>"
                       f"<th>predicted value</th></tr>{rows}</table>")
        out.append("</details>")
    return "".join(out)


def render_report(systems: Sequence[Any], selection: Any, *, max_documents: int = 50, settings: Any = None) -> str:
    """The report; the per-document section shows the first ``max_documents`` documents."""


    how = f" F1 intervals: {escape(intervals(settings))}." if settings is not None else ""
    head = (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>conflictbench report</title>"
            f"<style>{CSS}</style></head><body><h1>conflictbench report</h1>"
            f"<p>Corpus <code>{escape(display_path(selection.corpus.path))}</code>, "
            f"{len(selection.doc_ids)} document(s), fingerprint <code>{escape(selection.fingerprint)}</code>, "
            f"conflictbench {__version__}.{how} <span class='k tp'>TP</span> <span class='k fp'>FP</span> "
            f"<span class='k fn'>FN</span></p>")
    if not systems:
        return head + "<p>No system was scored.</p></body></html>\n"
    body = ["<h2>Precision and recall</h2><div>"]
    for s in systems:
        body.append(f"<figure style='display:inline-block'>{pr_plot(s)}<figcaption>{escape(printable(s.name))}</figcaption></figure>")
    body.append("</div><h2>Per field</h2>")
    body += [_field_table(systems, f) for f in FIELDS]
    docs = selection.documents()
    shown = docs[:max_documents]
    body.append(f"<h2>Documents</h2><p>{len(shown)} of {len(docs)} document(s) shown.</p>")
    registry = selection.corpus.registry
    for doc in shown:
        body.append(_document_section(doc, systems, registry))
    return head + "".join(body) + "</body></html>\n"
