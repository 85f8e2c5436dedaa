"""The validator catches each class of bad record, naming document, field and index."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conflictbench.corpus import write_gold_source
from conflictbench.validation import validate_documents

from .conftest import ROOT


@pytest.fixture()
def doc():
    text = "At least 12 civilians were killed in Sanaa on Monday, the UN said."
    return {
        "id": "doc-1",
        "text": text,
        "title": "t",
        "source": "s",
        "url": None,
        "language": "en",
        "publication_date": "2021-03-10",
        "casualties": [
            {"start": 0, "end": 21, "text": "At least 12 civilians", "count": 12, "count_low": None,
             "count_high": None, "qualifier": "at_least", "kind": "killed", "victims": "civilians",
             "date_ref": 0, "perpetrator_ref": None, "optional": False}
        ],
        "actors": [{"start": 58, "end": 60, "text": "UN", "entity": "un", "type": "international_org",
                    "optional": False}],
        "dates": [{"start": 46, "end": 52, "text": "Monday", "value": "2021-03-08", "type": "DATE",
                   "mod": None, "optional": False}],
    }


def test_the_fixture_document_is_valid(doc, registry):
    assert validate_documents([doc], registry) == []


def _break(doc, path, value):
    d = copy.deepcopy(doc)
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return d


CASES = [
    # (what, path, value, field, index, words in the message)
    ("span text differs", ("casualties", 0, "text"), "At least 13 civilians", "casualties", 0, "!= text[0:21]"),
    ("offset past the end", ("dates", 0, "end"), 999, "dates", 0, "outside the text"),
    ("negative offset", ("actors", 0, "start"), -1, "actors", 0, "outside the text"),
    ("empty span", ("actors", 0, "end"), 58, "actors", 0, "[58, 58) is empty or reversed"),
    ("unknown entity", ("actors", 0, "entity"), "unicef_typo", "actors", 0, "not in the actor registry"),
    ("malformed TIMEX", ("dates", 0, "value"), "2021-13-08", "dates", 0, "not a well-formed TIMEX3"),
    ("TIMEX type mismatch", ("dates", 0, "type"), "DURATION", "dates", 0, "does not fit type"),
    ("unknown mod", ("dates", 0, "mod"), "EARLY", "dates", 0, "mod: must be one of"),
    ("count missing for at_least", ("casualties", 0, "count"), None, "casualties", 0, "needs a count"),
    ("vague with a count", ("casualties", 0, "qualifier"), "vague", "casualties", 0, "takes no count"),
    ("unknown kind", ("casualties", 0, "kind"), "murdered", "casualties", 0, "kind: must be one of"),
    ("negative count", ("casualties", 0, "count"), -3, "casualties", 0, "non-negative"),
    ("bool count", ("casualties", 0, "count"), True, "casualties", 0, "non-negative integer"),
    ("dangling date_ref", ("casualties", 0, "date_ref"), 5, "casualties", 0, "does not index"),
    ("dangling perpetrator_ref", ("casualties", 0, "perpetrator_ref"), 1, "casualties", 0, "does not index"),
    ("unknown actor type", ("actors", 0, "type"), "terrorists", "actors", 0, "type: must be one of"),
    ("bad DCT", ("publication_date",), "10/03/2021", "publication_date", None, "not an ISO 8601 date"),
    ("missing title", ("title",), None, "title", None, "non-empty string"),
]


@pytest.mark.parametrize("what, path, value, field, index, words", CASES, ids=[c[0] for c in CASES])
def test_each_class_of_bad_record_is_reported(doc, registry, what, path, value, field, index, words):
    problems = validate_documents([_break(doc, path, value)], registry)
    assert len(problems) >= 1
    p = problems[0]
    assert (p.doc_id, p.field, p.index) == ("doc-1", field, index)
    assert words in p.message
    assert "doc-1" in str(p)


def test_range_needs_ordered_bounds(doc, registry):
    d = copy.deepcopy(doc)
    d["casualties"][0].update(qualifier="range", count=None, count_low=9, count_high=7)
    (p,) = validate_documents([d], registry)
    assert "count_low 9 > count_high 7" in p.message


def test_duplicate_ids_are_reported(doc, registry):
    problems = validate_documents([doc, copy.deepcopy(doc)], registry)
    assert [(p.field, p.message) for p in problems] == [("id", "duplicate id (first at record 0)")]


def test_duplicate_span_is_reported(doc, registry):
    d = copy.deepcopy(doc)
    d["actors"].append(dict(d["actors"][0]))
    (p,) = validate_documents([d], registry)
    assert (p.field, p.index, p.message) == ("actors", 1, "duplicate of actors[0]")


def test_unknown_attribute_is_reported_not_dropped(doc, registry):
    d = copy.deepcopy(doc)
    d["dates"][0]["anchor"] = "t0"
    (p,) = validate_documents([d], registry)
    assert (p.field, p.index) == ("dates", 0) and "unknown attribute 'anchor'" in p.message


def test_cli_validate_exits_nonzero_and_names_the_problem(doc, tmp_path):
    bad = _break(doc, ("casualties", 0, "text"), "At least 13 civilians")
    write_gold_source([bad], tmp_path)
    res = subprocess.run(
        [sys.executable, "-m", "conflictbench", "corpus", "validate", str(tmp_path),
         "--registry", str(ROOT / "annotation" / "actors.jsonl")],
        capture_output=True, text=True,
    )
    assert res.returncode != 0
    assert "document 'doc-1', casualties[0]" in res.stderr
    assert res.stdout == ""


def test_cli_validate_accepts_the_embedded_corpus():
    res = subprocess.run([sys.executable, "-m", "conflictbench", "corpus", "validate"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "1 document(s), valid" in res.stdout


def test_failed_build_leaves_the_existing_corpus_untouched(doc, tmp_path):
    from conflictbench.corpus import build_gold_corpus
    from conflictbench.errors import ValidationFailed

    gold = tmp_path / "gold"
    out = tmp_path / "corpus"
    write_gold_source([doc], gold)
    build_gold_corpus(gold, ROOT / "annotation" / "actors.jsonl", out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (gold / "doc-1.json").write_text(
        json.dumps({**json.loads((gold / "doc-1.json").read_text()), "language": ""})
    )
    with pytest.raises(ValidationFailed):
        build_gold_corpus(gold, ROOT / "annotation" / "actors.jsonl", out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["corpus", "gold"]  # no temp leftovers


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "conflictbench", *args],
                          capture_output=True, text=True, cwd=cwd)


def test_cli_validate_reports_a_bad_parquet_corpus(doc, registry, tmp_path):
    # a corpus folder edited outside conflictbench: the parquet row breaks a span
    import pyarrow.parquet as pq

    from conflictbench.card import gold_card
    from conflictbench.corpus import write_corpus

    out = write_corpus(tmp_path / "c", {"test": [doc]}, registry,
                       card=gold_card({"test": [doc]}, registry))
    (f,) = (out / "data").glob("*.parquet")
    table = pq.read_table(f)
    rows = table.to_pylist()
    rows[0]["dates"][0]["value"] = "2021-13-08"
    pq.write_table(table.from_pylist(rows, schema=table.schema), f)
    res = _cli("corpus", "validate", str(out))
    assert res.returncode != 0 and res.stdout == ""
    assert "document 'doc-1', dates[0]: value: '2021-13-08' is not a well-formed TIMEX3" in res.stderr


def test_cli_validate_a_folder_that_is_no_corpus_says_so(tmp_path):
    (tmp_path / "notes.md").write_text("nothing here")
    res = _cli("corpus", "validate", str(tmp_path))
    assert res.returncode != 0 and res.stdout == ""
    assert res.stderr.count("\n") == 1  # one line, no traceback
    assert f"{tmp_path}: neither a corpus folder" in res.stderr


def test_cli_validate_a_gold_folder_without_a_registry_asks_for_one(doc, tmp_path, monkeypatch, capsys):
    # installed from a wheel there is no source checkout, so no annotation/actors.jsonl to
    # fall back on: the entity check must not be skipped silently
    import conflictbench.corpus
    from conflictbench.cli import main

    write_gold_source([doc], tmp_path / "gold")
    monkeypatch.setattr(conflictbench.corpus, "project_root", lambda: None)
    assert main(["corpus", "validate", str(tmp_path / "gold")]) != 0
    err = capsys.readouterr().err
    assert "pass --registry" in err and str(tmp_path / "gold") in err
    assert main(["corpus", "validate", str(tmp_path / "gold"),
                 "--registry", str(ROOT / "annotation" / "actors.jsonl")]) == 0


def test_cli_validate_refuses_a_registry_it_would_not_use(capsys):
    # a corpus folder carries its own actors.jsonl: --registry would be silently ignored
    from conflictbench.cli import main

    assert main(["corpus", "validate", str(ROOT / "corpus"),
                 "--registry", str(ROOT / "annotation" / "actors.jsonl")]) == 2
    assert "--registry is for a gold source folder" in capsys.readouterr().err


def test_cli_output_piped_into_a_closed_reader_ends_quietly():
    # `conflictbench ... | head -1`: the reader closes early; no BrokenPipeError traceback
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflictbench", "eval", "--all", "--no-write"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_cli_validate_given_a_file_says_it_takes_a_folder(root):
    gold_json = next((root / "annotation" / "gold").glob("*.json"))
    res = subprocess.run([sys.executable, "-m", "conflictbench", "corpus", "validate", str(gold_json)],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert f"{gold_json}: is a file; validate takes a folder" in res.stderr
