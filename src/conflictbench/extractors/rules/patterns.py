"""The rule baseline's token patterns, kept as data in ``conflictbench/data/patterns/*.jsonl``.

One JSON object per line: ``{"label": ..., "id": ..., "pattern": [token specs]}`` in
spaCy's Matcher / EntityRuler pattern language. :func:`load_patterns` reads a file and
names the file and line of any malformed record; :func:`build_matcher` compiles patterns
into a ``spacy.matcher.Matcher`` with ``validate=True``, so a pattern that spaCy's schema
rejects is reported with its file and line, not silently ignored.

Files:

* ``casualty_quantities.jsonl`` — quantity phrases ("at least 40", "between 5 and 7",
  "thousands of"); label ``QUANTITY``;
* ``casualty_victims.jsonl`` — victim noun phrases; label = victim type
  (``civilians``, ``fighters``, ``security_forces``, ``people``, ``other``);
* ``casualty_triggers.jsonl`` — the words saying what happened; label = casualty kind,
  optionally ``@pre`` (only before the quantity: "the death toll rose to 40") or ``@post``
  (only after it: "40 dead");
* ``parties.jsonl`` — unnamed parties for the EntityRuler; label ``PARTY``, id = role
  (``government``, ``opposition``, ``unidentified``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import DataError
from ...jsonl import read_jsonl

PATTERN_FILES = (
    "casualty_quantities.jsonl",
    "casualty_victims.jsonl",
    "casualty_triggers.jsonl",
    "parties.jsonl",
)


def pattern_path(name: str) -> Path:
    return Path(str(resources.files("conflictbench") / "data" / "patterns" / name))


def load_patterns(path: str | Path) -> list[dict[str, Any]]:
    """The records of a pattern file, each with its ``_where`` (``file:line``) added."""
    out = []
    for where, rec in read_jsonl(path, what="pattern file"):
        if not isinstance(rec, dict):
            raise DataError(f"{where}: expected a JSON object")
        if not isinstance(rec.get("label"), str) or not rec["label"]:
            raise DataError(f"{where}: field 'label' must be a non-empty string")
        if not isinstance(rec.get("pattern"), (list, str)) or not rec["pattern"]:
            raise DataError(f"{where}: field 'pattern' must be a non-empty list or string")
        unknown = set(rec) - {"label", "id", "pattern"}
        if unknown:
            raise DataError(f"{where}: unknown field(s) {sorted(unknown)}")
        out.append({**rec, "_where": where})
    return out


def build_matcher(vocab: Any, records: list[dict[str, Any]]) -> "PatternMatcher":
    """A matcher for ``records`` with one key per label. Every pattern is validated by a
    ``Matcher(validate=True)``; patterns that are plain word sequences (``LOWER``/``ORTH``
    equality or ``IN`` lists, no operators) then run in a ``PhraseMatcher`` on ``LOWER``
    (hash lookups: cost independent of the number of phrases), the rest in the Matcher."""
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    validator = Matcher(vocab, validate=True)
    matcher = Matcher(vocab)
    phrases = PhraseMatcher(vocab, attr="LOWER")
    for rec in records:
        if not isinstance(rec["pattern"], list):
            raise DataError(f"{rec['_where']}: field 'pattern' must be a list of token specs")
        try:
            validator.add(rec["label"], [rec["pattern"]])
        except (ValueError, TypeError) as exc:
            raise DataError(f"{rec['_where']}: invalid pattern: {exc}") from None
        words = _phrase_alternatives(rec["pattern"])
        if words is None:
            matcher.add(rec["label"], [rec["pattern"]])
        else:
            phrases.add(rec["label"], [Doc(vocab, words=list(w)) for w in words])
    return PatternMatcher(matcher, phrases, labels=len(validator))


def _phrase_alternatives(pattern: list[dict[str, Any]]) -> list[tuple[str, ...]] | None:
    """Every word sequence a plain pattern matches, or None when it is not plain."""
    import itertools

    options = []
    for spec in pattern:
        if set(spec) - {"LOWER", "ORTH"} or len(spec) != 1:
            return None
        (attr, value), = spec.items()
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return None
            value = value["IN"]
        values = [value] if isinstance(value, str) else list(value)
        if attr == "ORTH" and any(v != v.lower() for v in values):
            return None  # case-sensitive: leave to the Matcher
        options.append(values)
    if len(options) > 1 and _product_size(options) > 5000:
        return None
    return list(itertools.product(*options))


def _product_size(options: list[list[str]]) -> int:
    n = 1
    for o in options:
        n *= len(o)
    return n


class PatternMatcher:
    """A Matcher and a PhraseMatcher called as one: ``matcher(doc)`` → ``(key, start, end)``
    triples of both."""

    def __init__(self, matcher: Any, phrases: Any, *, labels: int) -> None:
        self.matcher, self.phrases, self._labels = matcher, phrases, labels

    def __len__(self) -> int:
        return self._labels

    def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
        out = list(self.matcher(doc)) if len(self.matcher) else []
        if len(self.phrases):
            out += self.phrases(doc)
        return out


def ruler_patterns(vocab: Any, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as EntityRuler patterns: each pattern is validated, and a plain one becomes
    its phrases (fast PhraseMatcher lookups), lower-case and sentence-initial capitalised,
    so that a ruler matching on ``ORTH`` finds them in either form."""
    build_matcher(vocab, records)  # validation, file:line on error
    out = []
    for rec in records:
        base = {k: v for k, v in rec.items() if k not in ("_where", "pattern")}
        words = _phrase_alternatives(rec["pattern"])
        if words is None:
            out.append({**base, "pattern": rec["pattern"]})
        else:
            for w in words:
                phrase = " ".join(w)
                out.append({**base, "pattern": phrase})
                if phrase[:1].islower():
                    out.append({**base, "pattern": phrase[:1].upper() + phrase[1:]})
    return out


#: the parts of the casualty patterns, one file each (``casualty_<part>.jsonl``)
PARTS = ("quantities", "victims", "triggers")


def load_casualty_matcher(vocab: Any, parts: tuple[str, ...] = PARTS, *, patterns_dir: Any = None) -> Any:
    """One validated matcher over the ``casualty_<part>.jsonl`` files, labels prefixed
    with their part ("victims|civilians"), so a document is scanned once."""
    records = []
    for part in parts:
        name = f"casualty_{part}.jsonl"
        path = Path(patterns_dir) / name if patterns_dir else pattern_path(name)
        records += [{**r, "label": f"{part}|{r['label']}"} for r in load_patterns(path)]
    return build_matcher(vocab, records)
