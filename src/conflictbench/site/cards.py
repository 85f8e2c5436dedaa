"""The extractor cards and the slices page.

Cards say what the results record about each system (name, version, kind, source, speed,
failures by kind, missing documents, offset-less predictions) and, plainly, what results
format v1 does not record (model, endpoint, prompt hash, licence, tokens, latency, grounding).

Slices pool the per-document counts (never a new alignment): by label (from ``results.json``),
by split and by document length (``documents.csv``), and by casualty qualifier and absolute
vs relative date (the items of the run's taxonomy in ``documents.jsonl``).
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..schema import FIELDS
from .layout import esc, fmt
from .leaderboard import card_id

LENGTH_BINS = ((0, 500), (500, 2000), (2000, 5000), (5000, None))
NOT_RECORDED = ("family (rules / NER model / LLM / program) beyond the kind of system", "model id",
                "endpoint kind", "prompt hash", "licence", "tokens", "latency", "grounding shares")


def _f1(tp: int, fp: int, fn: int) -> float:
    den = 2 * tp + fp + fn
    return float("nan") if den == 0 else 2 * tp / den


def version_of(name: str) -> str:
    m = re.search(r"\.v(\d+)$", name)
    return f"v{m.group(1)}" if m else "not stated in the name"


def cards_body(runs: Sequence[Any]) -> str:
    names: list[str] = []
    for run in runs:
        names += [n for n in run.systems if n not in names]
    out = ["<p>One card per system, with what each corpus's results record about it.</p>"]
    for name in names:
        out.append(f'<section id="{esc(card_id(name))}" aria-label="{esc(name)}"><h2>{esc(name)}</h2>'
                   f"<p>version: {esc(version_of(name))}. Not recorded by results format v1: "
                   f"{esc(', '.join(NOT_RECORDED))}.</p>")
        out.append("<table><tr><th scope=col class=l>corpus</th><th scope=col class=l>kind</th>"
                   "<th scope=col class=l>source</th><th scope=col>documents</th><th scope=col>seconds</th>"
                   "<th scope=col>documents/s</th><th scope=col class=l>failures by kind</th><th scope=col>missing</th>"
                   "<th scope=col>items without offsets</th>"
                   + "".join(f"<th scope=col>{f} F1</th>" for f in FIELDS) + "</tr>")
        for run in runs:
            if name not in run.systems:
                continue
            s, meta = run.system(name), run.meta(name)
            n = len(run.doc_ids)
            sec = float(meta.get("seconds") or 0.0)
            rate = f"{n / sec:.1f}" if sec > 0 else "—"
            fails = ", ".join(f"{esc(k)}: {v}" for k, v in (meta.get("failures_by_kind") or {}).items()) or "none"
            f1s = "".join(f"<td>{fmt(float('nan') if s['mention'].get(f + '.f1') is None else s['mention'][f + '.f1'])}</td>"
                          for f in FIELDS)
            out.append(f"<tr><td class=l>{esc(run.corpus_name)} <code>{esc(run.fingerprint)}</code></td>"
                       f"<td class=l>{esc(meta.get('kind'))}</td><td class=l><code>{esc(s.get('source'))}</code></td>"
                       f"<td>{n}</td><td>{sec:.2f}</td><td>{rate}</td><td class=l>{fails}</td>"
                       f"<td>{len(s.get('missing') or [])}</td><td>{esc(s.get('unanchored_predictions', 0))}</td>{f1s}</tr>")
        out.append("</table></section>")
    return "".join(out)


class SliceCounts:
    """Counts of the taxonomy's items, pooled by casualty qualifier and by absolute/relative date."""

    def __init__(self, n_systems: int) -> None:
        self.qualifier: list[dict[str, list[int]]] = [{} for _ in range(n_systems)]
        self.relative: list[dict[str, list[int]]] = [{} for _ in range(n_systems)]
        self.lengths: list[int] = []

    @staticmethod
    def _add(table: dict[str, list[int]], key: str, tp: int, fp: int, fn: int) -> None:
        c = table.setdefault(key, [0, 0, 0])
        c[0] += tp
        c[1] += fp
        c[2] += fn

    def add(self, doc: dict) -> None:
        self.lengths.append(len(doc["text"]))
        for k, entry in enumerate(doc["systems"]):
            tax = entry.get("taxonomy") or {}
            pred = entry.get("pred") or {}
            for field, table, key in (("casualties", self.qualifier, _qualifier), ("dates", self.relative, _relative)):
                gold, p_items = doc["gold"].get(field) or [], pred.get(field) or []
                for entry in tax.get(field) or []:
                    _status, g, p, counted = entry
                    tokens = str(counted).split()
                    tp, fp, fn = ("tp" in tokens), ("fp" in tokens), ("fn" in tokens)
                    if g is not None and g < len(gold) and (tp or fn):
                        self._add(table[k], key(gold[g]), tp, 0, fn)
                    if p is not None and p < len(p_items) and fp:
                        self._add(table[k], key(p_items[p]), 0, fp, 0)


