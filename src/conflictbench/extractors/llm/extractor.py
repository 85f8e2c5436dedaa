"""``llm.v1``: any OpenAI-compatible chat-completions endpoint as an extractor.

Per document: split into chunks (:mod:`.chunking`), ask the model for each chunk with the
prompt of :mod:`.prompt` (a JSON Schema-constrained answer where the server takes
``response_format: json_schema``; JSON mode where it refuses it), check the answer (JSON,
the schema, the prediction rules), ask once more with the problem when it breaks any
(the *repair*), ground every returned string in the text (:mod:`.grounding`), merge the
chunks' items and drop duplicates by grounded span. Requests run ``jobs`` at a time; raw
responses go to the replay cache (:mod:`.cache`). A document whose request finally fails, or
whose answer is still unusable after the repair, is yielded as a
:class:`~conflictbench.extractors.base.DocumentFailure`: recorded, scored as empty.

Configuration: ``OPENAI_BASE_URL`` (e.g. ``http://127.0.0.1:8080/v1``), ``OPENAI_API_KEY``
(optional; sent as a bearer token and nowhere else) and ``CONFLICTBENCH_LLM_MODEL``, or the
same as keyword arguments. Without a base URL or a model the factory raises
:class:`~conflictbench.errors.ExtractorUnavailable` (``make eval`` then says so in one line).
"""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ...errors import DataError, ExtractorUnavailable, ParameterError, check_choice
from ...schema import FIELDS
from ..base import Document, DocumentFailure, Prediction
from . import prompt as P
from .cache import ReplayCache, cache_key, text_hash
from .chunking import Chunk, chunks
from .client import ChatClient, RequestFailed
from .grounding import NormalisedText, ground, normalise
from .stats import RunStatistics, StatsRecorder

NAME = "llm.v1"
ENV_BASE_URL, ENV_API_KEY, ENV_MODEL = "OPENAI_BASE_URL", "OPENAI_API_KEY", "CONFLICTBENCH_LLM_MODEL"
#: how the answer is constrained: OpenAI's ``json_schema``; ``json_object`` with a ``schema``
#: (llama-cpp-python's server, Anyscale-style endpoints: a grammar from the schema); plain
#: ``json_object`` (JSON mode; the schema goes into the instructions). ``auto`` starts with
#: the first and moves down the list when the server answers 400/422 to it.
RESPONSE_MODES = ("auto", "json_schema", "json_object+schema", "json_object")
_FALLBACK = {"json_schema": "json_object+schema", "json_object+schema": "json_object"}


@lru_cache(maxsize=None)
def answer_attrs(field_name: str) -> tuple[str, ...]:
    """The item attributes kept from an answer (``text`` is grounded separately)."""
    return tuple(a for a in P.response_schema()["properties"][field_name]["items"]["properties"] if a != "text")


class _Unusable(Exception):
    """An answer that cannot be used even after the repair (the document fails: malformed)."""


@dataclass
class _Verdict:
    answer: dict[str, list[dict[str, Any]]] | None
    problem: str | None
    bad: dict[str, set[int]]


