"""The scoring benchmark still runs (tiny sizes; the figures live in benchmarks/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_on_a_tiny_corpus():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_scoring.py"), "--docs", "300",
         "--nervaluate-docs", "40", "--repeat", "1", "--rss-sizes", "100"],
        check=True, capture_output=True, text=True, timeout=300,
    ).stdout
    assert "scoring 300 documents" in out
    assert "same 40 documents: conflictbench" in out
    assert "peak RSS,     100 documents streamed" in out


def test_synthetic_generator_is_seeded_and_lazy():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import generate
    finally:
        sys.path.pop(0)
    gen = generate(10**9, seed=5)  # lazy: a billion documents cost nothing until drawn
    first = next(gen)
    assert first == next(generate(3, seed=5))
    gold, pred = first
    assert [len(gold[f]) for f in ("casualties", "actors", "dates")] == [10, 10, 10]
