"""rules.v1 on N synthetic news documents, end to end: ``--engine local`` vs ``--engine dask``.

    .venv/bin/python benchmarks/dask_engine.py --docs 100000 [--workers 2] [--partition-size 1000]

The corpus (written once into a temporary folder with the real corpus writer): texts composed
of news sentences as in ``rules_throughput.py`` (~2,000 characters each); the gold of each
document is rules.v1's output on each of its sentences alone (offsets shifted into the
document, every 7th item left out, so that scoring aligns real items and counts errors).

Each engine runs the command a user runs, as a child process::

    conflictbench eval --extractor rules.v1 --corpus DIR --out OUT --no-progress [--engine dask ...]

while the RSS and CPU time of the client process and of each of its descendants (the Dask
worker processes) are sampled every 0.2 s (psutil). The two ``results.json`` must be equal
(apart from the run time). Then Dask's own per-task cost on the same cluster size is
measured with no-op tasks, and the cost of 10M documents on a cluster is projected from the
measured per-document costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def build_corpus(out: Path, n: int) -> None:
    import random

    from rules_throughput import SENTENCES

    from conflictbench.corpus import load_corpus, write_corpus
    from conflictbench.extractors.rules.extractor import make_rules_extractor

    seed = load_corpus(ROOT / "corpus")
    registry = seed.registry
    extractor = make_rules_extractor(corpus=seed)
    date = "2023-05-10"
    gold_of = []
    for s in SENTENCES:
        out_s = extractor.extract({"id": "s", "text": s, "title": "", "source": "", "url": None, "language": "en",
                                   "publication_date": date})
        items = {}
        for field, spans in out_s.items():
            if field == "id":
                continue
            keep = []
            for sp in spans:
                sp = {**sp, "optional": False}
                if field == "casualties":
                    sp.update(victims=sp.get("victims") or "people", date_ref=None, perpetrator_ref=None)
                if field == "actors":
                    if sp.get("entity") is None:
                        continue
                    sp["type"] = sp.get("type") or registry.get(sp["entity"]).type
                keep.append(sp)
            items[field] = keep
        gold_of.append(items)
    rng = random.Random(0)
    docs = []
    for i in range(n):
        parts, gold, pos, k = [], {"casualties": [], "actors": [], "dates": []}, 0, 0
        while pos < 2000:
            j = rng.randrange(len(SENTENCES))
            for field, spans in gold_of[j].items():
                for sp in spans:
                    k += 1
                    if k % 7:
                        gold[field].append({**sp, "start": sp["start"] + pos, "end": sp["end"] + pos})
            parts.append(SENTENCES[j])
            pos += len(SENTENCES[j]) + 1
        docs.append({"id": f"syn-{i:07d}", "text": " ".join(parts), "title": f"synthetic {i}", "source": "synthetic",
                     "url": None, "language": "en", "publication_date": date, **gold})
    write_corpus(out, {"test": docs}, registry, card="# synthetic benchmark corpus\n")


def measure(argv: list[str]) -> dict:
    """Run ``argv``; peak RSS and CPU time of the process and of its descendants."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak = {"client": 0, "workers": {}}
    cpu = {"client": 0.0, "workers": {}}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peak["client"] = max(peak["client"], root.memory_info().rss)
                ct = root.cpu_times()
                cpu["client"] = max(cpu["client"], ct.user + ct.system)
                for c in root.children(recursive=True):
                    try:
                        peak["workers"][c.pid] = max(peak["workers"].get(c.pid, 0), c.memory_info().rss)
                        t = c.cpu_times()
                        cpu["workers"][c.pid] = max(cpu["workers"].get(c.pid, 0.0), t.user + t.system)
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{err[-2000:]}")
    # the sampler sees the resource tracker and the like too: workers are the big children
    workers = sorted(peak["workers"].items(), key=lambda kv: -kv[1])
    return {"wall": wall, "client_rss": peak["client"], "children_rss": [v for _, v in workers],
            "client_cpu": cpu["client"], "children_cpu": sorted(cpu["workers"].values(), reverse=True),
            "stdout": out}


