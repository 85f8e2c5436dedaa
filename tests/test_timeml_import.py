"""``conflictbench corpus import-timeml`` on TempEval-3's training data (TBAQ-cleaned, from
``../shared``) and on small files written here. Expected counts are derived independently
from the raw files with regular expressions, not from the importer."""

from __future__ import annotations

import io
import re
import tarfile

import pytest

from conflictbench.cli import main
from conflictbench.corpus import load_corpus
from conflictbench.timeml import read_timeml

TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.S)


@pytest.fixture(scope="module")
def tbaq_raw(shared):
    """member name -> raw text of every .tml in the archive."""
    out = {}
    with tarfile.open(shared / "datasets" / "timeml-tbaq-cleaned.tar.gz") as tar:
        for m in tar:
            if m.isfile() and m.name.endswith(".tml"):
                out[m.name] = tar.extractfile(m).read().decode("utf-8")
    return out


@pytest.fixture(scope="module")
def tbaq(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("tbaq") / "corpus"
    assert main(["corpus", "import-timeml", str(shared / "datasets" / "timeml-tbaq-cleaned.tar.gz"),
                 "--split", "dev", "--out", str(out)]) == 0
    return load_corpus(out)


def _unique(raw: dict[str, str]) -> dict[str, str]:
    """file stem -> raw, an identical second copy of a file left out (testpipeline/ repeats one)."""
    out: dict[str, str] = {}
    for name in sorted(raw):
        stem = name.rsplit("/", 1)[1][:-4]
        if stem in out:
            assert out[stem] == raw[name]
            continue
        out[stem] = raw[name]
    return out


def test_counts_match_the_raw_files(tbaq, tbaq_raw, shared):
    assert sum(r.count("<TIMEX3") for r in tbaq_raw.values()) == 2112  # the shared README's count
    unique = _unique(tbaq_raw)
    assert len(unique) == 256 and len(tbaq_raw) == 257
    assert set(tbaq.by_id()) == set(unique)
    assert list(tbaq.splits) == ["dev"]
    want = 0
    for stem, raw in unique.items():
        text = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S).group(1)
        values = [re.search(r'value="([^"]*)"', a).group(1) for a, _ in TIMEX.findall(text)]
        want += sum(1 for v in values if v != "PXX")  # PXX (unit unknown) is skipped, listed in the card
    assert sum(len(d["dates"]) for d in tbaq.documents) == want == 1820


def test_text_offsets_and_dct_per_document(tbaq, tbaq_raw):
    unique = _unique(tbaq_raw)
    for doc in tbaq.documents:
        raw = unique[doc["id"]]
        inner = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S).group(1)
        assert doc["text"] == re.sub(r"<[^>]*>", "", inner).replace("&amp;", "&")
        dct = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw).group(0)
        assert doc["publication_date"] == re.search(r'value="([^"]*)"', dct).group(1)[:10]
        tags = [(a, re.sub(r"<[^>]*>", "", t).replace("&amp;", "&")) for a, t in TIMEX.findall(inner)]
        tags = [(a, t) for a, t in tags if 'value="PXX"' not in a]
        assert [d["text"] for d in doc["dates"]] == [t for _a, t in tags]
        for d, (a, _t) in zip(doc["dates"], tags):
            assert doc["text"][d["start"]:d["end"]] == d["text"]
            mod = re.search(r'mod="([^"]*)"', a)
            assert d["mod"] == (mod.group(1) if mod else None)
        assert doc["casualties"] == [] and doc["actors"] == []


def test_the_card_lists_every_lenient_reading(tbaq, shared):
    card = (tbaq.path / "README.md").read_text(encoding="utf-8")
    _splits, _reg, report = read_timeml([shared / "datasets" / "timeml-tbaq-cleaned.tar.gz"], split="dev")
    assert len(report.notes) == 34
    for note in report.notes:
        assert f"* {note}" in card
    flat = " ".join(card.split())
    assert "dates-only" in flat and "2112 tags in all, of which 257 DCTs" in flat
    assert "'2000-W8' read as '2000-W08'" in card and "'P1E' read as 'P10Y'" in card
    assert "identical copy" in card


def _tml(text: str, dct: str | None = '<DCT><TIMEX3 tid="t0" type="DATE" value="2020-01-17" '
         'functionInDocument="CREATION_TIME">Jan 17</TIMEX3></DCT>') -> str:
    return f'<?xml version="1.0" ?>\n<TimeML>\n<DOCID>x</DOCID>\n{dct or ""}\n<TEXT>{text}</TEXT>\n</TimeML>\n'


