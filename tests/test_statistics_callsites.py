"""`eval` computes every interval of a run in one pass; `compare` computes none (it prints none)."""

from __future__ import annotations

import json

import pytest

import conflictbench.scoring.statistics as statistics
from conflictbench.cli import main
from conflictbench.evaluation import Settings, score_system, select, with_intervals


def gold_copy(docs):
    return {d["id"]: {"id": d["id"], **{f: d[f] for f in ("casualties", "actors", "dates")}} for d in docs}


@pytest.fixture
def interval_calls(monkeypatch):
    """Counts calls of the one-pass interval function (the real one runs)."""
    calls = []
    real = statistics.bootstrap_intervals

    def counting(results, **kw):
        calls.append(len(results))
        return real(results, **kw)

    monkeypatch.setattr(statistics, "bootstrap_intervals", counting)
    return calls


def test_compare_computes_no_interval(capsys, small_corpus, interval_calls):
    code = main(["compare", "tests.support.harness_extractors:oracle", "tests.support.harness_extractors:empty",
                 "--corpus", str(small_corpus.path), "--trials", "50", "--resamples", "50"])
    assert code == 0 and "p (paired bootstrap)" in capsys.readouterr().out
    assert interval_calls == []


def test_eval_computes_every_interval_in_one_pass(capsys, small_corpus, tmp_path, interval_calls):
    code = main(["eval", "--corpus", str(small_corpus.path), "--extractor", "tests.support.harness_extractors:oracle",
                 "--extractor", "tests.support.harness_extractors:empty", "--bootstrap", "60", "--seed", "3",
                 "--out", str(tmp_path)])
    assert code == 0
    capsys.readouterr()
    assert interval_calls == [4]  # 2 systems × 2 levels, one call
    interval_calls.clear()
    # the same numbers as one score_system per system (resamples depend on the seed only)
    saved = {s["name"]: s["ci"] for s in json.loads((tmp_path / "results.json").read_text())["systems"]}
    sel = select(small_corpus)
    settings = Settings(n_resamples=60, seed=3)
    alone = score_system("x", "test", gold_copy(small_corpus.documents),
                         sel, settings)
    got = saved[[n for n in saved if "empty" not in n][0]]
    assert got == {f"{f}.{lvl}.f1_ci": list(alone.ci[(f, lvl)]) for f, lvl in alone.ci}


def test_with_intervals_equals_score_system(small_corpus):
    sel = select(small_corpus)
    settings = Settings(n_resamples=40, seed=1)
    preds = gold_copy(small_corpus.documents[:3])
    each = [score_system(n, "t", p, sel, settings) for n, p in (("o", preds), ("e", {}))]
    bare = [score_system(n, "t", p, sel, settings, intervals=False) for n, p in (("o", preds), ("e", {}))]
    assert all(s.ci == {} for s in bare)
    assert [s.ci for s in with_intervals(bare, settings)] == [s.ci for s in each]
    assert with_intervals([], settings) == []
