"""Statistics benchmark: intervals and significance tests on synthetic per-document counts.

    .venv/bin/python benchmarks/bench_statistics.py                      # the figures in RESULTS-statistics.md
    .venv/bin/python benchmarks/bench_statistics.py --docs 2000 --resamples 200 --systems 3   # a quick run
    git archive REV src | tar -x -C /tmp/old && PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/bench_statistics.py --old

Per-document counts are drawn, not scored (the scorer has its own benchmark): per document
and field, gold ~ Poisson(10); a system of quality q finds Binomial(gold, q) of them and
predicts Poisson(gold·(1 − q)) spurious items; value level: gold ~ Poisson(6). Systems have
q = 0.80, 0.79, ... so that some pairs differ significantly and some do not. They are packed
into real ``ScoreResult`` objects (``DocumentCounts`` per document, as ``score()`` returns),
the input every statistics function takes. Each measurement is the wall time of one call of
the library function (``--workers`` forwarded when given), its CPU time (both cores count),
the peak memory it allocated (tracemalloc: Python objects and NumPy buffers) and the load
average when it started (the machine is shared).

``compare`` is measured as the statistics ``conflictbench compare`` computes after scoring
the two systems: today ``statistics.compare(...)`` (both tests, every field); before, the same
call plus the 12 bootstrap intervals (3 fields × 2 levels × 2 systems) ``score_system``
computed and ``compare`` never printed. ``--old`` runs only what the code before had, and
prices the significance groups as (systems − 1) × fields × levels ``paired_bootstrap`` calls
(one is timed, the rest extrapolated).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time


def measure(label: str, fn, rows: list) -> object:
    """Wall and CPU time of ``fn()``, and the peak of the memory it allocated (tracemalloc,
    which NumPy reports its buffers to: unlike RSS, it does not hide allocations that reuse
    memory the allocator kept from building the inputs)."""
    import tracemalloc

    load = os.getloadavg()[0]
    tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    extra = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows.append((label, wall, cpu, extra, load))
    print(f"{label:<62} {wall:8.2f} s wall {cpu:8.2f} s cpu  +{extra:7.1f} MiB peak  (load {load:.1f})", flush=True)
    return out


def synthetic_results(n_docs: int, n_systems: int, seed: int = 0):
    """{system: (mention ScoreResult, value ScoreResult)} on the same n_docs documents."""
    import numpy as np

    from conflictbench.scoring import Counts, DocumentCounts, FieldScore, ScoreResult
    from conflictbench.scoring.signature import score_signature

    fields = ("casualties", "actors", "dates")
    rng = np.random.default_rng(seed)
    ids = [f"doc-{i:06d}" for i in range(n_docs)]
    cache: dict = {}

    def counts(tp, fp, fn):
        key = (tp, fp, fn)
        c = cache.get(key)
        if c is None:
            c = cache[key] = Counts(tp, fp, fn)
        return c

    gold = {"mention": rng.poisson(10, size=(n_docs, 3)), "value": rng.poisson(6, size=(n_docs, 3))}
    out = {}
    for s in range(n_systems):
        q = 0.80 - 0.01 * s
        pair = []
        for level in ("mention", "value"):
            g = gold[level]
            tp = rng.binomial(g, q)
            fp = rng.poisson(g * (1 - q))
            fn = g - tp
            docs = tuple(DocumentCounts(ids[i], tuple(counts(int(tp[i, k]), int(fp[i, k]), int(fn[i, k]))
                                                      for k in range(3))) for i in range(n_docs))
            signature = score_signature(fields, tuple(f"{f}.v1" for f in fields), span_mode="strict",
                                        align="hungarian", level=level, zero_division=0.0,
                                        fingerprint="synthetic", version="bench")
            fs = []
            for k, f in enumerate(fields):
                c = Counts(int(tp[:, k].sum()), int(fp[:, k].sum()), int(fn[:, k].sum()))
                p, r, f1 = c.prf(zero_division=0.0)
                fs.append(FieldScore(f, f"{f}.v1", c, p, r, f1, p, r, f1, (), (), 0, signature.for_field(f)))
            pair.append(ScoreResult(level, "strict", 0.0, "synthetic", "bench", n_docs, tuple(fs), (), docs,
                                    signature))
        out[f"system-{s:02d}"] = tuple(pair)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", default="10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--systems", type=int, default=10, help="systems in the significance groups")
    ap.add_argument("--resamples", type=int, default=10000, help="resamples/trials of the paired tests")
    ap.add_argument("--ci-resamples", type=int, default=1000, help="resamples of bootstrap_ci")
    ap.add_argument("--workers", type=int, default=None, help="worker threads (default: the library's choice)")
    ap.add_argument("--old", action="store_true", help="the code before: only what it had")
    ap.add_argument("--skip", default="", help="comma-separated measurements to skip (ci,pb,ar,compare,eval,groups)")
    args = ap.parse_args()

    import numpy as np

    import conflictbench.scoring.statistics as st

    skip = set(filter(None, args.skip.split(",")))
    kw = {} if args.workers is None else {"workers": args.workers}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}; code: {'before' if args.old else 'after'} ({st.__file__})", flush=True)
    rows: list = []
    B, CI = args.resamples, args.ci_resamples
    for n in [int(x) for x in args.docs.split(",")]:
        t0 = time.perf_counter()
        systems = synthetic_results(n, max(2, args.systems))
        print(f"--- {n:,} documents, {len(systems)} systems × 3 fields × 2 levels "
              f"(built in {time.perf_counter() - t0:.1f} s, untimed)", flush=True)
        (a, av), (b, bv) = list(systems.values())[:2]
        if "ci" not in skip:
            measure(f"{n:>7,} docs  bootstrap_ci, {CI:,} resamples", lambda: st.bootstrap_ci(
                a, "casualties", n_resamples=CI, **kw), rows)
        if "pb" not in skip:
            measure(f"{n:>7,} docs  paired_bootstrap, {B:,} resamples", lambda: st.paired_bootstrap(
                a, b, "casualties", n_resamples=B, **kw), rows)
        if "ar" not in skip:
            measure(f"{n:>7,} docs  approximate_randomization, {B:,} trials", lambda: st.approximate_randomization(
                a, b, "casualties", n_trials=B, **kw), rows)
        if "compare" not in skip:
            if args.old:
                def old_compare():
                    for r in (a, av, b, bv):  # what score_system computed for compare, unprinted
                        for f in ("casualties", "actors", "dates"):
                            st.bootstrap_ci(r, f, n_resamples=1000)
                    return st.compare(a, b, n_resamples=B, n_trials=B)
                measure(f"{n:>7,} docs  compare statistics: 12 unprinted CIs + both tests, {B:,}", old_compare, rows)
            else:
                measure(f"{n:>7,} docs  compare statistics: both tests, {B:,}", lambda: st.compare(
                    a, b, n_resamples=B, n_trials=B, **kw), rows)
        if "eval" not in skip:
            flat = [r for pair in systems.values() for r in pair]
            if args.old:
                measure(f"{n:>7,} docs  eval intervals: {len(flat) * 3} × bootstrap_ci, {CI:,}", lambda: [
                    st.bootstrap_ci(r, f, n_resamples=CI) for r in flat for f in ("casualties", "actors", "dates")],
                    rows)
            else:
                measure(f"{n:>7,} docs  eval intervals: bootstrap_intervals, {len(flat) * 3} CIs, {CI:,}",
                        lambda: st.bootstrap_intervals(flat, n_resamples=CI, **kw), rows)
        if "groups" not in skip:
            if args.old:
                m = (len(systems) - 1) * 3 * 2
                one = measure(f"{n:>7,} docs  groups, old: 1 of {m} paired_bootstrap calls, {B:,}",
                              lambda: st.paired_bootstrap(a, b, "actors", n_resamples=B), rows)
                del one
                print(f"{'':<9}groups, old, extrapolated: {m} × {rows[-1][1]:.2f} s = {m * rows[-1][1]:.0f} s",
                      flush=True)
            else:
                from conflictbench.scoring.significance import significance_groups

                for method in ("paired_bootstrap", "approximate_randomization"):
                    measure(f"{n:>7,} docs  significance_groups {method}, {B:,}", lambda: significance_groups(
                        systems, method=method, n_resamples=B, **kw), rows)
        del systems, a, b, av, bv
    return 0


if __name__ == "__main__":
    sys.exit(main())
