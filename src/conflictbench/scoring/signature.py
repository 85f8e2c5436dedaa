"""The reproducibility signature of a score (sacrebleu's ``Signature``): built once, formatted
and parsed here and nowhere else.

A signature names every setting that changes a number, the corpus and the version::

    casualties|match:casualties.value.v1|span:strict|align:hungarian|level:mention|zd:0.0|corpus:3f2a…|v:0.1.0

The first part is the field (or ``casualties+actors+dates`` for a whole result) and
``match`` the matcher of each field named, in the same order. Two scores can be compared
(a paired test) only when everything but the field agrees (:meth:`Signature.comparable`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import ParameterError

#: the keys after the field part, in their printed order
KEYS = ("match", "span", "align", "level", "zd", "corpus", "v")


@dataclass(frozen=True)
class Signature:
    fields: tuple[str, ...]
    matchers: tuple[str, ...]
    span: str
    align: str
    level: str
    zero_division: str
    corpus: str
    version: str

    def __post_init__(self) -> None:
        if len(self.fields) != len(self.matchers) or not self.fields:
            raise ParameterError(f"a signature names one matcher per field; got {self.fields} and {self.matchers}")

    def format(self) -> str:
        values = (",".join(self.matchers), self.span, self.align, self.level, self.zero_division,
                  self.corpus, self.version)
        return "|".join(["+".join(self.fields)] + [f"{k}:{v}" for k, v in zip(KEYS, values)])

    __str__ = format

    @classmethod
    def parse(cls, text: str) -> "Signature":
        """The signature :meth:`format` printed as ``text``."""
        parts = text.split("|") if isinstance(text, str) else []
        if len(parts) != 1 + len(KEYS):
            raise ParameterError(f"not a conflictbench score signature: {text!r}")
        values = {}
        for part, key in zip(parts[1:], KEYS):
            k, sep, v = part.partition(":")
            if k != key or not sep:
                raise ParameterError(f"not a conflictbench score signature: {text!r} (expected {key}:… at {part!r})")
            values[key] = v
        return cls(fields=tuple(parts[0].split("+")), matchers=tuple(values["match"].split(",")),
                   span=values["span"], align=values["align"], level=values["level"],
                   zero_division=values["zd"], corpus=values["corpus"], version=values["v"])

    def for_field(self, field: str) -> "Signature":
        """The signature of one field of this (whole-result) signature."""
        if field not in self.fields:
            raise ParameterError(f"no field {field!r} in signature {self.format()}")
        return replace(self, fields=(field,), matchers=(self.matchers[self.fields.index(field)],))

    def comparable(self, other: "Signature") -> bool:
        """True when the two scores differ at most in the system scored (same settings and corpus)."""
        return self.matchers == other.matchers and replace(self, fields=other.fields) == other


def score_signature(fields: tuple[str, ...], matchers: tuple[str, ...], *, span_mode: str, align: str,
                    level: str, zero_division: object, fingerprint: str, version: str) -> Signature:
    """The signature of a score; the span mode is ``none`` at value level (offsets are not compared)."""
    return Signature(fields=tuple(fields), matchers=tuple(matchers),
                     span=span_mode if level == "mention" else "none", align=align, level=level,
                     zero_division=str(zero_division), corpus=fingerprint, version=version)
