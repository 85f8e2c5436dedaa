"""Fuzzing the --extractor-cmd protocol (issue 10): random bytes, random JSON, stray lines, late
and wrong answers, tiny delays and crashes, interleaved. Whatever a program writes: no traceback,
every document is either scored with *its own* answer or recorded as a failure, never scored with
another document's output; the CLI says one thing and exits 0, 1 (some document failed) or 2.

The program (tests/support/harness_scripted_program.py) does what each document's text says; its
answers name the document that was asked in their actor text, so an answer scored for the wrong
document is seen. Examples are few in the fast profile (each starts programs).
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conflictbench.runner import FAILURE_KINDS, run_command
from conflictbench.testing import hostile_lines

PROG = Path(__file__).parent / "support" / "harness_scripted_program.py"
CMD = f"{sys.executable} {PROG}"
FEW = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))

#: a line that is never a JSON object: a stray line whatever else happens
SAFE_STRAY = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(lambda t: "# " + t)


@st.composite
def scripts(draw, n_docs: int):
    """Per document: steps for the program, and which documents are bound to be answered when
    one program answers them in order: a *clean* document (only stray lines, tiny sleeps, then its
    own answer) that is the first, or follows a clean one (an unclean document may leave output
    behind that is taken, rightly, as a malformed answer to the next one, or die before the next
    one is read)."""
    ids = [f"d{i}" for i in range(n_docs)]
    docs, clean = [], {}
    for i, doc_id in enumerate(ids):
        if draw(st.booleans()):  # a clean document: strays and its answer
            steps = [["print", draw(SAFE_STRAY)] for _ in range(draw(st.integers(0, 2)))]
            if draw(st.booleans()):
                steps.append(["sleep", 0.01])
            steps.append(["answer"])
            clean[doc_id] = True
        else:
            steps = []
            for _ in range(draw(st.integers(1, 3))):
                what = draw(st.sampled_from(["hostile", "hostile", "late", "wrong", "noid", "answer", "answer",
                                             "sleep", "crash", "silence"]))
                if what == "hostile":
                    steps.append(["bytes", draw(hostile_lines(ids)).hex()])
                elif what == "late" and i > 0:
                    steps.append(["answer", draw(st.sampled_from(ids[:i]))])
                elif what == "wrong" and not steps:
                    # the id of a document not sent yet, as the first line: seen while this document is
                    # asked, so the program is restarted. (The same line *after* this document's answer
                    # cannot be told from an answer to the next one: PREDICTIONS.md says so.)
                    steps.append(["answer", draw(st.sampled_from(ids[i + 1:] or ["zz-stranger"]))])
                elif what == "wrong":
                    steps.append(["answer", "zz-stranger"])
                elif what == "noid":
                    steps.append(["noid"])
                elif what == "answer":
                    steps.append(["answer"])
                elif what == "sleep":
                    steps.append(["sleep", 0.01])
                elif what == "crash":
                    steps.append(["crash", draw(st.integers(0, 3))])
                    break
                # "silence": no step (with nothing else, the document times out)
        docs.append({"id": doc_id, "text": json.dumps(steps)})
    bound = {d["id"] for i, d in enumerate(docs) if d["id"] in clean and (i == 0 or docs[i - 1]["id"] in clean)}
    return docs, bound


def check_run(run, docs, clean) -> None:
    ids = [d["id"] for d in docs]
    failed = {f.doc_id for f in run.failures}
    assert all(f.kind in FAILURE_KINDS for f in run.failures)
    assert len(failed) == len(run.failures)  # one failure per document at most
    assert set(run.predictions) | failed == set(ids) and not (set(run.predictions) & failed)
    for doc_id, pred in run.predictions.items():  # never another document's output
        assert pred["id"] == doc_id and [a["text"] for a in pred["actors"]] == [doc_id]
    assert set(clean) <= set(run.predictions)  # a clean document after a clean one is always answered
    assert all(s.doc_id in ids for s in run.stray)


@FEW
@given(st.integers(1, 4).flatmap(scripts), st.sampled_from([1, 2]))
def test_no_document_is_ever_scored_with_another_documents_output(case, jobs):
    docs, clean = case
    errors: list = []
    old = threading.excepthook
    threading.excepthook = lambda a: errors.append(a)  # a traceback in a reader thread fails the test
    try:
        run = run_command(CMD, docs, timeout=0.4, startup_timeout=2, jobs=jobs, progress=False)
    finally:
        threading.excepthook = old
    assert errors == []
    check_run(run, docs, clean if jobs == 1 else set())  # with copies, who answers what is not fixed


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 3).flatmap(scripts))
def test_the_cli_says_one_thing_and_exits_0_1_or_2(tmp_path_factory, capsys, case):
    from conflictbench.cli import main
    from conflictbench.corpus import write_corpus
    from conflictbench.actors import ActorRegistry

    from .conftest import ROOT

    docs, clean = case
    gold = [{**d, "title": d["id"], "source": "fuzz", "url": None, "language": "en",
             "publication_date": "2020-01-17", "casualties": [], "actors": [], "dates": []} for d in docs]
    corpus = tmp_path_factory.mktemp("fuzz") / "corpus"
    write_corpus(corpus, {"test": gold}, ActorRegistry.load(ROOT / "annotation" / "actors.jsonl"), card="# fuzz\n")
    code = main(["eval", "--corpus", str(corpus), "--extractor-cmd", CMD, "--timeout", "0.4",
                 "--startup-timeout", "3", "--no-write",
                 "--no-progress", "--bootstrap", "5"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in (0, 1)
    if code == 1:
        assert err.count("document(s) failed") == 1 and len(err.strip().splitlines()) == 1
    else:
        assert err.strip() == ""
