"""The leaderboard site (conflictbench site): hand-derived tables for ranks, Holm, groups,
intervals, pagination and the MUC taxonomy; escaping; input checks; eval → site end to end."""

from __future__ import annotations

import csv
import json
import re
import warnings

import numpy as np
import pytest

from conflictbench.cli import main
from conflictbench.errors import DataError, ParameterError
from conflictbench.scoring import align
from conflictbench.scoring.matchers import get_matcher
from conflictbench.scoring.taxonomy import counts_of, taxonomy
from conflictbench.site import build_site
from conflictbench.site.browse import highlight, n_pages, page_bounds, page_of, window
from conflictbench.site.stats import competition_ranks, holm, significance_groups
from conflictbench.site.svg import interval_bar, iso_f1_points, pr_chart

from .support.site_synthetic import signature, write_synthetic_run

NAN = float("nan")


@pytest.mark.parametrize("values, ranks", [
    ([0.5, 0.7, 0.7, NAN, 0.1], [3, 1, 1, 5, 4]),   # ties share the best rank, the next rank skips
    ([0.0, 0.0], [1, 1]),
    ([NAN, NAN, 0.2], [2, 2, 1]),
    ([0.9], [1]),
])
def test_competition_ranks(values, ranks):
    assert competition_ranks(values) == ranks


@pytest.mark.parametrize("raw, adjusted", [
    # m = 3; sorted 0.01, 0.03, 0.04 → ×3, ×2, ×1 = 0.03, 0.06, 0.04 → monotone 0.03, 0.06, 0.06
    ([0.01, 0.04, 0.03], [0.03, 0.06, 0.06]),
    ([0.03, 0.04], [0.06, 0.06]),     # both < 0.05 uncorrected, neither after Holm
    ([0.02, 0.02], [0.04, 0.04]),
    ([0.6, 0.7], [1.0, 1.0]),         # capped at 1
    ([0.5], [0.5]),                   # one comparison: no correction
    ([], []),
])
def test_holm_bonferroni(raw, adjusted):
    assert holm(raw) == pytest.approx(adjusted)


def _sig(fp="abc"):
    return signature("dates", "mention", fp)


def test_groups_against_the_best_hand_derived():
    """A perfect on 30 documents, B identical, C wrong everywhere. B: every resampled difference
    is 0 and |δ* − mean| ≥ |δ| = 0 always, so p = (1 + B)/(1 + B) = 1. C: every resample gives
    δ* = −1 exactly, the centred distribution is 0, never ≥ 1, so p = 1/(1 + 99) = 0.01; Holm over
    m = 2: C 0.01·2 = 0.02 ≤ 0.05 (out of the top group), B max(0.02, 1·1) = 1 (in)."""
    ids = [f"d{i}" for i in range(30)]
    a = np.tile([1, 0, 0], (30, 1))
    c = np.tile([0, 1, 1], (30, 1))
    sigs = {n: _sig() for n in "ABC"}
    for test in ("bootstrap", "randomization"):
        g = significance_groups({"A": a, "B": a.copy(), "C": c}, "A", "dates", doc_ids=ids, signatures=sigs,
                                zero_division="0.0", test=test, n_resamples=99, seed=3)
        assert g["A"].in_top_group and g["B"].in_top_group and not g["C"].in_top_group
        assert g["B"].p == 1.0 and g["B"].delta == 0.0
        assert g["C"].delta == -1.0
        # randomisation: |δ'| ≥ 1 needs all 30 swaps equal (probability 2/2^30): no hit in 99 trials
        assert g["C"].p == pytest.approx(0.01)
        assert g["C"].p_holm == pytest.approx(0.02)


def test_groups_refuse_results_of_other_settings():
    ids = ["d0", "d1"]
    a = np.array([[1, 0, 0], [1, 0, 0]])
    with pytest.raises(ParameterError, match="different settings"):
        significance_groups({"A": a, "B": a}, "A", "dates", doc_ids=ids,
                            signatures={"A": _sig("abc"), "B": _sig("def")}, zero_division="0.0", n_resamples=10)