def test_one_split_per_folder_and_a_small_file(tmp_path):
    (tmp_path / "In" / "Train-A").mkdir(parents=True)
    (tmp_path / "In" / "test").mkdir()
    body = 'A &amp; B met <TIMEX3 tid="t1" type="DATE" value="2020-01-16">on <EVENT eid="e1">Thursday</EVENT></TIMEX3>.\r\n'
    (tmp_path / "In" / "Train-A" / "d1.tml").write_text(_tml(body), encoding="utf-8", newline="")
    (tmp_path / "In" / "test" / "d2.tml").write_text(_tml("Nothing."), encoding="utf-8")
    splits, _reg, _rep = read_timeml([tmp_path / "In"])
    assert {s: [d["id"] for d in docs] for s, docs in splits.items()} == {"train_a": ["d1"], "test": ["d2"]}
    (d1,) = splits["train_a"]
    assert d1["text"] == "A & B met on Thursday.\r\n"  # entity decoded, CR LF kept
    assert d1["dates"] == [{"start": 10, "end": 21, "text": "on Thursday", "value": "2020-01-16", "type": "DATE",
                            "mod": None, "optional": False}]
    assert d1["publication_date"] == "2020-01-17"
    one, _r, _p = read_timeml([tmp_path / "In" / "test" / "d2.tml"], split="all")
    assert list(one) == ["all"]


def _fails(tmp_path, capsys, args, *needles):
    out = tmp_path / "out"
    assert main(["corpus", "import-timeml", *map(str, args), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for n in needles:
        assert n in err, err
    assert not out.exists()  # nothing written
    return err


def test_truncated_archive(shared, tmp_path, capsys):
    data = (shared / "datasets" / "timeml-tbaq-cleaned.tar.gz").read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    _fails(tmp_path, capsys, [cut], "cut.tar.gz", "not a readable tar archive")


def test_malformed_xml(tmp_path, capsys):
    f = tmp_path / "bad.tml"
    f.write_text(_tml("An <EVENT eid='e1'>open tag.\n"), encoding="utf-8")
    _fails(tmp_path, capsys, [f], "bad.tml", "line ", "malformed XML")


def test_missing_dct(tmp_path, capsys):
    f = tmp_path / "nodct.tml"
    f.write_text(_tml("Text.", dct=None), encoding="utf-8")
    _fails(tmp_path, capsys, [f], "nodct.tml", "no DCT")


def test_nested_timex(tmp_path, capsys):
    f = tmp_path / "nested.tml"
    f.write_text(_tml('<TIMEX3 tid="t1" type="DATE" value="2020-01">January <TIMEX3 tid="t2" type="DATE" '
                      'value="2020">2020</TIMEX3></TIMEX3>'), encoding="utf-8")
    _fails(tmp_path, capsys, [f], "nested.tml", "'t2' is nested inside TIMEX3 't1'")


def test_bad_type_and_unreadable_value_name_the_timex(tmp_path, capsys):
    f = tmp_path / "t.tml"
    f.write_text(_tml('<TIMEX3 tid="t7" type="MOMENT" value="2020">2020</TIMEX3>'), encoding="utf-8")
    _fails(tmp_path, capsys, [f], "t.tml", "TIMEX3 't7'", "type 'MOMENT'")
    f.write_text(_tml('<TIMEX3 tid="t8" type="DATE" value="soon">soon</TIMEX3>'), encoding="utf-8")
    _fails(tmp_path, capsys, [f], "TIMEX3 't8'", "'soon' is not a TIMEX3 value")


def test_a_failed_reimport_leaves_the_previous_corpus(tmp_path, capsys):
    good, bad = tmp_path / "g.tml", tmp_path / "b.tml"
    good.write_text(_tml("Fine."), encoding="utf-8")
    bad.write_text(_tml("Text.", dct=None), encoding="utf-8")
    out = tmp_path / "c"
    assert main(["corpus", "import-timeml", str(good), "--out", str(out)]) == 0
    before = sorted(p.name for p in out.rglob("*"))
    assert main(["corpus", "import-timeml", str(good), str(bad), "--out", str(out)]) == 2
    assert sorted(p.name for p in out.rglob("*")) == before
    capsys.readouterr()


def test_duplicate_ids_with_different_content(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.tml").write_text(_tml("One."), encoding="utf-8")
    (tmp_path / "b" / "x.tml").write_text(_tml("Two."), encoding="utf-8")
    _fails(tmp_path, capsys, [tmp_path / "a", tmp_path / "b"], "document id 'x' again")


def test_archive_of_small_files(tmp_path):
    arc = tmp_path / "s.tar.gz"
    with tarfile.open(arc, "w:gz") as tar:
        for name, text in (("top/Dev/one.tml", _tml("One.")), ("top/Dev/._one.tml", "junk")):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    splits, _r, _p = read_timeml([arc])
    assert {s: [d["id"] for d in docs] for s, docs in splits.items()} == {"dev": ["one"]}
