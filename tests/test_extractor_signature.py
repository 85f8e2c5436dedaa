"""Extractor signatures (Label Studio's model_version): what produced a pre-annotation."""

from __future__ import annotations

import conflictbench
from conflictbench.actors import Actor, ActorRegistry
from conflictbench.extractors.base import extractor_signature
from conflictbench.registrations import get_extractor


def test_signature_names_extractor_registry_and_version(registry):
    sig = extractor_signature(get_extractor("rules.v1"))
    name, reg, ver = sig.split("|")
    assert name == "rules.v1"
    assert reg.startswith("registry:") and len(reg) == len("registry:") + 12
    assert ver == f"v:{conflictbench.__version__}"


def test_a_different_registry_gives_a_different_signature(registry):
    other = ActorRegistry.from_actors([Actor("x", "Xland", "foreign_state")])
    rules = get_extractor("rules.v1")
    sig_default = extractor_signature(rules)

    class Same:
        name = rules.name

    a, b = Same(), Same()
    a.registry, b.registry = registry, other
    assert extractor_signature(a) == sig_default  # the embedded corpus's registry
    assert extractor_signature(b) != sig_default


def test_declared_signature_wins_and_registry_free_extractors_have_none():
    class Declared:
        name = "mine.v2"
        signature = "mine.v2|model:abc"

    class Plain:
        name = "null.v1"

    assert extractor_signature(Declared()) == "mine.v2|model:abc"
    assert extractor_signature(Plain()) == f"null.v1|v:{conflictbench.__version__}"
