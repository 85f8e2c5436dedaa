"""The resampling engine against a plain reference written from the documented seed semantics.

The reference draws each resample's document positions (and each trial's swaps) exactly as
the module docstring of ``conflictbench.scoring.resampling`` states, with NumPy directly, and sums
counts with an explicit gather in int64: no blocks, no weights, no floating point. The
engine must give the same integers, whatever its block size (memory budget) and threads.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from conflictbench.errors import ParameterError
from conflictbench.scoring.resampling import bootstrap_sums, randomization_sums


def stream(seed, kind, i):
    bits = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(kind,)))
    bits.advance(i * 2**64)
    return np.random.Generator(bits)


def reference_positions(n, seed, b):
    return stream(seed, 0, b).integers(0, n, size=n, dtype=np.uint32)


def reference_swaps(n, seed, t):
    raw = stream(seed, 1, t).bytes((n + 7) // 8)
    bits = [(byte >> (7 - k)) & 1 for byte in raw for k in range(8)]  # most significant bit first
    return np.array(bits[:n], dtype=bool)


def reference_bootstrap_sums(counts, n_resamples, seed):
    counts = np.asarray(counts, dtype=np.int64)
    return np.array([counts[reference_positions(len(counts), seed, b)].sum(axis=0) for b in range(n_resamples)],
                    dtype=np.int64).reshape(n_resamples, counts.shape[1])


def reference_randomization_sums(diff, n_trials, seed):
    diff = np.asarray(diff, dtype=np.int64)
    return np.array([diff[reference_swaps(len(diff), seed, t)].sum(axis=0) for t in range(n_trials)],
                    dtype=np.int64).reshape(n_trials, diff.shape[1])


ENGINES = [dict(), dict(memory_budget=1), dict(memory_budget=1, workers=3), dict(workers=2),
           dict(memory_budget=5000, workers=2)]


@given(st.integers(1, 40), st.integers(1, 4), st.integers(1, 30), st.integers(0, 2**32), st.data())
def test_bootstrap_sums_equal_the_reference_for_every_block_size_and_thread_count(n, k, b, seed, data):
    counts = np.array(data.draw(st.lists(st.lists(st.integers(0, 9), min_size=k, max_size=k), min_size=n,
                                         max_size=n)))
    expected = reference_bootstrap_sums(counts, b, seed)
    for engine in ENGINES:
        assert np.array_equal(bootstrap_sums(counts, b, seed, **engine), expected), engine


@given(st.integers(1, 40), st.integers(1, 4), st.integers(1, 30), st.integers(0, 2**32), st.data())
def test_randomization_sums_equal_the_reference_for_every_block_size_and_thread_count(n, k, r, seed, data):
    diff = np.array(data.draw(st.lists(st.lists(st.integers(-9, 9), min_size=k, max_size=k), min_size=n,
                                       max_size=n)))
    expected = reference_randomization_sums(diff, r, seed)
    for engine in ENGINES:
        assert np.array_equal(randomization_sums(diff, r, seed, **engine), expected), engine


def test_counts_too_large_for_float32_are_summed_exactly():
    # 64 documents with counts near 10**6: a resample's sums reach ~6.4e7 > 2**24, where float32
    # would round; the engine must switch to float64 and still give the reference's integers
    rng = np.random.default_rng(0)
    counts = rng.integers(10**6 - 50, 10**6, size=(64, 3))
    assert counts.sum() > 2**24
    assert np.array_equal(bootstrap_sums(counts, 40, 7), reference_bootstrap_sums(counts, 40, 7))
    diff = counts - counts[::-1]
    assert np.array_equal(randomization_sums(diff, 40, 7), reference_randomization_sums(diff, 40, 7))


def test_large_inputs_are_the_same_on_one_or_two_threads():
    # big enough for the default to choose several threads (n × resamples ≥ 2**22)
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 5, size=(20_000, 6))
    one = bootstrap_sums(counts, 220, 3, workers=1)
    assert np.array_equal(one, bootstrap_sums(counts, 220, 3))
    assert np.array_equal(one, bootstrap_sums(counts, 220, 3, workers=2, memory_budget=2**20))
    assert np.array_equal(one[:5], reference_bootstrap_sums(counts, 5, 3))
    diff = counts[:, :3] - counts[:, 3:]
    assert np.array_equal(randomization_sums(diff, 220, 3, workers=1), randomization_sums(diff, 220, 3, workers=2))


def test_a_resample_does_not_depend_on_how_many_are_drawn():
    counts = np.arange(30).reshape(10, 3)
    assert np.array_equal(bootstrap_sums(counts, 50, 5)[:20], bootstrap_sums(counts, 20, 5))


def test_a_resample_draws_n_documents_with_replacement():
    # every row sums the counts of exactly n drawn documents: with all-ones counts, n
    counts = np.ones((17, 2), dtype=np.int64)
    assert (bootstrap_sums(counts, 30, 0) == 17).all()
    # the swap mask: with diff = 1 everywhere, each row counts the swapped documents (0..n)
    moved = randomization_sums(np.ones((17, 1), dtype=np.int64), 200, 0)[:, 0]
    assert moved.min() >= 0 and moved.max() <= 17 and 5 < moved.mean() < 12


def test_empty_inputs_give_zero_sums():
    assert bootstrap_sums(np.zeros((0, 3), dtype=np.int64), 4, 0).tolist() == [[0, 0, 0]] * 4
    assert randomization_sums(np.zeros((0, 3), dtype=np.int64), 2, 0).tolist() == [[0, 0, 0]] * 2


@pytest.mark.parametrize("bad, message", [
    (np.array([[1, -1]]), "non-negative"),
    (np.array([1, 2]), "2-D integer array"),
    (np.array([[0.5]]), "2-D integer array"),
])
def test_bad_count_matrices_are_refused(bad, message):
    with pytest.raises(ParameterError, match=message):
        bootstrap_sums(bad, 3, 0)
