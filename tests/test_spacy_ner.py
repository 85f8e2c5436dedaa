"""spacy-ner.v1 with a real spaCy pipeline built here (no pretrained pipeline can be
downloaded): blank English + an entity_ruler emitting the labels a pretrained NER emits,
saved with ``nlp.to_disk`` and loaded by path through CONFLICTBENCH_SPACY_MODEL."""

from __future__ import annotations

import pytest
import spacy

from conflictbench.errors import ExtractorUnavailable
from conflictbench.extractors.spacy_ner import MODEL_ENV, SpacyNerExtractor
from conflictbench.registrations import get_extractor

from .support.rules_registry import make_registry

DCT = "2023-04-17"  # a Monday (ISO week 16)
TEXT = (
    "The UN said at least 56 civilians were killed in Khartoum on Saturday, and 300 people "
    "fled to Chad, where Chadian officials met Abdel Fattah al-Burhan last week. The 2 sides met "
    "near the Chadian border. UN officials said so."
)
ENTITY_PATTERNS = [
    {"label": "ORG", "pattern": [{"LOWER": "the"}, {"ORTH": "UN"}]},
    {"label": "GPE", "pattern": "Khartoum"},
    {"label": "GPE", "pattern": "Chad"},
    {"label": "NORP", "pattern": "Chadian"},
    {"label": "ORG", "pattern": [{"ORTH": "UN"}, {"LOWER": "officials"}]},
    {"label": "PERSON", "pattern": "Abdel Fattah al-Burhan"},
    {"label": "DATE", "pattern": "Saturday"},
    {"label": "DATE", "pattern": "last week"},
    {"label": "CARDINAL", "pattern": [{"LOWER": "at"}, {"LOWER": "least"}, {"LIKE_NUM": True}]},
    {"label": "CARDINAL", "pattern": "300"},
    {"label": "CARDINAL", "pattern": "2"},
]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", config={"validate": True}).add_patterns(ENTITY_PATTERNS)
    path = tmp_path_factory.mktemp("pipeline") / "ner_model"
    nlp.to_disk(path)
    return path


def test_entities_map_to_the_schema(model_path):
    ex = SpacyNerExtractor(model=str(model_path), registry=make_registry())
    pred = ex.extract({"id": "sd-1", "text": TEXT, "publication_date": DCT})
    # ORG "The UN" → actor "UN" (article left out); GPE Khartoum is not in the registry;
    # NORP "Chadian" resolves through the alias where it names a party ("Chadian officials"),
    # not in "the Chadian border" (geographic); "to Chad" is a GPE after "to", kept (only
    # locative prepositions such as "in" make a place name geographic); the PERSON is not
    # in the registry
    assert [(a["text"], a["entity"], a["type"]) for a in pred["actors"]] == [
        ("UN", "un", "international_org"),
        ("Chad", "chad", "foreign_state"),
        ("Chadian", "chad", "foreign_state"),
        ("UN", "un", "international_org"),  # ORG "UN officials": the role noun is left out
    ]
    # Saturday before Monday 2023-04-17 → 2023-04-15; last week → ISO week 15
    assert [(d["text"], d["value"], d["type"]) for d in pred["dates"]] == [
        ("Saturday", "2023-04-15", "DATE"),
        ("last week", "2023-W15", "DATE"),
    ]
    # CARDINAL next to a trigger → casualty; "2 sides met" has no casualty trigger
    assert [(c["text"], c["qualifier"], c["count"], c["kind"], c["victims"]) for c in pred["casualties"]] == [
        ("at least 56 civilians", "at_least", 56, "killed", "civilians"),
        ("300 people", "exact", 300, "displaced", "people"),
    ]
    for field in ("actors", "dates", "casualties"):
        for item in pred[field]:
            assert TEXT[item["start"] : item["end"]] == item["text"]


def test_factory_reads_the_model_from_the_environment(model_path, monkeypatch):
    monkeypatch.setenv(MODEL_ENV, str(model_path))
    ex = get_extractor("spacy-ner.v1")
    assert ex.name == "spacy-ner.v1"
    (pred,) = ex.extract_batch([{"id": "x", "text": TEXT, "publication_date": DCT}])
    assert [a["entity"] for a in pred["actors"]] == ["un", "un"]  # the embedded registry knows only the UN here


def test_missing_model_is_one_line(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "conflictbench_absent_pipeline")
    with pytest.raises(ExtractorUnavailable) as info:
        get_extractor("spacy-ner.v1")
    msg = str(info.value)
    assert "\n" not in msg
    assert "conflictbench_absent_pipeline" in msg and MODEL_ENV in msg and "install" in msg


def test_pipeline_without_ner_is_unavailable(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ExtractorUnavailable, match="no entity recogniser"):
        SpacyNerExtractor(model=str(tmp_path / "blank"), registry=make_registry())
