"""``conflictbench bench``: every registered extractor over every corpus of a benchmark definition."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("bench", help="every registered extractor over every corpus of a benchmark definition "
                                     "(eval/benchmarks.toml); one combined results set")
    b.add_argument("--benchmarks", type=Path, default=Path("eval/benchmarks.toml"),
                   help="benchmark definition (default eval/benchmarks.toml)")
    b.add_argument("--out", type=Path, default=Path("eval/bench"),
                   help="results folder: results.json + leaderboard.md (default eval/bench)")
    b.add_argument("--extractor", action="append", default=[], metavar="NAME",
                   help="only this registered extractor (repeatable; default every one)")
    b.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the CIs (default 1000)")
    b.add_argument("--seed", type=int, default=0, help="seed of the resampling (default 0)")
    b.add_argument("--no-write", action="store_true", help="print the tables only, write no file")
    b.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    b.set_defaults(func=_bench)


def _bench(args: argparse.Namespace) -> int:
    from ..atomic import write_together
    from ..bench import read_definition, results_json, run
    from ..report.bench import leaderboard_md
    from ..errors import ParameterError

    if args.bootstrap < 1:
        raise ParameterError(f"--bootstrap must be a positive integer. Got {args.bootstrap!r} instead.")
    if args.seed < 0:
        raise ParameterError(f"--seed must be a non-negative integer. Got {args.seed!r} instead.")
    if not args.no_write:
        from ..atomic import check_set_folder

        check_set_folder(args.out)  # the set is swapped whole: refuse a folder that cannot be, before running
    specs = read_definition(args.benchmarks)
    result = run(specs, extractors=args.extractor or None, n_resamples=args.bootstrap, seed=args.seed,
                 progress=args.progress)
    data = results_json(result, definition=str(args.benchmarks), n_resamples=args.bootstrap, seed=args.seed)
    md = leaderboard_md(data)
    print(md)
    if not args.no_write:
        files = {args.out / "results.json": json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                 args.out / "leaderboard.md": md}
        write_together(files)
        print("wrote " + ", ".join(str(p) for p in files))
    if result.failures:
        print(f"conflictbench: {result.failures} document(s) failed (scored as empty)", file=sys.stderr)
        return 1
    return 0
