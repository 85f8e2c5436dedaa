"""MUC-4 answer-key files → templates (slot label → fills), with line numbers.

A key file is a sequence of templates, each starting at slot ``0.  MESSAGE: ID``; a
slot line is ``N.  LABEL   FILL``, and further fills of the same slot follow on
continuation lines indented past the label column. Lines starting with ``;`` are the
annotators' comments; blank lines separate templates. An irrelevant document has one
template whose slots are all ``*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fills import Fill, FillError, parse_fill

SLOTS: tuple[str, ...] = (
    "MESSAGE: ID",
    "MESSAGE: TEMPLATE",
    "INCIDENT: DATE",
    "INCIDENT: LOCATION",
    "INCIDENT: TYPE",
    "INCIDENT: STAGE OF EXECUTION",
    "INCIDENT: INSTRUMENT ID",
    "INCIDENT: INSTRUMENT TYPE",
    "PERP: INCIDENT CATEGORY",
    "PERP: INDIVIDUAL ID",
    "PERP: ORGANIZATION ID",
    "PERP: ORGANIZATION CONFIDENCE",
    "PHYS TGT: ID",
    "PHYS TGT: TYPE",
    "PHYS TGT: NUMBER",
    "PHYS TGT: FOREIGN NATION",
    "PHYS TGT: EFFECT OF INCIDENT",
    "PHYS TGT: TOTAL NUMBER",
    "HUM TGT: NAME",
    "HUM TGT: DESCRIPTION",
    "HUM TGT: TYPE",
    "HUM TGT: NUMBER",
    "HUM TGT: FOREIGN NATION",
    "HUM TGT: EFFECT OF INCIDENT",
    "HUM TGT: TOTAL NUMBER",
)

_SLOT_LINE = re.compile(
    r"^\s*(\d+)\.\s+(" + "|".join(re.escape(s) for s in sorted(SLOTS, key=len, reverse=True)) + r")(.*)$"
)
_DOC_ID = re.compile(r"\b((?:DEV|TST\d)-MUC\d-\d{4})\b")


class KeyFileError(ValueError):
    """A key template that cannot be read (message names the line and slot)."""


@dataclass
class Template:
    """One key template. ``slots`` maps a label to its fill lines (raw text, stripped)."""

    doc_id: str  # upper-case MUC id, e.g. DEV-MUC3-0001
    line: int  # line of slot 0 in the key file
    slots: dict[str, list[str]] = field(default_factory=dict)
    slot_lines: dict[str, int] = field(default_factory=dict)
    source: str = ""  # the key file (tar member) it was read from

    @property
    def relevant(self) -> bool:
        return self.raw("MESSAGE: TEMPLATE") not in ("*", "")

    @property
    def number(self) -> str:
        return self.raw("MESSAGE: TEMPLATE").split()[0] if self.relevant else "*"

    @property
    def optional(self) -> bool:
        return "(OPTIONAL)" in self.raw("MESSAGE: TEMPLATE").upper()

    def raw(self, slot: str) -> str:
        return " ".join(self.slots.get(slot, [""])).strip()

    def fills(self, slot: str) -> list[Fill]:
        """The slot's fills, ``-`` and ``*`` (null / inapplicable) giving none."""
        out = []
        for text in self.slots.get(slot, []):
            if text in ("-", "*", "? -", "?-"):
                continue
            try:
                out.append(parse_fill(text))
            except FillError as exc:
                line = self.slot_lines.get(slot, self.line)
                where = f"{self.source}:{line}" if self.source else f"line {line}"
                raise KeyFileError(f"{where}, slot {slot!r}: {exc}") from None
        return out


def parse_key_file(text: str, *, source: str = "") -> list[Template]:
    """Every template of a key file, in file order.

    Raises :class:`KeyFileError` naming the line for a line that is neither a slot, a
    continuation, a comment nor blank, and for a template that lacks a slot.
    """
    templates: list[Template] = []
    cur: Template | None = None
    last: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        m = _SLOT_LINE.match(line)
        if m:
            num, label, fill = int(m.group(1)), m.group(2), m.group(3).strip()
            if SLOTS.index(label) != num:
                raise KeyFileError(f"line {lineno}: slot {label!r} is numbered {num}, expected {SLOTS.index(label)}")
            if num == 0:
                idm = _DOC_ID.search(fill)
                if not idm:
                    raise KeyFileError(f"line {lineno}: no MUC document id in {fill!r}")
                cur = Template(doc_id=idm.group(1), line=lineno, source=source)
                templates.append(cur)
            elif cur is None:
                raise KeyFileError(f"line {lineno}: slot {label!r} before any MESSAGE: ID")
            elif label in cur.slots:
                raise KeyFileError(f"line {lineno}: slot {label!r} repeated in one template")
            cur.slots[label] = [fill] if fill else []
            cur.slot_lines[label] = lineno
            last = label
        elif cur is not None and last is not None and line.startswith(" " * 8):
            cur.slots[last].append(line.strip())
        else:
            raise KeyFileError(f"line {lineno}: neither a slot, a continuation nor a comment: {line!r}")
    for t in templates:
        missing = [s for s in SLOTS if s not in t.slots]
        if missing:
            raise KeyFileError(f"line {t.line}: template of {t.doc_id} lacks slot(s) {missing}")
    return templates
