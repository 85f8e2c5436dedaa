"""Built-in extractors. Importing this package registers them in
:data:`conflictbench.registry.extractors`; each module keeps its heavy imports
(spaCy, models) inside the factory or the extractor, never at import time."""

from . import reference, rules, spacy_ner  # noqa: F401  (registration side effects)
