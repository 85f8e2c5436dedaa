"""Score predictions against gold: counts, P/R/F1 per field and per kind/type, micro and macro.

:func:`score` is the library entry point; :class:`Scorer` is the streaming accumulator under
it (``add`` one document at a time, ``result()`` at the end), so a corpus of any size is
scored in constant memory when per-document counts are not kept.

Levels:

``mention`` every gold and predicted item, aligned one-to-one per document and field
            (:func:`conflictbench.matching.match_pairs`) under the chosen span mode.
``value``   per document, the *set* of distinct values: distinct (kind, number) casualty
            figures, distinct actor entities, distinct date values; offsets are ignored.
            A distinct gold value is optional only when every mention of it is optional.
            Unresolvable predicted actors count once per distinct normalised text.

Micro = counts pooled over documents; macro = the mean over documents of the
per-document P/R/F1 (an undefined per-document ratio takes the ``zero_division`` value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .. import __version__
from .counts import Counts, ZeroDivision, _ratio, check_zero_division
from ..errors import DataError, ParameterError, check_choice
from .matchers import Matcher, resolve_matchers
from .alignment import ATTRIBUTES, SPAN_MODES, make_alignment, match_pairs, resolve_actor
from ..schema import FIELD_SPECS, FIELDS
from .signature import Signature, score_signature

LEVELS = ("mention", "value")
ALIGNMENT = "hungarian"


@dataclass(frozen=True)
class AttributeAccuracy:
    """Agreement of an attribute on matched pairs (e.g. casualties ``qualifier``)."""

    name: str
    correct: int
    total: int
    accuracy: float


@dataclass(frozen=True)
class FieldScore:
    field: str
    matcher: str
    counts: Counts
    precision: float
    recall: float
    f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    #: (label, counts): casualties by kind, actors by type, dates by TIMEX3 type
    by_label: tuple[tuple[str, Counts], ...]
    attributes: tuple[AttributeAccuracy, ...]
    #: predicted actor items that resolve to no registry entity (counted as FP)
    unresolved: int
    signature: Signature


@dataclass(frozen=True)
class DocumentCounts:
    doc_id: str
    counts: tuple[Counts, ...]  # in FIELDS order


@dataclass(frozen=True)
class ScoreResult:
    level: str
    span_mode: str
    zero_division: ZeroDivision
    corpus_fingerprint: str
    version: str
    n_documents: int
    fields: tuple[FieldScore, ...]
    #: gold documents with no prediction (scored as empty)
    missing: tuple[str, ...]
    #: per-document counts (empty when the scorer did not keep them)
    documents: tuple[DocumentCounts, ...]
    signature: Signature

    def field(self, name: str) -> FieldScore:
        for f in self.fields:
            if f.field == name:
                return f
        raise ParameterError(f"no field {name!r} in this result; fields: {[f.field for f in self.fields]}")

    def to_dict(self) -> dict[str, Any]:
        """A flat dict: ``"casualties.f1"``, ``"casualties.by_label.killed.tp"``, ..."""
        out: dict[str, Any] = {
            "signature": str(self.signature),
            "level": self.level,
            "span_mode": self.span_mode,
            "zero_division": self.zero_division,
            "corpus_fingerprint": self.corpus_fingerprint,
            "version": self.version,
            "n_documents": self.n_documents,
            "missing": ",".join(self.missing),
        }
        for f in self.fields:
            p = f.field
            out[f"{p}.signature"] = str(f.signature)
            out[f"{p}.matcher"] = f.matcher
            out.update({f"{p}.{k}": v for k, v in f.counts.to_dict().items()})
            for k in ("precision", "recall", "f1", "macro_precision", "macro_recall", "macro_f1"):
                out[f"{p}.{k}"] = getattr(f, k)
            out[f"{p}.unresolved"] = f.unresolved
            for label, c in f.by_label:
                out.update({f"{p}.by_label.{label}.{k}": v for k, v in c.to_dict().items()})
                for k, v in zip(("precision", "recall", "f1"), c.prf(zero_division=self.zero_division)):
                    out[f"{p}.by_label.{label}.{k}"] = v
            for a in f.attributes:
                out[f"{p}.attribute.{a.name}.correct"] = a.correct
                out[f"{p}.attribute.{a.name}.total"] = a.total
                out[f"{p}.attribute.{a.name}.accuracy"] = a.accuracy
        return out


def _labeler(field: str, registry: Any):
    """The per-label breakdown key (the field's ``label_attribute``: casualties by kind, actors
    by type, dates by TIMEX3 type); an actor without a type takes its registry entity's type."""
    attr = FIELD_SPECS[field].label_attribute
    if field != "actors":
        return lambda span: str(span.get(attr) or "untyped")

    def actor_type(span: dict) -> str:
        t = span.get(attr)
        if t:
            return str(t)
        ent = span.get("entity")
        if ent is not None and registry is not None and ent in registry:
            return registry.get(ent).type
        return "unresolved" if ent is None else "untyped"

    return actor_type


