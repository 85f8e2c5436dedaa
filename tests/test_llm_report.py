"""Run statistics rendered as they are (terminal, Markdown, results.json): a hand-made record."""

from __future__ import annotations

import json

from conflictbench.evaluation import Settings, score_system, select
from conflictbench.extractors.llm.stats import RunStatistics
from conflictbench.report import markdown, results_json, terminal_table

ZERO = {"exact": 0, "normalised": 0, "fuzzy": 0, "ungrounded": 0}
NONE = {"exact": None, "normalised": None, "fuzzy": None, "ungrounded": None}

STATS = RunStatistics(
    signature="llm.v1|model:m|prompt:abc", model="m", endpoint="http://127.0.0.1:1/v1", response_mode="json_schema", documents=1, failed_documents=0,
    chunks=2, cached_chunks=1, requests=3, retries=1, rate_limited=1, server_errors=0, timeouts=0,
    connection_errors=0, parse_failures=1, repairs=1, repaired=1, prompt_tokens=1200, completion_tokens=80,
    latency_median=0.5, latency_p95=1.25, seconds=4.0, documents_per_second=0.25,
    grounding={"casualties": ZERO, "actors": {"exact": 3, "normalised": 1, "fuzzy": 0, "ungrounded": 4},
               "dates": ZERO},
    grounding_shares={"casualties": NONE, "actors": {"exact": 0.375, "normalised": 0.125, "fuzzy": 0.0,
                                                     "ungrounded": 0.5}, "dates": NONE},
    copied_from_prompt={"casualties": 0, "actors": 2, "dates": 0},
    rejected_items={"casualties": 0, "actors": 0, "dates": 1},
)


def _system(corpus):
    selection = select(corpus)
    settings = Settings(n_resamples=10)
    return score_system("llm.v1:m", "llm.v1", {}, selection, settings, run_stats=STATS), selection, settings


def test_terminal_lines(corpus):
    s, selection, settings = _system(corpus)
    lines = terminal_table([s], settings=settings).splitlines()
    assert ("llm.v1:m: 1 document(s) (0 failed), 2 chunk(s) answered (1 from the replay cache), 3 request(s) sent "
            "(1 retries: 1× 429, 0× 5xx, 0 timeout(s), 0 connection error(s)), tokens 1200 prompt + 80 completion, "
            "latency median 0.50 s / p95 1.25 s, 0.25 documents/s; unusable answers 1, repairs 1 (1 repaired); "
            "response format json_schema; llm.v1|model:m|prompt:abc") in lines
    assert ("llm.v1:m: actors grounding (8 item(s)): exact 38%, normalised 12%, fuzzy 0%, ungrounded 50%; "
            "copied from the prompt 2; rejected 0") in lines
    assert ("llm.v1:m: casualties grounding (0 item(s)): exact n/a, normalised n/a, fuzzy n/a, ungrounded n/a; "
            "copied from the prompt 0; rejected 0") in lines


def test_markdown_and_json(corpus):
    s, selection, settings = _system(corpus)
    md = markdown([s], selection, settings=settings)
    assert "## Run statistics" in md
    assert "| llm.v1:m | 1 (0) | 2 (1) | 3 (1) | 1200 | 80 | 0.50 s | 1.25 s | 0.25 | 1 | 1 (1) |" in md
    assert "- llm.v1:m: `llm.v1|model:m|prompt:abc` (m at http://127.0.0.1:1/v1, response format json_schema)" in md
    assert "| llm.v1:m | actors | 8 | 38% | 12% | 0% | 50% | 2 | 0 |" in md
    assert "| llm.v1:m | dates | 0 | n/a | n/a | n/a | n/a | 0 | 1 |" in md
    doc = json.loads(results_json([s], selection, settings))
    rs = doc["systems"][0]["run_stats"]
    assert rs["grounding_share.actors.exact"] == 0.375 and rs["grounding.actors.ungrounded"] == 4
    assert rs["copied_from_prompt.actors"] == 2 and rs["rejected_items.dates"] == 1
    assert rs["prompt_tokens"] == 1200 and rs["latency_p95"] == 1.25


def test_systems_without_run_statistics_render_as_before(corpus):
    selection = select(corpus)
    settings = Settings(n_resamples=10)
    s = score_system("null.v1", "null.v1", {}, selection, settings)
    assert "Run statistics" not in markdown([s], selection, settings=settings)
    assert json.loads(results_json([s], selection, settings))["systems"][0]["run_stats"] is None