def test_interval_bar_coordinates():
    """Width 160, padding 6: x(v) = 6 + 148·v; lo 0.25 → 43.0, hi 0.75 → 117.0, F1 0.5 → 80.0."""
    svg = interval_bar(0.5, 0.25, 0.75, label="x")
    assert re.search(r'class="iv" x1="43.0" y1="8" x2="117.0"', svg)
    assert 'cx="80.0"' in svg
    assert "class=\"iv\"" not in interval_bar(NAN, NAN, NAN)  # an undefined interval draws no bar


def test_pr_chart_axes_ticks_and_points():
    """360 px: plot 290 × 295 at (50, 20); R 0.5, P 0.5 → (195.0, 167.5)."""
    svg = pr_chart("t", [(0, "sys <a>", 0.5, 0.5, True), (1, "other", NAN, 0.2, True)])
    for t in ("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"):
        assert svg.count(f">{t}</text>") == 2  # one tick label on each axis
    assert ">recall</text>" in svg and ">precision</text>" in svg
    assert svg.count('class="iso"') == 4 and "F1=0.8" in svg
    assert 'cx="195.0" cy="167.5"' in svg
    assert "sys &lt;a&gt;" in svg and "<a>" not in svg
    assert svg.count('class="pt"') == 1  # the undefined point is not drawn


@pytest.mark.parametrize("f1", [0.2, 0.4, 0.6, 0.8])
def test_iso_f1_curves_have_that_f1(f1):
    for r, p in iso_f1_points(f1):
        assert 2 * p * r / (p + r) == pytest.approx(f1)


@pytest.mark.parametrize("n, size, pages", [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (100_000, 20, 5000)])
def test_number_of_pages(n, size, pages):
    assert n_pages(n, size) == pages


def test_pagination_arithmetic():
    assert [page_of(i, 20) for i in (0, 19, 20, 99_999)] == [1, 1, 2, 5000]
    assert page_bounds(1, 20, 25) == (0, 20)
    assert page_bounds(2, 20, 25) == (20, 25)
    assert page_bounds(5000, 20, 100_000) == (99_980, 100_000)
    assert window(1, 10) == [1, 2, 3, 4, 10]
    assert window(6, 10) == [1, 3, 4, 5, 6, 7, 8, 9, 10]
    assert window(1, 1) == [1]


def test_highlight_escapes_and_nests():
    text = "<script>alert(1)</script> 3 killed"
    out = highlight(text, [(26, 34, "f-casualties tp", 'a "title" <b>'), (28, 34, "f-dates fn", "d"), (5, 999, "x", "")])
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert '<mark class="f-casualties tp" title="a &quot;title&quot; &lt;b&gt;">3 </mark>' in out
    assert '<mark class="f-casualties tp" title="a &quot;title&quot; &lt;b&gt;"><mark class="f-dates fn" title="d">killed</mark></mark>' in out
    assert 'class="x"' not in out  # a range outside the text is not drawn


C = dict(count=3, qualifier="exact", kind="killed")