class LLMExtractor:
    def __init__(self, *, base_url: str, model: str, api_key: str | None = None, jobs: int = 2,
                 chunk_chars: int = 2000, overlap: int = 1, timeout: float = 120.0, max_retries: int = 3,
                 backoff: float = 1.0, temperature: float = 0.0, max_tokens: int = 1024, seed: int | None = 0,
                 response_mode: str = "auto", cache_dir: str | Path | None = None, cache: str = "use",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        check_choice("LLMExtractor", "response_mode", response_mode, RESPONSE_MODES)
        for pname, val, low in (("jobs", jobs, 1), ("chunk_chars", chunk_chars, 200), ("overlap", overlap, 0),
                                ("max_retries", max_retries, 0), ("max_tokens", max_tokens, 16)):
            if not isinstance(val, int) or isinstance(val, bool) or val < low:
                raise ParameterError(f"The {pname!r} parameter of LLMExtractor() must be an integer >= {low}. "
                                     f"Got {val!r} instead.")
        if not timeout > 0:
            raise ParameterError(f"The 'timeout' parameter of LLMExtractor() must be > 0. Got {timeout!r} instead.")
        self.model = model
        self.name = f"{NAME}:{model}"
        self.client = ChatClient(base_url, api_key, timeout=timeout, max_retries=max_retries, backoff=backoff,
                                 sleep=sleep)
        self.jobs, self.chunk_chars, self.overlap = jobs, chunk_chars, overlap
        self.decoding = {"temperature": temperature, "max_tokens": max_tokens, "seed": seed}
        self.requested_mode = response_mode
        self._mode_lock = threading.Lock()
        self.mode = "json_schema" if response_mode == "auto" else response_mode
        self.cache = ReplayCache(cache_dir, mode=cache) if cache_dir is not None and cache != "off" else None
        self.recorder = StatsRecorder(model, self.client.endpoint)
        self._prompt_norm = NormalisedText(" \n ".join(
            [P.messages("", None)[0]["content"]] + [e.text for e in P.examples()]
            + [json.dumps(e.answer, ensure_ascii=False) for e in P.examples()])).norm

    @property
    def signature(self) -> str:
        from ... import __version__

        dec = text_hash(json.dumps(self.decoding, sort_keys=True))[:8]
        return (f"{NAME}|model:{self.model}|prompt:{P.prompt_hash()}|decoding:{dec}|chunk:{self.chunk_chars}"
                f"+{self.overlap}|v:{__version__}")

    def run_statistics(self) -> RunStatistics:
        return self.recorder.freeze(self.client.counters, self.mode, self.signature)

    # --- the Extractor protocol ------------------------------------------------------------
    def extract(self, document: Document) -> Prediction:
        out = next(self.extract_batch([document]))
        if isinstance(out, DocumentFailure):
            raise DataError(f"{NAME}: document {out.id!r}: {out.kind}: {out.message}")
        return out

    def extract_batch(self, documents: Iterable[Document]) -> Iterator[Prediction | DocumentFailure]:
        docs = list(documents)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="llm") as pool:
            planned = []
            for doc in docs:
                cs = chunks(doc.get("text") or "", chunk_chars=self.chunk_chars, overlap=self.overlap)
                planned.append((doc, [(c, pool.submit(self._answer, doc, c)) for c in cs]))
            try:
                for doc, futures in planned:
                    out = self._document(doc, futures)
                    self.recorder.add(documents=1, failed_documents=int(isinstance(out, DocumentFailure)))
                    self.recorder.seconds = time.perf_counter() - t0
                    yield out
            finally:
                for _, futures in planned:
                    for _, fut in futures:
                        fut.cancel()

    # --- one document -----------------------------------------------------------------------
    def _document(self, doc: Document, futures: list[tuple[Chunk, Future]]) -> Prediction | DocumentFailure:
        answers = []
        for chunk, fut in futures:
            try:
                answers.append((chunk, fut.result()))
            except RequestFailed as exc:
                kind = "timeout" if exc.kind == "timeout" else "request"
                return DocumentFailure(doc["id"], kind, f"chunk at {chunk.start}: {exc}")
            except _Unusable as exc:
                return DocumentFailure(doc["id"], "malformed", f"chunk at {chunk.start}: {exc}")
            except Exception as exc:  # noqa: BLE001 - one document fails, the run goes on
                return DocumentFailure(doc["id"], "exception", f"chunk at {chunk.start}: {type(exc).__name__}: {exc}")
        return self._merge(doc, answers)

    def _merge(self, doc: Document, answers: list[tuple[Chunk, dict[str, list[dict[str, Any]]]]]) -> Prediction:
        text = doc.get("text") or ""
        whole = NormalisedText(text)
        pred: Prediction = {"id": doc["id"], "casualties": [], "actors": [], "dates": []}
        seen: set[tuple] = set()
        for chunk, answer in answers:
            local = NormalisedText(chunk.text)
            for f in FIELDS:
                taken: set[tuple[int, int]] = set()
                for item in answer[f]:
                    span = self._ground(item["text"], local, chunk, whole, taken)
                    attrs = {a: item.get(a) for a in answer_attrs(f)}
                    if span.status == "ungrounded":
                        key = (f, "text", normalise(item["text"]), json.dumps(attrs, sort_keys=True))
                        out = {"text": item["text"], **attrs, "grounding": "ungrounded"}
                    else:
                        key = (f, "span", span.start, span.end)
                        out = {"start": span.start, "end": span.end, "text": text[span.start:span.end], **attrs,
                               "grounding": span.status}
                    if key in seen:
                        continue
                    seen.add(key)
                    pred[f].append(out)
        for f in FIELDS:
            for item in pred[f]:
                q = normalise(item["text"]) if item["grounding"] == "ungrounded" else ""
                self.recorder.add_item(f, item["grounding"], bool(q) and q in self._prompt_norm)
        return pred

    @staticmethod
    def _ground(s: str, local: NormalisedText, chunk: Chunk, whole: NormalisedText, taken: set) -> Any:
        from .grounding import Grounded

        g = ground(s, local, taken=taken)
        if g.status != "ungrounded":
            taken.add((g.start, g.end))
            return Grounded(g.status, g.start + chunk.start, g.end + chunk.start)
        return ground(s, whole)  # said elsewhere in the document (or nowhere)

    # --- one chunk: cache, request, check, repair ---------------------------------------------
    def _key_parts(self, doc: Document, chunk: Chunk) -> dict[str, Any]:
        return {"model": self.model, "endpoint": self.client.endpoint, "prompt": P.prompt_hash(),
                "document": text_hash(f"{doc.get('publication_date')}\0{doc.get('text') or ''}"),
                "chunk": [chunk.start, text_hash(chunk.text)], "decoding": self.decoding, "mode": self.mode}

    def _body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                **{k: v for k, v in self.decoding.items() if v is not None}}
        if self.mode == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "conflictbench_prediction", "strict": True, "schema": P.response_schema()}}
        elif self.mode == "json_object+schema":
            body["response_format"] = {"type": "json_object", "schema": P.response_schema()}
        else:
            body["response_format"] = {"type": "json_object"}
        return body

    def _messages(self, doc: Document, chunk: Chunk) -> list[dict[str, str]]:
        msgs = P.messages(chunk.text, doc.get("publication_date"))
        if self.mode == "json_object":  # no constrained decoding: the schema is spelled out
            msgs[0] = {"role": "system", "content": msgs[0]["content"] + "\nJSON Schema of the answer:\n"
                       + json.dumps(P.response_schema(), sort_keys=True)}
        return msgs

    def _cached(self, doc: Document, chunk: Chunk) -> list[dict[str, Any]] | None:
        """Cached responses under the current mode or, in ``auto``, one it would fall back to
        (a replay then adopts that mode and sends no refused request)."""
        if self.cache is None:
            return None
        mode = self.mode
        while mode is not None:
            got = self.cache.get(cache_key({**self._key_parts(doc, chunk), "mode": mode}))
            if got is not None:
                if mode != self.mode:
                    with self._mode_lock:
                        self.mode = mode
                return got
            mode = _FALLBACK.get(mode) if self.requested_mode == "auto" else None
        return None

    def _answer(self, doc: Document, chunk: Chunk) -> dict[str, list[dict[str, Any]]]:
        cached = self._cached(doc, chunk)
        parts = self._key_parts(doc, chunk)
        key = cache_key(parts)
        if cached is not None:
            replay = iter(cached)
            try:
                answer = self._converse(doc, chunk, lambda _msgs: next(replay))
            except StopIteration:  # a truncated cache file: ask again
                pass
            except _Unusable:
                self.recorder.add(cached_chunks=1)
                raise
            else:
                self.recorder.add(cached_chunks=1)
                return answer
        responses: list[dict[str, Any]] = []

        def live(messages: list[dict[str, str]]) -> dict[str, Any]:
            mode = self.mode
            fallback = self.requested_mode == "auto" and mode in _FALLBACK
            try:
                resp = self.client.complete(self._body(messages), final=_refused if fallback else None).response
            except RequestFailed as exc:
                if fallback and _refused(exc):
                    with self._mode_lock:  # the server refuses this response_format: the next one from now on
                        if self.mode == mode:
                            self.mode = _FALLBACK[mode]
                    raise _ModeChanged() from None
                raise
            responses.append(resp)
            return resp

        try:
            answer = self._converse(doc, chunk, live)
        except _ModeChanged:
            return self._answer(doc, chunk)
        except _Unusable:  # a usable record too: a replay fails the same way, without the model
            if self.cache is not None:
                self.cache.put(key, parts, responses)
            raise
        if self.cache is not None:
            self.cache.put(key, parts, responses)
        return answer

    def _converse(self, doc: Document, chunk: Chunk, source: Callable) -> dict[str, list[dict[str, Any]]]:
        """Ask (``source``: the live endpoint, or the cached responses in order), check, repair once."""
        msgs = self._messages(doc, chunk)
        r1 = source(msgs)
        v1 = self._check(r1, doc)
        used = [r1]
        final = v1
        if v1.problem is not None:
            content = _content(r1)[0]
            follow = msgs + [{"role": "assistant", "content": content or ""}, P.repair_message(v1.problem)]
            r2 = source(follow)
            used.append(r2)
            v2 = self._check(r2, doc)
            self.recorder.add(parse_failures=1 + int(v2.problem is not None), repairs=1,
                              repaired=int(v2.problem is None))
            final = v2 if v2.answer is not None else v1
        tokens = [_usage(r) for r in used]
        self.recorder.add(chunks=1, prompt_tokens=sum(t[0] for t in tokens), completion_tokens=sum(t[1] for t in tokens))
        if final.answer is None:
            raise _Unusable(f"the answer is unusable after a repair: {final.problem}")
        for f in FIELDS:
            if final.bad[f]:
                self.recorder.add_rejected(f, len(final.bad[f]))
        return {f: [it for i, it in enumerate(final.answer[f]) if i not in final.bad[f]] for f in FIELDS}

    def _check(self, resp: dict[str, Any], doc: Document) -> _Verdict:
        empty = {f: set() for f in FIELDS}
        content, finish = _content(resp)
        if content is None:
            return _Verdict(None, "the response has no message content", empty)
        try:
            answer = json.loads(_strip_fence(content))
        except json.JSONDecodeError as exc:
            cut = " (cut at max_tokens)" if finish == "length" else ""
            return _Verdict(None, f"not JSON{cut}: {exc.msg} at position {exc.pos}", empty)
        problem = _schema_problem(answer)
        if problem is not None:
            return _Verdict(None, problem, empty)
        bad: dict[str, set[int]] = {f: set() for f in FIELDS}
        first = None
        from ...predictions import check_prediction

        for f in FIELDS:
            for i, item in enumerate(answer[f]):
                probe = {"id": doc["id"], f: [{a: item.get(a) for a in answer_attrs(f)} | {"text": item["text"]}]}
                try:
                    check_prediction(probe, {"text": doc.get("text") or ""}, where="answer")
                except DataError as exc:
                    bad[f].add(i)
                    first = first or f"{f}[{i}]: {str(exc).split(': ', 2)[-1]}"
        return _Verdict(answer, first, bad)


