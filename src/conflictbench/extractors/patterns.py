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

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataError

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
    path = Path(path)
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read pattern file ({exc.strerror})") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
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


def build_matcher(vocab: Any, records: list[dict[str, Any]]) -> Any:
    """A validating ``Matcher`` with one key per label."""
    from spacy.matcher import Matcher

    matcher = Matcher(vocab, validate=True)
    for rec in records:
        if not isinstance(rec["pattern"], list):
            raise DataError(f"{rec['_where']}: field 'pattern' must be a list of token specs")
        try:
            matcher.add(rec["label"], [rec["pattern"]])
        except (ValueError, TypeError) as exc:
            raise DataError(f"{rec['_where']}: invalid pattern: {exc}") from None
    return matcher


def ruler_patterns(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as EntityRuler patterns (the ``_where`` bookkeeping removed)."""
    return [{k: v for k, v in rec.items() if k != "_where"} for rec in records]
