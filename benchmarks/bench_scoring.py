"""Scoring benchmark: speed on a large synthetic corpus, speed against nervaluate on the same
span data in the same run, and peak memory as the corpus grows (documents are streamed).

    .venv/bin/python benchmarks/bench_scoring.py            # the figures in RESULTS.md
    .venv/bin/python benchmarks/bench_scoring.py --docs 10000 --nervaluate-docs 500 --rss-sizes 2000,10000

Only scoring is timed: each chunk of 1,000 documents is generated untimed, then scored
(mention level, strict spans, headline matchers, the seed corpus's actor registry) with
:class:`conflictbench.scoring.Scorer` keeping no per-document counts. nervaluate gets the
same gold and predicted spans (end offsets made inclusive, labelled by field) and is timed
on ``--nervaluate-docs`` documents, as is our scorer on exactly those documents; each is
the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402

FIELDS = ("casualties", "actors", "dates")
CHUNK = 1000


def registry():
    from conflictbench.corpus import load_corpus

    return load_corpus(HERE.parent / "corpus").registry


def score_stream(n_docs: int, reg, *, seed: int = 0) -> tuple[float, float, int, object]:
    """(scoring seconds, generation seconds, annotations, result) over n_docs streamed documents."""
    from conflictbench.scoring import Scorer

    scorer = Scorer(registry=reg, keep_documents=False)
    gen = generate(n_docs, seed=seed)
    t_score = t_gen = 0.0
    n_ann = 0
    done = 0
    while done < n_docs:
        t0 = time.perf_counter()
        chunk = [next(gen) for _ in range(min(CHUNK, n_docs - done))]
        t1 = time.perf_counter()
        for g, p in chunk:
            scorer.add(g, p)
        t2 = time.perf_counter()
        n_ann += sum(len(g[f]) + len(p[f]) for g, p in chunk for f in FIELDS)
        t_gen += t1 - t0
        t_score += t2 - t1
        done += len(chunk)
    return t_score, t_gen, n_ann, scorer.result(fingerprint=f"synthetic-{n_docs}-seed{seed}")


def versus_nervaluate(n_docs: int, reg, repeat: int) -> dict:
    from nervaluate import Evaluator

    from conflictbench.scoring import Scorer

    pairs = list(generate(n_docs, seed=1))
    true = [[{"label": f, "start": it["start"], "end": it["end"] - 1} for f in FIELDS for it in g[f]] for g, _ in pairs]
    pred = [[{"label": f, "start": it["start"], "end": it["end"] - 1} for f in FIELDS for it in p[f]] for _, p in pairs]
    ours, theirs = [], []
    for _ in range(repeat):
        scorer = Scorer(registry=reg, keep_documents=False)
        t0 = time.perf_counter()
        for g, p in pairs:
            scorer.add(g, p)
        scorer.result(fingerprint="x")
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        Evaluator(true, pred, tags=list(FIELDS), loader="dict").evaluate()
        theirs.append(time.perf_counter() - t0)
    return {"docs": n_docs, "conflictbench_s": min(ours), "nervaluate_s": min(theirs),
            "speedup": min(theirs) / min(ours)}


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb(n_docs: int) -> tuple[float, float]:
    """(peak, baseline) resident memory of a fresh process that streams and scores n_docs
    documents; the baseline is taken after the imports, before the first document."""
    out = subprocess.run([sys.executable, __file__, "--rss-only", "--docs", str(n_docs)],
                         check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    return d["peak_rss_mb"], d["baseline_rss_mb"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--nervaluate-docs", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rss-sizes", default="10000,30000,100000")
    ap.add_argument("--rss-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    reg = registry()
    if args.rss_only:
        import conflictbench.scoring  # noqa: F401  (imports before the baseline)
        import scipy.optimize  # noqa: F401

        base = _status_mb("VmRSS:")
        score_stream(args.docs, reg)
        peak = _status_mb("VmHWM:")  # not ru_maxrss: that survives exec, so it can be the parent's
        print(json.dumps({"peak_rss_mb": peak, "baseline_rss_mb": base}))
        return 0
    t_score, t_gen, n_ann, res = score_stream(args.docs, reg)
    print(f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"scoring {args.docs:,} documents, {n_ann:,} annotations (gold + predicted): {t_score:.2f} s "
          f"({args.docs / t_score:,.0f} documents/s); generating them took {t_gen:.2f} s, untimed")
    for f in res.fields:
        print(f"  {f.field}: {f.counts} P={f.precision:.3f} R={f.recall:.3f} F1={f.f1:.3f}")
    v = versus_nervaluate(args.nervaluate_docs, reg, args.repeat)
    print(f"same {v['docs']:,} documents: conflictbench {v['conflictbench_s']:.3f} s, nervaluate "
          f"{v['nervaluate_s']:.3f} s -> {v['speedup']:.1f}x faster (best of {args.repeat})")
    for n in [int(x) for x in args.rss_sizes.split(",") if x]:
        peak, base = peak_rss_mb(n)
        print(f"peak RSS, {n:>7,} documents streamed: {peak:.1f} MB (after imports: {base:.1f} MB; "
              f"growth {peak - base:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
