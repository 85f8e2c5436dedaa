"""``conflictbench bench``: a benchmark definition → one combined results set; a corpus that is
not there is skipped with one line; a bad definition is one clear error."""

from __future__ import annotations

import json

import pytest

from conflictbench.bench import FORMAT, read_definition
from conflictbench.cli import main
from conflictbench.corpus import load_corpus
from conflictbench.errors import DataError

from .conftest import ROOT


def test_shipped_definitions_parse():
    specs = read_definition(ROOT / "eval" / "benchmarks.toml")
    assert [s.name for s in specs] == ["seed", "muc4", "te3", "gvdb"]
    assert {s.name: s.span_mode for s in specs} == {"seed": "strict", "muc4": "none", "te3": "strict", "gvdb": "none"}
    assert [s.name for s in specs if s.te3] == ["te3"]
    dev = read_definition(ROOT / "eval" / "benchmarks-dev.toml")
    assert [s.name for s in dev] == ["seed", "tbaq-dev", "gvdb-dev"]


def test_bench_end_to_end(tmp_path, capsys, monkeypatch):
    fx = tmp_path / "fx.tml"
    fx.write_text('<?xml version="1.0" ?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="2020-01-17" '
                  'functionInDocument="CREATION_TIME">x</TIMEX3></DCT>\n<TEXT>It rained <TIMEX3 tid="t1" '
                  'type="DATE" value="2020-01-16">on Thursday</TIMEX3>.</TEXT>\n</TimeML>\n', encoding="utf-8")
    tml = tmp_path / "tml"
    assert main(["corpus", "import-timeml", str(fx), "--split", "test", "--out", str(tml)]) == 0
    monkeypatch.setenv("BENCH_TEST_TML", str(tml))
    monkeypatch.delenv("BENCH_TEST_NOWHERE", raising=False)
    (tmp_path / "b.toml").write_text(f'''
[[corpus]]
name = "seed"
path = "{ROOT / 'corpus'}"
span_mode = "strict"

[[corpus]]
name = "gone"
path = "{tmp_path / 'nothing-here'}"
env = "BENCH_TEST_NOWHERE"

[[corpus]]
name = "tml"
env = "BENCH_TEST_TML"
splits = ["test"]
span_mode = "overlap"
fields = ["dates"]
te3 = true

[[corpus]]
name = "nosplit"
env = "BENCH_TEST_TML"
splits = ["dev"]
''', encoding="utf-8")
    out = tmp_path / "res"
    assert main(["bench", "--benchmarks", str(tmp_path / "b.toml"), "--out", str(out), "--extractor", "oracle.v1",
                 "--extractor", "null.v1", "--bootstrap", "10"]) == 0
    cap = capsys.readouterr()
    skipped = [line for line in cap.err.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2 and "gone" in skipped[0] and "BENCH_TEST_NOWHERE" in skipped[0]
    assert "nosplit" in skipped[1] and "no split(s) ['dev']" in skipped[1]
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    assert [(c["name"], c["status"]) for c in data["corpora"]] == [
        ("seed", "scored"), ("gone", "skipped"), ("tml", "scored"), ("nosplit", "skipped")]
    seed_fp = load_corpus(ROOT / "corpus").fingerprint
    tml_fp = load_corpus(tml).fingerprint
    assert data["corpora"][0]["fingerprint"] == seed_fp and data["corpora"][2]["fingerprint"] == tml_fp
    rows = data["results"]
    # seed: 2 systems x 3 fields x 2 levels; tml: 2 systems x 1 field x 2 levels + 2 te3 rows
    assert len([r for r in rows if r["corpus"] == "seed"]) == 12
    assert len([r for r in rows if r["corpus"] == "tml"]) == 6
    for r in rows:
        fp = seed_fp if r["corpus"] == "seed" else tml_fp
        assert r["corpus_fingerprint"] == fp and f"corpus:{fp}" in r["signature"]
        assert r["f1"] == (1.0 if r["system"] == "oracle.v1" else 0.0)  # the gold itself / nothing
    te3_rows = [r for r in rows if r["level"] == "te3"]
    assert {r["system"] for r in te3_rows} == {"oracle.v1", "null.v1"}
    assert all(r["signature"].startswith("dates|match:te3.v1|") for r in te3_rows)
    tml_rows = [r for r in rows if r["corpus"] == "tml" and r["level"] == "mention"]
    assert {r["span_mode"] for r in tml_rows} == {"overlap"}
    md = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "## gone" in md and "Skipped:" in md and seed_fp in md


@pytest.mark.parametrize(
    "body,needle",
    [
        ('[[corpus]]\nname = "a"\npath = "x"\nspan = "none"\n', "unknown key(s) ['span']"),
        ('[[corpus]]\nname = "a"\npath = "x"\nspan_mode = "loose"\n', "corpus 'a'"),
        ('[[corpus]]\nname = "a"\n', "needs 'path' or 'env'"),
        ('[[corpus]]\nname = "a"\npath = "x"\n[[corpus]]\nname = "a"\npath = "y"\n', "a second corpus"),
        ('[[corpus]]\nname = "a"\npath = "x"\nfields = ["people"]\n', "'fields' must be"),
        ('[[corpus]\n', "not valid TOML"),
        ('title = "x"\n', "unknown top-level key"),
    ],
)
def test_bad_definition(tmp_path, capsys, body, needle):
    f = tmp_path / "b.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match="b.toml"):
        read_definition(f)
    assert main(["bench", "--benchmarks", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert needle in err and str(f) in err
    assert not (tmp_path / "o").exists()
