"""Inter-annotator agreement on Label Studio tasks annotated by several people.

Per field, the harness's own alignment (:func:`conflictbench.scoring.alignment.align`) compares
every pair of annotators on a task, one as "gold" and one as "prediction" (F1 is symmetric
in the two): ``span`` F1 aligns on offsets alone, ``value`` F1 also requires the field's
headline value match (the scorer's default matcher). Counts are summed over all pairs and
tasks (micro average). Categorical attributes of the span-matched pairs get Cohen's kappa
(scikit-learn) and the raw proportion of agreement. Undefined figures are ``None``, never
an epsilon: F1 with no item on either side, kappa with no matched pair or with a single
category used by both annotators throughout (expected agreement 1).

Relations (a casualty's ``date_ref`` and ``perpetrator_ref``) are compared as links: a
link of one annotator matches a link of the other when both its ends are span-matched
pairs (the casualties and the dates, or the actors); ``tp`` = matched links, ``fp`` / ``fn``
= links of one annotator the other has not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Sequence

from ..actors import ActorRegistry
from ..scoring.counts import Counts
from ..errors import check_choice
from ..schema import FIELD_SPECS, FIELDS

#: categorical attributes compared on matched pairs
KAPPA_ATTRIBUTES: dict[str, tuple[str, ...]] = {f: spec.kappa_attributes for f, spec in FIELD_SPECS.items()}


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    span: Counts
    value: Counts

    @property
    def span_f1(self) -> float | None:
        return None if self.span.tp + self.span.fp + self.span.fn == 0 else self.span.f1()

    @property
    def value_f1(self) -> float | None:
        return None if self.value.tp + self.value.fp + self.value.fn == 0 else self.value.f1()


#: relation name → (casualty attribute, target field)
RELATIONS: dict[str, tuple[str, str]] = {"date": ("date_ref", "dates"), "perpetrator": ("perpetrator_ref", "actors")}


@dataclass(frozen=True)
class RelationAgreement:
    relation: str
    links: Counts

    @property
    def f1(self) -> float | None:
        c = self.links
        return None if c.tp + c.fp + c.fn == 0 else c.f1()


@dataclass(frozen=True)
class AttributeAgreement:
    field: str
    attribute: str
    n: int  # span-matched pairs compared
    observed: float | None  # proportion of pairs with the same value
    kappa: float | None  # Cohen's kappa; None when undefined


@dataclass(frozen=True)
class AgreementReport:
    tasks: int  # tasks with two or more annotations
    pairs: int  # annotator pairs compared (summed over tasks)
    span_mode: str
    fields: tuple[FieldAgreement, ...]
    attributes: tuple[AttributeAgreement, ...]
    relations: tuple[RelationAgreement, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tasks": self.tasks, "pairs": self.pairs, "span_mode": self.span_mode}
        for f in self.fields:
            for kind, c, f1 in (("span", f.span, f.span_f1), ("value", f.value, f.value_f1)):
                out.update({f"{f.field}.{kind}.tp": c.tp, f"{f.field}.{kind}.fp": c.fp,
                            f"{f.field}.{kind}.fn": c.fn, f"{f.field}.{kind}.f1": f1})
        for r in self.relations:
            out.update({f"relations.{r.relation}.tp": r.links.tp, f"relations.{r.relation}.fp": r.links.fp,
                        f"relations.{r.relation}.fn": r.links.fn, f"relations.{r.relation}.f1": r.f1})
        for a in self.attributes:
            out.update({f"{a.field}.{a.attribute}.n": a.n, f"{a.field}.{a.attribute}.observed": a.observed,
                        f"{a.field}.{a.attribute}.kappa": a.kappa})
        return out

    def format(self) -> str:
        def num(x: float | None) -> str:
            return "   n/a" if x is None else f"{x:6.3f}"

        lines = [f"{self.tasks} task(s) with 2+ annotations, {self.pairs} annotator pair(s), spans {self.span_mode}",
                 f"{'field':<12}{'span F1':>9}{'value F1':>10}"]
        lines += [f"{f.field:<12}{num(f.span_f1):>9}{num(f.value_f1):>10}" for f in self.fields]
        if self.relations:
            lines.append(f"{'relation':<12}{'link F1':>9}{'links':>10}")
            lines += [f"{r.relation:<12}{num(r.f1):>9}{r.links.tp + r.links.fp:>5}/{r.links.tp + r.links.fn:<4}"
                      for r in self.relations]
        lines.append(f"{'attribute':<22}{'pairs':>6}{'agree':>8}{'kappa':>8}")
        lines += [f"{a.field + '.' + a.attribute:<22}{a.n:>6}{num(a.observed):>8}{num(a.kappa):>8}"
                  for a in self.attributes]
        return "\n".join(lines)


def _span_only(field: str):
    from ..scoring.matchers import Matcher

    return Matcher(name=f"{field}.span-only", field=field, key=lambda s: 0)


def kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two label sequences; None when undefined (empty, or one category only)."""
    if not a:
        return None
    labels = sorted({str(x) for x in itertools.chain(a, b)})
    if len(labels) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score([str(x) for x in a], [str(x) for x in b], labels=labels))