@pytest.mark.parametrize("mode, gold, pred, want", [
    ("strict", [{"start": 0, "end": 8, **C}], [{"start": 0, "end": 8, **C}], [("correct", 0, 0, "tp")]),
    ("overlap", [{"start": 0, "end": 8, **C}], [{"start": 2, "end": 8, **C}], [("partial", 0, 0, "tp")]),
    # strict: the same value at overlapping, other boundaries is partial, and counts FP + FN
    ("strict", [{"start": 0, "end": 8, **C}], [{"start": 2, "end": 8, **C}], [("partial", 0, 0, "fp fn")]),
    # same place, another number: one incorrect pair (FP + FN), not a missing and a spurious
    ("strict", [{"start": 0, "end": 8, **C}], [{"start": 0, "end": 8, **{**C, "count": 4}}],
     [("incorrect", 0, 0, "fp fn")]),
    ("overlap", [{"start": 0, "end": 8, **C}], [{"start": 4, "end": 9, **{**C, "count": 4}}],
     [("incorrect", 0, 0, "fp fn")]),
    ("strict", [{"start": 0, "end": 8, **C}], [{"start": 20, "end": 28, **C}],
     [("missing", 0, None, "fn"), ("spurious", None, 0, "fp")]),
    # value-only: no place, so never paired after the alignment
    ("none", [{"start": 0, "end": 8, **C}], [{**C, "count": 4}], [("missing", 0, None, "fn"), ("spurious", None, 0, "fp")]),
    ("none", [{"start": 0, "end": 8, **C}], [{**C}], [("correct", 0, 0, "tp")]),
    ("strict", [{"start": 0, "end": 8, **C, "optional": True}], [], [("ignored", 0, None, "")]),
    # an optional gold item is not paired with a spurious prediction at its place
    ("strict", [{"start": 0, "end": 8, **C, "optional": True}], [{"start": 0, "end": 8, **{**C, "count": 4}}],
     [("spurious", None, 0, "fp"), ("ignored", 0, None, "")]),
])
def test_muc_taxonomy(mode, gold, pred, want):
    al = align("casualties", gold, pred, span_mode=mode)
    got = taxonomy(gold, pred, al, span_mode=mode, matcher=get_matcher("casualties.value.v1", "casualties"))
    assert got == want
    assert counts_of(got) == (al.counts.tp, al.counts.fp, al.counts.fn)


