"""rules.v1 speed with and without scipy imported first (the ``re`` cache bug of issue 14).

    .venv/bin/python benchmarks/rules_after_scipy.py [--corpus eval/muc4/corpus] [--docs 300]

numpy's ``f2py/crackfortran.py`` (imported by scipy) sets ``re._MAXCACHE = 50`` for the whole
process. An extractor that leaves its patterns to the ``re`` module's cache (``re.findall(pattern,
…)``) then recompiles them on every document. Each variant runs in a fresh interpreter: build
rules.v1 on the corpus's actor registry, optionally ``import scipy.optimize`` (what scoring
imports), then time ``extract_batch`` over the first N documents. The ratio (with scipy / without)
should be ~1.0. Default corpus: MUC-4 (``make muc4``), whose 654-entity registry gives ~290
state-forces names per document; falls back to the embedded corpus.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, sys, time
corpus_path, n, with_scipy = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
from conflictbench.corpus import load_corpus
from conflictbench.extractors.base import document_view
from conflictbench.registrations import get_extractor
corpus = load_corpus(corpus_path)
docs = [document_view(d) for d in corpus.documents[:n]]
ex = get_extractor("rules.v1", corpus=corpus)
list(ex.extract_batch(docs[:5]))  # warm-up: pipeline and pattern data loaded
if with_scipy:
    import scipy.optimize  # noqa: F401
import re
t0 = time.perf_counter()
list(ex.extract_batch(docs))
print(json.dumps({"seconds": time.perf_counter() - t0, "docs": len(docs), "re_maxcache": re._MAXCACHE}))
"""


def run(corpus: str, n: int, with_scipy: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, corpus, str(n), "1" if with_scipy else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from pathlib import Path

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="eval/muc4/corpus")
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    corpus = args.corpus if Path(args.corpus).is_dir() else "corpus"
    rows = []
    for _ in range(args.repeats):
        a, b = run(corpus, args.docs, False), run(corpus, args.docs, True)
        rows.append((a["seconds"], b["seconds"], b["re_maxcache"]))
    best_a = min(r[0] for r in rows)
    best_b = min(r[1] for r in rows)
    print(f"corpus {corpus}, {args.docs} documents, best of {args.repeats}")
    print(f"without scipy: {best_a:.2f} s ({args.docs / best_a:.0f} docs/s)")
    print(f"after scipy (re._MAXCACHE={rows[0][2]}): {best_b:.2f} s ({args.docs / best_b:.0f} docs/s)")
    print(f"ratio with/without: {best_b / best_a:.2f}")


if __name__ == "__main__":
    main()
