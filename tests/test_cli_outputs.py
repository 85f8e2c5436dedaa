"""What ``conflictbench eval`` leaves on disk, and how systems are named and found (review fixes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conflictbench.cli import main
from conflictbench.evaluation import Settings, score_system, select
from conflictbench.report import write_results
from conflictbench.report.html import render_report

CMD = f"{sys.executable} {Path(__file__).parent / 'support' / 'harness_cmd_extractor.py'}"
SEED = "thenational-2020-01-17-idlib-offensive"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _system(name, corpus, predictions):
    sel = select(corpus)
    return score_system(name, "test", predictions, sel, Settings(n_resamples=10)), sel


def test_result_files_change_together_or_not_at_all(tmp_path, small_corpus, monkeypatch):
    from conflictbench import atomic

    out = tmp_path / "results"
    a, sel = _system("system-a.v1", small_corpus, {})
    write_results(out, [a], sel, Settings())
    before = {n: (out / n).read_text() for n in ("leaderboard.md", "results.json", "report.html")}
    # the third file cannot be written (the disk is full): the run must fail without leaving
    # leaderboard.md and results.json from the new run beside the old report

    def full(step):
        if step == "write report.html":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "STEP_HOOK", full)
    b, _ = _system("system-b.v1", small_corpus, {})
    with pytest.raises(OSError):
        write_results(out, [b], sel, Settings())
    assert {n: (out / n).read_text() for n in before} == before
    assert "system-a.v1" in before["leaderboard.md"]
    assert sorted(p.name for p in out.iterdir()) == ["documents.csv", "documents.jsonl", "leaderboard.md", "predictions",
                                                     "report.html", "results.json"]  # no temp left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_without_html_an_old_report_is_removed(tmp_path, small_corpus):
    a, sel = _system("system-a.v1", small_corpus, {})
    write_results(tmp_path, [a], sel, Settings())
    assert (tmp_path / "report.html").is_file()
    b, _ = _system("system-b.v1", small_corpus, {})
    written = write_results(tmp_path, [b], sel, Settings(), html=False)
    assert not (tmp_path / "report.html").exists()  # it described system-a's run
    assert sorted(p.name for p in written) == ["leaderboard.md", "results.json"]


def _counts(results_json: Path) -> dict:
    """system → {"mention.actors.tp": ..., ...}: every field's counts at both levels."""
    out = {}
    for s in json.loads(results_json.read_text())["systems"]:
        out[s["name"]] = {f"{lvl}.{k}": v for lvl in ("mention", "value") for k, v in s[lvl].items()
                          if k.count(".") == 1 and k.endswith((".tp", ".fp", ".fn"))}
        assert len(out[s["name"]]) == 18  # 2 levels x 3 fields x tp/fp/fn
    return out


def test_saved_predictions_rescore_to_the_same_counts(capsys, tmp_path, small_corpus):
    saved, first, second = tmp_path / "preds", tmp_path / "r1", tmp_path / "r2"
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:oracle",
                       "--extractor", "tests.support.harness_extractors:flaky", "--extractor-cmd", CMD, "--timeout", "1",
                       "--out", first, "--save-predictions", saved, "--no-progress")
    assert code == 1  # flaky and the command fail on some documents
    files = sorted(p.name for p in saved.iterdir())
    assert files == ["cmd_" + Path(sys.executable).name + "_harness_cmd_extractor.py.jsonl",
                     "test-flaky.v1.jsonl", "test-oracle.v1.jsonl"]
    for f in files:
        header = json.loads((saved / f).read_text().splitlines()[0])
        assert header["meta"]["corpus_fingerprint"] == small_corpus.fingerprint
    # flaky failed on b-boom, c-garbage, f-otherid: those documents have no line (scored empty)
    flaky_ids = [json.loads(ln).get("id") for ln in (saved / "test-flaky.v1.jsonl").read_text().splitlines()[1:]]
    assert flaky_ids == ["a-ok", "d-sleep", "e-crash", SEED]
    argv = ["eval", "--corpus", small_corpus.path, "--out", second, "--no-progress"]
    for f in files:
        argv += ["--predictions", saved / f]
    code, _, _ = run(capsys, *argv)
    assert code == 0
    assert _counts(second / "results.json") == _counts(first / "results.json")


def test_save_predictions_with_no_write(capsys, tmp_path, small_corpus):
    code, _, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--splits", "test", "--extractor",
                     "tests.support.harness_extractors:oracle", "--no-write", "--save-predictions", tmp_path / "p")
    assert code == 0
    lines = (tmp_path / "p" / "test-oracle.v1.jsonl").read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["id"] == SEED  # header + the one test document


