"""The built-in extractors: ``null.v1`` / ``oracle.v1`` (:mod:`.reference`), ``rules.v1``
(:mod:`.rules`), ``spacy-ner.v1`` (:mod:`.spacy_ner`), ``llm.v1`` (:mod:`.llm`), on the
interface of :mod:`.base`.

Nothing is registered on import: :func:`conflictbench.registrations.populate_registry` does
that. Each module keeps its heavy imports (spaCy, models) inside the factory or the extractor.
"""
