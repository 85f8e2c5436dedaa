"""Inter-annotator agreement: hand-derived figures, properties, undefined cases."""

from __future__ import annotations

import copy
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.labelstudio.agreement import agreement, kappa
from conflictbench.labelstudio.export import ExportError

from .test_convert import TEXT, export_task, small_doc


def annotator_b() -> dict:
    """small_doc as a second annotator saw it (see the expected figures below)."""
    b = copy.deepcopy(small_doc())
    b["casualties"][0]["qualifier"] = "exact"  # same span, same value (killed, 3)
    b["actors"][0].update(entity="syrian_opposition", type="armed_group")  # same span, other entity
    start = TEXT.index("on Thursday")  # a longer span over the same date
    b["dates"][0].update(start=start, end=start + len("on Thursday"), text="on Thursday")
    return b


def fig(report, key):
    return report.to_dict()[key]


def test_two_annotators_strict(registry):
    r = agreement([[small_doc(), annotator_b()]], registry=registry)
    assert (r.tasks, r.pairs) == (1, 1)
    d = r.to_dict()
    # casualties: one pair, same span and value
    assert (d["casualties.span.tp"], d["casualties.span.f1"], d["casualties.value.f1"]) == (1, 1.0, 1.0)
    # actors: the spans agree, the entities do not: value tp 0, fp 1, fn 1 → F1 0
    assert d["actors.span.f1"] == 1.0
    assert (d["actors.value.tp"], d["actors.value.fp"], d["actors.value.fn"], d["actors.value.f1"]) == (0, 1, 1, 0.0)
    # dates: "Thursday" vs "on Thursday" are different strict spans
    assert (d["dates.span.tp"], d["dates.span.fp"], d["dates.span.fn"]) == (0, 1, 1)
    assert d["dates.value.f1"] == 0.0
    # qualifier at_least vs exact on one pair: po = 0, pe = 1·0 + 0·1 = 0 → kappa 0
    assert (d["casualties.qualifier.n"], d["casualties.qualifier.observed"], d["casualties.qualifier.kappa"]) == (
        1, 0.0, 0.0)
    # kind: both "killed" → one category only: kappa undefined, agreement 1
    assert (d["casualties.kind.observed"], d["casualties.kind.kappa"]) == (1.0, None)
    # the dates were not span-matched: nothing to compare
    assert (d["dates.type.n"], d["dates.type.kappa"], d["dates.type.observed"]) == (0, None, None)
    # relations: both link the casualty to the actor (span-matched ends) → one matching link;
    # both link it to their date, but the dates are not a strict pair → fp 1, fn 1, F1 0
    assert (d["relations.perpetrator.tp"], d["relations.perpetrator.fp"], d["relations.perpetrator.fn"],
            d["relations.perpetrator.f1"]) == (1, 0, 0, 1.0)
    assert (d["relations.date.tp"], d["relations.date.fp"], d["relations.date.fn"],
            d["relations.date.f1"]) == (0, 1, 1, 0.0)


def test_relation_agreement_missing_link(registry):
    b = annotator_b()
    b["casualties"][0]["perpetrator_ref"] = None  # b links no perpetrator
    d = agreement([[small_doc(), b]], registry=registry, span_mode="overlap").to_dict()
    # the first annotator stands in the place of gold (as for spans): their link b lacks is a fn
    assert (d["relations.perpetrator.tp"], d["relations.perpetrator.fp"], d["relations.perpetrator.fn"]) == (0, 0, 1)
    # overlap: "Thursday" and "on Thursday" pair, so the date links match
    assert (d["relations.date.tp"], d["relations.date.fp"], d["relations.date.fn"], d["relations.date.f1"]) == (
        1, 0, 0, 1.0)
    # nobody links anything: F1 undefined (None), never 0 or an epsilon
    c = copy.deepcopy(b)
    c["casualties"][0]["date_ref"] = None
    a = copy.deepcopy(c)
    d2 = agreement([[a, c]], registry=registry).to_dict()
    assert (d2["relations.perpetrator.f1"], d2["relations.date.f1"]) == (None, None)


def test_two_annotators_overlap(registry):
    d = agreement([[small_doc(), annotator_b()]], registry=registry, span_mode="overlap").to_dict()
    # "Thursday" lies inside "on Thursday": an overlap match, same value 2020-01-16
    assert (d["dates.span.f1"], d["dates.value.f1"]) == (1.0, 1.0)
    assert (d["dates.type.n"], d["dates.type.observed"]) == (1, 1.0)


