"""``results.json``: every score of a run, flat, with its signature and the run's settings."""

from __future__ import annotations

import json
from typing import Any, Sequence

from .. import __version__
from ..schema import FIELDS
from . import run_stats
from .common import LEVELS, display_path, json_safe_text


def _json_safe(x: Any) -> Any:
    if isinstance(x, float) and x != x:
        return None
    return x


def _json_result(res: Any) -> dict[str, Any]:
    """A result's flat dict; an undefined score is null, the zero_division setting is its name ("nan")."""
    out = {k: _json_safe(v) for k, v in res.to_dict().items()}
    zd = res.zero_division
    if "zero_division" in out and isinstance(zd, float) and zd != zd:
        out["zero_division"] = "nan"  # JSON has no NaN; null would read as "no policy"
    return out


def results_json(systems: Sequence[Any], selection: Any, settings: Any, unavailable: Sequence[tuple[str, str]] = ()) -> str:
    doc = {
        "conflictbench_version": __version__,
        "corpus": {"path": display_path(selection.corpus.path), "fingerprint": selection.fingerprint,
                   "splits": list(selection.splits), "n_documents": len(selection.doc_ids)},
        "settings": {"span_mode": settings.span_mode, "zero_division": str(settings.zero_division),
                     "matchers": dict(settings.matchers), "bootstrap_resamples": settings.n_resamples,
                     "confidence": settings.confidence, "seed": settings.seed},
        "systems": [],
        "unavailable": [{"name": n, "reason": why} for n, why in unavailable],
    }
    for s in systems:
        ci = {f"{f}.{lvl}.f1_ci": list(s.ci[(f, lvl)]) for f in FIELDS for lvl in LEVELS}
        doc["systems"].append({
            "name": s.name,
            "source": s.source,
            "mention": _json_result(s.mention),
            "value": _json_result(s.value),
            "ci": ci,
            "failures": [{"id": f.doc_id, "kind": f.kind, "message": f.message} for f in s.failures],
            "missing": list(s.missing),
            "outside_selection": list(s.outside),
            "unanchored_predictions": getattr(s, "unanchored", 0),
            "run_stats": run_stats.json_value(s),
            "stray_lines": {"count": getattr(s, "n_stray", 0),
                            "first": [{"asked": x.doc_id, "text": x.text} for x in getattr(s, "stray", ())]},
        })
    return json_safe_text(json.dumps(doc, indent=1, ensure_ascii=False)) + "\n"


