"""Shared fixtures and the hypothesis profiles.

``HYPOTHESIS_PROFILE=fast`` (default, used by ``make test``) keeps property tests quick;
``HYPOTHESIS_PROFILE=thorough`` (``make test-thorough``) runs many more examples.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fast", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CONFLICTBENCH_SHARED", ROOT.parent / "shared"))
SEED_ID = "thenational-2020-01-17-idlib-offensive"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared folder (CI has it). Tests that need it fail loudly without it."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} not found: set CONFLICTBENCH_SHARED to the shared/ folder")
    return SHARED


@pytest.fixture(scope="session")
def corpus():
    from conflictbench.corpus import load_corpus

    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="session")
def seed_doc(corpus):
    return corpus.by_id()[SEED_ID]


@pytest.fixture(scope="session")
def registry(corpus):
    return corpus.registry


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    """A small multi-document corpus (seed + documents that trigger test extractors' failures)."""
    from .support.harness_corpus import write_small_corpus

    return write_small_corpus(tmp_path_factory.mktemp("small") / "corpus")


@pytest.fixture(autouse=True)
def _no_llm_endpoint(monkeypatch):
    """No test reaches an LLM endpoint configured in the developer's shell (llm.v1 reads these)."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CONFLICTBENCH_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
