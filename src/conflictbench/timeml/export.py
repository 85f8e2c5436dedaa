"""``conflictbench timeml export``: a system's date predictions on an imported TimeML corpus
as ``.tml`` files, to be scored by the official TempEval-3 scorer (or ``timeml score``).

Each corpus document gives ``<out>/<id>.tml`` (with ``--gold DIR``, at the gold file's
relative path): the ``<TEXT>`` holds the document text with the predicted TIMEX3 tags
(``tid`` t1, t2 … in text order; ``type``, ``value`` and ``mod`` as predicted) and nothing
else, so its text without tags is character for character the gold's. With the original
gold files (``--gold``) everything before ``<TEXT>`` (``<DOCID>``, ``<DCT>``, ``<TITLE>``)
and every character of the text are copied from the gold file as written (entity
references included); without them, a minimal TimeML document is written (``<DOCID>``, a
``<DCT>`` from ``publication_date``, the text with ``&`` and ``<`` escaped — for the
TempEval-3 files, the same bytes). What follows ``</TEXT>`` in a gold file (links,
instances) is not copied.

TimeML extents cannot overlap, so **overlapping predicted spans** are resolved by one
rule: the longest span wins, then the earliest; a span overlapping one already kept is
dropped. Predictions without offsets cannot be placed in the text and are skipped. Both
are counted in the report (and printed by the command): nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence
from xml.sax.saxutils import quoteattr

from ..errors import DataError
from .reader import TmlFile, read_tml


@dataclass(frozen=True)
class ExportReport:
    out: str
    files: int
    timexes: int  # TIMEX3 written
    overlapping_dropped: int  # predicted spans dropped by the overlap rule
    unanchored_skipped: int  # predicted dates without offsets
    #: (document id, dropped span text, kept span text) for every overlap drop
    dropped: tuple[tuple[str, str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def resolve_overlaps(spans: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], list[tuple[Any, Any]]]:
    """(kept spans in text order, [(dropped, the kept span it overlaps)]): longest first,
    then earliest start; a span overlapping a kept one is dropped."""
    order = sorted(spans, key=lambda s: (-(s["end"] - s["start"]), s["start"], s["end"]))
    kept: list[Mapping[str, Any]] = []
    dropped = []
    for s in order:
        clash = next((k for k in kept if s["start"] < k["end"] and k["start"] < s["end"]), None)
        if clash is None:
            kept.append(s)
        else:
            dropped.append((s, clash))
    return sorted(kept, key=lambda s: s["start"]), dropped


def _escape_minimal(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _raw_pieces(tml: TmlFile) -> list[str]:
    """The raw characters of each text character (an entity reference for a decoded one)."""
    raw, offs = tml.raw, tml.raw_offsets
    out = []
    for i in range(len(tml.text)):
        o = offs[i]
        out.append(raw[o : raw.index(";", o) + 1] if raw[o] == "&" else raw[o])
    return out


def _tag(i: int, span: Mapping[str, Any]) -> str:
    attrs = [f"tid={quoteattr(f't{i}')}"]
    for k in ("type", "value", "mod"):
        if span.get(k) is not None:
            attrs.append(f"{k}={quoteattr(str(span[k]))}")
    return "<TIMEX3 " + " ".join(attrs) + ">"


def render_text(pieces: Sequence[str], spans: Sequence[Mapping[str, Any]]) -> str:
    """The ``<TEXT>`` content: ``pieces[i]`` is the written form of character ``i``."""
    out: list[str] = []
    pos = 0
    for i, s in enumerate(spans, start=1):
        out += pieces[pos : s["start"]]
        out.append(_tag(i, s))
        out += pieces[s["start"] : s["end"]]
        out.append("</TIMEX3>")
        pos = s["end"]
    out += pieces[pos:]
    return "".join(out)


def _minimal_file(doc: Mapping[str, Any], body: str) -> str:
    dct = doc.get("publication_date")
    dct_line = (f'<DCT><TIMEX3 tid="t0" type="DATE" value={quoteattr(dct)} temporalFunction="false" '
                f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n\n') if dct else ""
    return ('<?xml version="1.0" ?>\n<TimeML>\n\n'
            f"<DOCID>{_escape_minimal(doc['id'])}</DOCID>\n\n{dct_line}<TEXT>{body}</TEXT>\n\n</TimeML>\n")


def _gold_files(gold_dir: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for p in sorted(gold_dir.rglob("*.tml")):
        if p.is_file() and not p.name.startswith("._"):
            out.setdefault(p.name[: -len(".tml")], p)
    return out


def export_predictions(corpus: Any, predictions: Mapping[str, Mapping[str, Any]], out_dir: str | Path,
                       *, gold_dir: str | Path | None = None) -> ExportReport:
    """Write ``out_dir`` (atomically, replacing it) with one ``.tml`` per corpus document."""
    from .. import atomic

    gold = _gold_files(Path(gold_dir)) if gold_dir is not None else None
    if gold_dir is not None and not Path(gold_dir).is_dir():
        raise DataError(f"{gold_dir}: gold folder not found")
    files: dict[Path, str] = {}
    n_tags = n_unanchored = 0
    dropped_all: list[tuple[str, str, str]] = []
    for doc in corpus.documents:
        pred = predictions.get(doc["id"]) or {}
        dates = pred.get("dates") or []
        anchored = [d for d in dates if d.get("start") is not None and d.get("end") is not None]
        n_unanchored += len(dates) - len(anchored)
        kept, dropped = resolve_overlaps(anchored)
        dropped_all += [(doc["id"], d.get("text") or doc["text"][d["start"]:d["end"]],
                         k.get("text") or doc["text"][k["start"]:k["end"]]) for d, k in dropped]
        n_tags += len(kept)
        if gold is not None:
            path = gold.get(doc["id"])
            if path is None:
                raise DataError(f"{gold_dir}: no gold file {doc['id']}.tml for corpus document {doc['id']!r}")
            tml = read_tml(path.read_bytes(), str(path))
            if tml.text != doc["text"]:
                raise DataError(f"{path}: its <TEXT> text is not the corpus document's {doc['id']!r} "
                                "(was the corpus imported from these files?)")
            body = render_text(_raw_pieces(tml), kept)
            text = tml.raw[: tml.text_open] + body + "</TEXT>\n\n</TimeML>\n"
            rel = path.relative_to(Path(gold_dir))
        else:
            text = _minimal_file(doc, render_text([_escape_minimal(c) for c in doc["text"]], kept))
            rel = Path(f"{doc['id']}.tml")
        files[rel] = text
    out_dir = Path(out_dir)
    with atomic.replace_dir(out_dir) as tmp:
        for rel, text in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text, encoding="utf-8", newline="")
    return ExportReport(str(out_dir), len(files), n_tags, len(dropped_all), n_unanchored, tuple(dropped_all))
