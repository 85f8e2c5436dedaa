"""``conflictbench site RESULTS... --out DIR``: the static leaderboard site."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("site", help="write a static leaderboard site (index, cards, slices, instance browser) "
                                    "from one or more results folders of `conflictbench eval`")
    s.add_argument("results", nargs="+", type=Path, metavar="RESULTS",
                   help="a results folder (results.json, documents.csv, documents.jsonl), one per corpus")
    s.add_argument("--out", type=Path, required=True, help="the site's folder (replaced as a whole)")
    s.add_argument("--page-size", type=int, default=20, help="documents per browser page (default 20)")
    s.add_argument("--list-size", type=int, default=200, help="rows per error-list page (default 200)")
    s.add_argument("--test", default="bootstrap", help="bootstrap | randomization: the test against the best "
                                                      "system (default bootstrap)")
    s.add_argument("--resamples", type=int, default=1000,
                   help="bootstrap resamples or randomisation trials (default 1000)")
    s.add_argument("--alpha", type=float, default=0.05, help="family-wise level of the Holm correction (default 0.05)")
    s.add_argument("--seed", type=int, default=0, help="seed of the test (default 0)")
    s.set_defaults(func=_site)


def _site(args: argparse.Namespace) -> int:
    from ..site import build_site

    summary = build_site(args.results, args.out, page_size=args.page_size, list_size=args.list_size,
                         test=args.test, n_resamples=args.resamples, seed=args.seed, alpha=args.alpha)
    print(f"wrote {summary.out}/index.html: {len(summary.corpora)} corpus/corpora, {summary.n_documents} document(s), "
          f"{summary.n_pages} page(s)")
    return 0
