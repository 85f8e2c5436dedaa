"""Rendering a system's run statistics (``SystemResult.run_stats``: an LLM's requests,
tokens, latency, grounding shares …) for the terminal, the Markdown leaderboard and
results.json. Reads the frozen record; computes nothing."""

from __future__ import annotations

from typing import Any, Sequence

from ..schema import FIELDS


def _secs(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f} s"


def _share(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def _rate(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3g}"


def run_line(name: str, r: Any) -> str:
    return (f"{name}: {r.documents} document(s) ({r.failed_documents} failed), {r.chunks} chunk(s) answered "
            f"({r.cached_chunks} from the replay cache), {r.requests} request(s) sent ({r.retries} retries: "
            f"{r.rate_limited}× 429, {r.server_errors}× 5xx, {r.timeouts} timeout(s), {r.connection_errors} "
            f"connection error(s)), tokens {r.prompt_tokens} prompt + {r.completion_tokens} completion, latency "
            f"median {_secs(r.latency_median)} / p95 {_secs(r.latency_p95)}, {_rate(r.documents_per_second)} "
            f"documents/s; unusable answers {r.parse_failures}, repairs {r.repairs} ({r.repaired} repaired); "
            f"response format {r.response_mode}; {r.signature}")


def grounding_line(name: str, r: Any, field: str) -> str:
    counts, shares = r.grounding[field], r.grounding_shares[field]
    parts = ", ".join(f"{s} {_share(shares[s])}" for s in counts)
    return (f"{name}: {field} grounding ({sum(counts.values())} item(s)): {parts}; copied from the prompt "
            f"{r.copied_from_prompt[field]}; rejected {r.rejected_items[field]}")


def terminal_lines(systems: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for s in systems:
        r = getattr(s, "run_stats", None)
        if r is None:
            continue
        out.append(run_line(s.name, r))
        out += [grounding_line(s.name, r, f) for f in FIELDS]
    return out


def markdown_lines(systems: Sequence[Any], cell: Any) -> list[str]:
    """A ``## Run statistics`` section (empty when no system reported any); ``cell`` escapes text."""
    reported = [(s, s.run_stats) for s in systems if getattr(s, "run_stats", None) is not None]
    if not reported:
        return []
    out = ["", "## Run statistics", "",
           "| system | documents (failed) | chunks (cached) | requests (retries) | prompt tokens | completion tokens "
           "| latency median | latency p95 | documents/s | unusable answers | repairs (repaired) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s, r in reported:
        out.append(f"| {cell(s.name)} | {r.documents} ({r.failed_documents}) | {r.chunks} ({r.cached_chunks}) "
                   f"| {r.requests} ({r.retries}) | {r.prompt_tokens} | {r.completion_tokens} "
                   f"| {_secs(r.latency_median)} | {_secs(r.latency_p95)} | {_rate(r.documents_per_second)} "
                   f"| {r.parse_failures} | {r.repairs} ({r.repaired}) |")
    out += [""] + [f"- {cell(s.name)}: `{r.signature}` ({cell(r.model)} at {cell(r.endpoint)}, response format "
                   f"{r.response_mode})" for s, r in reported]
    statuses = list(reported[0][1].grounding[FIELDS[0]])
    out += ["", "Grounding of the predicted strings in the document text (share of the field's items):", "",
            "| system | field | items | " + " | ".join(statuses) + " | copied from the prompt | rejected |",
            "|---|---|---:|" + "---:|" * len(statuses) + "---:|---:|"]
    for s, r in reported:
        for f in FIELDS:
            shares = " | ".join(_share(r.grounding_shares[f][st]) for st in statuses)
            out.append(f"| {cell(s.name)} | {f} | {sum(r.grounding[f].values())} | {shares} "
                       f"| {r.copied_from_prompt[f]} | {r.rejected_items[f]} |")
    return out


def json_value(s: Any) -> dict[str, Any] | None:
    r = getattr(s, "run_stats", None)
    return None if r is None else r.to_dict()