def _value_items(field: str, spans: list[dict], m: Matcher) -> list[dict]:
    """One representative per distinct value; optional only if every mention is."""
    reps: dict[Any, dict] = {}
    for s in spans:
        k = m.key(s)
        if k is None:
            from ..actors import normalise_name

            k = ("<unresolved>", normalise_name(s.get("text") or ""))
        rep = reps.get(k)
        if rep is None:
            reps[k] = {**s, "start": None, "end": None}
        elif rep.get("optional") and not s.get("optional"):
            reps[k] = {**rep, "optional": False}
    return list(reps.values())


def _macro_terms(c: Counts, zd: ZeroDivision) -> tuple[float, float, float]:
    """One document's P, R, F1 for the macro averages (an undefined ratio: the ``zero_division`` value)."""
    tp, fp, fn = c.tp, c.fp, c.fn
    if tp:  # every ratio defined: the common case, without the policy's function calls
        return tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)
    return _ratio(0, fp, zd, "precision"), _ratio(0, fn, zd, "recall"), _ratio(0, fp + fn, zd, "f1")


class Scorer:
    """Streaming accumulator: ``add(gold_doc, pred_doc)`` per document, then ``result()``."""

    def __init__(
        self,
        *,
        registry: Any = None,
        span_mode: str = "strict",
        level: str = "mention",
        zero_division: ZeroDivision = 0.0,
        matchers: Mapping[str, "str | Matcher"] | None = None,
        keep_documents: bool = True,
    ) -> None:
        check_choice("score", "span_mode", span_mode, SPAN_MODES)
        check_choice("score", "level", level, LEVELS)
        check_zero_division(zero_division, "score")
        self.registry = registry
        self.span_mode = span_mode if level == "mention" else "none"
        self.level = level
        self.zero_division = zero_division
        self.matchers = resolve_matchers(dict(matchers or {}))
        self.keep_documents = keep_documents
        self._labelers = {f: _labeler(f, registry) for f in FIELDS}
        self._totals = {f: [0, 0, 0] for f in FIELDS}
        self._labels: dict[str, dict[str, list[int]]] = {f: {} for f in FIELDS}
        # attribute accuracy is a mention-level report (value-level items are representatives)
        self._attrs = {f: {a: [0, 0] for a in ATTRIBUTES[f]} if level == "mention" else {} for f in FIELDS}
        self._macro = {f: [0.0, 0.0, 0.0] for f in FIELDS}
        self._unresolved = 0
        self._n = 0
        self._docs: list[DocumentCounts] = []

    def __getstate__(self) -> dict:
        """Pickled (e.g. sent back by a worker), a scorer carries its sums, not its registry or
        labelers: it can be merged and give its result, and refuses further documents."""
        state = dict(self.__dict__)
        state.pop("_labelers", None)
        state["registry"] = None
        state["_detached"] = True
        return state

    def add(self, gold_doc: Mapping[str, Any], pred_doc: Mapping[str, Any] | None) -> dict:
        """Score one document; returns ``{field: (gold items, pred items, Alignment)}``."""
        if getattr(self, "_detached", False):
            raise ParameterError("this Scorer was unpickled without its registry: merge it, do not add to it")
        zd = self.zero_division
        out = {}
        per_doc = []
        pred_doc = pred_doc or {}
        reg = self.registry
        known = reg.actors if reg is not None else None
        for field in FIELDS:
            gold = gold_doc.get(field) or []
            pred = pred_doc.get(field) or []
            if field == "actors":
                if known is not None:  # resolve only what is not already a registry id
                    gold = [s if s.get("entity") in known else resolve_actor(s, reg) for s in gold]
                    pred = [s if s.get("entity") in known else resolve_actor(s, reg) for s in pred]
                self._unresolved += sum(1 for s in pred if s.get("entity") is None)
            m = self.matchers[field]
            if self.level == "value":
                gold, pred = _value_items(field, gold, m), _value_items(field, pred, m)
            attrs = ATTRIBUTES[field] if self.level == "mention" else ()
            pairs = match_pairs(gold, pred, m, self.span_mode, attrs)
            al = make_alignment(gold, len(pred), pairs)
            c = al.counts
            t = self._totals[field]
            t[0] += c.tp
            t[1] += c.fp
            t[2] += c.fn
            labels = self._labels[field]
            lab = self._labelers[field]
            for g, _p in al.pairs:
                labels.setdefault(lab(gold[g]), [0, 0, 0])[0] += 1
            for j in al.spurious:
                labels.setdefault(lab(pred[j]), [0, 0, 0])[1] += 1
            for g in al.missed:
                labels.setdefault(lab(gold[g]), [0, 0, 0])[2] += 1
            for a in attrs:
                acc = self._attrs[field][a]
                for g, p in al.pairs:
                    acc[1] += 1
                    acc[0] += gold[g].get(a) == pred[p].get(a)
            if not self.keep_documents:  # else summed at result() from the kept counts, in order
                mac = self._macro[field]
                p_, r_, f_ = _macro_terms(c, zd)
                mac[0] += p_
                mac[1] += r_
                mac[2] += f_
            elif not c.tp:
                _macro_terms(c, zd)  # the 'warn' policy warns now, once per document, as before
            per_doc.append(c)
            out[field] = (gold, pred, al)
        self._n += 1
        if self.keep_documents:
            self._docs.append(DocumentCounts(str(gold_doc.get("id")), tuple(per_doc)))
        return out

    def merge(self, other: "Scorer") -> "Scorer":
        """Add ``other``'s documents after this scorer's (in place; returns ``self``).

        Counts, labels, attributes and unresolved items add up; per-document counts are
        concatenated, so merging the scorers of consecutive partitions in corpus order gives
        the result of one scorer over the whole corpus, macro averages included (they are
        summed at :meth:`result` from the kept per-document counts, in order). Without kept
        documents the macro sums are added as floats (equal up to rounding).
        """
        if not isinstance(other, Scorer):
            raise ParameterError(f"Scorer.merge() takes a Scorer. Got {type(other).__name__} instead.")
        mine = (self.level, self.span_mode, self.keep_documents, {f: m.name for f, m in self.matchers.items()})
        theirs = (other.level, other.span_mode, other.keep_documents, {f: m.name for f, m in other.matchers.items()})
        same_zd = (self.zero_division == other.zero_division
                   or (self.zero_division != self.zero_division and other.zero_division != other.zero_division))
        if mine != theirs or not same_zd:
            raise ParameterError(f"Scorer.merge(): the scorers differ in their settings ({mine} vs {theirs})")
        for f in FIELDS:
            for k in range(3):
                self._totals[f][k] += other._totals[f][k]
                self._macro[f][k] += other._macro[f][k]
            for label, c in other._labels[f].items():
                mine_c = self._labels[f].setdefault(label, [0, 0, 0])
                for k in range(3):
                    mine_c[k] += c[k]
            for a, (ok, tot) in other._attrs[f].items():
                self._attrs[f][a][0] += ok
                self._attrs[f][a][1] += tot
        self._unresolved += other._unresolved
        self._n += other._n
        self._docs.extend(other._docs)
        return self

    def _macro_sums(self) -> dict[str, list[float]]:
        if not self.keep_documents:
            return self._macro
        import warnings

        sums = {f: [0.0, 0.0, 0.0] for f in FIELDS}
        with warnings.catch_warnings():  # the 'warn' policy warned at add()
            warnings.simplefilter("ignore")
            for d in self._docs:
                for f, c in zip(FIELDS, d.counts):
                    mac = sums[f]
                    p_, r_, f_ = _macro_terms(c, self.zero_division)
                    mac[0] += p_
                    mac[1] += r_
                    mac[2] += f_
        return sums

    def result(self, *, fingerprint: str, missing: Iterable[str] = ()) -> ScoreResult:
        zd = self.zero_division
        macro = self._macro_sums()
        signature = score_signature(FIELDS, tuple(self.matchers[f].name for f in FIELDS), span_mode=self.span_mode,
                                    align=ALIGNMENT, level=self.level, zero_division=zd, fingerprint=fingerprint,
                                    version=__version__)
        fields = []
        for field in FIELDS:
            c = Counts(*self._totals[field])
            p, r, f = c.prf(zero_division=zd)
            n = self._n
            mp, mr, mf = (
                (x / n for x in macro[field]) if n else (_ratio(0, 0, zd, "macro average"),) * 3
            )
            name = self.matchers[field].name
            fields.append(
                FieldScore(
                    field=field,
                    matcher=name,
                    counts=c,
                    precision=p,
                    recall=r,
                    f1=f,
                    macro_precision=mp,
                    macro_recall=mr,
                    macro_f1=mf,
                    by_label=tuple((k, Counts(*v)) for k, v in sorted(self._labels[field].items())),
                    attributes=tuple(
                        AttributeAccuracy(a, ok, tot, _ratio(ok, tot, zd, f"{a} accuracy"))
                        for a, (ok, tot) in self._attrs[field].items()
                    ),
                    unresolved=self._unresolved if field == "actors" else 0,
                    signature=signature.for_field(field),
                )
            )
        return ScoreResult(
            level=self.level,
            span_mode=self.span_mode,
            zero_division=zd,
            corpus_fingerprint=fingerprint,
            version=__version__,
            n_documents=self._n,
            fields=tuple(fields),
            missing=tuple(missing),
            documents=tuple(self._docs),
            signature=signature,
        )


