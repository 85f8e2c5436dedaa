"""What one ``llm.v1`` run did: a typed frozen record, attached to the system's result.

Counted while the run goes (:class:`StatsRecorder`, thread-safe) and frozen at the end
(:class:`RunStatistics`). Renderers read it (``to_dict()``, the attributes), never recompute.

* ``grounding[field][status]``: predicted items (after merging chunks) per grounding status,
  and ``grounding_shares`` the same over the field's total (None for a field with no item);
* ``copied_from_prompt[field]``: ungrounded items whose normalised text occurs in an example
  of the prompt;
* ``rejected_items[field]``: items that broke a prediction rule (a TIMEX3 value, a count the
  qualifier needs …) even after the repair request; left out of the prediction, counted here;
* ``parse_failures``: answers that could not be used (not JSON, not the schema, a rule
  broken); ``repairs``: repair requests; ``repaired``: repairs whose answer could be used;
* ``requests``: HTTP requests sent in this run (retries included; 0 on a full replay);
  ``cached_chunks``: chunks answered from the replay cache;
* tokens: the ``usage`` of every response used (sent now or replayed), so a replay reports
  the figures of the run it replays; latency: of the requests sent now (None without any).
"""

from __future__ import annotations

import statistics
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...schema import FIELDS
from .grounding import STATUSES


@dataclass(frozen=True)
class RunStatistics:
    #: the extractor's signature (model, prompt hash, decoding, chunking, version)
    signature: str
    model: str
    endpoint: str
    response_mode: str
    documents: int
    failed_documents: int
    chunks: int
    cached_chunks: int
    requests: int
    retries: int
    rate_limited: int
    server_errors: int
    timeouts: int
    connection_errors: int
    parse_failures: int
    repairs: int
    repaired: int
    prompt_tokens: int
    completion_tokens: int
    latency_median: float | None
    latency_p95: float | None
    seconds: float
    documents_per_second: float | None
    grounding: Mapping[str, Mapping[str, int]]
    grounding_shares: Mapping[str, Mapping[str, float | None]]
    copied_from_prompt: Mapping[str, int]
    rejected_items: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Flat: ``grounding.actors.exact``, ``grounding_share.actors.exact``, ``copied_from_prompt.dates`` …"""
        out: dict[str, Any] = {}
        for k, v in self.__dict__.items():
            if k in ("grounding", "grounding_shares", "copied_from_prompt", "rejected_items"):
                continue
            out[k] = v
        for f in FIELDS:
            for s in STATUSES:
                out[f"grounding.{f}.{s}"] = self.grounding[f][s]
                out[f"grounding_share.{f}.{s}"] = self.grounding_shares[f][s]
            out[f"copied_from_prompt.{f}"] = self.copied_from_prompt[f]
            out[f"rejected_items.{f}"] = self.rejected_items[f]
        return out


def _p95(xs: list[float]) -> float:
    """The nearest-rank 95th percentile (the smallest value ≥ 95 % of the values)."""
    s = sorted(xs)
    import math

    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


@dataclass
class StatsRecorder:
    model: str
    endpoint: str
    documents: int = 0
    failed_documents: int = 0
    chunks: int = 0
    cached_chunks: int = 0
    parse_failures: int = 0
    repairs: int = 0
    repaired: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    grounding: dict[str, dict[str, int]] = field(default_factory=lambda: {f: dict.fromkeys(STATUSES, 0) for f in FIELDS})
    copied_from_prompt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    rejected_items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **inc: int) -> None:
        with self.lock:
            for k, v in inc.items():
                setattr(self, k, getattr(self, k) + v)

    def add_rejected(self, field_name: str, n: int) -> None:
        with self.lock:
            self.rejected_items[field_name] += n

    def add_item(self, field_name: str, status: str, copied: bool) -> None:
        with self.lock:
            self.grounding[field_name][status] += 1
            self.copied_from_prompt[field_name] += int(copied)

    def freeze(self, counters: Any, response_mode: str, signature: str) -> RunStatistics:
        lat = list(counters.latencies)
        shares = {}
        for f in FIELDS:
            total = sum(self.grounding[f].values())
            shares[f] = {s: (self.grounding[f][s] / total if total else None) for s in STATUSES}
        return RunStatistics(
            signature=signature, model=self.model, endpoint=self.endpoint, response_mode=response_mode,
            documents=self.documents, failed_documents=self.failed_documents, chunks=self.chunks,
            cached_chunks=self.cached_chunks, requests=counters.requests, retries=counters.retries,
            rate_limited=counters.rate_limited, server_errors=counters.server_errors, timeouts=counters.timeouts,
            connection_errors=counters.connection_errors, parse_failures=self.parse_failures,
            repairs=self.repairs, repaired=self.repaired, prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            latency_median=statistics.median(lat) if lat else None, latency_p95=_p95(lat) if lat else None,
            seconds=self.seconds,
            documents_per_second=(self.documents / self.seconds) if self.seconds > 0 else None,
            grounding={f: dict(v) for f, v in self.grounding.items()}, grounding_shares=shares,
            copied_from_prompt=dict(self.copied_from_prompt), rejected_items=dict(self.rejected_items),
        )
