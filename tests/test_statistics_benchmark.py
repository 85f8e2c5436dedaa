"""The statistics benchmark still runs (tiny sizes; the figures live in benchmarks/RESULTS-statistics.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_statistics_benchmark_runs_on_tiny_inputs():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_statistics.py"), "--docs", "300", "--systems", "3",
         "--resamples", "30", "--ci-resamples", "30"],
        check=True, capture_output=True, text=True, timeout=300,
    ).stdout
    assert "300 documents, 3 systems" in out
    for label in ("bootstrap_ci, 30 resamples", "compare statistics: both tests, 30",
                  "eval intervals: bootstrap_intervals, 18 CIs", "significance_groups paired_bootstrap, 30",
                  "significance_groups approximate_randomization, 30"):
        assert label in out, label
