"""--extractor-cmd: answers matched by id, start-up apart from the per-document timeout, unbuffered
children, --jobs, non-UTF-8 output, the process group ended, credentials withheld (issue 10)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conflictbench.runner import run_command

PROG = Path(__file__).parent / "support" / "harness_scripted_program.py"
CMD = f"{sys.executable} {PROG}"


def doc(doc_id: str, *steps) -> dict:
    return {"id": doc_id, "text": json.dumps(list(steps)) if steps else "plain text"}


def answered_by(run) -> dict[str, str]:
    """document id → the id its prediction says it answers (the harness names it in the actor)."""
    return {i: p["actors"][0]["text"] for i, p in run.predictions.items()}


def kinds(run) -> dict[str, str]:
    return {f.doc_id: f.kind for f in run.failures}


def test_a_stray_line_before_the_first_answer_shifts_nothing():
    # main scored document 2 with document 1's output: answers were taken by position
    docs = [doc("d1", ["print", "loading model..."], ["answer"]), doc("d2"), doc("d3")]
    run = run_command(CMD, docs, timeout=5, progress=False)
    assert run.failures == ()
    assert answered_by(run) == {"d1": "d1", "d2": "d2", "d3": "d3"}
    assert [(s.doc_id, s.text) for s in run.stray] == [("d1", "'loading model...'")]


def test_answers_without_id_or_with_a_wrong_id_are_malformed_and_late_ones_stray():
    docs = [doc("d1", ["noid"]), doc("d2", ["answer", "d1"], ["answer"]), doc("d3", ["answer", "d9"]), doc("d4")]
    run = run_command(CMD, docs, timeout=5, progress=False)
    assert kinds(run) == {"d1": "malformed", "d3": "malformed"}
    msgs = {f.doc_id: f.message for f in run.failures}
    assert "without an 'id'" in msgs["d1"]
    assert "'d9' while document 'd3' was asked (the program was restarted)" in msgs["d3"]
    assert answered_by(run) == {"d2": "d2", "d4": "d4"}  # d2's line for d1 was a late answer: a stray line
    assert [s.doc_id for s in run.stray] == ["d2"]


def test_an_answer_for_a_document_not_sent_yet_restarts_the_program():
    # d1 answers for d2 (twice): the second line must not become d2's answer
    docs = [doc("d1", ["answer", "d2"], ["answer", "d2"]), doc("d2", ["answer", "d1"])]
    run = run_command(CMD, docs, timeout=1, startup_timeout=5, progress=False)
    assert run.predictions == {} and kinds(run) == {"d1": "malformed", "d2": "malformed"}


def test_start_up_has_its_own_limit():
    # a program loading a model for 2 s under --timeout 1 failed every document on main
    run = run_command(f"{CMD} --sleep-first 2", [doc("d1"), doc("d2")], timeout=1, startup_timeout=10,
                      progress=False)
    assert run.failures == () and answered_by(run) == {"d1": "d1", "d2": "d2"}
    slow = run_command(f"{CMD} --sleep-first 3", [doc("d1")], timeout=0.5, startup_timeout=0.5, progress=False)
    assert kinds(slow) == {"d1": "timeout"} and "start-up" in slow.failures[0].message


def test_plain_print_without_flush_works(monkeypatch):
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # the child gets it from the runner, not from us
    run = run_command(f"{CMD} --no-flush", [doc("d1"), doc("d2")], timeout=3, progress=False)
    assert run.failures == () and answered_by(run) == {"d1": "d1", "d2": "d2"}


def test_jobs_run_copies_on_disjoint_documents_and_keep_the_order(tmp_path, monkeypatch):
    log = tmp_path / "log"
    monkeypatch.setenv("HARNESS_LOG", str(log))
    docs = [doc(f"d{i}", ["log"], ["sleep", 0.05], ["answer"]) for i in range(8)]
    docs[3] = doc("d3", ["log"], ["noid"])
    one = run_command(CMD, docs, timeout=5, progress=False)
    log.unlink()
    two = run_command(CMD, docs, timeout=5, jobs=3, progress=False)
    assert list(two.predictions) == list(one.predictions) == [d["id"] for d in docs if d["id"] != "d3"]
    assert two.predictions == one.predictions and two.failures == one.failures
    seen: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        pid, doc_id = line.split()
        seen.setdefault(pid, set()).add(doc_id)
    assert len(seen) == 3  # three programs ...
    sets = list(seen.values())
    assert sum(len(s) for s in sets) == 8 and set().union(*sets) == {d["id"] for d in docs}  # ... disjoint


def test_non_utf8_output_is_a_malformed_answer_not_a_thread_traceback(capfd):
    docs = [doc("d1", ["bytes", "ff fe 7b"]), doc("d2")]
    run = run_command(CMD, docs, timeout=3, progress=False)
    assert kinds(run) == {"d1": "malformed"} and "not UTF-8" in run.failures[0].message
    assert answered_by(run) == {"d2": "d2"}
    assert "Traceback" not in capfd.readouterr().err


def test_the_child_environment_withholds_credentials(monkeypatch):
    for name in ("LABEL_STUDIO_API_KEY", "OPENAI_API_KEY", "HARNESSX_API_KEY", "HARNESSX_TOKEN"):
        monkeypatch.setenv(name, "s3cret-value-123")
    monkeypatch.setenv("HARNESSX_PLAIN", "ok")
    docs = [doc("d1", ["env", "HARNESSX_"]), doc("d2", ["env", "LABEL_STUDIO"]), doc("d3", ["env", "OPENAI"]),
            doc("d4", ["env", "PYTHONUNBUFFERED"])]
    run = run_command(CMD, docs, timeout=3, progress=False)
    texts = {i: [a["text"] for a in p["actors"]] for i, p in run.predictions.items()}
    assert texts == {"d1": ["HARNESSX_PLAIN"], "d2": [], "d3": [], "d4": ["PYTHONUNBUFFERED"]}
    run = run_command(CMD, docs[:1], timeout=3, allow_env=["HARNESSX_TOKEN"], progress=False)
    assert [a["text"] for a in run.predictions["d1"]["actors"]] == ["HARNESSX_PLAIN", "HARNESSX_TOKEN"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_program_and_its_process_group(tmp_path, small_corpus, sig):
    # main: a hung child survived SIGTERM as an orphan
    log = tmp_path / "log"
    env = {**os.environ, "HARNESS_LOG": str(log)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflictbench", "eval", "--corpus", str(small_corpus.path), "--no-write",
         "--no-progress", "--extractor-cmd", f"{CMD} --spawn --sleep-first 1000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 60
    while not (log.exists() and len(log.read_text().splitlines()) >= 2):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    pids = [int(line.split()[1]) for line in log.read_text().splitlines()]
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == (143 if sig == signal.SIGTERM else 130), err
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if _alive(p)], "the program or its grandchild outlived the run"
