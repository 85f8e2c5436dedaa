"""Run an extractor over a corpus, isolating failures document by document.

Three kinds of system (this module runs the first; :mod:`.command` the second):

* a Python extractor (registered name, or ``package.module:attr``): built by
  :func:`build_extractor`, run by :func:`run_extractor` — ``extract_batch`` when it has one,
  else ``extract`` per document;
* any program (``--extractor-cmd "CMD"``): :func:`run_command` starts it once, writes one
  document view per line (JSON) to its stdin and reads one prediction line from its stdout
  per document, with a per-document timeout;
* a predictions file (:func:`conflictbench.predictions.read_predictions`).

Extractors see :func:`~conflictbench.extractors.base.document_view` (text and metadata,
never the gold). A document whose extraction raises, times out, or returns output that is
not a valid prediction is recorded as a :class:`Failure` and scored as empty; the run goes
on. Every output is validated like a predictions file line.
"""

from __future__ import annotations

import inspect
import time
import warnings
from typing import Any, Mapping, Sequence

from ..errors import ConflictbenchError, DataError, ParameterError
from ..extractors.base import DocumentFailure, document_view
from ..redaction import redact
from .outcome import ExtractorFailed, ExtractorWarning, Failure, RunOutput, progress_bar, validated

def build_extractor(spec: str, corpus: Any = None, *, options: Mapping[str, Any] | None = None) -> Any:
    """Build an extractor from a registered name or ``package.module:attr``.

    The factory is called with no arguments, except that a factory accepting a keyword
    ``corpus`` receives the corpus being scored. A class (``module:MyExtractor``) is
    instantiated the same way. ``options`` (e.g. ``{"jobs": 4}``) go to a factory that takes
    them as keywords; a factory without such a keyword never sees them. :class:`ExtractorUnavailable`
    propagates.
    """
    from ..registrations import get_extractor_factory

    extractor = _call(get_extractor_factory(spec), corpus, spec, options or {})
    if isinstance(extractor, type):  # ``module:MyExtractor`` names the class: build one
        extractor = _call(extractor, corpus, spec, options or {})
    if not callable(getattr(extractor, "extract", None)):
        raise ParameterError(f"extractor {spec!r}: the factory returned {extractor!r}, which has no extract()")
    return extractor


def _call(factory: Any, corpus: Any, spec: str, options: Mapping[str, Any]) -> Any:
    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        params = {}
    keywords = {n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    kwargs = {k: v for k, v in options.items() if k in keywords and k != "corpus" and v is not None}
    if "corpus" in keywords:
        kwargs["corpus"] = corpus
    try:
        return factory(**kwargs)
    except ConflictbenchError:  # ExtractorUnavailable included: the caller decides
        raise
    except Exception as exc:  # noqa: BLE001 - third-party code: one clear error, not a traceback
        raise ExtractorFailed(redact(f"extractor {spec!r}: building it failed: {type(exc).__name__}: {exc}")) from exc


def extractor_name(extractor: Any, spec: str) -> str:
    name = getattr(extractor, "name", None)
    return name if isinstance(name, str) and name else spec


def run_extractor(
    extractor: Any,
    docs: Sequence[Mapping[str, Any]],
    *,
    name: str | None = None,
    progress: bool | None = None,
) -> RunOutput:
    """Run a Python extractor on ``docs`` (gold documents; the extractor sees views only)."""
    name = name or extractor_name(extractor, type(extractor).__name__)
    t0 = time.perf_counter()
    preds: dict[str, dict[str, Any]] = {}
    failures: list[Failure] = []
    outputs: dict[str, Any] = {}
    batch = getattr(extractor, "extract_batch", None)
    twice: set[str] = set()
    if callable(batch):
        wanted = {d["id"] for d in docs}
        try:
            for i, out in enumerate(progress_bar(batch([document_view(d) for d in docs]), total=len(docs), desc=name,
                                              progress=progress)):
                if isinstance(out, DocumentFailure) and out.id in wanted and out.id not in outputs:
                    outputs[out.id] = out  # the extractor's own per-document failure
                    continue
                doc_id = out.get("id") if isinstance(out, dict) else None
                if doc_id is None and isinstance(out, dict) and i < len(docs):
                    doc_id = docs[i]["id"]  # no id: the i-th output answers the i-th document
                if doc_id in outputs:
                    twice.add(doc_id)
                elif isinstance(doc_id, str) and doc_id in wanted:
                    outputs[doc_id] = out
                else:  # kept in the record, never dropped silently
                    failures.append(Failure(f"output #{i}", "malformed",
                                            f"extract_batch() returned a prediction for no document being "
                                            f"scored: {repr(out)[:80]}"))
        except Exception as exc:  # the batch failed as a whole: fall back to one document at a time
            warnings.warn(
                f"{name}: extract_batch() failed ({type(exc).__name__}: {redact(exc)}); "
                "extracting one document at a time instead",
                ExtractorWarning,
                stacklevel=2,
            )
            outputs, failures, twice = {}, [], set()
            batch = None
        failures += [Failure(i, "malformed", "extract_batch() returned two predictions for it") for i in sorted(twice)]
    if not callable(batch):
        for doc in progress_bar(docs, total=len(docs), desc=name, progress=progress):
            try:
                outputs[doc["id"]] = extractor.extract(document_view(doc))
            except Exception as exc:  # noqa: BLE001 - isolate any failure of third-party code
                failures.append(Failure(doc["id"], "exception", redact(f"{type(exc).__name__}: {exc}")))
    for doc_id, out in list(outputs.items()):
        if isinstance(out, DocumentFailure):
            failures.append(Failure(doc_id, out.kind, redact(out.message)))
            del outputs[doc_id]
    failed = {f.doc_id for f in failures}
    for doc in docs:
        if doc["id"] in failed:
            continue
        if doc["id"] not in outputs:
            failures.append(Failure(doc["id"], "malformed", "extract_batch() returned no prediction for it"))
            continue
        try:
            preds[doc["id"]] = validated(outputs[doc["id"]], doc, name)
        except DataError as exc:
            failures.append(Failure(doc["id"], "malformed", str(exc)))
    report = getattr(extractor, "run_statistics", None)
    return RunOutput(name, preds, tuple(failures), time.perf_counter() - t0, report() if callable(report) else None)


