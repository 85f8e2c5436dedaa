"""The resampling engine under :mod:`conflictbench.scoring.statistics`: which documents each bootstrap
resample draws, which documents each randomisation trial swaps, and the count sums over them,
computed in blocks of bounded memory, optionally on several threads.

Seed semantics (the contract every interval and test of a run rests on):

* Bootstrap resample ``b`` (0-based) of ``n`` documents with seed ``s`` draws the document
  positions ``Generator(g).integers(0, n, size=n, dtype=np.uint32)``, where ``g`` is
  ``PCG64(SeedSequence(s, spawn_key=(0,)))`` advanced by ``b · 2**64`` steps
  (``g.advance(b << 64)``; see :class:`Streams` and :func:`bootstrap_positions`).
* Randomisation trial ``t`` swaps document ``i`` when bit ``i`` (most significant bit first)
  of ``Generator(g).bytes(ceil(n / 8))`` is 1, ``g`` being ``PCG64(SeedSequence(s,
  spawn_key=(1,)))`` advanced by ``t · 2**64`` steps (see :func:`swap_mask`).

Every resample and trial has its own stream, so its draws depend on the seed, its number and
``n`` only: not on how many resamples are drawn in a block (the memory budget), the number of
worker threads, the order in which blocks finish, nor on which systems, fields and levels
share the run. Every column of a count matrix is summed over the same resamples, which is what
makes one resample set serve every system × field × level of a run (and what a paired test
needs). Sums are exact: per block, the resample weights (how often each document is drawn, or
0/1 swaps) form a matrix that multiplies the (n × k) count matrix in float32 when no partial
sum can reach 2**24, else in float64 below 2**53 (integers are exact below those bounds, in any
summation order), and the products are integers again. Same inputs + same seed → same
numbers, bit for bit.
"""

from __future__ import annotations

import math
import os
from typing import Any, Callable

from ..errors import ParameterError

#: the first element of a stream's spawn key
BOOTSTRAP, RANDOMIZATION = 0, 1
#: scratch memory of the resample blocks, for all worker threads together (bytes)
DEFAULT_MEMORY_BUDGET = 32 * 2**20
#: below this many document draws (n × resamples) one thread is faster than several
PARALLEL_MIN_WORK = 2**22


class Streams:
    """The generators of the resamples (``kind=BOOTSTRAP``) or trials (``RANDOMIZATION``) of a
    seed: ``streams(i)`` is positioned at the start of stream ``i``, that is the PCG64 sequence
    of ``SeedSequence(seed, spawn_key=(kind,))`` advanced by ``i · 2**64`` steps. Streams are
    disjoint: a resample uses fewer than 2**63 steps. Restoring a state and advancing costs
    a fifth of seeding a new generator. One object per thread (it is reused in place)."""

    def __init__(self, seed: int, kind: int) -> None:
        import numpy as np

        self._bits = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(kind,)))
        self._start = self._bits.state
        self._generator = np.random.Generator(self._bits)

    def __call__(self, i: int):
        self._bits.state = self._start
        self._bits.advance(i << 64)
        return self._generator


def bootstrap_positions(n: int, seed: int, b: int, streams: Streams | None = None):
    """The ``n`` document positions (with replacement) that bootstrap resample ``b`` draws."""
    import numpy as np

    rng = (streams or Streams(seed, BOOTSTRAP))(b)
    return rng.integers(0, n, size=n, dtype=np.uint32)


def swap_mask(n: int, seed: int, t: int, streams: Streams | None = None):
    """uint8 array, 1 where randomisation trial ``t`` swaps the two systems' document counts."""
    import numpy as np

    raw = (streams or Streams(seed, RANDOMIZATION))(t).bytes(-(-n // 8))
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8), count=n)


def check_engine(func: str, memory_budget: Any, workers: Any) -> None:
    """Validate the two options that change speed and memory, never the numbers."""
    if memory_budget is not None and (not isinstance(memory_budget, int) or isinstance(memory_budget, bool)
                                      or memory_budget < 1):
        raise ParameterError(f"The 'memory_budget' parameter of {func}() must be a positive number of bytes "
                             f"or None. Got {memory_budget!r} instead.")
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool) or workers < 1):
        raise ParameterError(f"The 'workers' parameter of {func}() must be a positive integer or None. "
                             f"Got {workers!r} instead.")


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _exact_dtype(bound: int):
    """The cheaper float type in which integers up to ``bound`` (every partial sum) are exact."""
    import numpy as np

    if bound < 2**24:
        return np.float32
    if bound < 2**53:
        return np.float64
    raise ParameterError(f"counts this large cannot be summed exactly in floating point (bound {bound})")