def _gold_and_fingerprint(gold_docs: Any, registry: Any, fingerprint: str | None):
    from ..corpus import Corpus

    if isinstance(gold_docs, Corpus):
        return list(gold_docs.documents), registry or gold_docs.registry, fingerprint or gold_docs.fingerprint
    docs = list(gold_docs)
    if fingerprint is None:
        from ..corpus import fingerprint as _fp

        fingerprint = _fp(docs, registry)
    return docs, registry, fingerprint


def index_predictions(pred_docs: Any, gold_ids: set[str], *, source: str = "predictions") -> dict[str, Any]:
    """Predictions by id; an unknown or duplicate id is a :class:`DataError`."""
    if isinstance(pred_docs, Mapping):
        items = list(pred_docs.items())
    else:
        items = []
        for i, p in enumerate(pred_docs):
            if not isinstance(p, Mapping) or not isinstance(p.get("id"), str):
                raise DataError(f"{source}: record {i}: field 'id': expected a document id string")
            items.append((p["id"], p))
    out: dict[str, Any] = {}
    for i, (doc_id, p) in enumerate(items):
        if doc_id not in gold_ids:
            raise DataError(f"{source}: record {i}: field 'id': unknown document id {doc_id!r}")
        if doc_id in out:
            raise DataError(f"{source}: record {i}: field 'id': duplicate document id {doc_id!r}")
        out[doc_id] = p
    return out


