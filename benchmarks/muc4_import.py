"""Time the MUC-4 import: parse (read_muc4) and parse + validate + write (import_muc4).

    .venv/bin/python benchmarks/muc4_import.py ../shared/datasets/muc34.tar.gz \
        > benchmarks/muc4_import.results.txt

Best of N runs, wall-clock seconds, on the machine that ran it (recorded in the output).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path


def best(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str]) -> int:
    archive = Path(argv[1] if len(argv) > 1 else "../shared/datasets/muc34.tar.gz")
    runs = int(argv[2]) if len(argv) > 2 else 5
    from conflictbench.muc import import_muc4, read_muc4

    t0 = time.perf_counter()
    splits, registry, report = read_muc4(archive)
    first = time.perf_counter() - t0
    parse = best(lambda: read_muc4(archive), runs)
    with tempfile.TemporaryDirectory() as tmp:
        full = best(lambda: import_muc4(archive, Path(tmp) / "corpus"), runs)
    print(f"# conflictbench MUC-4 import benchmark ({platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores)")
    print(f"documents: {sum(report.documents.values())}  templates: {sum(report.templates.values())}"
          f"  registry: {len(registry)} entities")
    print(f"read_muc4 (tar read + parse + map), first run: {first:.2f} s")
    print(f"read_muc4, best of {runs}: {parse:.2f} s")
    print(f"import_muc4 (+ validate + parquet + card, atomic), best of {runs}: {full:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
