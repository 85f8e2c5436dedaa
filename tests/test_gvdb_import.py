"""``conflictbench corpus import-gvdb`` on the GVDB dev split (``../shared``) and on small TSV
files written here. The dev totals are taken from the shared README's text and recounted
from the raw TSV with regular expressions, independently of the importer."""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile

import pytest

from conflictbench.cli import main
from conflictbench.corpus import load_corpus

COLUMNS = ["Article id", "Article url", "Article title", "Full text", "Json", "Worker"]


@pytest.fixture(scope="module")
def dev_tsv(shared) -> str:
    with tarfile.open(shared / "datasets" / "gvdb-dev.tar.gz") as tar:
        (m,) = [m for m in tar if m.name.endswith("splits/dev.tsv")]
        return tar.extractfile(m).read().decode("utf-8")


@pytest.fixture(scope="module")
def dev(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("gvdb") / "corpus"
    assert main(["corpus", "import-gvdb", str(shared / "datasets" / "gvdb-dev.tar.gz"), "--out", str(out)]) == 0
    return load_corpus(out)


def test_totals_match_the_readme_and_the_raw_file(dev, dev_tsv, shared):
    readme = (shared / "README.md").read_text(encoding="utf-8")
    m = re.search(r"(\d+) victims killed and (\d+) injured or hospitalized \(not killed\) in dev", readme)
    killed_readme, injured_readme = int(m.group(1)), int(m.group(2))
    # the raw file: every victim-was list, by a regular expression over the Json text
    lists = [re.findall(r'"(\w+)"', body) for body in re.findall(r'"victim-was":\s*\[([^\]]*)\]', dev_tsv)]
    killed_raw = sum("killed" in w for w in lists)
    injured_raw = sum("killed" not in w and ("injured" in w or "hospitalized" in w) for w in lists)
    assert (killed_raw, injured_raw) == (killed_readme, injured_readme) == (269, 246)
    by_kind = {"killed": 0, "injured": 0}
    for doc in dev.documents:
        for c in doc["casualties"]:
            assert c["qualifier"] == "exact" and c["start"] is None and c["count"] > 0
            by_kind[c["kind"]] += c["count"]
    assert by_kind == {"killed": killed_readme, "injured": injured_readme}
    assert list(dev.splits) == ["dev"] and len(dev.documents) == 400


def test_documents_keep_the_source(dev, dev_tsv):
    rows = list(csv.DictReader(io.StringIO(dev_tsv, newline=""), delimiter="\t"))
    by_id = dev.by_id()
    named = 0
    for row in rows:
        doc = by_id[f"gvdb-{row['Article id']}"]
        assert doc["text"] == row["Full text"] and doc["publication_date"] is None
        j = json.loads(row["Json"])
        date = j["date-and-time"]["date"]
        y, mo, d = map(int, date.split("-"))
        assert [x["value"] for x in doc["dates"]] == [f"{y:04d}-{mo:02d}-{d:02d}"]
        names = [s["name"]["value"].strip() for s in j["shooter-section"] if s["name"]["value"].strip()]
        assert [a["text"] for a in doc["actors"]] == names
        for a in doc["actors"]:
            assert a["type"] == "person" and a["entity"] in dev.registry
            assert doc["text"][a["start"]:a["end"]] == a["text"]  # every dev offset agrees with the text
        named += len(names)
    assert named == 94
    card = (dev.path / "README.md").read_text(encoding="utf-8")
    assert "2015-8-23" in card and "0 dropped" in " ".join(card.split())


def _row(article="1", text="Police said John Doe shot two men; one died.", victims=(["killed"], ["injured"]),
         shooter=("John Doe", 12, 20), date="2016-01-27", json_cell=None):
    j = {"victim-section": [{"victim-was": list(v)} for v in victims],
         "shooter-section": [{"name": {"value": shooter[0], "startIndex": shooter[1], "endIndex": shooter[2]}}],
         "date-and-time": {"date": date}}
    return [article, "http://news.example/a", "Shooting", text, json_cell or json.dumps(j), "W1"]


def _write(path, rows, header=COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def test_small_file_mapping(tmp_path):
    from conflictbench.gvdb import read_gvdb

    f = tmp_path / "Test.tsv"
    _write(f, [_row(), _row("2", shooter=("John Doe", 0, 5), victims=([], ["hospitalized", "killed"]))])
    splits, registry, report = read_gvdb([f])
    d1, d2 = splits["test"]
    assert [(c["kind"], c["count"]) for c in d1["casualties"]] == [("killed", 1), ("injured", 1)]
    assert d1["actors"] == [{"start": 12, "end": 20, "text": "John Doe", "entity": "gvdb:john_doe",
                             "type": "person", "optional": False}]
    assert d1["dates"][0]["value"] == "2016-01-27" and d1["source"] == "GVDB (news.example)"
    assert [(c["kind"], c["count"]) for c in d2["casualties"]] == [("killed", 1)]  # a victim with no outcome: none
    # offsets [0, 5) give "Polic": dropped, counted, the mention kept without span
    assert d2["actors"][0]["start"] is None and d2["actors"][0]["entity"] == "gvdb:john_doe"
    assert report.dropped_offsets == {"test": 1} and len(registry) == 1
    assert any("offsets dropped" in n for n in report.notes)


def _fails(tmp_path, capsys, path, *needles):
    out = tmp_path / "out"
    assert main(["corpus", "import-gvdb", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for n in needles:
        assert n in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "rows,needles",
    [
        ([_row(), _row("2", json_cell='{"victim-section": [')], ["bad.tsv:3", "article '2'", "field Json",
                                                                  "not valid JSON"]),
        ([_row(victims=(["shot"],))], ["article '1'", "victim-was", "'shot'"]),
        ([_row(date="2016-02-30")], ["field Json.date-and-time.date", "not a calendar date"]),
        ([_row(), _row()], ["bad.tsv:3", "article '1' again"]),
        ([_row()[:4]], ["bad.tsv:2", "4 cell(s), the header has 6"]),
    ],
)
def test_bad_records(tmp_path, capsys, rows, needles):
    f = tmp_path / "bad.tsv"
    _write(f, rows)
    _fails(tmp_path, capsys, f, *needles)


def test_missing_column_and_truncated_archive(tmp_path, capsys, shared):
    f = tmp_path / "bad.tsv"
    _write(f, [_row()[:5]], header=COLUMNS[:5])
    _fails(tmp_path, capsys, f, "bad.tsv:1", "lacks column(s) ['Worker']")
    data = (shared / "datasets" / "gvdb-dev.tar.gz").read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 3])
    _fails(tmp_path, capsys, cut, "cut.tar.gz", "not a readable tar archive")
