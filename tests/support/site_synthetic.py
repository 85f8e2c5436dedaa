"""A synthetic results folder in the site's input format (SITE.md), written directly:
no corpus is scored, so a 100,000-document run takes seconds.

Document i has one casualty ("<n> killed", n = i % 50 + 2) and one date ("on Monday");
a system named ``good…`` finds both in every document except every 10th, where it gets the
casualty's number wrong (an *incorrect* pair: 1 FP + 1 FN); one named ``bad…`` misses the date
everywhere and invents an actor in every 3rd document. Counts follow from these rules,
so tests can derive every number by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

FIELDS = ("casualties", "actors", "dates")
SYSTEMS = ("good.v1", "bad.v1")


def doc_text(i: int) -> tuple[str, int]:
    n = i % 50 + 2
    return f"Report {i}: {n} killed in the town on Monday.", n


def per_doc(i: int, behaviours=(False, True)):
    """(text, gold, [(pred, taxonomy, counts) per system]) of document i; ``behaviours``: True for
    a system that behaves as ``bad.v1``, False as ``good.v1``."""
    text, n = doc_text(i)
    num = str(n)
    cs = text.index(num)
    cas = {"start": cs, "end": cs + len(num) + 7, "text": text[cs:cs + len(num) + 7], "count": n,
           "qualifier": "exact", "kind": "killed"}
    ds = text.index("on Monday")
    date = {"start": ds, "end": ds + 9, "text": "on Monday", "value": "2020-01-13", "type": "DATE"}
    gold = {"casualties": [cas], "actors": [], "dates": [date]}
    return text, gold, [(_bad if bad else _good)(i, text, cas, date) for bad in behaviours]


def _good(i, text, cas, date):
    if i % 10 == 0:
        wrong = {**cas, "count": cas["count"] + 1}
        return ({"casualties": [wrong], "actors": [], "dates": [date]},
                {"casualties": [["incorrect", 0, 0, "fp fn"]], "actors": [], "dates": [["correct", 0, 0, "tp"]]},
                {"casualties": (0, 1, 1), "actors": (0, 0, 0), "dates": (1, 0, 0)})
    return ({"casualties": [cas], "actors": [], "dates": [date]},
            {"casualties": [["correct", 0, 0, "tp"]], "actors": [], "dates": [["correct", 0, 0, "tp"]]},
            {"casualties": (1, 0, 0), "actors": (0, 0, 0), "dates": (1, 0, 0)})


def _bad(i, text, cas, date):
    actors = [{"start": 0, "end": 6, "text": "Report"}] if i % 3 == 0 else []
    return ({"casualties": [cas], "actors": actors, "dates": []},
            {"casualties": [["correct", 0, 0, "tp"]], "actors": [["spurious", None, 0, "fp"]] if actors else [],
             "dates": [["missing", 0, None, "fn"]]},
            {"casualties": (1, 0, 0), "actors": (0, len(actors), 0), "dates": (0, 0, 1)})


def _prf(tp: int, fp: int, fn: int):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return p, r, f


def signature(field: str, level: str, fp: str) -> str:
    matcher = {"casualties": "casualties.value.v1", "actors": "actors.entity.v1", "dates": "dates.value.v1"}[field]
    span = "strict" if level == "mention" else "none"
    return f"{field}|match:{matcher}|span:{span}|align:hungarian|level:{level}|zd:0.0|corpus:{fp}|v:0.1.0"


def write_synthetic_run(folder: Path, n_docs: int, *, fingerprint: str = "5e7e7e7e7e7e", names=SYSTEMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    totals = {s: {f: [0, 0, 0] for f in FIELDS} for s in names}
    head = {"format": "conflictbench-documents", "version": 1, "conflictbench_version": "0.1.0",
            "corpus_fingerprint": fingerprint, "n_documents": n_docs, "span_mode": "strict", "fields": list(FIELDS),
            "systems": [{"name": s, "source": s, "kind": "extractor", "seconds": 2.0,
                         "predictions": f"predictions/{s}.jsonl", "failures_by_kind": {}} for s in names]}
    csv_rows = {s: [] for s in names}
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(head) + "\n")
        for i in range(n_docs):
            text, gold, per = per_doc(i, tuple(n.startswith("bad") for n in names))
            split = "test" if i % 4 else "dev"
            entries = []
            for s, (pred, tax, counts) in zip(names, per):
                entries.append({"failed": None, "pred": pred, "taxonomy": tax})
                row = [s, "{level}", f"doc-{i}", split]
                for f in FIELDS:
                    row += list(counts[f])
                    for j in range(3):
                        totals[s][f][j] += counts[f][j]
                csv_rows[s].append(",".join(str(x) for x in row))
            fh.write(json.dumps({"id": f"doc-{i}", "split": split, "title": f"Report {i}", "text": text,
                                 "gold": gold, "systems": entries}) + "\n")
    with (folder / "documents.csv").open("w", encoding="utf-8") as fh:
        fh.write("system,level,doc_id,split," + ",".join(f"{f}_{k}" for f in FIELDS for k in ("tp", "fp", "fn")) + "\n")
        for s in names:
            for level in ("mention", "value"):  # the value level repeats the mention counts here
                fh.writelines(r.replace("{level}", level) + "\n" for r in csv_rows[s])
    systems = []
    for s in names:
        lv = {}
        for level in ("mention", "value"):
            d = {"level": level}
            for f in FIELDS:
                tp, fp, fn = totals[s][f]
                p, r, f1 = _prf(tp, fp, fn)
                d.update({f"{f}.tp": tp, f"{f}.fp": fp, f"{f}.fn": fn, f"{f}.precision": p, f"{f}.recall": r,
                          f"{f}.f1": f1, f"{f}.signature": signature(f, level, fingerprint)})
            lv[level] = d
        ci = {f"{f}.{lvl}.f1_ci": [max(0.0, lv[lvl][f"{f}.f1"] - 0.01), min(1.0, lv[lvl][f"{f}.f1"] + 0.01)]
              for f in FIELDS for lvl in ("mention", "value")}
        systems.append({"name": s, "source": s, "mention": lv["mention"], "value": lv["value"], "ci": ci,
                        "failures": [], "missing": [], "outside_selection": [], "unanchored_predictions": 0})
    results = {"conflictbench_version": "0.1.0",
               "corpus": {"path": f"synthetic-{n_docs}", "fingerprint": fingerprint, "splits": ["dev", "test"],
                          "n_documents": n_docs},
               "settings": {"span_mode": "strict", "zero_division": "0.0", "matchers": {}, "bootstrap_resamples": 1000,
                            "confidence": 0.95, "seed": 0},
               "systems": systems, "unavailable": []}
    (folder / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return folder
