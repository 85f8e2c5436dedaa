"""llm.v1 against a local stand-in server with scripted answers: every grounding status,
"copied from the prompt", invalid JSON then a repair, 429s then success, a reply slower than
the timeout, a refused response_format, the replay cache, the API key kept secret. Each
counter is derived by hand from the script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conflictbench.extractors.llm.extractor import LLMExtractor, make_llm_extractor
from conflictbench.errors import ExtractorUnavailable
from conflictbench.predictions import check_prediction
from conflictbench.runner import run_extractor

from .support.harness_llm_standin import Reply, StandIn, actor, answer, casualty, chunk_text, date, is_repair

ROOT = Path(__file__).resolve().parents[1]

DOC = ("Government forces said \u201cthe rebels\u201d killed 12 people on Monday.  The Free  Syrian Army "
       "denied it. The Syrian Observatory for Human Rights counted 12 people.")


def _doc(doc_id: str, text: str) -> dict:
    return {"id": doc_id, "text": text, "title": doc_id, "source": "t", "url": None, "language": "en",
            "publication_date": "2020-01-17", "casualties": [], "actors": [], "dates": []}


def _extractor(server: StandIn, **kw) -> LLMExtractor:
    kw.setdefault("backoff", 0.01)
    return LLMExtractor(base_url=server.base_url, model="stand-in", **kw)


GROUNDING_ANSWER = answer(
    casualties=[casualty("12 people", 12), casualty("12 people", 12), casualty("more than 100 people", 100,
                                                                                qualifier="at_least")],
    actors=[actor("Government forces", "state_forces"), actor('"the rebels"'), actor("Free Syrian Army"),
            actor("Syrian Observatory for Humam Rights", "monitor_ngo"), actor("Wagner Group"),
            actor("Houthi rebels")],
    dates=[date("Monday", "2020-01-13")],
)


def test_every_grounding_status_and_copies_from_the_prompt():
    with StandIn(lambda body: Reply(GROUNDING_ANSWER, usage=(300, 45))) as server:
        x = _extractor(server)
        run = run_extractor(x, [_doc("d", DOC)], progress=False)
    assert run.failures == ()
    pred = run.predictions["d"]
    got = {f: [(i["text"], i["start"], i["end"], i["grounding"]) for i in pred[f]] for f in ("casualties", "actors", "dates")}
    assert got["casualties"] == [("12 people", 43, 52, "exact"), ("12 people", 146, 155, "exact"),
                                 ("more than 100 people", None, None, "ungrounded")]
    assert got["actors"] == [("Government forces", 0, 17, "exact"), ("the rebels", 24, 34, "normalised"),
                             ("Free  Syrian Army", 69, 86, "normalised"),
                             ("Syrian Observatory for Human Rights", 102, 137, "fuzzy"),
                             ("Wagner Group", None, None, "ungrounded"), ("Houthi rebels", None, None, "ungrounded")]
    assert got["dates"] == [("Monday", 56, 62, "exact")]
    r = run.stats
    assert r.grounding["casualties"] == {"exact": 2, "normalised": 0, "fuzzy": 0, "ungrounded": 1}
    assert r.grounding["actors"] == {"exact": 1, "normalised": 2, "fuzzy": 1, "ungrounded": 2}
    assert r.grounding_shares["actors"]["normalised"] == pytest.approx(2 / 6)
    # "more than 100 people" and "Houthi rebels" are in the prompt's examples; "Wagner Group" is not
    assert r.copied_from_prompt == {"casualties": 1, "actors": 1, "dates": 0}
    assert (r.requests, r.chunks, r.prompt_tokens, r.completion_tokens) == (1, 1, 300, 45)
    assert (r.parse_failures, r.repairs, r.retries) == (0, 0, 0)
    assert r.documents == 1 and r.documents_per_second > 0
    # the prediction is valid as a predictions-file line, grounding included
    assert check_prediction(pred, _doc("d", DOC), where="t")["actors"][1]["grounding"] == "normalised"


def test_invalid_json_then_repaired_and_still_invalid():
    good = answer(actors=[actor("Government forces")])

    def script(body):
        t = chunk_text(body)
        if t.startswith("ONCE") and not is_repair(body):
            return Reply('{"casualties": [', usage=(10, 5))
        if t.startswith("TWICE"):
            return Reply("no JSON at all", usage=(10, 5))
        return Reply(good, usage=(10, 5))

    with StandIn(script) as server:
        x = _extractor(server, jobs=1)
        run = run_extractor(x, [_doc("once", "ONCE: Government forces said so."),
                                _doc("twice", "TWICE: Government forces said so.")], progress=False)
        repair = [b for b in server.requests if is_repair(b)]
    assert [f.doc_id for f in run.failures] == ["twice"]
    assert run.failures[0].kind == "malformed" and "not JSON" in run.failures[0].message
    assert [a["text"] for a in run.predictions["once"]["actors"]] == ["Government forces"]
    r = run.stats
    # once: answer unusable, repaired (1 failure, 1 repair, 1 repaired); twice: both unusable (2, 1, 0)
    assert (r.requests, r.parse_failures, r.repairs, r.repaired) == (4, 3, 2, 1)
    assert (r.prompt_tokens, r.completion_tokens) == (40, 20)
    assert r.failed_documents == 1
    # the repair request carries the broken answer and the problem
    assert repair[0]["messages"][-2] == {"role": "assistant", "content": '{"casualties": ['}
    assert "not JSON" in repair[0]["messages"][-1]["content"]


def test_an_item_breaking_a_rule_is_repaired_or_rejected():
    bad_date = answer(actors=[actor("Government forces")], dates=[date("Monday", "last Monday")])
    with StandIn(lambda body: Reply(bad_date)) as server:
        run = run_extractor(_extractor(server), [_doc("d", DOC)], progress=False)
        assert "dates[0]" in server.requests[1]["messages"][-1]["content"]
    assert run.failures == ()
    assert run.predictions["d"]["dates"] == [] and len(run.predictions["d"]["actors"]) == 1
    r = run.stats
    assert (r.requests, r.parse_failures, r.repairs, r.repaired) == (2, 2, 1, 0)
    assert r.rejected_items == {"casualties": 0, "actors": 0, "dates": 1}


def test_429s_then_success_with_exponential_backoff():
    calls = {"n": 0}

    def script(body):
        calls["n"] += 1
        if calls["n"] <= 2:
            return Reply(status=429)
        if calls["n"] == 3:
            return Reply(status=503)
        return Reply(answer(actors=[actor("Government forces")]))

    waits: list[float] = []
    with StandIn(script) as server:
        run = run_extractor(_extractor(server, backoff=0.5, sleep=waits.append), [_doc("d", DOC)], progress=False)
    assert run.failures == ()
    r = run.stats
    assert (r.requests, r.retries, r.rate_limited, r.server_errors) == (4, 3, 2, 1)
    assert waits == [0.5, 1.0, 2.0]


def test_retry_after_is_honoured_and_retries_run_out():
    waits: list[float] = []
    with StandIn(lambda body: Reply(status=429, headers={"Retry-After": "3"})) as server:
        run = run_extractor(_extractor(server, max_retries=2, sleep=waits.append), [_doc("d", DOC)], progress=False)
    assert waits == [3.0, 3.0]
    assert [(f.doc_id, f.kind) for f in run.failures] == [("d", "request")]
    assert "HTTP 429" in run.failures[0].message
    assert (run.stats.requests, run.stats.rate_limited, run.stats.retries) == (3, 3, 2)


def test_a_reply_slower_than_the_timeout_is_a_timeout_failure():
    def script(body):
        return Reply(answer(), delay=2.0) if "SLOW" in chunk_text(body) else Reply(answer())

    with StandIn(script) as server:
        run = run_extractor(_extractor(server, timeout=0.3, max_retries=1),
                            [_doc("slow", "SLOW text here."), _doc("fast", "Fast text here.")], progress=False)
    assert [(f.doc_id, f.kind) for f in run.failures] == [("slow", "timeout")]
    assert "within 0.3 s" in run.failures[0].message
    assert set(run.predictions) == {"fast"}
    r = run.stats
    assert (r.requests, r.timeouts, r.retries) == (3, 2, 1)
    assert r.latency_median is not None and r.latency_median < 0.3  # only the answered request


def test_a_refused_response_format_falls_back_to_json_mode():
    def script(body):
        if body["response_format"]["type"] == "json_schema":
            return Reply(status=400, body='{"error": "response_format json_schema is not supported"}')
        if "schema" in body["response_format"]:
            return Reply(status=422, body='{"detail": "extra field"}')
        return Reply(answer(actors=[actor("Government forces")]))

    with StandIn(script) as server:
        x = _extractor(server, jobs=1)
        run = run_extractor(x, [_doc("a", DOC), _doc("b", "Government forces again.")], progress=False)
        formats = [(b["response_format"]["type"], "schema" in b["response_format"]) for b in server.requests]
        system = server.requests[-1]["messages"][0]["content"]
    assert run.failures == ()
    # refused twice, then plain JSON mode for the rest of the run
    assert formats == [("json_schema", False), ("json_object", True), ("json_object", False), ("json_object", False)]
    assert "JSON Schema of the answer" in system
    assert run.stats.response_mode == "json_object"


def test_json_object_with_a_schema_is_the_second_try(tmp_path):
    def script(body):  # llama-cpp-python's server answers 500 (not 422) to a type it does not know
        if body["response_format"]["type"] == "json_schema":
            return Reply(status=500, body='{"error": {"message": "(\'body\', \'response_format\', \'type\'): '
                                          'Input should be \'text\' or \'json_object\'"}}')
        return Reply(answer(actors=[actor("Government forces")]))

    with StandIn(script) as server:
        run = run_extractor(_extractor(server, cache_dir=tmp_path), [_doc("a", DOC)], progress=False)
        last = server.requests[-1]
        replay = run_extractor(_extractor(server, cache_dir=tmp_path), [_doc("a", DOC)], progress=False)
        n = len(server.requests)
    assert last["response_format"]["type"] == "json_object"
    assert last["response_format"]["schema"]["required"] == ["casualties", "actors", "dates"]
    assert "JSON Schema of the answer" not in last["messages"][0]["content"]  # the grammar holds it
    assert run.stats.response_mode == "json_object+schema"
    # the replay finds the answer under the mode it fell back to: no request, not even a refused one
    assert (n, run.stats.requests, replay.stats.requests) == (2, 2, 0)
    assert replay.stats.response_mode == "json_object+schema"


def test_long_documents_are_chunked_and_merged_by_span():
    text = "Government forces attacked. " * 3 + "The rebels fled. " * 3  # 6 sentences
    with StandIn(lambda body: Reply(answer(actors=[actor("Government forces")]))) as server:
        x = _extractor(server, chunk_chars=200)
        one = run_extractor(x, [_doc("d", text)], progress=False)
    with StandIn(lambda body: Reply(answer(actors=[actor("Government forces")]))) as server:
        x = _extractor(server, chunk_chars=200, overlap=1)
        x.chunk_chars = 60
        many = run_extractor(x, [_doc("d", text)], progress=False)
        asked = [chunk_text(b) for b in server.requests]
    assert one.stats.chunks == 1
    # sentences [0,27) [28,55) [56,83) ("Government forces attacked.") [84,100) [101,117) [118,134)
    # ("The rebels fled."); 60 code points a chunk, one sentence of overlap: chunks of sentences
    # 0-1, 1-2, 2-3, 3-5
    assert [t.split(". ")[0] for t in asked] == ["Government forces attacked"] * 3 + ["The rebels fled"]
    assert many.stats.chunks == 4
    # each chunk answers "Government forces", grounded at the chunk's first occurrence (0, 28,
    # 56); the last chunk has none and grounds it in the document (0 again: a duplicate, dropped)
    assert many.stats.grounding["actors"]["exact"] == 3
    starts = [a["start"] for a in many.predictions["d"]["actors"]]
    assert starts == [0, 28, 56]


def test_the_replay_cache_makes_no_request_on_a_rerun(tmp_path):
    with StandIn(lambda body: Reply(GROUNDING_ANSWER, usage=(300, 45))) as server:
        first = run_extractor(_extractor(server, cache_dir=tmp_path), [_doc("d", DOC)], progress=False)
        again = run_extractor(_extractor(server, cache_dir=tmp_path), [_doc("d", DOC)], progress=False)
        refresh = run_extractor(_extractor(server, cache_dir=tmp_path, cache="refresh"), [_doc("d", DOC)],
                                progress=False)
        other_model = run_extractor(LLMExtractor(base_url=server.base_url, model="another", cache_dir=tmp_path),
                                    [_doc("d", DOC)], progress=False)
        hot = run_extractor(_extractor(server, cache_dir=tmp_path, temperature=0.7), [_doc("d", DOC)],
                            progress=False)
        n = len(server.requests)
    assert (first.stats.requests, again.stats.requests, refresh.stats.requests) == (1, 0, 1)
    assert (other_model.stats.requests, hot.stats.requests) == (1, 1)  # the key holds model and decoding
    assert n == 4
    assert again.predictions == first.predictions
    assert (again.stats.cached_chunks, again.stats.prompt_tokens, again.stats.completion_tokens) == (1, 300, 45)
    assert again.stats.latency_median is None
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == 3  # first (= refresh: the same key), another model, another temperature
    rec = json.loads(files[0].read_text())
    assert set(rec["key"]) == {"model", "endpoint", "prompt", "document", "chunk", "decoding", "mode"}


def test_no_cache_writes_nothing(tmp_path):
    with StandIn(lambda body: Reply(answer())) as server:
        run_extractor(_extractor(server, cache_dir=tmp_path, cache="off"), [_doc("d", DOC)], progress=False)
    assert list(tmp_path.iterdir()) == []


def test_unconfigured_endpoint_is_unavailable(monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("CONFLICTBENCH_LLM_MODEL", "m")
    with pytest.raises(ExtractorUnavailable, match="no endpoint configured"):
        make_llm_extractor()
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.delenv("CONFLICTBENCH_LLM_MODEL")
    with pytest.raises(ExtractorUnavailable, match="no model configured"):
        make_llm_extractor()


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONFLICTBENCH_LLM"))}
    env.update(extra)
    return env


def test_make_eval_says_in_one_line_that_no_endpoint_is_configured():
    proc = subprocess.run([sys.executable, "-m", "conflictbench", "eval", "--all", "--no-write"],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=600)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("llm.v1")]
    assert lines == ["llm.v1: skipped: no endpoint configured (set OPENAI_BASE_URL, e.g. "
                     "http://127.0.0.1:8080/v1, and CONFLICTBENCH_LLM_MODEL)"]


SECRET = "sk-test-SECRET-4c1e9"


def test_the_api_key_is_sent_and_never_printed_written_or_echoed(tmp_path):
    """Run the CLI as a user would; the stand-in echoes the Authorization header in an error."""
    def script(body):
        if chunk_text(body).startswith("Abu Dhabi"):  # the seed's first chunk; its second gets a 401
            return Reply(answer(actors=[actor("Russia", "foreign_state")]))
        return Reply(status=401, body="bad key " + server.headers[-1].get("Authorization", ""))

    out = tmp_path / "results"
    with StandIn(script) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "conflictbench", "eval", "--extractor", "llm.v1", "--out", str(out),
             "--llm-cache", str(tmp_path / "cache"), "--save-predictions", str(tmp_path / "preds"), "--jobs", "2"],
            capture_output=True, text=True, cwd=ROOT, timeout=600,
            env=_env(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY=SECRET, CONFLICTBENCH_LLM_MODEL="m"))
        auth = {h.get("Authorization") for h in server.headers}
    assert auth == {f"Bearer {SECRET}"}
    assert proc.returncode == 1, proc.stderr  # the 401 chunk's document failed
    assert "Traceback" not in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" and "cache" in p.parts for p in files)
    for p in files:
        assert SECRET not in p.read_text("utf-8", "replace"), p
    results = json.loads((out / "results.json").read_text())
    (system,) = results["systems"]
    assert system["failures"][0]["kind"] == "request" and "HTTP 401" in system["failures"][0]["message"]
    assert system["run_stats"]["requests"] >= 2
