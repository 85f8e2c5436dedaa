"""The Dask engine on a real ``distributed.LocalCluster`` (2 worker processes, 127.0.0.1, no
dashboard) gives exactly the in-process engine's results.

The reference is the in-process engine (``--engine local``), whose scores the scoring tests
derive by hand; here every number of the Dask run must equal it: counts, P/R/F1 and macro
averages (bit for bit), per-document counts in corpus order, intervals, predictions,
failures and signatures. Partitions are made small so that every run spans several tasks
and both workers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conflictbench.corpus import load_corpus
from conflictbench.errors import ParameterError
from conflictbench.runner import ExtractorFailed
from conflictbench.evaluation import Settings, evaluate, select

from .support import harness_dask

ROOT = Path(__file__).resolve().parents[1]
CMD = f"{sys.executable} {ROOT / 'tests' / 'support' / 'harness_cmd_extractor.py'}"


@pytest.fixture(scope="module")
def engine():
    from conflictbench.engines.dask import DaskEngine

    with DaskEngine(workers=2, partition_size=2) as eng:
        info = eng.client.scheduler_info()["workers"]
        assert len(info) == 2 and all(a.startswith("tcp://127.0.0.1:") for a in info)
        from urllib.error import HTTPError
        from urllib.request import urlopen

        port = eng.cluster.scheduler.services["dashboard"].port  # its HTTP server: health only
        assert urlopen(f"http://127.0.0.1:{port}/health", timeout=10).status == 200
        with pytest.raises(HTTPError, match="404"):
            urlopen(f"http://127.0.0.1:{port}/status", timeout=10)  # no dashboard
        yield eng


def both(selection, system, settings, engine, *, timeout=60.0, size=None, startup_timeout=300.0):
    local = evaluate(selection, [system], settings, timeout=timeout, startup_timeout=startup_timeout).systems[0]
    if size is not None:
        engine.partition_size = size
    try:
        dask = evaluate(selection, [system], settings, timeout=timeout, startup_timeout=startup_timeout,
                        engine=engine).systems[0]
    finally:
        engine.partition_size = 2
    return local, dask


def assert_same(local, dask, n_docs):
    assert dask.name == local.name and dask.source == local.source
    for level in ("mention", "value"):
        a, b = getattr(local, level), getattr(dask, level)
        assert b.to_dict() == a.to_dict()  # every count, ratio, macro average and signature
        assert b.documents == a.documents and len(b.documents) == n_docs  # per document, corpus order
        assert b.missing == a.missing
        assert b.signature == a.signature
    assert dask.ci == local.ci
    assert dask.predictions == local.predictions and list(dask.predictions) == list(local.predictions)
    assert dask.failures == local.failures
    assert dask.missing == local.missing
    assert dask.unanchored == local.unanchored


def test_seed_strict_rules(engine, corpus):
    sel = select(corpus)
    local, dask = both(sel, "rules.v1", Settings(span_mode="strict"), engine, size=1)
    assert_same(local, dask, len(sel.doc_ids))
    assert local.mention.field("casualties").counts.tp > 0  # a run that scored something


def test_small_corpus_failures_recorded_as_in_process(engine, small_corpus):
    """Two splits, several partitions; an extractor raising, returning garbage, another id."""
    sel = select(small_corpus)
    local, dask = both(sel, "tests.support.harness_extractors:flaky", Settings(), engine)
    assert_same(local, dask, len(sel.doc_ids))
    assert {f.doc_id: f.kind for f in dask.failures} == {
        "b-boom": "exception", "c-garbage": "malformed", "f-otherid": "malformed"}


def test_batch_extractor_falling_back_per_partition(engine, small_corpus):
    """extract_batch raising on some partitions: they fall back to one document at a time, as the
    whole run does in process (its warning is shown again by the client); same results."""
    from conflictbench.runner import ExtractorWarning

    sel = select(small_corpus)
    with pytest.warns(ExtractorWarning) as record:
        local, dask = both(sel, "tests.support.harness_extractors:batched", Settings(), engine)
    said = "test-batched.v1: extract_batch() failed (RuntimeError: exploded on purpose); extracting one document at a time instead"
    assert [str(w.message) for w in record] == [said, f"{said} (on a worker)"]  # in process, then from the worker
    assert_same(local, dask, len(sel.doc_ids))


def test_an_existing_cluster_by_its_address(engine, corpus):
    from conflictbench.engines.dask import DaskEngine

    sel = select(corpus)
    local = evaluate(sel, ["rules.v1"], Settings(span_mode="overlap")).systems[0]
    with DaskEngine(scheduler=engine.cluster.scheduler_address) as remote:
        assert remote.cluster is None  # nothing started: the cluster is someone else's
        dask = evaluate(sel, ["rules.v1"], Settings(span_mode="overlap"), engine=remote).systems[0]
    assert_same(local, dask, len(sel.doc_ids))
    assert engine.client.scheduler_info()["workers"]  # closing the client left the cluster running


def test_one_split_of_two(engine, small_corpus):
    sel = select(small_corpus, ["test"])
    local, dask = both(sel, "tests.support.harness_extractors:oracle", Settings(span_mode="overlap"), engine)
    assert_same(local, dask, len(sel.doc_ids))
    assert dask.mention.field("actors").counts.fp == 0  # the oracle: its corpus loaded on the worker


def test_extractor_cmd_one_program_per_worker(engine, small_corpus):
    """Timeouts, crashes and garbage lines of a program, as in process."""
    sel = select(small_corpus, ["dev"])
    local, dask = both(sel, f"cmd:{CMD}", Settings(), engine, timeout=5.0, size=3, startup_timeout=0.5)
    assert_same(local, dask, len(sel.doc_ids))
    # the protocol of PREDICTIONS.md: a line that is not JSON is a stray line, and the document asked
    # about then gets no answer (timeout); SLEEP hangs past 5 s + 0.5 s start-up (timeout)
    assert {f.doc_id: f.kind for f in dask.failures} == {
        "c-garbage": "timeout", "d-sleep": "timeout", "e-crash": "crashed", "f-otherid": "malformed"}


def test_a_worker_killed_mid_run(engine, small_corpus, tmp_path):
    """The worker running document c-garbage dies (SIGKILL); Dask reschedules its task."""
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(small_corpus.path, folder)
    corpus = load_corpus(folder)
    sel = select(corpus)
    spec = "tests.support.harness_dask:kill_once"
    local = evaluate(sel, [spec], Settings()).systems[0]
    import os

    pids = set(engine.client.run(os.getpid).values())
    (folder / harness_dask.ARMED).write_text("")
    engine.partition_size = 1
    try:
        dask = evaluate(sel, [spec], Settings(), engine=engine).systems[0]
    finally:
        engine.partition_size = 2
    killed = int((folder / harness_dask.KILLED).read_text())
    assert not (folder / harness_dask.ARMED).exists() and killed in pids  # a worker of the cluster died
    assert_same(local, dask, len(sel.doc_ids))
    engine.client.wait_for_workers(2, timeout=60)  # the nanny restarted it


def test_build_failure_on_a_worker_is_one_clear_error(engine, small_corpus):
    with pytest.raises(ExtractorFailed, match=r"extractor 'tests.support.harness_dask:broken': building it failed: "
                                              r"RuntimeError: no model here \(on worker .+ pid \d+\)"):
        evaluate(select(small_corpus), ["tests.support.harness_dask:broken"], Settings(), engine=engine)


def test_a_subset_of_a_split_is_refused(engine, small_corpus):
    from dataclasses import replace

    sel = select(small_corpus)
    with pytest.raises(ParameterError, match="whole splits"):
        evaluate(replace(sel, doc_ids=sel.doc_ids[1:]), ["rules.v1"], Settings(), engine=engine)


def test_cli_dask_equals_local_and_build_failure_exits_2(small_corpus, tmp_path):
    """The CLI path end to end, with its own local cluster: same results.json; exit 2 on a build failure."""
    import json

    def run(*args):
        return subprocess.run([sys.executable, "-m", "conflictbench", "eval", "--corpus", str(small_corpus.path),
                               *args], capture_output=True, text=True, cwd=ROOT, timeout=300)

    spec = "tests.support.harness_extractors:flaky"
    a = run("--extractor", spec, "--out", str(tmp_path / "local"))
    b = run("--extractor", spec, "--out", str(tmp_path / "dask"), "--engine", "dask", "--workers", "2",
            "--partition-size", "2")
    assert a.returncode == b.returncode == 1, (a.stderr, b.stderr)  # some documents failed, in both
    ra, rb = (json.loads((tmp_path / d / "results.json").read_text()) for d in ("local", "dask"))
    for r in (ra, rb):
        for s in r.get("systems", []):
            s.pop("seconds", None)
    assert rb == ra
    c = run("--extractor", "tests.support.harness_dask:broken", "--no-write", "--engine", "dask", "--workers", "1")
    assert c.returncode == 2
    lines = [ln for ln in c.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "building it failed: RuntimeError: no model here (on worker" in lines[0], c.stderr


@pytest.mark.muc
def test_muc4_all_documents_value_only(engine, shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("muc4-dask") / "corpus"
    subprocess.run([sys.executable, "-m", "conflictbench", "corpus", "import-muc4",
                    str(shared / "datasets" / "muc34.tar.gz"), "--out", str(out)], check=True, capture_output=True)
    sel = select(load_corpus(out))
    assert len(sel.doc_ids) == 1700
    local, dask = both(sel, "rules.v1", Settings(span_mode="none", n_resamples=200), engine, size=250)
    assert_same(local, dask, 1700)
