"""Labeling configs, generated from the schema vocabularies and the actor registry.

The committed XML files in ``annotation/labelstudio/`` are the output of
:func:`write_configs`; a test checks they equal what this module generates, so the
vocabularies, the registry and the configs never drift apart.

Control-tag names are constants here and the exporter (:mod:`.export`) reads results by
them. Every per-region attribute carries ``visibleWhen="region-selected"`` and
``whenLabelValue`` *on the control tag itself*: a required per-region Choices wrapped in a
conditional ``<View>`` blocks Submit for regions of every other label.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..actors import ActorRegistry
from ..errors import ParameterError
from ..schema import (
    ACTOR_TYPES,
    CASUALTY_KINDS,
    DATE_MODS,
    DATE_TYPES,
    FIELD_SPECS,
    QUALIFIERS,
    VICTIM_TYPES,
)

#: config name → file name in annotation/labelstudio/
CONFIG_FILES = {"main": "main.xml", "casualties": "casualties.xml"}

# object tag and labels
TEXT = "text"
LABELS = "label"
LABEL_OF_FIELD = {f: spec.label for f, spec in FIELD_SPECS.items()}
FIELD_OF_LABEL = {v: k for k, v in LABEL_OF_FIELD.items()}
LABEL_COLOURS = {spec.label: spec.colour for spec in FIELD_SPECS.values()}
LABEL_HOTKEYS = {spec.label: spec.hotkey for spec in FIELD_SPECS.values()}

# relation labels: casualty → date / casualty → perpetrator actor
REL_DATE = "date"
REL_PERPETRATOR = "perpetrator"

# per-region control tags: name → (label it belongs to, result type)
NUMBER_TAGS = {"count": "CASUALTY", "count_low": "CASUALTY", "count_high": "CASUALTY"}
CHOICE_TAGS = {
    "qualifier": "CASUALTY",
    "kind": "CASUALTY",
    "victims": "CASUALTY",
    "entity": "ACTOR",
    "actor_type": "ACTOR",
    "date_type": "DATE",
    "date_mod": "DATE",
}
TEXTAREA_TAGS = {"new_actor": "ACTOR", "timex": "DATE"}
OPTIONAL_TAG = "optional"  # a per-region checkbox for every label

_HUMAN = {
    "at_least": "at least",
    "at_most": "at most",
    "approx": "approximately",
    "security_forces": "security forces",
    "state_forces": "state forces",
    "armed_group": "armed group",
    "foreign_state": "foreign state",
    "international_org": "international organisation",
    "monitor_ngo": "monitor / NGO",
}


def _choices(name: str, label: str, values, *, required: bool, layout: str | None = None,
             aliases: dict[str, str] | None = None, hints: dict[str, str] | None = None) -> list[str]:
    attrs = (
        f'name="{name}" toName="{TEXT}" perRegion="true" choice="single" '
        f'visibleWhen="region-selected" whenLabelValue="{label}"'
    )
    if required:
        attrs += f' required="true" requiredMessage={quoteattr(f"{label}: choose a {name}")}'
    if layout:
        attrs += f' layout="{layout}"'
    lines = [f"    <Choices {attrs}>"]
    for v in values:
        shown = (aliases or {}).get(v) or _HUMAN.get(v, v.replace("_", " "))
        hint = (hints or {}).get(v)
        extra = f" hint={quoteattr(hint)}" if hint else ""
        lines.append(f"      <Choice value={quoteattr(shown)} alias={quoteattr(v)}{extra}/>")
    lines.append("    </Choices>")
    return lines


def _heading(label: str, text: str) -> list[str]:
    # a conditional View holding only a Header: nothing required inside, so Submit is unaffected
    return [
        f'    <View visibleWhen="region-selected" whenLabelValue="{label}">',
        f"      <Header value={quoteattr(text)} size=\"6\"/>",
        "    </View>",
    ]


def _number(name: str, label: str, text: str) -> list[str]:
    return _heading(label, text) + [
        f'    <Number name="{name}" toName="{TEXT}" perRegion="true" min="0" '
        f'visibleWhen="region-selected" whenLabelValue="{label}"/>'
    ]


def _textarea(name: str, label: str, text: str, placeholder: str, *, required: bool) -> list[str]:
    req = f' required="true" requiredMessage={quoteattr(f"{label}: fill in {name}")}' if required else ""
    return _heading(label, text) + [
        f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" maxSubmissions="1" '
        f'editable="true" placeholder={quoteattr(placeholder)}{req} '
        f'visibleWhen="region-selected" whenLabelValue="{label}"/>'
    ]


def _casualty_block() -> list[str]:
    out: list[str] = []
    out += _heading("CASUALTY", "Qualifier") + _choices("qualifier", "CASUALTY", QUALIFIERS, required=True)
    out += _number("count", "CASUALTY", "Count (exact, at least, at most, approximately)")
    out += _number("count_low", "CASUALTY", "Range: low")
    out += _number("count_high", "CASUALTY", "Range: high")
    out += _heading("CASUALTY", "Kind") + _choices("kind", "CASUALTY", CASUALTY_KINDS, required=True)
    out += _heading("CASUALTY", "Victims") + _choices("victims", "CASUALTY", VICTIM_TYPES, required=True)
    return out


def _actor_block(registry: ActorRegistry) -> list[str]:
    ids = list(registry.actors)
    shown = {a.id: f"{a.name} ({a.id})" for a in registry.actors.values()}
    hints = {a.id: a.description for a in registry.actors.values() if a.description}
    out: list[str] = []
    out += _heading("ACTOR", "Entity (actor registry)")
    out += _choices("entity", "ACTOR", ids, required=False, layout="select", aliases=shown, hints=hints)
    out += _textarea(
        "new_actor", "ACTOR", "…or a new actor (canonical name)",
        "only if the entity is not in the list", required=False,
    )
    out += _heading("ACTOR", "Actor type (default: the registry's)")
    out += _choices("actor_type", "ACTOR", ACTOR_TYPES, required=False)
    return out


def _date_block() -> list[str]:
    out: list[str] = []
    out += _textarea("timex", "DATE", "TIMEX3 value", "e.g. 2020-01-16, 2019-12, P9Y", required=True)
    out += _heading("DATE", "TIMEX3 type") + _choices("date_type", "DATE", DATE_TYPES, required=True)
    out += _heading("DATE", "TIMEX3 mod (optional)") + _choices("date_mod", "DATE", DATE_MODS, required=False)
    return out


def _optional_block() -> list[str]:
    return [
        f'    <Choices name="{OPTIONAL_TAG}" toName="{TEXT}" perRegion="true" choice="multiple" '
        'visibleWhen="region-selected">',
        '      <Choice value="optional (a system may omit it without penalty)" alias="optional"/>',
        "    </Choices>",
    ]


def generate_config(name: str = "main", *, registry: ActorRegistry | None = None) -> str:
    """The labeling-config XML ``name`` (``"main"`` or ``"casualties"``)."""
    if name not in CONFIG_FILES:
        opts = "{" + ", ".join(repr(c) for c in sorted(CONFIG_FILES)) + "}"
        raise ParameterError(
            f"The 'name' parameter of generate_config() must be one of {opts}. Got {name!r} instead."
        )
    labels = ["CASUALTY"] if name == "casualties" else ["CASUALTY", "ACTOR", "DATE"]
    if name == "main" and registry is None:
        raise ParameterError("generate_config('main') needs the actor registry (registry=...)")
    lines = [
        "<View>",
        f"  <!-- generated by conflictbench.labelstudio.config ({name}); do not edit by hand:",
        "       regenerate with `conflictbench annotate config` -->",
        '  <Header value="$title"/>',
        '  <Header value="$published · $publisher · id $doc_id" size="6"/>',
        f'  <Labels name="{LABELS}" toName="{TEXT}">',
    ]
    for lab in labels:
        lines.append(
            f'    <Label value="{lab}" background="{LABEL_COLOURS[lab]}" hotkey="{LABEL_HOTKEYS[lab]}"/>'
        )
    lines += ["  </Labels>", '  <View style="display: flex; align-items: flex-start; gap: 1em">']
    lines += [
        '    <View style="flex: 3; white-space: pre-wrap">',
        f'      <Text name="{TEXT}" value="$text" granularity="symbol"/>',
        "    </View>",
        '    <View style="flex: 2">',
    ]
    block = _casualty_block()
    if name == "main":
        block += _actor_block(registry) + _date_block()  # type: ignore[arg-type]
    block += _optional_block()
    lines += ["  " + line for line in block]
    lines += ["    </View>", "  </View>"]
    if name == "main":
        lines += [
            "  <Relations>",
            f'    <Relation value="{REL_DATE}" hotkey="1"/>',
            f'    <Relation value="{REL_PERPETRATOR}" hotkey="2"/>',
            "  </Relations>",
        ]
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def write_configs(out_dir: str | Path, registry: ActorRegistry) -> list[Path]:
    """Write every config into ``out_dir`` (atomically, one file each)."""
    from .. import atomic

    out = []
    for name, fname in CONFIG_FILES.items():
        path = Path(out_dir) / fname
        atomic.write_text(path, generate_config(name, registry=registry))
        out.append(path)
    return out


def instructions_html(guidelines: str | Path | None) -> str:
    """Project instructions (HTML) from the annotation guidelines (Markdown, CommonMark +
    tables; raw HTML in the Markdown is escaped, not passed through)."""
    if guidelines is None or not Path(guidelines).is_file():
        return (
            "<p>Label CASUALTY, ACTOR and DATE spans and fill in their attributes; link each "
            "casualty to its date and perpetrator with a relation. See annotation/GUIDELINES.md "
            "in the conflictbench repository.</p>"
        )
    from markdown_it import MarkdownIt

    text = Path(guidelines).read_text(encoding="utf-8")
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def default_instructions() -> str:
    """The project instructions when none are given: ``annotation/GUIDELINES.md`` of the
    source checkout, rendered (a pointer to it when there is no checkout)."""
    from ..corpus import project_root

    root = project_root()
    return instructions_html(root / "annotation" / "GUIDELINES.md" if root else None)
