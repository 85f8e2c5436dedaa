"""The HTML report and the leaderboard files: escaping, marks, plots."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conflictbench.evaluation import Settings, score_system, select
from conflictbench.report import markdown, terminal_table
from conflictbench.report.html import highlight, pr_plot, render_report


def test_highlight_escapes_and_marks():
    text = "a <b>&</b> c"
    out = highlight(text, [(2, 5, "tp", "x<y"), (5, 6, "fp", "amp")])
    assert out == ('a <mark class="tp" title="TP x&lt;y">&lt;b&gt;</mark><mark class="fp" title="FP amp">&amp;'
                   '</mark>&lt;/b&gt; c')


def test_highlight_overlapping_marks_and_spans_without_offsets():
    # [0,4) gold FN and [2,6) prediction FP overlap on [2,4): that segment is "mix"
    out = highlight("abcdefgh", [(0, 4, "fn", "g"), (2, 6, "fp", "p"), (None, None, "fp", "no offsets")])
    assert out == ('<mark class="fn" title="FN g">ab</mark><mark class="mix" title="FN g; FP p">cd</mark>'
                   '<mark class="fp" title="FP p">ef</mark>gh')


def _system(corpus, preds, name="sys"):
    sel = select(corpus)
    return sel, score_system(name, "test", preds, sel, Settings(n_resamples=50))


def test_report_escapes_document_and_prediction_text(small_corpus):
    by_id = small_corpus.by_id()
    doc = by_id["e-crash"]
    start = doc["text"].index("<script>")
    preds = {"e-crash": {"id": "e-crash", "casualties": [], "dates": [],
                         "actors": [{"start": start, "end": start + 8, "text": "<script>", "entity": None,
                                     "type": None, "optional": False}]}}
    sel, s = _system(small_corpus, preds, name="<b>evil</b>")
    html = render_report([s], sel)
    assert "<script>" not in html and "<b>evil</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "unresolved: &#x27;&lt;script&gt;&#x27;" in html
    assert '<mark class="fp" title="FP unresolved: &#x27;&lt;script&gt;&#x27;">&lt;script&gt;</mark>' in html
    md = markdown([s], sel)
    assert "| &lt;b&gt;evil&lt;/b&gt; |" in md and "<b>" not in md


def test_report_marks_tp_and_fn(small_corpus):
    gold = small_corpus.by_id()["a-ok"]
    preds = {"a-ok": {"id": "a-ok", "casualties": [], "dates": [], "actors": [gold["actors"][0]]}}
    sel, s = _system(small_corpus, preds)
    html = render_report([s], sel)
    # a-ok: "Moscow" predicted (TP), "Russia" not (FN)
    assert '<mark class="tp" title="TP russia">Moscow</mark>' in html
    assert '<mark class="fn" title="FN russia">Russia</mark>' in html
    assert "actors: 1 TP, 0 FP, 1 FN" in html


def test_pr_plot_is_svg_with_a_point_per_field_and_level(small_corpus):
    sel, s = _system(small_corpus, {})
    root = ET.fromstring(pr_plot(s))
    assert root.tag.endswith("svg")
    circles = root.findall("{http://www.w3.org/2000/svg}circle")
    # nothing predicted: precision is the zero_division value 0, recall 0 -> 3 fields x 2 levels
    assert len(circles) == 6


def test_terminal_table_names_failures_and_signatures(small_corpus):
    from conflictbench.runner import Failure

    sel = select(small_corpus)
    s = score_system("sys", "x", {}, sel, Settings(n_resamples=20), failures=(Failure("b-boom", "timeout", "slow"),))
    out = terminal_table([s], [("spacy-ner.v1", "no model")])
    assert "sys: 1 document(s) failed, scored as empty: b-boom: timeout: slow" in out
    assert "spacy-ner.v1: skipped: no model" in out
    assert f"corpus:{small_corpus.fingerprint}" in out
