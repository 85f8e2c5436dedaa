"""Choosing what to label next and merging annotators' work: hand-derived figures."""

from __future__ import annotations

import copy
import math

import pytest

from conflictbench.errors import ParameterError
from conflictbench.labelstudio.adjudicate import merge_documents
from conflictbench.labelstudio.selection import rank_documents, read_id_file
from conflictbench.schema import normalise_document

from .test_agreement import annotator_b
from .test_convert import small_doc


def cas(count, kind="killed"):
    return {"start": None, "end": None, "text": f"{count} {kind}", "count": count, "qualifier": "exact",
            "kind": kind, "victims": "people"}


def pred(doc_id, casualties=(), dates=()):
    return {"id": doc_id, "casualties": list(casualties), "actors": [],
            "dates": [{"start": None, "end": None, "text": v, "value": v, "type": "DATE"} for v in dates]}


# system A and B on three documents; per-field 1 − F1, averaged over the 3 fields:
#   d1: casualties A {3 killed} B {3 killed} → F1 1; dates both empty → 0; actors empty → 0: score 0
#   d2: casualties A {3 killed, 5 injured} B {3 killed}: tp 1 fp 0 fn 1 → F1 2/3 → 1/3;
#       dates A {2020-01-16} B {} → F1 0 → 1: score (1/3 + 0 + 1) / 3 = 4/9
#   d3: casualties A {2 killed} B {4 killed} → F1 0 → 1; nothing else: score 1/3
A = {"d1": pred("d1", [cas(3)]), "d2": pred("d2", [cas(3), cas(5, "injured")], ["2020-01-16"]),
     "d3": pred("d3", [cas(2)])}
B = {"d1": pred("d1", [cas(3)]), "d2": pred("d2", [cas(3)]), "d3": pred("d3", [cas(4)])}


def test_disagreement_ranking_hand_derived():
    ranked = rank_documents(["d1", "d2", "d3"], {"A": A, "B": B}, mode="disagreement")
    assert [r.doc_id for r in ranked] == ["d2", "d3", "d1"]
    scores = {r.doc_id: r.score for r in ranked}
    assert scores["d2"] == pytest.approx(4 / 9) and scores["d3"] == pytest.approx(1 / 3) and scores["d1"] == 0.0
    d2 = next(r for r in ranked if r.doc_id == "d2").per_field
    assert d2 == pytest.approx({"casualties": 1 / 3, "actors": 0.0, "dates": 1.0})


def test_uncertainty_is_vote_entropy_hand_derived():
    # two systems: an item proposed by one of two → H(1/2) = 1 bit; by both → 0
    #   d1: 0; d2: "5 injured" and "2020-01-16" by A only → 2 bits; d3: "2" and "4" → 2 bits
    ranked = rank_documents(["d1", "d2", "d3"], {"A": A, "B": B}, mode="uncertainty")
    assert {r.doc_id: r.score for r in ranked} == {"d1": 0.0, "d2": 2.0, "d3": 2.0}
    assert [r.doc_id for r in ranked] == ["d2", "d3", "d1"]  # the tie broken by id
    # three systems, C agreeing with B on d3's "4 killed": clusters "2" (1 of 3) and "4" (2 of 3)
    C = copy.deepcopy(B)
    r3 = rank_documents(["d3"], {"A": A, "B": B, "C": C}, mode="uncertainty")[0]
    h = -(1 / 3 * math.log2(1 / 3) + 2 / 3 * math.log2(2 / 3))
    assert r3.score == pytest.approx(2 * h)


def test_random_is_seeded_and_a_permutation():
    ids = [f"d{i}" for i in range(20)]
    a = [r.doc_id for r in rank_documents(ids, {}, mode="random", seed=3)]
    assert a == [r.doc_id for r in rank_documents(list(reversed(ids)), {}, mode="random", seed=3)]
    assert sorted(a) == sorted(ids) and a != sorted(ids)
    assert a != [r.doc_id for r in rank_documents(ids, {}, mode="random", seed=4)]


def test_bad_selection_parameters():
    with pytest.raises(ParameterError, match=r"The 'mode' parameter of rank_documents\(\) must be one of"):
        rank_documents(["d1"], {"A": A, "B": B}, mode="loudest")
    with pytest.raises(ParameterError, match="two or more systems"):
        rank_documents(["d1"], {"A": A}, mode="disagreement")
    with pytest.raises(ParameterError, match=r"'d9' has no prediction from \['A', 'B'\]"):
        rank_documents(["d9"], {"A": A, "B": B})