def agreement(
    annotated: Sequence[Sequence[dict[str, Any]]],
    *,
    registry: ActorRegistry | None = None,
    span_mode: str = "strict",
) -> AgreementReport:
    """Agreement over tasks; ``annotated[t]`` holds the documents of task t, one per annotator."""
    from ..scoring.alignment import align

    check_choice("agreement", "span_mode", span_mode, ("strict", "overlap"))
    span = {f: Counts() for f in FIELDS}
    value = {f: Counts() for f in FIELDS}
    labels: dict[tuple[str, str], tuple[list, list]] = {
        (f, a): ([], []) for f in FIELDS for a in KAPPA_ATTRIBUTES[f]
    }
    links = {r: Counts() for r in RELATIONS}
    tasks = pairs = 0
    for docs in annotated:
        if len(docs) < 2:
            continue
        tasks += 1
        for x, y in itertools.combinations(docs, 2):
            pairs += 1
            matched: dict[str, set[tuple[int, int]]] = {}
            for f in FIELDS:
                al = align(f, x[f], y[f], span_mode=span_mode, registry=registry, matcher=_span_only(f))
                matched[f] = set(al.pairs)
                span[f] += al.counts
                value[f] += align(f, x[f], y[f], span_mode=span_mode, registry=registry).counts
                for i, j in al.pairs:
                    for attr in KAPPA_ATTRIBUTES[f]:
                        labels[(f, attr)][0].append(x[f][i].get(attr))
                        labels[(f, attr)][1].append(y[f][j].get(attr))
            for rel, (attr, target) in RELATIONS.items():
                links[rel] += link_counts(x, y, attr, matched["casualties"], matched[target])
    fields = tuple(FieldAgreement(f, span[f], value[f]) for f in FIELDS)
    attrs = []
    for (f, attr), (a, b) in labels.items():
        observed = sum(p == q for p, q in zip(a, b)) / len(a) if a else None
        attrs.append(AttributeAgreement(f, attr, len(a), observed, kappa(a, b)))
    rels = tuple(RelationAgreement(r, links[r]) for r in RELATIONS)
    return AgreementReport(tasks, pairs, span_mode, fields, tuple(attrs), rels)


def link_counts(x: dict[str, Any], y: dict[str, Any], attr: str,
                casualty_pairs: set[tuple[int, int]], target_pairs: set[tuple[int, int]]) -> Counts:
    """Links ``casualty --attr--> target`` of x against those of y: one matches when both ends
    are span-matched pairs."""
    lx = {(i, c[attr]) for i, c in enumerate(x["casualties"]) if c.get(attr) is not None}
    ly = {(j, c[attr]) for j, c in enumerate(y["casualties"]) if c.get(attr) is not None}
    tp = sum(1 for (i, r) in lx for (j, s) in ly if (i, j) in casualty_pairs and (r, s) in target_pairs)
    return Counts(tp, len(ly) - tp, len(lx) - tp)  # x in the place of gold, as align() takes it


def project_agreement(
    tasks: Sequence[dict[str, Any]],
    registry: ActorRegistry,
    *,
    span_mode: str = "strict",
) -> AgreementReport:
    """Agreement over a Label Studio export (the annotators' annotations: ground truth, the
    corpus gold or an adjudication, is left out); every annotation must convert cleanly."""
    from .export import ExportError, annotation_to_document
    from .gold import annotator_annotations

    problems = []
    annotated = []
    for task in tasks:
        docs = []
        for ann in annotator_annotations(task):
            doc, probs = annotation_to_document(task.get("data") or {}, ann.get("result"), registry,
                                                task_id=task.get("id"), annotation_id=ann.get("id"))
            problems += probs
            docs.append(doc)
        annotated.append(docs)
    if problems:
        raise ExportError(problems, source="agreement")
    return agreement(annotated, registry=registry, span_mode=span_mode)
