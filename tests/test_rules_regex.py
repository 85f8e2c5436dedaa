"""The rule baseline never leaves a pattern to the ``re`` module's cache.

numpy's f2py (imported by scipy, which scoring imports) sets ``re._MAXCACHE = 50`` for the whole
process; a ``re.findall(pattern, ...)`` per registry name (~290 per MUC-4 document) was then
recompiled on every document, making rules.v1 2.7x slower after scoring had run. Every pattern
of the rule code is compiled once (``benchmarks/rules_after_scipy.py`` measures the ratio).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "conflictbench"
RULE_CODE = sorted((SRC / "extractors" / "rules").glob("*.py")) + [SRC / "actors.py", SRC / "extractors" / "spacy_ner.py"]
CACHED = {"findall", "finditer", "search", "match", "fullmatch", "sub", "subn", "split"}


@pytest.mark.parametrize("path", RULE_CODE, ids=lambda p: p.name)
def test_no_pattern_goes_through_the_re_cache(path):
    calls = [f"{path.name}:{n.lineno}: re.{n.func.attr}(...)" for n in ast.walk(ast.parse(path.read_text()))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CACHED
             and isinstance(n.func.value, ast.Name) and n.func.value.id == "re"]
    assert calls == []


def test_title_state_counts_survive_a_tiny_re_cache(registry, monkeypatch):
    """With the cache shrunk to 1 entry, the title count is unchanged and compiles nothing per call."""
    from conflictbench.extractors.rules import actors

    before = actors._state_title_patterns(registry)
    monkeypatch.setattr(re, "_MAXCACHE", 1)
    compiled = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    again = actors._state_title_patterns(registry)
    assert again is before and compiled == []
    syria = registry.resolve("Syrian government")
    title = "Syrian government forces advance in Idlib"
    # "Syrian government", "Syrian government forces", "Syrian": one match each in the title
    assert sum(len(p.findall(title)) for e, p in again if e == syria) == 3