def _qualifier(item: dict) -> str:
    return str(item.get("qualifier") or "none")


def _relative(item: dict) -> str:
    text = item.get("text")
    if not isinstance(text, str) or not text:
        return "no text"
    return "absolute (a digit in the text)" if any(c.isdigit() for c in text) else "relative (no digit in the text)"


def _slice_table(caption: str, systems: Sequence[str], keys: Sequence[str], get) -> str:
    head = "".join(f"<th scope=col>{esc(k)}</th>" for k in keys)
    rows = []
    for k, name in enumerate(systems):
        cells = []
        for key in keys:
            tp, fp, fn = get(k, key)
            cells.append(f"<td>{fmt(_f1(tp, fp, fn))} <span class=muted>({tp}/{fp}/{fn})</span></td>")
        rows.append(f"<tr><th scope=row class=l>{esc(name)}</th>{''.join(cells)}</tr>")
    return (f"<table class=slice><caption>{caption}</caption><tr><th scope=col class=l>system</th>{head}</tr>"
            + "".join(rows) + "</table>")


def slices_section(run: Any, acc: SliceCounts) -> str:
    import numpy as np

    out = [f"<section><h2>{esc(run.corpus_name)} <code>{esc(run.fingerprint)}</code></h2>"
           "<p>F1 (tp/fp/fn) at mention level, counts pooled over the slice's documents or items.</p>"]
    for fi, field in enumerate(FIELDS):
        labels = sorted({key.split(".")[2] for name in run.systems for key in run.system(name)["mention"]
                         if key.startswith(f"{field}.by_label.") and key.endswith(".tp")})
        if labels:
            def by_label(k, lab, field=field):
                m = run.system(run.systems[k])["mention"]
                return tuple(int(m.get(f"{field}.by_label.{lab}.{c}", 0)) for c in ("tp", "fp", "fn"))
            out.append(_slice_table(f"{esc(field)} by label ({'kind' if field == 'casualties' else 'type'}; a TP "
                                    "under the gold item's label, a FP under the prediction's)", run.systems, labels, by_label))
    splits = np.array(run.splits)
    lengths = np.array(acc.lengths)
    bins = [(lo, hi) for lo, hi in LENGTH_BINS]
    bin_names = [f"{lo}–{hi - 1} chars" if hi else f"≥ {lo} chars" for lo, hi in bins]
    for fi, field in enumerate(FIELDS):
        names = sorted(set(run.splits))

        def by_split(k, sp, fi=fi):
            return tuple(int(x) for x in run.counts[k, 0, fi, splits == sp].sum(axis=0))

        def by_length(k, label, fi=fi):
            lo, hi = bins[bin_names.index(label)]
            mask = (lengths >= lo) & ((lengths < hi) if hi else True)
            return tuple(int(x) for x in run.counts[k, 0, fi, mask].sum(axis=0))

        out.append(_slice_table(f"{esc(field)} by split", run.systems, names, by_split))
        out.append(_slice_table(f"{esc(field)} by document length (characters of text)", run.systems, bin_names,
                                by_length))
    for title, tables in (("casualties by qualifier (the gold item's for TP/FN, the prediction's for FP)", acc.qualifier),
                          ("dates: absolute or relative (the surface text of the gold item for TP/FN, of the "
                           "prediction for FP)", acc.relative)):
        keys = sorted({key for t in tables for key in t})
        if keys:
            out.append(_slice_table(esc(title), run.systems, keys, lambda k, key, t=tables: tuple(t[k].get(key, (0, 0, 0)))))
    out.append("</section>")
    return "".join(out)
