"""An example conflictbench extractor, installed as a plugin (see ../pyproject.toml).

It finds a handful of actor names as whole words and returns them with their offsets.
It only gives the mention ``text``: conflictbench resolves it to a canonical entity through
the corpus actor registry ("Moscow" -> russia, "Ankara" -> turkey), so a plugin needs no
copy of the registry.
"""

from __future__ import annotations

import re

# Name -> nothing else: resolution to an entity is conflictbench's job.
KEYWORDS = ("Russia", "Moscow", "Turkey", "Ankara", "Reuters")
_PATTERN = re.compile(r"\b(?:" + "|".join(map(re.escape, KEYWORDS)) + r")\b")


class KeywordExtractor:
    """The extractor protocol: a versioned ``name`` and ``extract(document) -> prediction``."""

    name = "example-keywords.v1"

    def extract(self, document: dict) -> dict:
        # ``document`` is the document view: id, text, title, source, url, language,
        # publication_date -- never the gold. Python's re works on code points, which is what
        # conflictbench's offsets are: m.start()/m.end() need no conversion.
        text = document["text"]
        actors = [{"start": m.start(), "end": m.end(), "text": m.group(0)} for m in _PATTERN.finditer(text)]
        return {"id": document["id"], "casualties": [], "actors": actors, "dates": []}


def make_extractor() -> KeywordExtractor:
    """Example plugin: five actor names (Russia, Moscow, Turkey, Ankara, Reuters) with offsets.

    The entry point's factory, called with no arguments; the first paragraph of this
    docstring is what ``conflictbench extractors`` shows. A factory that accepts a ``corpus``
    keyword receives the Corpus being scored (e.g. to read ``corpus.registry``); one whose
    model is missing raises ``conflictbench.errors.ExtractorUnavailable``, so that
    ``conflictbench eval --all`` skips it with a one-line note.
    """
    return KeywordExtractor()