class _ModeChanged(Exception):
    pass


def _refused(exc: RequestFailed) -> bool:
    """The server refuses the request's ``response_format``: 400/422, or (llama-cpp-python's
    server) a 5xx whose error names it."""
    if exc.status in (400, 422):
        return True
    return exc.status is not None and exc.status >= 500 and "response_format" in exc.body


def _content(resp: Any) -> tuple[str | None, str | None]:
    try:
        choice = resp["choices"][0]
        content = choice["message"]["content"]
        return (content if isinstance(content, str) else None), choice.get("finish_reason")
    except (KeyError, IndexError, TypeError):
        return None, None


def _usage(resp: Any) -> tuple[int, int]:
    u = resp.get("usage") if isinstance(resp, dict) else None
    if not isinstance(u, dict):
        return 0, 0
    p, c = u.get("prompt_tokens"), u.get("completion_tokens")
    return (p if isinstance(p, int) else 0), (c if isinstance(c, int) else 0)


def _strip_fence(content: str) -> str:
    s = content.strip()
    if s.startswith("```"):
        s = s.split("\n", 1)[1] if "\n" in s else ""
        s = s.rsplit("```", 1)[0]
    return s


def _schema_problem(answer: Any) -> str | None:
    import jsonschema

    validator = _schema_validator()
    errors = list(validator.iter_errors(answer))
    if not errors:
        return None
    err = jsonschema.exceptions.best_match(errors)
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path) or "(answer)"
    return f"does not follow the schema at {path}: {err.message}"


