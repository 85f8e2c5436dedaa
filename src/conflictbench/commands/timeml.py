"""``conflictbench timeml score`` and ``conflictbench timeml export``: TempEval-3 timex scoring
on ``.tml`` folders, and predictions → ``.tml`` for the official scorer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeml", help="TempEval-3 timex scoring of .tml folders; predictions → .tml")
    tsub = p.add_subparsers(dest="timeml_command", metavar="SUBCOMMAND")
    tsub.required = True

    s = tsub.add_parser("score", help="score a folder of system .tml files against a gold folder, "
                                      "as the official TempEval-3 scorer counts timexes")
    s.add_argument("gold", type=Path, help="gold folder of .tml files")
    s.add_argument("system", type=Path, help="system folder: the same files, with the system's TIMEX3 tags")
    s.add_argument("--json", action="store_true", help="print the figures as JSON (fractions)")
    s.set_defaults(func=_score)

    e = tsub.add_parser("export", help="write a system's date predictions on an imported TimeML corpus as .tml files")
    e.add_argument("--corpus", type=Path, required=True, help="corpus folder imported with `corpus import-timeml`")
    e.add_argument("--predictions", type=Path, required=True, help="predictions JSONL (see PREDICTIONS.md)")
    e.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    e.add_argument("--gold", type=Path, help="the original .tml files: copy their header and text bytes exactly")
    e.set_defaults(func=_export)


def _score(args: argparse.Namespace) -> int:
    from ..timeml.score import score_folders

    result = score_folders(args.gold, args.system)
    if args.json:
        print(json.dumps(result.to_json(), indent=1))
        return 0
    print(result.official_lines())
    c = result.counts
    print(f"\n{result.n_documents} document(s); gold timexes {c.gold}, system timexes {c.system} (DCT not scored)")
    print(f"  {result.signature}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..predictions import read_predictions
    from ..timeml.export import export_predictions

    corpus = load_corpus(args.corpus)
    pf = read_predictions(args.predictions, corpus)
    report = export_predictions(corpus, pf.predictions, args.out, gold_dir=args.gold)
    print(f"wrote {report.out} ({report.files} .tml file(s), {report.timexes} TIMEX3)")
    if report.overlapping_dropped:
        print(f"  {report.overlapping_dropped} overlapping predicted span(s) dropped (longest, then earliest, "
              "kept): " + "; ".join(f"{d}: {a!r} under {b!r}" for d, a, b in report.dropped[:5])
              + (" ..." if len(report.dropped) > 5 else ""), file=sys.stderr)
    if report.unanchored_skipped:
        print(f"  {report.unanchored_skipped} predicted date(s) without offsets skipped (no place in the text)",
              file=sys.stderr)
    return 0


def te3_section(systems: list, selection) -> tuple[str, dict]:
    """``eval --te3``: each system's TempEval-3 timex figures on the selection (text, JSON)."""
    from ..scoring import te3

    rows, data = [], {"format": "conflictbench-te3/1", "corpus_fingerprint": selection.fingerprint, "systems": {}}
    header = f"{'system':<24}{'strict F1':>10}{'P':>8}{'R':>8}{'relaxed F1':>12}{'P':>8}{'R':>8}{'value F1':>10}{'type F1':>9}"
    for s in systems:
        r = te3.score_corpus(selection.documents(), s.predictions, fingerprint=selection.fingerprint)
        data["systems"][s.name] = r.to_json()
        pct = lambda x: f"{round(x * 100, 2):.2f}"  # noqa: E731  (percent, 2 decimals, as the official scorer)
        rows.append(f"{s.name[:23]:<24}{pct(r.strict.f1):>10}{pct(r.strict.precision):>8}{pct(r.strict.recall):>8}"
                    f"{pct(r.relaxed.f1):>12}{pct(r.relaxed.precision):>8}{pct(r.relaxed.recall):>8}"
                    f"{pct(r.value_f1):>10}{pct(r.type_f1):>9}")
    sig = te3.make_signature(selection.fingerprint)
    text = "\n".join(["TempEval-3 timex figures (percent; as TE3-evaluation.py counts):", header, *rows, f"  {sig}"])
    return text, data
