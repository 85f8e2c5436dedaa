"""Dataset cards: YAML generated from :func:`schema.features`, body from a template.

The YAML header carries the ``configs`` (so ``load_dataset(folder)`` finds the parquet
files per split) and ``dataset_info.features`` (so it returns the declared types).
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Sequence

import yaml

from .actors import ActorRegistry
from .schema import DOCUMENT_FIELDS, FIELDS, SPAN_FIELDS, features


def card_header(
    splits: dict[str, Sequence[dict[str, Any]]],
    *,
    pretty_name: str,
    license: str,
    languages: Sequence[str],
    extra: dict[str, Any] | None = None,
) -> str:
    feats = features()
    meta: dict[str, Any] = {
        "pretty_name": pretty_name,
        "language": list(languages),
        "license": license,
        "task_categories": ["token-classification"],
        "tags": ["conflict", "casualties", "event-extraction", "timex3"],
        **(extra or {}),
        "configs": [
            {
                "config_name": "default",
                "data_files": [
                    {"split": s, "path": f"data/{s}-*.parquet"} for s in splits
                ],
            }
        ],
        "dataset_info": {
            "features": feats._to_yaml_list(),
        },
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def schema_table() -> str:
    """A Markdown description of every field, from the schema declarations."""
    lines = ["| field | type | null | description |", "|---|---|---|---|"]
    for name, dtype, nullable, desc in DOCUMENT_FIELDS:
        lines.append(f"| `{name}` | {dtype} | {'yes' if nullable else 'no'} | {desc} |")
    for field in FIELDS:
        lines.append(f"| `{field}` | list of spans | no | see below |")
    for field in FIELDS:
        lines += ["", f"Each item of `{field}`:", "", "| attribute | type | null | description |"]
        lines.append("|---|---|---|---|")
        for name, dtype, nullable, desc in SPAN_FIELDS[field]:
            lines.append(f"| `{name}` | {dtype} | {'yes' if nullable else 'no'} | {desc} |")
    return "\n".join(lines)


def stats_table(splits: dict[str, Sequence[dict[str, Any]]]) -> str:
    lines = ["| split | documents | casualties | actors | dates |", "|---|---|---|---|---|"]
    for split, docs in splits.items():
        counts = [sum(len(d.get(f) or []) for d in docs) for f in FIELDS]
        lines.append(f"| {split} | {len(docs)} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(lines)


def registry_table(registry: ActorRegistry) -> str:
    lines = ["| id | name | type | aliases |", "|---|---|---|---|"]
    for a in registry.actors.values():
        aliases = ", ".join(a.aliases)
        lines.append(f"| `{a.id}` | {a.name} | {a.type} | {aliases} |")
    return "\n".join(lines)


def render_template(name: str, **values: str) -> str:
    text = resources.files("conflictbench.data").joinpath(name).read_text(encoding="utf-8")
    for key, val in values.items():
        text = text.replace("{{" + key + "}}", val)
    return text


def gold_card(splits: dict[str, Sequence[dict[str, Any]]], registry: ActorRegistry) -> str:
    header = card_header(
        splits,
        pretty_name="conflictbench gold corpus",
        license="other",
        languages=sorted({d["language"] for docs in splits.values() for d in docs}) or ["en"],
    )
    body = render_template(
        "card_gold.md",
        schema=schema_table(),
        stats=stats_table(splits),
        registry=registry_table(registry),
    )
    return header + "\n" + body
