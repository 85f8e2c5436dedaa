"""llm.v1 against a real model: llama.cpp's server (llama-cpp-python) with SmolLM2-135M-Instruct.

A 135M-parameter model extracts badly; these tests assert the plumbing, not a quality level:
schema-valid predictions or recorded failures, grounding statuses that agree with the text
(checked here from the raw answers in the replay cache, independently of the grounding
code), token counts, zero requests on a re-run, and a server killed mid-run giving
per-document failures and no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conflictbench.predictions import read_predictions

from . import server as llama

pytestmark = pytest.mark.llm
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    srv = llama.start(tmp_path_factory.mktemp("llama"))
    try:
        yield srv
    finally:
        srv.stop()


def _env(base_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONFLICTBENCH_LLM"))}
    env.update(OPENAI_BASE_URL=base_url, CONFLICTBENCH_LLM_MODEL=llama.MODEL)
    return env


def _eval(base_url: str, out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "conflictbench", "eval", "--extractor", "llm.v1", "--out", str(out),
            "--llm-cache", str(cache), "--save-predictions", str(out / "preds"), "--span-mode", "none",
            "--bootstrap", "50", "--request-timeout", "900", *extra]
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=_env(base_url), timeout=1800)


def _lite(s: str) -> str:
    """Case and whitespace folded, quotes made ASCII, edge punctuation dropped (a simpler, separate reading)."""
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return " ".join(s.lower().split()).strip(" .,;:!?\"'()[]-")


def _raw_strings(cache: Path) -> dict[str, list[str]]:
    """Every string the model returned, per field, from the cached raw responses."""
    out: dict[str, list[str]] = {"casualties": [], "actors": [], "dates": []}
    for path in cache.rglob("*.json"):
        for resp in json.loads(path.read_text())["responses"]:
            try:
                ans = json.loads(resp["choices"][0]["message"]["content"])
            except (ValueError, KeyError, TypeError):
                continue
            for f in out:
                for item in ans.get(f, []) if isinstance(ans, dict) else []:
                    if isinstance(item, dict) and isinstance(item.get("text"), str):
                        out[f].append(item["text"])
    return out


def test_seed_end_to_end_then_replayed_from_the_cache(llama_server, corpus, tmp_path):
    out, cache = tmp_path / "run1", tmp_path / "cache"
    proc = _eval(llama_server.base_url, out, cache)
    assert proc.returncode in (0, 1), proc.stderr + llama_server.log_tail()
    assert "Traceback" not in proc.stderr
    (system,) = json.loads((out / "results.json").read_text())["systems"]
    rs = system["run_stats"]
    assert rs["requests"] >= rs["chunks"] - rs["cached_chunks"] >= 1
    assert rs["prompt_tokens"] > 0 and rs["completion_tokens"] > 0
    assert rs["latency_median"] > 0 and rs["documents"] == len(corpus.documents)
    doc = corpus.documents[0]
    failed = {f["id"] for f in system["failures"]}
    assert rs["failed_documents"] == len(failed)
    (preds_file,) = (out / "preds").glob("*.jsonl")
    preds = read_predictions(preds_file, corpus).predictions  # schema-valid, offsets checked
    assert set(preds) | failed == {doc["id"]}

    # grounding agrees with the text, read from the raw answers independently of grounding.py
    raw = _raw_strings(cache)
    text = doc["text"]
    for pred in preds.values():
        for f in ("casualties", "actors", "dates"):
            counted = dict.fromkeys(("exact", "normalised", "fuzzy", "ungrounded"), 0)
            for item in pred[f]:
                counted[item["grounding"]] += 1
                if item["grounding"] == "ungrounded":
                    assert item["start"] is None and item["text"] in raw[f]
                    assert _lite(item["text"]) not in _lite(text)
                else:
                    assert text[item["start"]:item["end"]] == item["text"]
                if item["grounding"] == "exact":
                    assert item["text"] in [s.strip() for s in raw[f]]
                if item["grounding"] == "normalised":
                    assert any(_lite(s) == _lite(item["text"]) for s in raw[f])
            assert counted == {k: rs[f"grounding.{f}.{k}"] for k in counted}

    # the re-run answers from the cache: no request, same predictions and token counts
    again = _eval(llama_server.base_url, tmp_path / "run2", cache)
    assert again.returncode == proc.returncode, again.stderr
    (system2,) = json.loads((tmp_path / "run2" / "results.json").read_text())["systems"]
    rs2 = system2["run_stats"]
    assert rs2["requests"] == 0 and rs2["cached_chunks"] == rs["chunks"]
    assert (rs2["prompt_tokens"], rs2["completion_tokens"]) == (rs["prompt_tokens"], rs["completion_tokens"])
    assert (tmp_path / "run2" / "preds" / preds_file.name).read_text() == preds_file.read_text()


def test_a_server_killed_mid_run_gives_per_document_failures(tmp_path):
    """Six one-chunk documents, one request at a time; the server is SIGKILLed once the first
    answer is in the cache. The documents asked after that fail (request), the run ends with
    exit 1 and no traceback."""
    from ..support.harness_corpus import _doc
    from conflictbench.actors import ActorRegistry
    from conflictbench.corpus import write_corpus

    sentences = ["Government forces shelled the town of Ariha on Monday, killing 12 civilians.",
                 "Rebels said 30 fighters were injured in clashes near the border.",
                 "The monitoring group reported that 5,000 people fled their homes this week.",
                 "Police detained 14 protesters in the capital on Tuesday.",
                 "Gunmen abducted two aid workers on the road to the airport.",
                 "Officials said 3 soldiers were missing after the attack."]
    docs = [_doc(f"doc-{i}", s) for i, s in enumerate(sentences)]
    registry = ActorRegistry.load(ROOT / "annotation" / "actors.jsonl")
    write_corpus(tmp_path / "corpus", {"test": docs}, registry, card="# kill test corpus\n")
    srv = llama.start(tmp_path)
    cache = tmp_path / "cache"
    killed = threading.Event()

    def killer():
        deadline = time.monotonic() + 1800  # a first answer takes seconds alone, many minutes on a loaded machine
        while time.monotonic() < deadline and not any(cache.rglob("*.json")):
            time.sleep(0.05)
        srv.kill()
        killed.set()

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    try:
        proc = _eval(srv.base_url, tmp_path / "out", cache, "--corpus", str(tmp_path / "corpus"), "--jobs", "1")
    finally:
        srv.stop()
        t.join(5)
    assert killed.is_set()
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    (system,) = json.loads((tmp_path / "out" / "results.json").read_text())["systems"]
    failures = {f["id"]: f for f in system["failures"]}
    answered = len(list(cache.rglob("*.json")))
    assert 1 <= answered < len(docs)
    assert len(failures) == len(docs) - answered
    for f in failures.values():
        assert f["kind"] == "request" and ("cannot reach" in f["message"] or "lost" in f["message"]), f
    assert system["run_stats"]["failed_documents"] == len(failures)
    assert system["run_stats"]["connection_errors"] >= len(failures)
