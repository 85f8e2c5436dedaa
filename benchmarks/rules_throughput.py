"""Throughput of the rule baseline (rules.v1) on ~2,000-character news texts.

    .venv/bin/python benchmarks/rules_throughput.py [--docs 2000] [--batch-size 64]

Texts are composed (fixed random seed) from news sentences about several conflicts with
casualty figures, parties and dates, until each is at least 2,000 characters long. The
extractor is built once (its build time is reported separately); the timed part is
``extract_batch`` over all documents (``nlp.pipe`` + casualty/actor/date rules), and
``nlp.pipe`` alone for comparison. Goal: >= 1,000 documents/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time

SENTENCES = [
    "At least 12 soldiers were killed when militants stormed a military base in Borno state on Tuesday.",
    "A Saudi-led coalition air strike killed 23 civilians, including nine children, in Saada province.",
    "More than 1,200 people have fled their homes in Khartoum since fighting erupted in mid-April.",
    "Gunmen abducted 80 schoolgirls from a boarding school in Zamfara late Friday, police said.",
    "Two dozen Houthi fighters were wounded in clashes near Marib, a government official told AFP.",
    "The UN refugee agency said around 3 million Ukrainians have been displaced inside the country.",
    "Russian and Belarusian troops massed near the frontier two days after talks collapsed on Sunday.",
    "The Syrian Observatory for Human Rights said regime forces shelled villages south of Idlib.",
    "Between 30 and 45 villagers are missing after the raid, according to local officials.",
    "The junta said 14 rebels were killed in Sagaing region last week; the claim could not be verified.",
    "Thousands of civilians fled the shelling in Bakhmut as Ukrainian forces held their positions.",
    "The death toll rose to 121 on Thursday, the health ministry in Mogadishu said in a statement.",
    "Aid agencies said earlier this month that nearly 40,000 Sudanese had crossed into Chad.",
    "Protests against the government continued for nearly nine years, despite mass arrests.",
    "Police said 17 protesters were arrested in Yangon on Saturday night after a curfew took effect.",
    "The offensive, launched on 24 February 2022, has left tens of thousands of people dead.",
]


def make_texts(n: int, *, min_chars: int = 2000, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < min_chars:
            parts.append(rng.choice(SENTENCES))
        texts.append(" ".join(parts))
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    ap.add_argument("--n-process", type=int, default=2, help="worker processes for the parallel run")
    args = ap.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    t0 = time.perf_counter()
    from conflictbench.registrations import get_extractor

    ex = get_extractor("rules.v1")
    ex.batch_size = args.batch_size
    build = time.perf_counter() - t0

    texts = make_texts(args.docs)
    docs = [
        {"id": f"b{i}", "text": t, "title": "", "publication_date": "2023-06-14"}
        for i, t in enumerate(texts)
    ]
    mean_chars = sum(map(len, texts)) / len(texts)
    list(ex.extract_batch(docs[:50]))  # warm-up

    best_full = best_pipe = cpu_full = cpu_pipe = float("inf")
    n_items = 0
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        preds = list(ex.extract_batch(docs))
        best_full = min(best_full, time.perf_counter() - t)
        cpu_full = min(cpu_full, time.process_time() - c)
        n_items = sum(len(p[f]) for p in preds for f in ("casualties", "actors", "dates"))
        t, c = time.perf_counter(), time.process_time()
        for _doc in ex.nlp.pipe(texts, batch_size=args.batch_size):
            pass
        best_pipe = min(best_pipe, time.perf_counter() - t)
        cpu_pipe = min(cpu_pipe, time.process_time() - c)

    best_par = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        par = list(ex.extract_batch(docs, n_process=args.n_process))
        best_par = min(best_par, time.perf_counter() - t)
    assert par == preds, "parallel and sequential predictions differ"

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before/after: {load_before} / {load} (other processes share the 2 cores)")
    print(f"python {platform.python_version()} on {platform.machine()}, {args.docs} docs, "
          f"mean {mean_chars:.0f} chars, batch_size {args.batch_size}, best of {args.repeat}")
    print(f"build (imports + pipeline + patterns): {build:.2f} s")
    print(f"extract_batch: wall {best_full:.2f} s = {args.docs / best_full:,.0f} docs/s; "
          f"CPU {cpu_full:.2f} s = {args.docs / cpu_full:,.0f} docs/s per core "
          f"({n_items / args.docs:.1f} predicted items/doc)")
    print(f"extract_batch(n_process={args.n_process}): wall {best_par:.2f} s = "
          f"{args.docs / best_par:,.0f} docs/s")
    print(f"nlp.pipe only: wall {best_pipe:.2f} s = {args.docs / best_pipe:,.0f} docs/s; "
          f"CPU {cpu_pipe:.2f} s = {args.docs / cpu_pipe:,.0f} docs/s per core")


if __name__ == "__main__":
    main()
