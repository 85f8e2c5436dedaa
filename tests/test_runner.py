"""The runner: Python extractors (single and batched) and extractor programs, with failures
isolated per document, recorded, scored as empty."""

from __future__ import annotations

import contextlib

import sys
from pathlib import Path

import pytest

from .support import harness_extractors as hx
from conflictbench.errors import ExtractorUnavailable, ParameterError
from conflictbench.runner import build_extractor, run_command, run_extractor
from conflictbench.scoring import score

CMD = f"{sys.executable} {Path(__file__).parent / 'support' / 'harness_cmd_extractor.py'}"


def docs_of(corpus, split):
    by_id = corpus.by_id()
    return [by_id[i] for i in corpus.splits[split]]


def kinds(run):
    return {f.doc_id: f.kind for f in run.failures}


def test_oracle_gets_the_corpus_and_only_views(small_corpus):
    ex = build_extractor("tests.support.harness_extractors:oracle", small_corpus)
    run = run_extractor(ex, small_corpus.documents, progress=False)
    assert run.failures == () and run.name == "test-oracle.v1"
    res = score(small_corpus, list(run.predictions.values()))
    assert all(f.f1 == 1.0 for f in res.fields)


def test_factory_without_corpus_called_without_arguments(small_corpus):
    assert isinstance(build_extractor("tests.support.harness_extractors:empty", small_corpus), hx.Empty)


def test_unavailable_propagates():
    def factory():
        raise ExtractorUnavailable("model xx_test not installed")

    hx.unavailable = factory
    try:
        with pytest.raises(ExtractorUnavailable, match="xx_test"):
            build_extractor("tests.support.harness_extractors:unavailable")
    finally:
        del hx.unavailable


def test_not_an_extractor():
    with pytest.raises(ParameterError, match="has no extract"):
        build_extractor("tests.support.harness_corpus:OK_TEXT")


# documents of the dev split and how the Flaky extractor treats them (by trigger word)
FLAKY_EXPECTED = {"b-boom": "exception", "c-garbage": "malformed", "f-otherid": "malformed"}


@pytest.mark.parametrize("factory", [hx.flaky, hx.batched])
def test_failures_isolated(small_corpus, factory):
    from conflictbench.runner import ExtractorWarning

    # Batched's generator raises on b-boom, so its batch fails as a whole: the run falls back
    # to single documents (and says so), giving the same isolated failures
    warns = pytest.warns(ExtractorWarning) if factory is hx.batched else contextlib.nullcontext()
    with warns:
        run = run_extractor(factory(), docs_of(small_corpus, "dev"), progress=False)
    assert kinds(run) == FLAKY_EXPECTED
    assert set(run.predictions) == {"a-ok", "d-sleep", "e-crash"}
    by_id = {f.doc_id: f.message for f in run.failures}
    assert "RuntimeError: exploded on purpose" in by_id["b-boom"]
    assert "casualties[0].kind" in by_id["c-garbage"]
    assert "returned id 'someone-else'" in by_id["f-otherid"]
    # the failed documents are scored as empty: a-ok's two actors are found, nothing else
    res = score(small_corpus.documents[:6], list(run.predictions.values()), registry=small_corpus.registry,
                fingerprint="x")
    assert res.field("actors").counts.tp == 2


def test_batch_used_when_present(small_corpus):
    before = hx.Batched.batches
    ok = [d for d in docs_of(small_corpus, "dev") if d["id"] in ("a-ok", "d-sleep")]
    run = run_extractor(hx.batched(), ok, progress=False)
    assert hx.Batched.batches == before + 1 and run.failures == ()


def test_broken_batch_falls_back_to_single_documents(small_corpus):
    from conflictbench.runner import ExtractorWarning

    # the fallback saves the run, and the user is told the batch path is broken
    with pytest.warns(ExtractorWarning, match=r"extract_batch\(\) failed .*one document at a time"):
        run = run_extractor(hx.broken_batch(), docs_of(small_corpus, "dev"), progress=False)
    assert run.failures == () and len(run.predictions) == 6


def test_command_failures_isolated_and_run_goes_on(small_corpus):
    docs = docs_of(small_corpus, "dev") + docs_of(small_corpus, "test")
    run = run_command(CMD, docs, timeout=1.5, startup_timeout=0.5, progress=False)
    # a line that is not JSON is a stray line (recorded); the document asked about then gets no answer
    assert kinds(run) == {"c-garbage": "timeout", "d-sleep": "timeout", "e-crash": "crashed",
                          "f-otherid": "malformed"}
    msgs = {f.doc_id: f.message for f in run.failures}
    assert "exited (status 3)" in msgs["e-crash"] and "crashing on purpose" in msgs["e-crash"]
    assert "1 stray line(s)" in msgs["c-garbage"] and run.n_stray == 1
    assert [(s.doc_id, s.text) for s in run.stray] == [("c-garbage", "'this is not json'")]
    assert "no answer within 1.5 s" in msgs["d-sleep"]
    assert "answer for id 'someone-else' while document 'f-otherid' was asked" in msgs["f-otherid"]
    # documents after the timeout and the crash were still extracted (a restarted program)
    assert {"a-ok", "b-boom", "thenational-2020-01-17-idlib-offensive"} <= set(run.predictions)
    assert [a["text"] for a in run.predictions["a-ok"]["actors"]] == ["Moscow", "Russia"]


