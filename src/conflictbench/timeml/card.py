"""The TimeML corpus card: YAML header from the schema, body from data/card_timeml.md."""

from __future__ import annotations

from typing import Any, Sequence

from ..card import card_header, render_template, schema_table, stats_table


def timeml_card(splits: dict[str, Sequence[dict[str, Any]]], report) -> str:
    header = card_header(
        splits,
        pretty_name="TimeML dates (conflictbench import)",
        license="other",
        languages=["en"],
        extra={"source_datasets": ["TimeML (TimeBank, AQUAINT, TempEval-3)"]},
    )
    inputs = "\n".join(f"* `{p}` (sha256 `{report.sha256[p]}`)" for p in report.inputs)
    unkept = ", ".join(f"`{k}` ({n})" for k, n in report.attributes_not_kept.items()) or "none"
    body = render_template(
        "card_timeml.md",
        inputs=inputs,
        stats=stats_table(splits),
        n_tags=str(report.timex_tags),
        n_dcts=str(report.dcts),
        n_dates=str(sum(report.dates.values())),
        unkept=unkept,
        n_notes=str(len(report.notes)),
        notes="\n".join(f"* {n}" for n in report.notes) or "none",
        schema=schema_table(),
    )
    return header + "\n" + body