def test_same_name_twice_is_told_apart(capsys, tmp_path, small_corpus):
    (tmp_path / "x").mkdir()
    for p in (tmp_path / "p.jsonl", tmp_path / "x" / "p.jsonl"):
        p.write_text(json.dumps({"id": "a-ok", "actors": [{"text": "Moscow"}]}) + "\n")
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--predictions", tmp_path / "p.jsonl",
                       "--predictions", tmp_path / "x" / "p.jsonl", "--out", tmp_path / "r")
    assert code == 0
    names = [s["name"] for s in json.loads((tmp_path / "r" / "results.json").read_text())["systems"]]
    assert names == ["p", "p (2)"]


def test_command_named_after_its_program_not_the_interpreter(capsys, small_corpus):
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--splits", "test", "--extractor-cmd", CMD,
                       "--no-write")
    assert code == 0
    assert f"cmd:{Path(sys.executable).name} harness_cmd_extractor.py  actors" in out


def test_extractor_class_is_instantiated(capsys, small_corpus):
    # GoldCopy(corpus) is a class: it gets the corpus and is built, not used unbound
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor",
                         "tests.support.harness_extractors:GoldCopy", "--no-write")
    assert code == 0, err
    row = [ln.split() for ln in out.splitlines() if ln.startswith("test-oracle.v1") and " actors " in ln][0]
    assert row[2:5] == ["1.000", "1.000", "1.000"] and row[-1] == "0"


def test_extractor_module_found_in_the_working_directory(capsys, tmp_path, monkeypatch, small_corpus):
    (tmp_path / "cb_cwd_module.py").write_text(
        "class E:\n    name = 'cwd.v1'\n    def extract(self, doc):\n        return {'actors': []}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.delitem(sys.modules, "cb_cwd_module", raising=False)
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "cb_cwd_module:E", "--no-write")
    sys.modules.pop("cb_cwd_module", None)
    assert code == 0, err
    assert "cwd.v1" in out


def test_compare_names_a_missing_file(capsys, small_corpus):
    code, _, err = run(capsys, "compare", "tests.support.harness_extractors:empty", "no/such/preds.jsonl",
                       "--corpus", small_corpus.path)
    assert code == 2
    assert "no/such/preds.jsonl: no such predictions file" in err


def test_report_shows_the_signature_of_every_level(small_corpus):
    s, sel = _system("system-a.v1", small_corpus, {})
    html = render_report([s], sel)
    for res in (s.mention, s.value):
        for f in res.fields:
            assert f"<code>{f.signature}</code>" in html


def test_compare_names_the_failed_documents(capsys, small_corpus):
    code, _, err = run(capsys, "compare", "tests.support.harness_extractors:empty", "tests.support.harness_extractors:flaky",
                       "--corpus", small_corpus.path, "--splits", "dev", "--trials", "20", "--resamples", "20")
    assert code == 1
    assert "test-flaky.v1: 3 document(s) failed, scored as empty: b-boom: exception: RuntimeError" in err


def test_results_json_names_the_nan_policy(capsys, tmp_path, small_corpus):
    code, _, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:empty",
                     "--zero-division", "nan", "--out", tmp_path)
    assert code == 0
    s = json.loads((tmp_path / "results.json").read_text())["systems"][0]
    assert s["mention"]["zero_division"] == "nan"  # not null, which reads as "no policy"
    assert s["mention"]["casualties.precision"] is None  # nothing predicted: P undefined → nan → null


def test_extractors_lists_the_whole_first_paragraph(capsys):
    import catalogue

    from conflictbench.registry import extractors

    def factory():
        """A test extractor whose summary
        spans two lines.

        Details that are not listed."""

    extractors.register("zz-two-lines.v1", func=factory)
    try:
        code, out, _ = run(capsys, "extractors")
    finally:
        catalogue.REGISTRY.pop(("conflictbench", "extractors", "zz-two-lines.v1"), None)
    line = [ln for ln in out.splitlines() if ln.startswith("zz-two-lines.v1")][0]
    assert line.split(None, 1)[1] == "A test extractor whose summary spans two lines."


