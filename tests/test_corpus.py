"""The embedded corpus: built from the gold source, loadable offline, byte-exact seed text."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
import yaml

from conflictbench.corpus import build_gold_corpus, gold_source_files, load_corpus, read_gold_source
from conflictbench.schema import FIELDS, features

from .conftest import ROOT, SEED_ID


def test_seed_text_is_the_shared_article_byte_for_byte(shared, seed_doc):
    raw = (shared / "seed" / "article.txt").read_bytes()
    assert seed_doc["text"].encode("utf-8") == raw
    assert (ROOT / "annotation" / "gold" / f"{SEED_ID}.txt").read_bytes() == raw
    assert len(raw) == 2811  # the shared README's stated size


@pytest.mark.parametrize("from_root", [True, False], ids=["load_dataset('corpus') in the repo root",
                                                      "absolute path, elsewhere"])
def test_load_dataset_offline_returns_declared_features(tmp_path, shared, from_root):
    # A fresh process with an empty HF cache and no network: what a researcher gets, with
    # exactly the call the README shows (`load_dataset("corpus")` from the repository root).
    code = (
        "import json, sys\n"
        "from datasets import load_dataset\n"
        "ds = load_dataset(sys.argv[1])\n"
        "from conflictbench.schema import features\n"
        "d = ds['test'][0]\n"
        "print(json.dumps({'splits': list(ds), 'feat_ok': ds['test'].features == features(),"
        " 'id': d['id'], 'text': d['text'], 'n': [len(d[f]) for f in ('casualties','actors','dates')],"
        " 'date': d['publication_date']}))\n"
    )
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    out = subprocess.run(
        [sys.executable, "-c", code, "corpus" if from_root else str(ROOT / "corpus")],
        env=env, cwd=ROOT if from_root else tmp_path, capture_output=True, text=True, check=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["splits"] == ["test"]
    assert got["feat_ok"] is True
    assert got["id"] == SEED_ID
    assert got["text"] == (shared / "seed" / "article.txt").read_bytes().decode("utf-8")
    # parquet keeps the ISO date a string (a JSONL would have become a timestamp)
    assert got["date"] == "2020-01-17"
    assert all(n > 0 for n in got["n"])


def test_committed_corpus_equals_what_the_source_builds(tmp_path):
    out = build_gold_corpus(out_dir=tmp_path / "built")
    built = load_corpus(out)
    committed = load_corpus(ROOT / "corpus")
    assert built.documents == committed.documents
    assert built.fingerprint == committed.fingerprint
    assert (out / "actors.jsonl").read_text() == (ROOT / "corpus" / "actors.jsonl").read_text()
    assert (out / "README.md").read_text() == (ROOT / "corpus" / "README.md").read_text(), (
        "corpus/README.md is stale: run `make corpus`"
    )
    for f in (out / "data").glob("*.parquet"):
        assert pq.read_table(f).equals(pq.read_table(ROOT / "corpus" / "data" / f.name))


def test_card_yaml_features_are_the_schema_features():
    from datasets import Features

    card = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    header = yaml.safe_load(card.split("---\n")[1])
    assert Features._from_yaml_list(header["dataset_info"]["features"]) == features()
    assert header["configs"][0]["data_files"] == [{"split": "test", "path": "data/test-*.parquet"}]
    # the filled card sections the issue asks for
    for heading in ("## Source and licensing", "## How it was annotated", "## Schema", "## Loading",
                    "## Scoring against it"):
        assert heading in card
    for field in FIELDS:
        assert f"`{field}`" in card


def test_span_lists_are_declared_as_List_not_Sequence():
    from datasets import List

    feats = features()
    for field in FIELDS:
        assert type(feats[field]) is List


def test_seed_gold_matches_its_source(seed_doc):
    (src,) = [d for d in read_gold_source(ROOT / "annotation" / "gold") if d["id"] == SEED_ID]
    for field in FIELDS:
        assert len(src[field]) == len(seed_doc[field])
        for a, b in zip(src[field], seed_doc[field]):
            for k, v in a.items():
                assert b[k] == v, (field, k)


def test_seed_hard_cases_are_annotated_as_the_guidelines_say(seed_doc):
    text = seed_doc["text"]
    dates = {(d["text"], d["value"], d["mod"]) for d in seed_doc["dates"]}
    # values hand-derived from the calendar: DCT 2020-01-17 is a Friday
    assert ("late Wednesday", "2020-01-15", "END") in dates
    assert ("early December", "2019-12", "START") in dates
    assert ("Nearly nine years", "P9Y", "APPROX") in dates
    assert ("two days after", "2020-01-14", None) in dates  # Sunday 2020-01-12 + 2 days
    assert ("January 17, 2020 05:06 AM", "2020-01-17T05:06", None) in dates
    assert ("Thursday 22 October 2020", "2020-10-22", None) in dates  # page header: a mention, not the DCT
    assert seed_doc["publication_date"] == "2020-01-17"
    cas = {(c["text"], c["kind"], c["count"], c["qualifier"]) for c in seed_doc["casualties"]}
    assert ("At least 40 people", "killed", 40, "at_least") in cas
    assert ("39 people", "killed", 39, "exact") in cas
    assert ("Seventeen government troops and allied militia", "killed", 17, "exact") in cas
    assert ("thousands of civilians", "displaced", None, "vague") in cas
    for field in FIELDS:
        for s in seed_doc[field]:
            assert text[s["start"] : s["end"]] == s["text"]


@pytest.mark.parametrize(
    "alias, entity",
    [("regime forces", "syria_government"), ("Moscow", "russia"), ("the Observatory", "sohr"),
     ("Ankara", "turkey"), ("Hayat Tahrir Al Sham", "hts"), ("U.N.", "un")],
)
def test_registry_resolves_the_aliases_analysts_use(registry, alias, entity):
    assert registry.resolve(alias) == entity


def test_a_write_failing_half_way_leaves_the_old_corpus_and_no_temp_files(tmp_path, corpus):
    # the parquet is written, then writing the card fails (not a string): the old folder
    # must stay as it was and the temporary folder must be gone
    from conflictbench.corpus import write_corpus

    docs = list(corpus.documents)
    out = write_corpus(tmp_path / "c", {"test": docs}, corpus.registry, card="old card\n")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(TypeError):
        write_corpus(out, {"test": docs}, corpus.registry, card=None)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["c"]


def test_building_from_an_empty_gold_folder_is_one_clear_error(tmp_path):
    # was a datasets ValueError traceback ("Keys mismatch") from an empty split
    (tmp_path / "gold").mkdir()
    res = subprocess.run(
        [sys.executable, "-m", "conflictbench", "corpus", "build", "--gold", str(tmp_path / "gold"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr == f"conflictbench: error: {tmp_path / 'gold'}: no gold documents (<id>.json + <id>.txt pairs)\n"
    assert not (tmp_path / "out").exists()


def test_an_empty_split_is_refused_not_a_traceback(tmp_path, corpus):
    from conflictbench.corpus import write_corpus
    from conflictbench.errors import DataError

    with pytest.raises(DataError, match=r"split\(s\) \['tst'\] have no documents; nothing written"):
        write_corpus(tmp_path / "c", {"test": list(corpus.documents), "tst": []}, corpus.registry,
                     card="card\n")
    assert not (tmp_path / "c").exists()


def test_splits_given_as_one_string_is_a_parameter_error():
    # a str is a sequence too: "test" would be read as the splits 't', 'e', 's', 't'
    from conflictbench.errors import ParameterError

    with pytest.raises(ParameterError, match=r"The 'splits' parameter of load_corpus\(\) must be a list of "
                                             r"split names\. Got 'test' instead\."):
        load_corpus(splits="test")


def test_a_bad_gold_file_is_named_not_the_output_folder(tmp_path, seed_doc):
    # `corpus build` used to report "<out>: record 0: ..." — the folder it was about to write
    gold = tmp_path / "gold"
    gold.mkdir()
    doc = dict(seed_doc)
    doc["casualties"] = [dict(c) for c in seed_doc["casualties"]]
    doc["casualties"][0]["kind"] = "murdered"
    js, txt = gold_source_files(doc)
    (gold / f"{SEED_ID}.json").write_bytes(js)
    (gold / f"{SEED_ID}.txt").write_bytes(txt)
    res = subprocess.run(
        [sys.executable, "-m", "conflictbench", "corpus", "build", "--gold", str(gold),
         "--registry", str(ROOT / "annotation" / "actors.jsonl"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.startswith(f"conflictbench: error: {gold}: 1 problem(s)\n")
    assert f"  {gold / (SEED_ID + '.json')}: document {SEED_ID!r}, casualties[0]: kind: must be one of" in res.stderr
    assert str(tmp_path / "out") not in res.stderr and not (tmp_path / "out").exists()