def task_overhead(workers: int, n_tasks: int = 2000) -> float:
    """Seconds per no-op task on a local cluster like the engine's (submit to result)."""
    import logging

    from distributed import Client, LocalCluster, wait

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        client.submit(int, 0).result()  # warm
        t0 = time.perf_counter()
        futs = [client.submit(int, i, pure=False) for i in range(n_tasks)]
        wait(futs)
        return (time.perf_counter() - t0) / n_tasks


def results(out: Path) -> dict:
    r = json.loads((out / "results.json").read_text())
    for s in r.get("systems", []):
        s.pop("seconds", None)
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=1000)
    args = ap.parse_args()
    mb = 1 / 2**20
    print(f"# python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        build_corpus(corpus, args.docs)
        print(f"corpus: {args.docs} documents written in {time.perf_counter() - t0:.1f} s "
              f"({sum(f.stat().st_size for f in (corpus / 'data').glob('*')) * mb:.0f} MiB of parquet)")
        exe = str(Path(sys.executable).parent / "conflictbench")
        base = [exe, "eval", "--extractor", "rules.v1", "--corpus", str(corpus), "--no-progress"]
        local = measure(base + ["--out", f"{tmp}/local"])
        dask = measure(base + ["--out", f"{tmp}/dask", "--engine", "dask", "--workers", str(args.workers),
                               "--partition-size", str(args.partition_size)])
        same = results(Path(tmp) / "local") == results(Path(tmp) / "dask")
        print(f"results.json identical (run time aside): {same}")
        n = args.docs
        print(f"local: wall {local['wall']:.1f} s = {n / local['wall']:.0f} docs/s; peak RSS {local['client_rss'] * mb:.0f} "
              f"MiB; CPU {local['client_cpu']:.1f} s = {1e3 * local['client_cpu'] / n:.2f} ms/doc")
        w = dask["children_rss"][:args.workers]
        wc = dask["children_cpu"][:args.workers]
        print(f"dask ({args.workers} workers, {args.partition_size} docs/task, {-(-n // args.partition_size)} tasks): "
              f"wall {dask['wall']:.1f} s = {n / dask['wall']:.0f} docs/s; ratio local/dask {local['wall'] / dask['wall']:.2f}")
        print(f"  client: peak RSS {dask['client_rss'] * mb:.0f} MiB, CPU {dask['client_cpu']:.1f} s "
              f"= {1e3 * dask['client_cpu'] / n:.2f} ms/doc")
        print(f"  workers: peak RSS {', '.join(f'{x * mb:.0f}' for x in w)} MiB; CPU {', '.join(f'{x:.1f}' for x in wc)} s "
              f"= {1e3 * sum(wc) / n:.2f} ms/doc")
        over = task_overhead(args.workers)
        print(f"dask per-task cost (no-op tasks, {args.workers} workers): {1e3 * over:.2f} ms")
        worker_ms = 1e3 * sum(wc) / n
        client_ms = 1e3 * dask["client_cpu"] / n
        big = 10_000_000
        tasks = big // args.partition_size
        for cluster in (16, 64, 256):
            compute = big * worker_ms / 1e3 / cluster
            print(f"projected 10M docs on {cluster} one-thread workers: workers {compute / 60:.0f} min "
                  f"(+ Dask {tasks} tasks x {1e3 * over:.2f} ms = {tasks * over:.0f} s of scheduling, overlapped); "
                  f"client serial {big * client_ms / 1e3 / 60:.0f} min")
        print(f"projected client peak RSS at 10M docs: {dask['client_rss'] * mb * big / n / 1024:.0f} GiB "
              "(it holds the corpus, every prediction and the per-document counts)")
    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
