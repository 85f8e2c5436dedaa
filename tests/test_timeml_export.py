"""``conflictbench timeml export``: predictions → .tml whose <TEXT> text is the gold's,
overlapping spans resolved by the documented rule (longest, then earliest) and counted;
scoring the export with ``timeml score`` gives what ``eval --te3`` gives."""

from __future__ import annotations

import json
import re
import tarfile

import pytest

from conflictbench.cli import main
from conflictbench.timeml.export import resolve_overlaps
from conflictbench.timeml.reader import read_tml


@pytest.fixture(scope="module")
def gold(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("fx")
    with tarfile.open(shared / "datasets" / "te3-scorer-fixture.tar.gz") as tar:
        tar.extractall(out, filter="data")
    return next(out.iterdir()) / "gold"


@pytest.fixture(scope="module")
def corpus(gold, tmp_path_factory):
    out = tmp_path_factory.mktemp("c") / "corpus"
    assert main(["corpus", "import-timeml", str(gold), "--split", "test", "--out", str(out)]) == 0
    return out


def _stripped_text(raw: str) -> str:
    return re.sub(r"<[^>]*>", "", re.search(r"<TEXT>(.*)</TEXT>", raw, re.S).group(1))


def S(start, end):
    return {"start": start, "end": end}


@pytest.mark.parametrize(
    "spans,kept,dropped",
    [
        ([S(0, 5), S(2, 9)], [S(2, 9)], 1),  # the longer wins
        ([S(0, 4), S(2, 6)], [S(0, 4)], 1),  # same length: the earlier wins
        ([S(0, 3), S(3, 6), S(1, 5)], [S(1, 5)], 2),  # the longest first, even over two shorter ones
        ([S(0, 3), S(3, 6)], [S(0, 3), S(3, 6)], 0),  # touching spans do not overlap
        ([S(0, 9), S(1, 2), S(3, 4)], [S(0, 9)], 2),
        ([S(5, 6), S(0, 1)], [S(0, 1), S(5, 6)], 0),  # kept in text order
    ],
)
def test_overlap_rule(spans, kept, dropped):
    k, d = resolve_overlaps(spans)
    assert k == kept and len(d) == dropped


def test_export_text_is_the_gold_text_and_scores_agree(gold, corpus, tmp_path, capsys):
    # predictions: every gold timex shifted to overlap, one overlapping duplicate per document
    # (to be dropped), and one without offsets (skipped)
    lines, n_docs = [], 0
    for f in sorted(gold.glob("*.tml")):
        t = read_tml(f.read_bytes(), str(f))
        dates = [{"start": x.start, "end": x.end, "text": t.text[x.start:x.end], "value": x.get("value"),
                  "type": x.get("type")} for x in t.timexes]
        first = dates[0]
        dates.append({"start": first["start"], "end": first["start"] + 1, "text": t.text[first["start"]],
                      "value": "2020", "type": "DATE"})
        dates.append({"value": "1997", "type": "DATE"})
        lines.append(json.dumps({"id": f.stem, "casualties": [], "actors": [], "dates": dates}))
        n_docs += 1
    preds = tmp_path / "p.jsonl"
    preds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for extra in ([], ["--gold", str(gold)]):
        out = tmp_path / ("with-gold" if extra else "minimal")
        assert main(["timeml", "export", "--corpus", str(corpus), "--predictions", str(preds),
                     "--out", str(out), *extra]) == 0
        cap = capsys.readouterr()
        assert "wrote" in cap.out and "31 TIMEX3" in cap.out
        assert f"{n_docs} overlapping predicted span(s) dropped" in cap.err
        assert f"{n_docs} predicted date(s) without offsets skipped" in cap.err
        for f in sorted(gold.glob("*.tml")):
            g_raw = f.read_bytes().decode("utf-8")
            e_raw = (out / f.name).read_bytes().decode("utf-8")
            assert _stripped_text(e_raw).encode("utf-8") == _stripped_text(g_raw).encode("utf-8")
            if extra:  # the header (DOCID, DCT, TITLE) copied byte for byte
                assert e_raw[: e_raw.index("<TEXT>")] == g_raw[: g_raw.index("<TEXT>")]
        assert main(["timeml", "score", str(gold), str(out), "--json"]) == 0
        direct = json.loads(capsys.readouterr().out)
        # the export holds exactly the gold's timexes: the dropped and skipped ones are gone
        assert direct["strict"]["f1"] == 1.0 and direct["counts"]["system"] == 31
    # eval --te3 on the same predictions counts the duplicate and the offset-less one as
    # system timexes (nothing dropped when scoring): precision is lower
    res = tmp_path / "res"
    assert main(["eval", "--corpus", str(corpus), "--predictions", str(preds), "--te3", "--out", str(res),
                 "--bootstrap", "10"]) == 0
    capsys.readouterr()
    via_eval = json.loads((res / "te3.json").read_text(encoding="utf-8"))["systems"]["p"]
    # 31 gold-identical + 4 one-character duplicates + 4 without offsets = 39 system timexes;
    # 35 of them overlap a gold timex, 31 have a gold extent (by construction above)
    assert via_eval["counts"]["system"] == 39
    assert via_eval["relaxed"]["precision"] == 35 / 39 and via_eval["strict"]["precision"] == 31 / 39
    assert via_eval["relaxed"]["recall"] == 1.0
