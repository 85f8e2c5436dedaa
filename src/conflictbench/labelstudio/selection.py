"""Choosing what to label next: rank documents by how much extractors disagree on them.

Given the predictions of two or more systems on the same documents:

``disagreement``  per document, the mean over the fields and over every pair of systems of
                  ``1 − F1`` between the two systems' items (one taken as gold, F1 is
                  symmetric), aligned as the scorer aligns (:func:`conflictbench.scoring.alignment.align`,
                  the field's headline value matcher, ``span_mode="none"``: what was found,
                  wherever it was anchored). A field where neither system found anything
                  (F1 undefined) counts as agreement (0). In [0, 1], comparable across
                  documents of any length.
``uncertainty``   the committee's vote entropy summed over the items it proposes: the items of
                  all systems are clustered (each system aligned against the clusters so
                  far), and a cluster proposed by ``v`` of ``k`` systems adds the binary
                  entropy ``H(v/k)`` bits (0 when all or none agree, 1 for a 1-of-2 split).
                  Not normalised: a document with many contested items ranks above one with a
                  single contested item.
``random``        a uniform sample (``seed``), for an unbiased estimate of the corpus.

Ties are broken by document id, so rankings are reproducible.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import ParameterError, check_choice
from ..schema import FIELDS

SELECT_MODES = ("disagreement", "uncertainty", "random")


@dataclass(frozen=True)
class RankedDocument:
    doc_id: str
    score: float
    #: field → that field's contribution (disagreement: mean 1 − F1; uncertainty: bits)
    per_field: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "score": self.score, **{f"{k}": v for k, v in self.per_field.items()}}


def _field_disagreement(field_: str, preds: Sequence[Mapping[str, Any]], registry: Any) -> float:
    from ..scoring.alignment import align

    values = []
    for a, b in itertools.combinations(preds, 2):
        c = align(field_, a.get(field_) or [], b.get(field_) or [], span_mode="none", registry=registry).counts
        values.append(0.0 if c.tp + c.fp + c.fn == 0 else 1.0 - c.f1(zero_division=0.0))
    return sum(values) / len(values)


def _binary_entropy(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def _field_uncertainty(field_: str, preds: Sequence[Mapping[str, Any]], registry: Any) -> float:
    from ..scoring.alignment import align

    reps: list[dict[str, Any]] = []  # one representative item per cluster
    votes: list[int] = []
    for pred in preds:
        items = list(pred.get(field_) or [])
        al = align(field_, reps, items, span_mode="none", registry=registry)
        joined = set()
        for r, i in al.pairs:
            votes[r] += 1
            joined.add(i)
        for i, item in enumerate(items):
            if i not in joined:
                reps.append(item)
                votes.append(1)
    k = len(preds)
    return sum(_binary_entropy(v / k) for v in votes)


def rank_documents(
    doc_ids: Sequence[str],
    predictions: Mapping[str, Mapping[str, Mapping[str, Any]]],
    *,
    mode: str = "disagreement",
    registry: Any = None,
    seed: int = 0,
) -> list[RankedDocument]:
    """Rank ``doc_ids`` (most worth labelling first). ``predictions[system][doc_id]`` is a
    prediction; every document must have one from every system (``random`` needs none)."""
    check_choice("rank_documents", "mode", mode, SELECT_MODES)
    if mode == "random":
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ParameterError(f"The 'seed' parameter of rank_documents() must be a non-negative int. Got {seed!r} instead.")
        order = sorted(doc_ids)
        random.Random(seed).shuffle(order)
        n = len(order)
        return [RankedDocument(d, float(n - i)) for i, d in enumerate(order)]
    if len(predictions) < 2:
        raise ParameterError(f"ranking by {mode} needs the predictions of two or more systems, "
                             f"got {len(predictions)} ({sorted(predictions)})")
    per = _field_disagreement if mode == "disagreement" else _field_uncertainty
    ranked = []
    for doc_id in doc_ids:
        missing = [s for s, p in predictions.items() if doc_id not in p]
        if missing:
            raise ParameterError(f"document {doc_id!r} has no prediction from {missing}")
        preds = [p[doc_id] for p in predictions.values()]
        fields = {f: per(f, preds, registry) for f in FIELDS}
        total = sum(fields.values()) / len(fields) if mode == "disagreement" else sum(fields.values())
        ranked.append(RankedDocument(doc_id, total, fields))
    ranked.sort(key=lambda r: (-r.score, r.doc_id))
    return ranked


@dataclass(frozen=True)
class PushSelection:
    """The documents to push, in push order, and what chose them."""

    documents: tuple[dict[str, Any], ...]
    #: the systems run to rank the documents (their pre-annotations are attached to the push)
    preannotations: tuple[Any, ...] = ()
    ranking: tuple[RankedDocument, ...] = ()
    #: documents left out of the ranking because a system failed on them: "doc: reason"
    failed: tuple[str, ...] = ()


def read_id_file(path: Any) -> list[str]:
    """Document ids, one a line (blank lines and ``#`` comments ignored)."""
    from pathlib import Path

    from ..errors import DataError

    p = Path(path)
    if not p.is_file():
        raise DataError(f"--ids {p}: no such file")
    ids: list[str] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        if s in ids:
            raise DataError(f"{p}, line {n}: document id {s!r} is listed twice")
        ids.append(s)
    if not ids:
        raise DataError(f"{p}: no document id in it")
    return ids


def select_documents(
    corpus: Any,
    *,
    splits: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    select: str | None = None,
    systems: Sequence[str] = (),
    seed: int = 0,
    progress: bool | None = None,
) -> PushSelection:
    """Which documents of ``corpus`` to push: those of ``splits`` (all by default), then only
    ``ids`` (in their order), then ranked by ``select`` (with the predictions of ``systems``,
    run as eval runs them), then the first ``limit``."""
    from ..errors import DataError
    from .preannotate import predictions_of

    if select is not None:
        check_choice("select_documents", "select", select, SELECT_MODES)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ParameterError(f"The 'limit' parameter of select_documents() must be a positive int. Got {limit!r} instead.")
    if systems and select in (None, "random"):
        raise ParameterError("--systems ranks documents: use it with --select disagreement or uncertainty")
    if select in ("disagreement", "uncertainty") and len(systems) < 2:
        raise ParameterError(f"--select {select} needs two or more systems (--systems A,B), got {list(systems)}")
    docs = list(corpus.documents)
    if splits:
        missing = [s for s in splits if s not in corpus.splits]
        if missing:
            raise DataError(f"{corpus.path}: no split(s) {missing}; the corpus has {sorted(corpus.splits)}")
        wanted = {i for s in splits for i in corpus.splits[s]}
        docs = [d for d in docs if d["id"] in wanted]
    if ids is not None:
        by_id = {d["id"]: d for d in docs}
        missing = [i for i in ids if i not in by_id]
        if missing:
            where = f" in split(s) {list(splits)}" if splits else ""
            raise DataError(f"{corpus.path}: no document(s){where} {missing[:10]}"
                            + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
        docs = [by_id[i] for i in ids]
    if select is None:
        return PushSelection(tuple(docs[:limit] if limit else docs))
    pres: list[Any] = []
    failed: list[str] = []
    if select == "random":
        ranking = rank_documents([d["id"] for d in docs], {}, mode="random", seed=seed)
    else:
        pres = [predictions_of(s, docs, corpus=corpus, progress=progress) for s in systems]
        bad = {f.doc_id: f"{p.spec}: {f.kind}: {f.message}" for p in pres for f in p.failures}
        failed = [f"{d}: {why}" for d, why in sorted(bad.items())]
        by_system = {p.spec: {q["id"]: q for q in p.predictions} for p in pres}
        ranking = rank_documents([d["id"] for d in docs if d["id"] not in bad], by_system, mode=select,
                                 registry=corpus.registry)
    ranking = ranking[:limit] if limit else ranking
    by_id = {d["id"]: d for d in docs}
    chosen = tuple(by_id[r.doc_id] for r in ranking)
    keep = {d["id"] for d in chosen}
    from .preannotate import Preannotation

    pres = [Preannotation(p.spec, p.model_version, tuple(q for q in p.predictions if q["id"] in keep),
                          tuple(f for f in p.failures if f.doc_id in keep)) for p in pres]
    return PushSelection(chosen, tuple(pres), tuple(ranking), tuple(failed))
