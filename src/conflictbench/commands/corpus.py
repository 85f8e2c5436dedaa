"""``conflictbench corpus ...``: validate, build and summarise corpora."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("corpus", help="validate, build and summarise corpora")
    csub = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    csub.required = True

    v = csub.add_parser(
        "validate",
        help="check a corpus folder (default: the embedded corpus) or a gold source folder",
    )
    v.add_argument("path", nargs="?", type=Path, help="corpus folder, or annotation/gold folder")
    v.add_argument("--registry", type=Path, help="actor registry for a gold source folder")
    v.set_defaults(func=_validate)

    b = csub.add_parser("build", help="build corpus/ (parquet + card) from annotation/gold")
    b.add_argument("--gold", type=Path, help="gold source folder (default annotation/gold)")
    b.add_argument("--registry", type=Path, help="actor registry (default annotation/actors.jsonl)")
    b.add_argument("--out", type=Path, help="corpus folder to write (default corpus/)")
    b.set_defaults(func=_build)

    m = csub.add_parser("import-muc4", help="import the MUC-3/4 distribution (muc34.tar.gz)")
    m.add_argument("archive", type=Path, help="path to muc34.tar.gz")
    m.add_argument("--out", type=Path, required=True, help="corpus folder to write")
    m.set_defaults(func=_import_muc4)

    from .imports import register_imports

    register_imports(csub)  # import-timeml, import-gvdb

    s = csub.add_parser("summary", help="counts per split and field, and the fingerprint")
    s.add_argument("path", nargs="?", type=Path)
    s.set_defaults(func=_summary)


def _validate(args: argparse.Namespace) -> int:
    from ..actors import ActorRegistry
    from ..corpus import check_gold_source, load_corpus, project_root, read_gold_source
    from ..errors import DataError

    path = args.path
    if path is not None and path.is_file():
        raise DataError(
            f"{path}: is a file; validate takes a folder: a corpus folder (data/*.parquet + "
            "actors.jsonl) or a gold source folder (<id>.json + <id>.txt)"
        )
    if path is not None and path.is_dir() and not (path / "data").is_dir():
        if not any(path.glob("*.json")) and not any(path.glob("*.txt")):
            raise DataError(
                f"{path}: neither a corpus folder (data/*.parquet + actors.jsonl) nor a gold "
                "source folder (<id>.json + <id>.txt)"
            )
        reg_path = args.registry
        if reg_path is None:
            root = project_root()
            reg_path = (root / "annotation" / "actors.jsonl") if root else None
        if reg_path is None:
            raise DataError(
                f"{path}: a gold source folder is checked against an actor registry: "
                "pass --registry PATH/TO/actors.jsonl"
            )
        registry = ActorRegistry.load(reg_path)
        docs = read_gold_source(path)
        check_gold_source(docs, registry, path)
        n = len(docs)
    else:
        if args.registry is not None:
            raise DataError(
                f"{path or 'corpus'}: --registry is for a gold source folder; a corpus folder "
                "is checked against its own actors.jsonl"
            )
        corpus = load_corpus(path)  # validates, raising ValidationFailed
        n = len(corpus.documents)
        path = corpus.path
    print(f"{path}: {n} document(s), valid")
    return 0


def _build(args: argparse.Namespace) -> int:
    from ..corpus import build_gold_corpus, load_corpus

    out = build_gold_corpus(args.gold, args.registry, args.out)
    corpus = load_corpus(out)
    print(f"wrote {out} ({len(corpus.documents)} document(s), fingerprint {corpus.fingerprint})")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..schema import FIELDS

    corpus = load_corpus(args.path)
    by_id = corpus.by_id()
    out = sys.stdout
    out.write(f"corpus {corpus.path}  fingerprint {corpus.fingerprint}\n")
    out.write(f"{'split':<10}{'docs':>6}" + "".join(f"{f:>12}" for f in FIELDS) + "\n")
    for split, ids in corpus.splits.items():
        counts = [sum(len(by_id[i][f]) for i in ids) for f in FIELDS]
        out.write(f"{split:<10}{len(ids):>6}" + "".join(f"{c:>12}" for c in counts) + "\n")
    out.write(f"actor registry: {len(corpus.registry)} entities\n")
    return 0


def _import_muc4(args: argparse.Namespace) -> int:
    from ..muc import import_muc4

    report = import_muc4(args.archive, args.out)
    docs = sum(report.documents.values())
    print(f"wrote {args.out} ({docs} documents: " + ", ".join(f"{s} {n}" for s, n in report.documents.items()) + ")")
    for note in report.notes:
        print(f"  note: {note}")
    if report.inferred_dates:
        print(f"  publication date inferred for {len(report.inferred_dates)} document(s) "
              "(no year or NO DATE in the dateline; listed in the card)")
    return 0
