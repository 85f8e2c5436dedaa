"""The GVDB corpus card: YAML header from the schema, body from data/card_gvdb.md."""

from __future__ import annotations

from typing import Any, Sequence

from ..actors import ActorRegistry
from ..card import card_header, render_template, schema_table, stats_table


def gvdb_card(splits: dict[str, Sequence[dict[str, Any]]], registry: ActorRegistry, report) -> str:
    header = card_header(
        splits,
        pretty_name="Gun Violence Database (conflictbench import)",
        license="other",
        languages=["en"],
        extra={"source_datasets": ["GVDB (Pavlick et al., EMNLP 2016), splits of Ebner et al. (ACL 2020)"]},
    )
    lines = ["| split | victims | killed | injured/hospitalized, not killed | shooter mentions | "
             "with offsets | offsets dropped | incident dates |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in report.documents:
        lines.append(f"| {s} | {report.victims[s]} | {report.killed[s]} | {report.injured[s]} | "
                     f"{report.actors[s]} | {report.actors_with_offsets[s]} | {report.dropped_offsets[s]} | "
                     f"{report.dates[s]} |")
    inputs = "\n".join(f"* `{p}` (sha256 `{report.sha256[p]}`)" for p in report.inputs)
    body = render_template(
        "card_gvdb.md",
        inputs=inputs,
        stats=stats_table(splits),
        counts="\n".join(lines),
        n_actors=str(len(registry)),
        n_dropped=str(sum(report.dropped_offsets.values())),
        n_notes=str(len(report.notes)),
        notes="\n".join(f"* {n}" for n in report.notes) or "none",
        schema=schema_table(),
    )
    return header + "\n" + body