def score(
    gold_docs: Any,
    pred_docs: Any,
    *,
    registry: Any = None,
    span_mode: str = "strict",
    level: str = "mention",
    zero_division: ZeroDivision = 0.0,
    matchers: Mapping[str, "str | Matcher"] | None = None,
    fingerprint: str | None = None,
    validate: bool = True,
) -> ScoreResult:
    """Score ``pred_docs`` (a mapping id → prediction, or an iterable of predictions) against
    ``gold_docs`` (a :class:`~conflictbench.corpus.Corpus` or a sequence of gold documents).

    ``registry`` resolves predicted actor text (default: the corpus's registry). A gold
    document without a prediction is scored as empty and listed in ``result.missing``.
    ``validate`` checks every prediction as a predictions file is checked (PREDICTIONS.md):
    a malformed one is a :class:`DataError`, never scored as if it were something else;
    ``False`` is for predictions already checked (``conflictbench.predictions``, the runner).
    """
    docs, registry, fingerprint = _gold_and_fingerprint(gold_docs, registry, fingerprint)
    preds = index_predictions(pred_docs, {d["id"] for d in docs})
    if validate:
        from ..predictions import check_prediction

        by_id = {d["id"]: d for d in docs}
        preds = {
            doc_id: check_prediction(dict(p), by_id[doc_id], where=f"predictions: record {i}")
            for i, (doc_id, p) in enumerate(preds.items())
        }
    scorer = Scorer(
        registry=registry, span_mode=span_mode, level=level, zero_division=zero_division, matchers=matchers
    )
    missing = []
    for doc in docs:
        pred = preds.get(doc["id"])
        if pred is None:
            missing.append(doc["id"])
        scorer.add(doc, pred)
    return scorer.result(fingerprint=fingerprint, missing=missing)