def test_an_output_path_that_is_a_file_is_refused_before_anything_runs(capsys, tmp_path, small_corpus):
    (tmp_path / "f").write_text("not a folder")
    for option, other in (("--out", ["--save-predictions", tmp_path / "p"]), ("--save-predictions", ["--out", tmp_path / "r"])):
        code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor",
                             "tests.support.harness_extractors:empty", option, tmp_path / "f" / "sub", *other)
        assert code == 2 and out == ""  # refused before scoring: no leaderboard printed
        assert f"{option} {tmp_path / 'f' / 'sub'}: {tmp_path / 'f'} exists and is not a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_a_write_that_fails_is_one_error_and_changes_nothing(capsys, tmp_path, small_corpus, monkeypatch):
    from conflictbench import atomic

    out_dir = tmp_path / "r"
    out_dir.mkdir()
    (out_dir / "leaderboard.md").write_text("old\n")
    (out_dir / "report.html").mkdir()  # a folder in the result folder: refused before anything runs
    code, _, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:empty",
                       "--out", out_dir)
    assert code == 2
    assert err.startswith(f"conflictbench: error: --out {out_dir}: a result set is written into a folder of its own")
    (out_dir / "report.html").rmdir()

    def full(step):
        if step == "write report.html":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "STEP_HOOK", full)  # the disk fills up while the set is written
    code, _, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:empty",
                       "--out", out_dir)
    assert code == 2
    assert err.startswith("conflictbench: error: cannot write") and "no result file was changed" in err
    assert (out_dir / "leaderboard.md").read_text() == "old\n" and not (out_dir / "results.json").exists()


@pytest.mark.parametrize("argv, message", [
    (["eval", "--bootstrap", "0"], "--bootstrap must be a positive integer. Got 0 instead."),
    (["eval", "--timeout", "0"], "--timeout must be a number of seconds > 0 and at most 86400 (one day). Got 0.0 instead."),
    (["eval", "--seed", "-1"], "--seed must be a non-negative integer. Got -1 instead."),  # was a NumPy traceback
    (["compare", "tests.support.harness_extractors:empty", "tests.support.harness_extractors:empty", "--trials", "0"],
     "--trials must be a positive integer. Got 0 instead."),
])
def test_numbers_are_checked_before_anything_runs(capsys, small_corpus, argv, message):
    # the flaky extractor would print its failures on stderr if it ran
    argv = argv + ["--corpus", small_corpus.path] + (["--extractor", "tests.support.harness_extractors:flaky", "--no-write"]
                                                     if argv[0] == "eval" else [])
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.strip() == f"conflictbench: error: {message}"


def test_report_labels_follow_the_zero_division_policy(small_corpus):
    import re

    sel = select(small_corpus)
    s = score_system("system-a.v1", "test", {}, sel, Settings(n_resamples=10, zero_division=float("nan")))
    html = render_report([s], sel)
    # nothing predicted: every label's precision is undefined → nan (as in results.json), not 0.000
    foreign = re.search(r"&nbsp;&nbsp;foreign_state</td><td>0</td><td>0</td><td>(\d+)</td><td>([^<]*)</td>", html)
    assert foreign and int(foreign.group(1)) > 0 and foreign.group(2) == "nan"


def test_interval_settings_are_stated_wherever_intervals_are(capsys, tmp_path, small_corpus):
    code, out, _ = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", "tests.support.harness_extractors:empty",
                       "--bootstrap", "50", "--seed", "7", "--out", tmp_path)
    assert code == 0
    for text in (out, (tmp_path / "leaderboard.md").read_text(), (tmp_path / "report.html").read_text()):
        assert "95% percentile bootstrap intervals over documents (50 resamples, seed 7)" in text


def test_eval_twice_into_the_same_folder(capsys, tmp_path):
    """The per-document files (predictions/ included) of one run do not stop the next run's set."""
    out = tmp_path / "results"
    for _ in range(2):
        code, _, err = run(capsys, "eval", "--extractor", "null.v1", "--out", out)
        assert code == 0, err
    assert sorted(p.name for p in (out / "predictions").iterdir()) == ["null.v1.jsonl"]


def test_saved_predictions_inside_the_result_folder(capsys, tmp_path):
    """--save-predictions OUT/preds beside --out OUT: both sets written, again on a second run."""
    out = tmp_path / "run"
    for _ in range(2):
        code, _, err = run(capsys, "eval", "--extractor", "null.v1", "--out", out, "--save-predictions", out / "preds")
        assert code == 0, err
    assert sorted(p.name for p in (out / "preds").iterdir()) == ["null.v1.jsonl"]
    assert (out / "results.json").is_file()