def _plan(n: int, count: int, row_bytes: int, scratch_bytes: int, memory_budget: int | None,
          workers: int | None):
    """(resamples per block, worker threads): the blocks of all workers, with each worker's
    one-row temporaries (``scratch_bytes``), fit in the budget; at least one row per block."""
    budget = DEFAULT_MEMORY_BUDGET if memory_budget is None else memory_budget
    if workers is None:
        workers = usable_cores() if n * count >= PARALLEL_MIN_WORK else 1
    workers = max(1, min(workers, count))
    per_block = max(1, min(count, (budget // workers - scratch_bytes) // max(1, row_bytes)))
    return per_block, min(workers, math.ceil(count / per_block))


def _one_blas_thread():
    """BLAS runs single-threaded inside the blocks: the blocks are the parallel unit (OpenBLAS's
    own threads beside the worker threads oversubscribe the cores: one block's product was
    1.6-5.7× slower with two BLAS threads than with one on the project's loaded 2-core
    machine). Process-wide while the sums are computed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn installs it
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(1, user_api="blas")


def _run(fill: Callable[[int, int], None], count: int, per_block: int, workers: int) -> None:
    """Call ``fill(start, stop)`` for every block of ``range(count)``; each writes its own rows."""
    blocks = [(s, min(count, s + per_block)) for s in range(0, count, per_block)]
    with _one_blas_thread():
        if workers <= 1:
            for s, e in blocks:
                fill(s, e)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="conflictbench-resample") as pool:
            for f in [pool.submit(fill, s, e) for s, e in blocks]:
                f.result()  # re-raises a block's exception


def _as_counts(counts: Any, what: str):
    import numpy as np

    arr = np.asarray(counts)
    if arr.ndim != 2 or not (arr.dtype.kind in "iu" or arr.size == 0):
        raise ParameterError(f"{what} must be a 2-D integer array (documents × columns); got shape {arr.shape} "
                             f"and dtype {arr.dtype}")
    if arr.shape[0] >= 2**32:
        raise ParameterError(f"{what}: at most 2**32 - 1 documents can be resampled")
    return arr


def bootstrap_sums(counts: Any, n_resamples: int, seed: int, *, memory_budget: int | None = None,
                   workers: int | None = None):
    """(n_resamples × k) int64: row ``b`` is the column sums of the (n × k) non-negative
    ``counts`` over the documents bootstrap resample ``b`` draws (with multiplicity)."""
    import numpy as np

    c = _as_counts(counts, "bootstrap_sums() counts")
    n, k = c.shape
    out = np.zeros((n_resamples, k), dtype=np.int64)
    if n == 0 or k == 0:
        return out
    if c.min() < 0:
        raise ParameterError("bootstrap_sums() counts must be non-negative")
    dtype = _exact_dtype(n * int(c.max()))  # a resample's weights sum to n
    mat = c.astype(dtype)
    item = np.dtype(dtype).itemsize
    per_block, workers = _plan(n, n_resamples, n * item, 20 * n, memory_budget, workers)

    def fill(start: int, stop: int) -> None:
        w = np.empty((stop - start, n), dtype=dtype)
        streams = Streams(seed, BOOTSTRAP)
        for r, b in enumerate(range(start, stop)):
            w[r] = np.bincount(bootstrap_positions(n, seed, b, streams).astype(np.intp), minlength=n)
        out[start:stop] = w @ mat  # integer-valued: the cast back is exact

    _run(fill, n_resamples, per_block, workers)
    return out


def randomization_sums(diff: Any, n_trials: int, seed: int, *, memory_budget: int | None = None,
                       workers: int | None = None):
    """(n_trials × k) int64: row ``t`` is the column sums of the (n × k) ``diff`` over the
    documents randomisation trial ``t`` swaps."""
    import numpy as np

    d = _as_counts(diff, "randomization_sums() diff")
    n, k = d.shape
    out = np.zeros((n_trials, k), dtype=np.int64)
    if n == 0 or k == 0:
        return out
    dtype = _exact_dtype(int(np.abs(d).sum(axis=0).max()))
    mat = d.astype(dtype)
    item = np.dtype(dtype).itemsize
    per_block, workers = _plan(n, n_trials, n * item, 2 * n, memory_budget, workers)

    def fill(start: int, stop: int) -> None:
        w = np.empty((stop - start, n), dtype=dtype)
        streams = Streams(seed, RANDOMIZATION)
        for r, t in enumerate(range(start, stop)):
            w[r] = swap_mask(n, seed, t, streams)
        out[start:stop] = w @ mat

    _run(fill, n_trials, per_block, workers)
    return out
