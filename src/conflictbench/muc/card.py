"""The MUC-4 corpus card: YAML header from the schema, body from data/card_muc4.md."""

from __future__ import annotations

from typing import Any, Sequence

from ..actors import ActorRegistry
from ..card import card_header, render_template, schema_table, stats_table
from .archive import SPLITS, UPPER_CASE_SPLITS


def muc4_card(splits: dict[str, Sequence[dict[str, Any]]], registry: ActorRegistry, report) -> str:
    header = card_header(
        splits,
        pretty_name="MUC-4 terrorism templates (conflictbench import)",
        license="other",
        languages=["en"],
        extra={"source_datasets": ["MUC-3/MUC-4 (DARPA/NRaD, 1991-92)"]},
    )
    lines = ["| split | relevant documents | templates |", "|---|---|---|"]
    for s in SPLITS:
        lines.append(f"| {s} | {report.relevant_documents[s]} | {report.templates[s]} |")
    inferred = ", ".join(f"`{i}`" for i in report.inferred_dates) or "none"
    body = render_template(
        "card_muc4.md",
        stats=stats_table(splits),
        templates="\n".join(lines),
        upper=", ".join(UPPER_CASE_SPLITS),
        inferred=inferred,
        n_inferred=str(len(report.inferred_dates)),
        n_actors=str(len(registry)),
        sha256=report.sha256,
        n_notes=str(len(report.notes)),
        notes="\n".join(f"* {n}" for n in report.notes) or "none",
        schema=schema_table(),
    )
    return header + "\n" + body
