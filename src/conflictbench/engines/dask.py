"""The Dask engine: one task per partition on a ``distributed`` cluster, merged in corpus order.

``DaskEngine(workers=N)`` starts a local cluster of ``N`` worker processes (one thread each,
bound to 127.0.0.1, no dashboard); ``DaskEngine(scheduler="tcp://host:8786")`` uses an existing
cluster (its workers must have conflictbench, the extractor's code and the corpus folder at the
same path). Used as a context manager, or ``start()`` / ``close()``.

Each task carries the system's spec, the corpus folder, its fingerprint, the settings and a row
range; the worker reads the rows, runs and scores them (:mod:`.worker`). The client merges the
batches in partition order, so counts, per-document results, failures, macro averages and
intervals equal the in-process engine's. A worker that dies mid-run has its tasks rescheduled by
Dask; a partition's result is dropped from the cluster as soon as the client has it.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import replace
from typing import Any

from ..errors import DataError, ParameterError
from .batch import ScoredBatch
from .partitions import plan_partitions
from .worker import PartitionTask, run_partition

#: documents per task when none is given: ~1 s of rules.v1 per task, far above Dask's per-task cost
DEFAULT_PARTITION_SIZE = 1000


class DaskEngine:
    name = "dask"

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None,
                 partition_size: int = DEFAULT_PARTITION_SIZE) -> None:
        if scheduler is not None and workers is not None:
            raise ParameterError("give the Dask engine either 'workers' (a local cluster) or 'scheduler' "
                                 "(an existing cluster), not both")
        if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
            raise ParameterError(f"The 'scheduler' parameter of DaskEngine() must be an address such as "
                                 f"tcp://host:8786. Got {scheduler!r} instead.")
        workers = 2 if scheduler is None and workers is None else workers
        if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool) or workers < 1):
            raise ParameterError(f"The 'workers' parameter of DaskEngine() must be a positive integer. "
                                 f"Got {workers!r} instead.")
        if not isinstance(partition_size, int) or isinstance(partition_size, bool) or partition_size < 1:
            raise ParameterError(f"The 'partition_size' parameter of DaskEngine() must be a positive integer. "
                                 f"Got {partition_size!r} instead.")
        self.workers, self.scheduler, self.partition_size = workers, scheduler, partition_size
        self.cluster = None
        self.client = None

    def start(self) -> "DaskEngine":
        from distributed import Client, LocalCluster

        if self.client is not None:
            return self
        if self.scheduler is not None:
            try:
                self.client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise ParameterError(f"--scheduler {self.scheduler}: cannot connect ({exc})") from None
        else:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None,
                                        # no dashboard; its health-only HTTP server on a free loopback port
                                        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                                        silence_logs=logging.CRITICAL)
            self.client = Client(self.cluster)
        return self

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> "DaskEngine":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def run(self, kind: str, target: str, selection: Any, settings: Any, *, timeout: float = 60.0,
            startup_timeout: float = 300.0, progress: bool | None = None) -> ScoredBatch:
        """Run and score one system (``kind`` "extractor" or "command") on ``selection``."""
        from distributed import as_completed

        from ..corpus import fingerprint
        from ..runner.outcome import progress_bar

        self.start()
        corpus = selection.corpus
        expected = [i for s in selection.splits for i in corpus.splits[s]]
        if list(selection.doc_ids) != expected:
            raise ParameterError("the Dask engine scores whole splits; this selection is a subset of its splits")
        parts = plan_partitions(corpus.path, selection.splits, self.partition_size)
        corpus_dir = str(corpus.path.resolve())
        tasks, offset = [], 0
        for p in parts:
            tasks.append(PartitionTask(kind, target, corpus_dir, corpus.fingerprint, settings, timeout, p, offset=offset,
                                       startup_timeout=startup_timeout))
            offset += len(p)
        t0 = time.perf_counter()
        merged = self._run(tasks, parts, expected, corpus, f"{target} (dask)", progress)
        if merged.batch_failed:  # as in process: one failed extract_batch sends every document one by one
            shown = merged.warnings
            tasks = [replace(t, batch=False) for t in tasks]
            merged = self._run(tasks, parts, expected, corpus, f"{target} (dask, one by one)", progress)
            merged.warnings = shown + [w for w in merged.warnings if w not in shown]
        merged.seconds = time.perf_counter() - t0
        for category, message in merged.warnings:
            warnings.warn(f"{message} (on a worker)", category, stacklevel=3)
        return merged

    def _run(self, tasks: list, parts: list, expected: list, corpus: Any, desc: str,
             progress: bool | None) -> ScoredBatch:
        from distributed import as_completed

        from ..corpus import fingerprint
        from ..runner.outcome import progress_bar

        offsets, n = [], 0
        for p in parts:
            offsets.append(n)
            n += len(p)
        if n != len(expected):
            raise DataError(f"{corpus.path}: the parquet files hold {n} rows of the selected splits; "
                            f"{len(expected)} documents were loaded (the corpus changed?)")
        by_id = corpus.by_id()
        futures = [self.client.submit(run_partition, t, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futures)}
        done: dict[int, ScoredBatch] = {}
        merged: ScoredBatch | None = None
        nxt = 0
        bar = progress_bar(None, total=len(expected), desc=desc, progress=progress)
        try:
            for fut in as_completed(futures):
                i = index[fut.key]
                batch, fp = fut.result()  # a task's exception is raised here, as on the worker
                fut.release()
                ids = expected[offsets[i]:offsets[i] + len(parts[i])]
                if batch.doc_ids != ids or fp != fingerprint([by_id[d] for d in ids], None):
                    raise DataError(f"{parts[i].file}: rows {parts[i].start}-{parts[i].stop} read on a worker "
                                    "are not the documents the client loaded (is the corpus at the same path "
                                    "on every worker, unchanged?)")
                done[i] = batch
                bar.update(len(parts[i]))
                while nxt in done:  # merge in corpus order, holding only what arrived early
                    b = done.pop(nxt)
                    merged = b if merged is None else merged.merge(b)
                    nxt += 1
        except BaseException:
            self.client.cancel(futures)
            raise
        finally:
            bar.close()
        if merged is None:
            raise DataError(f"{corpus.path}: no document in the selected splits")
        return merged