def test_id_file(tmp_path):
    f = tmp_path / "ids.txt"
    f.write_text("# round 1\nd2\n\nd1  # the seed\n", encoding="utf-8")
    assert read_id_file(f) == ["d2", "d1"]
    f.write_text("d1\nd2\nd1\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"ids.txt, line 3: document id 'd1' is listed twice"):
        read_id_file(f)


def test_merge_identical_annotations_is_settled():
    doc = normalise_document(small_doc())
    m = merge_documents([doc, copy.deepcopy(doc)], ["a@x", "b@x"])
    assert m.settled and m.document == doc


def test_merge_conflicts_hand_derived():
    """small_doc vs annotator_b: the casualty differs in qualifier, the actor in entity, the date
    in span; so each field has two versions (6 conflicts) and the relations of each casualty
    version point at that annotator's date and actor."""
    a, b = normalise_document(small_doc()), normalise_document(annotator_b())
    m = merge_documents([a, b], ["a@x", "b@x"])
    assert len(m.conflicts) == 6 and not m.settled
    d = m.document
    assert sorted(c["qualifier"] for c in d["casualties"]) == ["at_least", "exact"]  # one version each
    holders = {(f, i): h for (f, i), h in m.conflicts.items()}
    for i, c in enumerate(d["casualties"]):
        who = holders[("casualties", i)]
        src = a if who == ("a@x",) else b
        assert d["dates"][c["date_ref"]]["text"] == src["dates"][0]["text"]
        assert d["actors"][c["perpetrator_ref"]]["entity"] == src["actors"][0]["entity"]
    assert sorted(d["dates"][i]["text"] for i in range(2)) == ["Thursday", "on Thursday"]


def test_merge_keeps_agreed_items_once():
    a = normalise_document(small_doc())
    b = copy.deepcopy(a)
    b["dates"].append({**b["dates"][0], "start": 0, "end": 2, "text": a["text"][0:2]})  # b has an extra date
    b["dates"].sort(key=lambda s: s["start"])
    for c in b["casualties"]:
        c["date_ref"] = 1  # the same date as a's, now at index 1
    m = merge_documents([a, b], ["a@x", "b@x"])
    assert list(m.conflicts) == [("dates", 0)] and m.conflicts[("dates", 0)] == ("b@x",)
    assert len(m.document["casualties"]) == 1 and m.document["casualties"][0]["date_ref"] == 1


def test_select_documents_filters_and_refuses(corpus, seed_doc, tmp_path):
    from conflictbench.errors import DataError
    from conflictbench.labelstudio.selection import select_documents

    assert [d["id"] for d in select_documents(corpus, splits=["test"]).documents] == [seed_doc["id"]]
    assert select_documents(corpus, ids=[seed_doc["id"]], limit=1).documents == (seed_doc,)
    with pytest.raises(DataError, match=r"no split\(s\) \['dev'\]; the corpus has \['test'\]"):
        select_documents(corpus, splits=["dev"])
    with pytest.raises(DataError, match=r"no document\(s\) \['nope'\]"):
        select_documents(corpus, ids=["nope"])
    with pytest.raises(ParameterError, match="two or more systems"):
        select_documents(corpus, select="disagreement", systems=["rules.v1"])
    with pytest.raises(ParameterError, match="--systems ranks documents"):
        select_documents(corpus, systems=["rules.v1", "null.v1"])
    with pytest.raises(ParameterError, match=r"The 'limit' parameter of select_documents\(\) must be a positive int"):
        select_documents(corpus, limit=0)
    # ranking by two systems: null.v1 finds nothing, rules.v1 finds casualties, actors and dates
    # in the seed (tests/test_scoring_seed.py), so each field disagrees fully: 1 − F1 = 1
    sel = select_documents(corpus, select="disagreement", systems=["rules.v1", "null.v1"])
    assert [p.spec for p in sel.preannotations] == ["rules.v1", "null.v1"]
    assert [r.doc_id for r in sel.ranking] == [seed_doc["id"]] and sel.ranking[0].score == 1.0


def test_cli_push_rejects_bad_selection_before_contacting_the_server(tmp_path, capsys, monkeypatch):
    from conflictbench.cli import main

    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    assert main(["annotate", "push", "--project", "p", "--ids", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert "--ids" in err and "missing.txt: no such file" in err and err.count("\n") == 1
    assert main(["annotate", "push", "--project", "p", "--select", "uncertainty", "--systems", "rules.v1"]) == 2
    assert "two or more systems" in capsys.readouterr().err