_VALIDATOR: Any = None


def _schema_validator() -> Any:
    global _VALIDATOR
    if _VALIDATOR is None:
        import jsonschema

        schema = P.response_schema()
        _VALIDATOR = jsonschema.validators.validator_for(schema)(schema)
    return _VALIDATOR


def make_llm_extractor(*, jobs: int | None = None, cache_dir: str | Path | None = None, cache: str = "use",
                       model: str | None = None, base_url: str | None = None, chunk_chars: int | None = None,
                       timeout: float | None = None) -> LLMExtractor:
    """Any OpenAI-compatible chat-completions endpoint (OPENAI_BASE_URL, CONFLICTBENCH_LLM_MODEL), grounded, cached."""
    base_url = base_url or os.environ.get(ENV_BASE_URL)
    model = model or os.environ.get(ENV_MODEL)
    if not base_url:
        raise ExtractorUnavailable(f"{NAME}: no endpoint configured (set {ENV_BASE_URL}, e.g. "
                                   f"http://127.0.0.1:8080/v1, and {ENV_MODEL})")
    if not model:
        raise ExtractorUnavailable(f"{NAME}: no model configured (set {ENV_MODEL} to the model name the "
                                   f"endpoint serves)")
    kw: dict[str, Any] = {}
    for k, v in (("jobs", jobs), ("chunk_chars", chunk_chars), ("timeout", timeout)):
        if v is not None:
            kw[k] = v
    return LLMExtractor(base_url=base_url, model=model, api_key=os.environ.get(ENV_API_KEY) or None,
                        cache_dir=cache_dir, cache=cache, **kw)
