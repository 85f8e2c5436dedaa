"""``rules.v1``, the rule baseline: :mod:`.extractor` (the pipeline and the extractor),
:mod:`.actors`, :mod:`.casualties` (+ :mod:`.individuals`, :mod:`.numbers`, :mod:`.tokens`),
:mod:`.temporal` (+ :mod:`.anchoring`) and :mod:`.patterns` (the JSONL pattern data)."""

from .extractor import NAME, RuleExtractor, build_pipeline, default_registry, make_rules_extractor

__all__ = ["NAME", "RuleExtractor", "build_pipeline", "default_registry", "make_rules_extractor"]