def test_kappa_over_tasks(registry):
    # kinds A: killed killed injured injured; B: killed injured injured injured
    # po = 3/4; pe = .5·.25 + .5·.75 = .5; kappa = (.75 - .5) / (1 - .5) = .5
    tasks = []
    for ka, kb in (("killed", "killed"), ("killed", "injured"), ("injured", "injured"), ("injured", "injured")):
        a, b = small_doc(), small_doc()
        a["casualties"][0]["kind"], b["casualties"][0]["kind"] = ka, kb
        tasks.append([a, b])
    d = agreement(tasks, registry=registry).to_dict()
    assert d["casualties.kind.n"] == 4
    assert d["casualties.kind.observed"] == pytest.approx(0.75)
    assert d["casualties.kind.kappa"] == pytest.approx(0.5)
    # the value key includes the kind: 1 of 4 pairs disagrees → tp 3, fp 1, fn 1 → F1 6/8
    assert d["casualties.value.f1"] == pytest.approx(0.75)


def test_single_annotations_are_not_compared(registry):
    r = agreement([[small_doc()], []], registry=registry)
    assert (r.tasks, r.pairs) == (0, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = r.to_dict()
    assert d["casualties.span.f1"] is None and d["casualties.kind.kappa"] is None


def test_undefined_kappa_raises_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kappa([], []) is None
        assert kappa(["a", "a"], ["a", "a"]) is None
        assert kappa(["a", "b"], ["a", "b"]) == 1.0


def test_bad_span_mode_is_a_parameter_error(registry):
    from conflictbench.errors import ParameterError

    with pytest.raises(ParameterError, match=r"The 'span_mode' parameter of agreement\(\) must be one of"):
        agreement([], registry=registry, span_mode="none")


def test_project_agreement_refuses_a_broken_annotation(registry):
    from conflictbench.labelstudio.agreement import project_agreement

    task = export_task()
    task["annotations"][0]["ground_truth"] = False  # two annotators' work
    broken = copy.deepcopy(task["annotations"][0])
    broken["id"] = 71
    broken["result"][0]["value"]["labels"] = ["LOCATION"]
    task["annotations"].append(broken)
    with pytest.raises(ExportError, match="annotation 71") as info:
        project_agreement([task], registry)
    # one rejected region, one message (its attributes and relations say nothing more)
    assert [p.region_id for p in info.value.problems] == [broken["result"][0]["id"]]


def test_project_agreement_leaves_out_ground_truth(registry):
    """The corpus gold (--with-gold) or an adjudication is nobody's judgement: two annotators
    plus a ground-truth annotation are one pair, not three."""
    from conflictbench.labelstudio.agreement import project_agreement

    task = export_task()
    mine = dict(copy.deepcopy(task["annotations"][0]), id=71, ground_truth=False, completed_by=2)
    theirs = dict(copy.deepcopy(task["annotations"][0]), id=72, ground_truth=False, completed_by=3)
    task["annotations"] += [mine, theirs]
    report = project_agreement([task], registry)
    assert (report.tasks, report.pairs) == (1, 1)


_kinds = st.sampled_from(["killed", "injured", "displaced"])


@given(st.lists(st.tuples(_kinds, _kinds), min_size=1, max_size=12))
def test_agreement_is_symmetric_and_perfect_on_itself(registry, kinds):
    tasks_ab, tasks_ba, tasks_aa = [], [], []
    for ka, kb in kinds:
        a, b = small_doc(), small_doc()
        a["casualties"][0]["kind"], b["casualties"][0]["kind"] = ka, kb
        tasks_ab.append([a, b])
        tasks_ba.append([b, a])
        tasks_aa.append([a, copy.deepcopy(a)])
    ab = agreement(tasks_ab, registry=registry).to_dict()
    ba = agreement(tasks_ba, registry=registry).to_dict()
    for key, v in ab.items():
        if key.endswith((".f1", ".kappa", ".observed", ".tp")):
            assert ba[key] == pytest.approx(v) if v is not None else ba[key] is None, key
    aa = agreement(tasks_aa, registry=registry).to_dict()
    assert aa["casualties.value.f1"] == 1.0 and aa["casualties.kind.observed"] == 1.0
    k = aa["casualties.kind.kappa"]
    assert k is None or k == pytest.approx(1.0)
