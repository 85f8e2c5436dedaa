"""The index page: per corpus, field and level, systems ranked by F1 with intervals and
significance groups, a precision–recall chart per field, fingerprints and signatures."""

from __future__ import annotations

from typing import Any, Sequence

from ..schema import FIELDS
from .inputs import LEVELS
from .layout import esc, fmt
from .stats import Table
from .svg import interval_bar, marker, pr_chart


def card_id(name: str) -> str:
    return "card-" + "".join(c if c.isalnum() else "-" for c in name)


def table_html(run: Any, table: Table) -> str:
    fp = run.fingerprint
    caption = (f"{esc(run.corpus_name)} · {esc(table.field)} · {esc(table.level)} level · corpus fingerprint "
               f"<code>{esc(fp)}</code>, {len(run.doc_ids)} documents. Top group (shaded, ★): not significantly "
               f"different from the best: {esc(table.method)}.")
    head = ("<tr><th scope=col>rank</th><th scope=col class=l>system</th><th scope=col>F1</th>"
            "<th scope=col>95% interval</th><th scope=col>P</th><th scope=col>R</th><th scope=col>tp/fp/fn</th>"
            "<th scope=col>top group</th><th scope=col>ΔF1 vs best</th><th scope=col>p</th>"
            "<th scope=col>p (Holm)</th><th scope=col class=l>signature</th></tr>")
    rows = []
    for r in table.rows:
        c = r.comparison
        top = c is not None and c.in_top_group
        lo, hi = r.ci
        label = f"{r.system}: F1 {fmt(r.f1)}, interval {fmt(lo)} to {fmt(hi)}"
        rows.append(
            f'<tr class="{"top" if top else ""}" data-system="{esc(r.system)}" data-rank="{r.rank}" '
            f'data-group="{"top" if top else ("" if c is None else "out")}">'
            f'<td class="rank">{r.rank}</td><td class="l"><a href="cards.html#{esc(card_id(r.system))}">{esc(r.system)}</a></td>'
            f'<td class="f1">{fmt(r.f1)}</td>'
            f'<td class="ci" data-lo="{fmt(lo)}" data-hi="{fmt(hi)}">{interval_bar(r.f1, lo, hi, label=label)} '
            f'[{fmt(lo)}, {fmt(hi)}]</td><td>{fmt(r.precision)}</td><td>{fmt(r.recall)}</td>'
            f'<td>{r.tp}/{r.fp}/{r.fn}</td><td class="grp">{"★ yes" if top else ("no" if c else "—")}</td>'
            f'<td>{"—" if c is None else f"{c.delta:+.3f}"}</td><td>{"—" if c is None or c.system == table.best else f"{c.p:.4f}"}</td>'
            f'<td class="padj">{"—" if c is None or c.system == table.best else f"{c.p_holm:.4f}"}</td>'
            f'<td class="sig"><code>{esc(r.signature)}</code></td></tr>')
    tid = f"t-{run.slug}-{table.field}-{table.level}"
    return (f'<table class="board" id="{esc(tid)}" data-field="{esc(table.field)}" data-level="{esc(table.level)}">'
            f"<caption>{caption}</caption>{head}{''.join(rows)}</table>")


def chart_html(run: Any, field: str, tables: dict[tuple[str, str], Table]) -> str:
    pts = []
    for k, name in enumerate(run.systems):
        for level, filled in (("value", False), ("mention", True)):  # hollow (larger) below, filled on top
            s = run.system(name)[level]
            r, p = s.get(f"{field}.recall"), s.get(f"{field}.precision")
            if r is None or p is None:
                continue
            pts.append((k, f"{name} ({level} level)", float(r), float(p), filled))
    legend = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true">{marker(k, 7, 7, r=4)}</svg> {esc(name)}</li>'
        for k, name in enumerate(run.systems))
    title = f"Precision and recall, {field}, {run.corpus_name} (filled: mention level, hollow: value level)"
    return (f'<figure class="fig">{pr_chart(title, pts)}<figcaption>{esc(field)}: filled marker = mention level, '
            f'hollow = value level; dashed curves: equal F1.<ul class="legend">{legend}</ul></figcaption></figure>')


def corpus_section(run: Any, tables: dict[tuple[str, str], Table]) -> str:
    st = run.results.get("settings", {})
    matchers = ", ".join(f"{k}={v}" for k, v in (st.get("matchers") or {}).items()) or "defaults"
    splits = ", ".join(run.results["corpus"].get("splits") or [])
    out = [f'<section aria-labelledby="h-{esc(run.slug)}"><h2 id="h-{esc(run.slug)}">{esc(run.corpus_name)} '
           f'<code>{esc(run.fingerprint)}</code></h2>'
           f'<p>{len(run.doc_ids)} documents (splits: {esc(splits)}), span mode <code>{esc(st.get("span_mode"))}</code>, '
           f'matchers: {esc(matchers)}, zero_division {esc(st.get("zero_division"))}. Intervals: '
           f'{float(st.get("confidence", 0.95)):.0%} percentile bootstrap over documents '
           f'({esc(st.get("bootstrap_resamples"))} resamples, seed {esc(st.get("seed"))}), computed by '
           f'<code>conflictbench eval</code>. <a href="browse/{esc(run.slug)}/p1.html">Browse the documents</a>.</p>']
    unavailable = run.results.get("unavailable") or []
    if unavailable:
        out.append("<p class=muted>Not scored here: " + "; ".join(
            f"{esc(u.get('name'))} ({esc(u.get('reason'))})" for u in unavailable) + "</p>")
    for field in FIELDS:
        out.append(f"<h3>{esc(field)}</h3>")
        out.append(chart_html(run, field, tables))
        for level in LEVELS:
            out.append(table_html(run, tables[(field, level)]))
    out.append("</section>")
    return "".join(out)


def index_body(runs: Sequence[Any], tables: dict[str, dict[tuple[str, str], Table]]) -> str:
    intro = ("<p>Each table ranks the systems of one corpus on one field at one level by micro-averaged F1 "
             "(equal F1 share a rank). The interval is the bootstrap interval <code>conflictbench eval</code> "
             "computed; the <strong>top group</strong> holds the best system and every system the test cannot "
             "tell apart from it after the stated multiple-comparison correction: a rank alone is not evidence "
             "of a difference. Every row carries its signature (settings, corpus fingerprint, version).</p>")
    toc = "".join(f'<li><a href="#h-{esc(r.slug)}">{esc(r.corpus_name)} <code>{esc(r.fingerprint)}</code></a></li>'
                  for r in runs)
    return intro + f"<ul>{toc}</ul>" + "".join(corpus_section(r, tables[r.slug]) for r in runs)
