"""``conflictbench corpus import-timeml`` and ``corpus import-gvdb`` (registered under ``corpus``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register_imports(csub: argparse._SubParsersAction) -> None:
    t = csub.add_parser("import-timeml", help="import TimeML .tml files (TimeBank, AQUAINT, TempEval-3) as a dates corpus")
    t.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".tml files, folders of them, or .tar.gz archives")
    t.add_argument("--out", type=Path, required=True, help="corpus folder to write")
    t.add_argument("--split", help="put every file in this split (default: one split per folder)")
    t.set_defaults(func=_import_timeml)

    g = csub.add_parser("import-gvdb", help="import Gun Violence Database TSV files (one split per file)")
    g.add_argument("paths", nargs="+", type=Path, metavar="FILE.tsv",
                   help="GVDB split files (dev.tsv, test.tsv ...) or a .tar.gz holding them")
    g.add_argument("--out", type=Path, required=True, help="corpus folder to write")
    g.set_defaults(func=_import_gvdb)


def _import_timeml(args: argparse.Namespace) -> int:
    from ..timeml import import_timeml

    report = import_timeml(args.paths, args.out, split=args.split)
    docs = sum(report.documents.values())
    print(f"wrote {args.out} ({docs} documents: " + ", ".join(f"{s} {n}" for s, n in report.documents.items())
          + f"; {sum(report.dates.values())} date mentions from {report.timex_tags} TIMEX3 tags, "
          f"{report.dcts} of them DCTs)")
    if report.notes:
        print(f"  {len(report.notes)} lenient reading(s), listed in {args.out / 'README.md'}")
    return 0


def _import_gvdb(args: argparse.Namespace) -> int:
    from ..gvdb import import_gvdb

    report = import_gvdb(args.paths, args.out)
    docs = sum(report.documents.values())
    print(f"wrote {args.out} ({docs} documents: " + ", ".join(f"{s} {n}" for s, n in report.documents.items()) + ")")
    for split in report.documents:
        print(f"  {split}: {report.killed[split]} killed, {report.injured[split]} injured or hospitalized "
              f"(not killed), {report.actors[split]} shooter mention(s), {report.dropped_offsets[split]} "
              "offset(s) that disagree with the text dropped")
    return 0