def test_command_errors():
    with pytest.raises(ParameterError, match="cannot start"):
        run_command("/nonexistent/program", [{"id": "x", "text": ""}], progress=False)
    with pytest.raises(ParameterError, match="empty command"):
        run_command("  ", [], progress=False)
    with pytest.raises(ParameterError, match="'timeout' parameter"):
        run_command("cat", [], timeout=0, progress=False)


def test_entry_point_extractor_found_by_name(tmp_path, small_corpus):
    # an installed distribution (its .dist-info on the path) declaring an extractor in the
    # entry-point group conflictbench_extractors, as `pip install` would leave it; catalogue
    # reads entry points once per process, so the check runs in a fresh one
    import os
    import subprocess

    dist = tmp_path / "zz_thirdparty-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zz-thirdparty\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[conflictbench_extractors]\nzz-thirdparty.v1 = tests.support.harness_extractors:empty\n")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    listed = subprocess.run([sys.executable, "-m", "conflictbench", "extractors"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "zz-thirdparty.v1" in listed and "Test extractor predicting nothing." in listed
    ran = subprocess.run([sys.executable, "-m", "conflictbench", "eval", "--extractor", "zz-thirdparty.v1",
                          "--corpus", str(small_corpus.path), "--no-write"], env=env,
                         capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert "test-empty.v1" in ran.stdout


def test_progress_bar_on_stderr(capsys, small_corpus):
    run_extractor(hx.empty(), small_corpus.documents, progress=True)
    err = capsys.readouterr().err
    assert "test-empty.v1:" in err and "/7 " in err  # the bar over 7 documents (cleared at the end)
    run_extractor(hx.empty(), small_corpus.documents, progress=False)
    assert capsys.readouterr().err == ""


class _Batch:
    """A batched extractor yielding exactly the outputs it is given (after one per document)."""

    name = "test-batch-outputs.v1"

    def __init__(self, outputs):
        self.outputs = outputs

    def extract(self, document):
        raise AssertionError("the batch must be used")

    def extract_batch(self, documents):
        yield from self.outputs(list(documents))


def test_batch_outputs_are_never_dropped_silently(small_corpus):
    docs = [d for d in docs_of(small_corpus, "dev") if d["id"] in ("a-ok", "b-boom", "c-garbage")]

    def outputs(views):
        # a-ok answered without an id (position 0 → a-ok), b-boom twice, c-garbage never,
        # and one output for a document nobody asked about
        return [{"actors": [{"text": "Moscow"}]}, {"id": "b-boom"}, {"id": "b-boom"}, {"id": "zz-unknown"}]

    run = run_extractor(_Batch(outputs), docs, progress=False)
    assert set(run.predictions) == {"a-ok"}
    assert run.predictions["a-ok"]["actors"][0]["text"] == "Moscow"
    assert kinds(run) == {"b-boom": "malformed", "c-garbage": "malformed", "output #3": "malformed"}
    messages = {f.doc_id: f.message for f in run.failures}
    assert "two predictions" in messages["b-boom"] and "zz-unknown" in messages["output #3"]


def test_a_factory_that_raises_is_one_clear_error():
    from conflictbench.runner import ExtractorFailed

    with pytest.raises(ExtractorFailed, match=r"extractor 'tests.support.harness_runner_factories:broken': building it "
                                              r"failed: RuntimeError: model file corrupt"):
        build_extractor("tests.support.harness_runner_factories:broken")
    with pytest.raises(ExtractorUnavailable):  # still the caller's to decide (skipped by --all)
        build_extractor("tests.support.harness_runner_factories:unavailable")


def test_timeout_holds_when_the_program_does_not_read_its_input():
    # a document larger than a pipe buffer (64 KiB on Linux) to a program that never reads
    # stdin: writing it blocks; the timeout must still fire (it used to wait for the program
    # to exit, then call the document "crashed")
    doc = {"id": "big", "text": "x" * 300_000, "title": "t", "source": "s", "url": None, "language": "en",
           "publication_date": "2020-01-01", "casualties": [], "actors": [], "dates": []}
    run = run_command(f"{sys.executable} -c 'import time; time.sleep(5)'", [doc], timeout=0.5,
                      startup_timeout=0.5, progress=False)
    assert kinds(run) == {"big": "timeout"}