def _html(site):
    return {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_script_in_text_and_names_is_escaped(tmp_path):
    bad_name = "<script>alert('name')</script>.v1"
    run = write_synthetic_run(tmp_path / "r", 5, names=("good.v1", bad_name))
    lines = (run / "documents.jsonl").read_text().splitlines()
    doc = json.loads(lines[1])
    doc["title"] = "<script>alert('title')</script>"
    doc["text"] = doc["text"][:-1] + "<script>alert('text')</script>"
    lines[1] = json.dumps(doc)
    (run / "documents.jsonl").write_text("\n".join(lines) + "\n")
    build_site([run], tmp_path / "site", n_resamples=10)
    pages = _html(tmp_path / "site")
    assert len(pages) > 5
    for path, html in pages.items():
        assert "alert(" not in re.sub(r"&lt;script&gt;alert\((&#x27;|')(name|title|text)(&#x27;|')\)&lt;/script&gt;", "", html), path
        assert all(tag in ('<script src="assets/site.js">', '<script src="../../assets/site.js">')
                   for tag in re.findall(r"<script[^>]*>", html)), path
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in pages[tmp_path / "site" / "browse" / f"{_slug(tmp_path)}" / "p1.html"]


def _slug(tmp_path):
    return "r-5e7e7e7e7e7e"


def test_index_ranks_groups_and_signatures(tmp_path):
    """60 synthetic documents (tests/support/site_synthetic.py). Dates: good.v1 tp 60 → F1 1,
    bad.v1 fn 60 → F1 0, p = 1/(1 + 199), Holm with m = 1 leaves it: bad.v1 is out. Casualties:
    bad.v1 tp 60 (F1 1) ranks above good.v1 (tp 54, fp 6, fn 6: F1 108/120 = 0.9). Actors: both
    F1 0 (good.v1 counts nothing: zero_division 0) share rank 1 and the top group."""
    run = write_synthetic_run(tmp_path / "r", 60)
    build_site([run], tmp_path / "site", n_resamples=199)
    html = (tmp_path / "site" / "index.html").read_text()

    def rows(field, level="mention"):
        table = re.search(rf'<table class="board" id="t-r-5e7e7e7e7e7e-{field}-{level}".*?</table>', html).group(0)
        return re.findall(r'data-system="([^"]+)" data-rank="(\d+)" data-group="(\w*)"', table)

    assert rows("dates") == [("good.v1", "1", "top"), ("bad.v1", "2", "out")]
    assert rows("casualties")[0] == ("bad.v1", "1", "top") and rows("casualties")[1][:2] == ("good.v1", "2")
    assert rows("actors") == [("bad.v1", "1", "top"), ("good.v1", "1", "top")]
    assert "0.900" in html and "p (Holm)" in html and "Holm–Bonferroni" in html
    assert signature("dates", "mention", "5e7e7e7e7e7e") in html
    assert html.count("<svg") >= 3 + 3 * 2 * 2  # a chart per field, an interval per row


def test_input_errors_name_file_line_and_field(tmp_path, capsys):
    run = write_synthetic_run(tmp_path / "r", 4)
    head, *rest = (run / "documents.jsonl").read_text().splitlines()
    (run / "documents.jsonl").write_text(head.replace('"version": 1', '"version": 7') + "\n" + "\n".join(rest) + "\n")
    with pytest.raises(DataError, match=r"documents.jsonl:1: field 'version': 7"):
        build_site([run], tmp_path / "site")
    run = write_synthetic_run(tmp_path / "r2", 4)
    rows = (run / "documents.csv").read_text().splitlines()
    rows[3] = rows[3].replace("good.v1", "ghost.v1")
    (run / "documents.csv").write_text("\n".join(rows) + "\n")
    assert main(["site", str(run), "--out", str(tmp_path / "site")]) == 2
    assert "documents.csv:4: field 'system': 'ghost.v1' is not in results.json" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()  # nothing written
    run = write_synthetic_run(tmp_path / "r3", 4)
    rows = (run / "documents.csv").read_text().splitlines()
    rows[1] = rows[1].replace(",test,", ",test,", 1)
    cells = rows[1].split(",")
    cells[4] = str(int(cells[4]) + 1)
    rows[1] = ",".join(cells)
    (run / "documents.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError, match=r"add up to tp/fp/fn .* results.json says"):
        build_site([run], tmp_path / "site")
    run = write_synthetic_run(tmp_path / "r4", 3)
    lines = (run / "documents.jsonl").read_text().splitlines()
    lines[2] = lines[2].replace('["correct", 0, 0, "tp"]', '["correct", 0, 0]', 1)
    (run / "documents.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"documents.jsonl:3: field 'systems\[0\].taxonomy.casualties\[0\]': expected"):
        build_site([run], tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_foreign_folder_is_not_replaced(tmp_path):
    run = write_synthetic_run(tmp_path / "r", 3)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    with pytest.raises(ParameterError, match="not a site written by conflictbench site"):
        build_site([run], tmp_path / "mine")
    build_site([run], tmp_path / "site", n_resamples=5)
    build_site([run], tmp_path / "site", n_resamples=5)  # its own output is replaced
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_eval_then_site_end_to_end(tmp_path, small_corpus, capsys):
    """Real eval on the small corpus: the documents' taxonomy adds up to documents.csv, which
    adds up to results.json (the site checks the latter); the site lists every document."""
    out = tmp_path / "results"
    code = main(["eval", "--corpus", str(small_corpus.path), "--extractor", "oracle.v1", "--extractor", "null.v1",
                 "--out", str(out), "--bootstrap", "20"])
    assert code == 0
    assert {p.name for p in (out / "predictions").iterdir()} == {"oracle.v1.jsonl", "null.v1.jsonl"}
    with (out / "documents.csv").open() as fh:
        counts = {(r["system"], r["level"], r["doc_id"]): r for r in csv.DictReader(fh)}
    lines = (out / "documents.jsonl").read_text().splitlines()
    head = json.loads(lines[0])
    names = [s["name"] for s in head["systems"]]
    assert len(lines) - 1 == len(small_corpus.documents)
    for line in lines[1:]:
        doc = json.loads(line)
        for name, entry in zip(names, doc["systems"]):
            for field, tax in entry["taxonomy"].items():
                row = counts[(name, "mention", doc["id"])]
                assert counts_of([tuple(t) for t in tax]) == tuple(int(row[f"{field}_{k}"]) for k in ("tp", "fp", "fn"))
    assert main(["site", str(out), "--out", str(tmp_path / "site"), "--resamples", "20", "--page-size", "2"]) == 0
    site = tmp_path / "site"
    slug = next((site / "browse").iterdir()).name
    pages = sorted((site / "browse" / slug).glob("p*.html"))
    assert len(pages) == n_pages(len(small_corpus.documents), 2)
    ids = [i for p in pages for i in re.findall(r'<article class="doc" id="d-\d+" data-id="([^"]+)"', p.read_text())]
    assert ids == [d["id"] for d in small_corpus.documents]
    index = (site / "index.html").read_text()
    assert index.index('data-system="oracle.v1"') < index.index('data-system="null.v1"')
    assert (site / "data" / slug / "predictions" / "oracle.v1.jsonl").is_file()
    assert "results JSON" in (pages[0]).read_text()


def test_holm_needs_no_warning_on_undefined_cases(tmp_path):
    """A corpus where no system predicts or has gold anything: every F1 is the zero_division value."""
    run = write_synthetic_run(tmp_path / "r", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_site([run], tmp_path / "site", n_resamples=5)
    assert (tmp_path / "site" / "browse" / "r-5e7e7e7e7e7e" / "p1.html").is_file()


def test_per_document_files_follow_the_run(tmp_path, small_corpus):
    """A second run without a system removes its predictions file; html=False removes them all
    (they would describe another run); the header names every system, in order, with its kind."""
    from conflictbench.evaluation import Settings, select
    from conflictbench.evaluation.systems import score_system
    from conflictbench.report import write_results

    sel = select(small_corpus)
    a = score_system("a.v1", "a.v1", {}, sel, Settings(n_resamples=5))
    b = score_system("cmd:python b.py", "python b.py", {}, sel, Settings(n_resamples=5))
    write_results(tmp_path, [a, b], sel, Settings())
    head = json.loads((tmp_path / "documents.jsonl").read_text().splitlines()[0])
    assert [(s["name"], s["kind"], s["predictions"]) for s in head["systems"]] == [
        ("a.v1", "extractor", "predictions/a.v1.jsonl"), ("cmd:python b.py", "program", "predictions/cmd_python_b.py.jsonl")]
    assert sorted(p.name for p in (tmp_path / "predictions").iterdir()) == ["a.v1.jsonl", "cmd_python_b.py.jsonl"]
    write_results(tmp_path, [a], sel, Settings())
    assert sorted(p.name for p in (tmp_path / "predictions").iterdir()) == ["a.v1.jsonl"]
    write_results(tmp_path, [a], sel, Settings(), html=False)
    assert not (tmp_path / "documents.jsonl").exists() and not (tmp_path / "documents.csv").exists()
    assert list((tmp_path / "predictions").iterdir()) == []


from hypothesis import given, strategies as st  # noqa: E402

_ITEM = st.builds(lambda s, n, c, opt, anchored: {**({"start": s, "end": s + n} if anchored else {}), "count": c,
                                                 "qualifier": "exact", "kind": "killed", **({"optional": True} if opt else {})},
                  st.integers(0, 20), st.integers(1, 6), st.integers(1, 3), st.booleans(), st.booleans())


@given(st.lists(_ITEM, max_size=5), st.lists(_ITEM, max_size=5), st.sampled_from(["strict", "overlap", "none"]))
def test_taxonomy_describes_every_item_once_and_keeps_the_counts(gold, pred, mode):
    pred = [{k: v for k, v in p.items() if k != "optional"} for p in pred]
    al = align("casualties", gold, pred, span_mode=mode)
    entries = taxonomy(gold, pred, al, span_mode=mode, matcher=get_matcher("casualties.value.v1", "casualties"))
    assert sorted(g for _s, g, _p, _c in entries if g is not None) == list(range(len(gold)))
    assert sorted(p for _s, _g, p, _c in entries if p is not None) == list(range(len(pred)))
    assert counts_of(entries) == (al.counts.tp, al.counts.fp, al.counts.fn)
    for status, g, p, counted in entries:
        if counted == "fp fn":  # paired after the alignment: a place shared, so both have offsets that overlap
            assert max(gold[g]["start"], pred[p]["start"]) < min(gold[g]["end"], pred[p]["end"])
            assert not gold[g].get("optional")
