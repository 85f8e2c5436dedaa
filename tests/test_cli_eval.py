"""``conflictbench eval`` / ``compare`` / ``extractors`` end to end (in process, real corpus files)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import catalogue
import pytest

from .support import harness_extractors as hx
from conflictbench.cli import main
from conflictbench.errors import ExtractorUnavailable
from conflictbench.registry import extractors

CMD = f"{sys.executable} {Path(__file__).parent / 'support' / 'harness_cmd_extractor.py'}"
SEED = "thenational-2020-01-17-idlib-offensive"


@pytest.fixture
def registered():
    """Register test extractors under versioned names for one test, then remove them."""
    names = []

    def add(name, factory):
        extractors.register(name, func=factory)
        names.append(name)

    yield add
    for name in names:
        catalogue.REGISTRY.pop(("conflictbench", "extractors", name), None)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_writes_leaderboard_results_and_report(capsys, tmp_path, small_corpus):
    out_dir = tmp_path / "results"
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:oracle",
                         "--extractor", "tests.support.harness_extractors:flaky", "--out", out_dir, "--no-progress")
    assert code == 1  # the flaky extractor failed on 3 documents
    assert "test-flaky.v1: 3 document(s) failed" in err
    assert "b-boom: exception: RuntimeError: exploded on purpose" in out
    assert f"corpus:{small_corpus.fingerprint}" in out
    results = json.loads((out_dir / "results.json").read_text())
    oracle, flaky = results["systems"]
    assert oracle["name"] == "test-oracle.v1" and oracle["mention"]["actors.f1"] == 1.0
    assert oracle["ci"]["actors.mention.f1_ci"] == [1.0, 1.0]
    assert {f["id"] for f in flaky["failures"]} == {"b-boom", "c-garbage", "f-otherid"}
    assert flaky["mention"]["casualties.signature"].startswith("casualties|match:casualties.value.v1|span:strict")
    md = (out_dir / "leaderboard.md").read_text()
    assert "| test-oracle.v1 | actors |" in md and "## Signatures" in md
    html = (out_dir / "report.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_predictions_file_with_missing_document(capsys, tmp_path, small_corpus):
    p = tmp_path / "p.jsonl"
    p.write_text(json.dumps({"id": "a-ok", "actors": [{"text": "Moscow"}, {"text": "Russia"}]}) + "\n"
                 + json.dumps({"id": "b-boom", "actors": [{"text": "Nobody Brigade"}]}) + "\n"
                 + json.dumps({"id": SEED, "actors": [{"text": "Moscow"}]}) + "\n")
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--splits", "dev", "--predictions", p,
                       "--span-mode", "none", "--no-write")
    assert code == 0
    assert "4 document(s) without a prediction, scored as empty" in out
    # the seed is in the test split, not selected: its line is reported, not silently dropped
    assert f"p: 1 prediction(s) for documents outside the selected splits, not scored: {SEED}" in out
    assert "p: 1 predicted actor mention(s) resolved to no registry entity" in out
    # dev gold has 2 actor mentions (both in a-ok), both predicted by text, plus one
    # unresolvable name: P = 2/3, R = 1, F1 = 4/5
    row = [ln.split() for ln in out.splitlines() if ln.startswith("p ") and " actors " in ln][0]
    assert row[2:5] == ["0.667", "1.000", "0.800"]


def test_bad_predictions_file_is_one_error_and_writes_nothing(capsys, tmp_path, small_corpus):
    p = tmp_path / "p.jsonl"
    p.write_text(json.dumps({"id": "a-ok"}) + "\n" + json.dumps({"id": "zz"}) + "\n")
    out_dir = tmp_path / "results"
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--predictions", p, "--out", out_dir)
    assert code == 2
    assert err.strip() == f"conflictbench: error: {p}:2: field id: unknown document id 'zz'"
    assert not out_dir.exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--span-mode", "fuzzy"], "The 'span_mode' parameter of eval() must be one of"),
        (["--splits", "nope"], "unknown split(s) ['nope']"),
        (["--zero-division", "2"], "--zero-division must be one of"),
        (["--match", "dates=casualties.value.v1"], "does not match field 'dates'"),
        (["--extractor", "no.such.v1"], "unknown extractor 'no.such.v1'"),
    ],
)
def test_bad_options(capsys, small_corpus, argv, message):
    code, _, err = run(capsys, "eval", "--corpus", small_corpus.path, "--no-write", *argv)
    assert code == 2 and message in err


def test_all_registered_with_an_unavailable_one(capsys, tmp_path, small_corpus, registered):
    def unavailable():
        raise ExtractorUnavailable("spaCy model xx_missing is not installed")

    registered("zz-test-empty.v1", hx.empty)
    registered("zz-test-unavailable.v1", unavailable)
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--all", "--out", tmp_path)
    assert code == 0
    assert out.count("zz-test-unavailable.v1: skipped: spaCy model xx_missing is not installed") == 1
    assert "test-empty.v1  casualties" in out
    names = [s["name"] for s in json.loads((tmp_path / "results.json").read_text())["systems"]]
    assert "test-empty.v1" in names
    code, out, _ = run(capsys, "extractors")
    assert "zz-test-empty.v1" in out and "Test extractor predicting nothing." in out


def test_extractor_cmd(capsys, small_corpus):
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--splits", "test", "--extractor-cmd", CMD,
                       "--no-write", "--timeout", "20")
    assert code == 0 and "cmd:" in out
    # the program predicts every "Russia"/"Moscow" with offsets (both resolve to russia): strict
    # TP = those exactly on a gold span of entity russia, FP = the others, FN = the other gold actors
    (seed,) = [d for d in small_corpus.documents if d["id"] == SEED]
    gold = {(a["start"], a["end"]): a["entity"] for a in seed["actors"]}
    found = [(m.start(), m.end()) for m in re.finditer(r"Russia|Moscow", seed["text"])]
    tp = sum(gold.get(span) == "russia" for span in found)
    assert 0 < tp < len(found)  # the seed has both kinds: the check below can tell them apart
    row = [ln.split() for ln in out.splitlines() if ln.startswith("cmd:") and " actors " in ln][0]
    assert f"{tp}/{len(found) - tp}/{len(gold) - tp}" in row and row[-1] == "0"  # no document failed


def test_compare(capsys, small_corpus):
    code, out, _ = run(capsys, "compare", "tests.support.harness_extractors:oracle", "tests.support.harness_extractors:empty",
                       "--corpus", small_corpus.path, "--trials", "200", "--resamples", "200")
    assert code == 0
    lines = {ln.split()[0]: ln.split() for ln in out.splitlines() if ln.startswith(("casualties", "actors", "dates "))}
    # oracle F1 = 1; empty F1 = 0 wherever the gold has items
    assert lines["actors"][1:4] == ["1.000", "0.000", "-1.000"]
    assert "approximate randomisation: 200 trials" in out


def test_compare_with_a_command_and_a_file(capsys, tmp_path, small_corpus):
    # the command predicts Russia/Moscow in the seed; the file predicts nothing: on the test
    # split (the seed alone) there is one document, so neither test has evidence (p = 1)
    p = tmp_path / "nothing.jsonl"
    p.write_text("")
    code, out, _ = run(capsys, "compare", f"cmd:{CMD}", p, "--corpus", small_corpus.path, "--splits", "test",
                       "--trials", "50", "--resamples", "50")
    assert code == 0
    assert out.splitlines()[0].startswith("A = cmd:")
    row = [ln.split() for ln in out.splitlines() if ln.startswith("actors")][0]
    assert float(row[2]) == 0.0 and row[4:6] == ["1.0000", "1.0000"]
