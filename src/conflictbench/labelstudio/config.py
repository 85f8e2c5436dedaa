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

from ..actors import ActorRegistry, normalise_name
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
    "actor_type": "ACTOR",
    "date_type": "DATE",
    "date_mod": "DATE",
}
#: the actor registry as a searchable per-region Taxonomy (one level, sorted by name)
TAXONOMY_TAGS = {"entity": "ACTOR"}
TEXTAREA_TAGS = {"new_actor": "ACTOR", "timex": "DATE"}
OPTIONAL_TAG = "optional"  # a per-region checkbox for every label
#: a per-region mark set by ``annotate adjudicate`` on conflicting versions; the lead unticks it
CONFLICT_TAG = "conflict"
CONFLICT_VALUE = "unresolved"

#: every hotkey the configs define (Label Studio gives any control without one an automatic
#: hotkey from 1234567890qwe..., so every Choice and Number here has its own, and none
#: repeats one of Label Studio's text-labelling defaults: u, h, escape, backspace, enter,
#: alt+r, alt+h, alt+l, alt+m, alt+., ctrl+...). The annotators' how-to lists them all.
HOTKEYS: dict[str, dict[str, str]] = {
    "label": dict(LABEL_HOTKEYS),
    "qualifier": dict(zip(QUALIFIERS, "123456")),
    "kind": dict(zip(CASUALTY_KINDS, "qwerty")),
    "victims": dict(zip(VICTIM_TYPES, "zxvbn")),
    "count": {"count": "alt+1", "count_low": "alt+2", "count_high": "alt+3"},
    "actor_type": {t: f"shift+{i}" for i, t in enumerate(ACTOR_TYPES, 1)},
    "date_type": dict(zip(DATE_TYPES, "7890")),
    "date_mod": {m: f"shift+{k}" for m, k in zip(DATE_MODS, "qwertyzxvbnm")},
    OPTIONAL_TAG: {"optional": "o"},
    CONFLICT_TAG: {CONFLICT_VALUE: "shift+k"},
    "relation": {"date": "shift+d", "perpetrator": "shift+p"},
}

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
_REQUIRED = {
    "qualifier": "CASUALTY: choose a qualifier",
    "kind": "CASUALTY: choose a kind",
    "victims": "CASUALTY: choose who the victims are",
    "timex": "DATE: fill in the TIMEX3 value",
    "date_type": "DATE: choose a TIMEX3 type",
}
_WHEN = 'visibleWhen="region-selected"'
# the side panel follows the page: the selected region's fields stay on screen however far
# down the text the region is
_PANEL = ("flex: 2; min-width: 22em; position: sticky; top: 0; align-self: flex-start; "
          "max-height: 100vh; overflow-y: auto")


def _choices(name: str, label: str, values, *, required: bool, inline: bool = True) -> list[str]:
    attrs = (f'name="{name}" toName="{TEXT}" perRegion="true" choice="single" '
             f'{_WHEN} whenLabelValue="{label}"')
    if required:
        attrs += f" required=\"true\" requiredMessage={quoteattr(_REQUIRED[name])}"
    if inline:
        attrs += ' showInline="true"'
    lines = [f"    <Choices {attrs}>"]
    for v in values:
        shown = _HUMAN.get(v, v.replace("_", " "))
        lines.append(f"      <Choice value={quoteattr(shown)} alias={quoteattr(v)} "
                     f"hotkey={quoteattr(HOTKEYS[name][v])}/>")
    lines.append("    </Choices>")
    return lines


def _heading(label: str, text: str) -> list[str]:
    # a conditional View holding only a Header: nothing required inside, so Submit is unaffected
    return [
        f'    <View {_WHEN} whenLabelValue="{label}">',
        f"      <Header value={quoteattr(text)} size=\"6\"/>",
        "    </View>",
    ]


def _numbers(label: str, heads: dict[str, str]) -> list[str]:
    out = ['    <View style="display: flex; flex-wrap: wrap; gap: 0.5em">']
    for name, text in heads.items():
        out += ['      <View style="flex: 1; min-width: 6em">']
        out += ["    " + line for line in _heading(label, text)]
        out.append(f'        <Number name="{name}" toName="{TEXT}" perRegion="true" min="0" '
                   f'{_WHEN} whenLabelValue="{label}" hotkey={quoteattr(HOTKEYS["count"][name])}/>')
        out.append("      </View>")
    out.append("    </View>")
    return out


def _textarea(name: str, label: str, text: str, placeholder: str, *, required: bool,
              when: str | None = None) -> list[str]:
    req = f' required="true" requiredMessage={quoteattr(_REQUIRED[name])}' if required else ""
    vis = when or _WHEN
    return _heading(label, text) + [
        f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" maxSubmissions="1" '
        f'editable="true" placeholder={quoteattr(placeholder)}{req} '
        f'{vis} whenLabelValue="{label}"/>'
    ]


def _casualty_block() -> list[str]:
    out: list[str] = []
    out += _heading("CASUALTY", "Qualifier") + _choices("qualifier", "CASUALTY", QUALIFIERS, required=True)
    out += _numbers("CASUALTY", {"count": "Count", "count_low": "Range: low", "count_high": "Range: high"})
    out += _heading("CASUALTY", "Kind") + _choices("kind", "CASUALTY", CASUALTY_KINDS, required=True)
    out += _heading("CASUALTY", "Victims") + _choices("victims", "CASUALTY", VICTIM_TYPES, required=True)
    return out


def entity_choices(registry: ActorRegistry) -> list[tuple[str, str, str]]:
    """(shown, id, hint) of every registry entity, sorted by name as the registry matches names
    (case, accents, punctuation and a leading article ignored: "THE FMLN" sorts under F)."""
    actors = sorted(registry.actors.values(), key=lambda a: (normalise_name(a.name), a.name, a.id))
    return [(f"{a.name} ({a.id})", a.id, a.description) for a in actors]


def _actor_block(registry: ActorRegistry) -> list[str]:
    out: list[str] = []
    out += _heading("ACTOR", "Entity (type to search the actor registry)")
    out.append(f'    <Taxonomy name="entity" toName="{TEXT}" perRegion="true" {_WHEN} whenLabelValue="ACTOR" '
               f'placeholder="Search by name or id" maxUsages="1" minWidth="20em" maxWidth="100%">')
    for shown, eid, hint in entity_choices(registry):
        extra = f" hint={quoteattr(hint)}" if hint else ""
        out.append(f"      <Choice value={quoteattr(shown)} alias={quoteattr(eid)}{extra}/>")
    out.append("    </Taxonomy>")
    # not submitted once an entity is chosen for the region (Label Studio drops a result whose
    # choice-unselected condition fails), so a prefilled new actor never contradicts the pick
    out += _textarea(
        "new_actor", "ACTOR", "…or a new actor (canonical name; ignored once an entity is chosen)",
        "only if the entity is not in the registry", required=False,
        when='visibleWhen="choice-unselected" whenTagName="entity"',
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


def _flag_block(name: str, value: str, shown: str) -> list[str]:
    return [
        f'    <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="multiple" {_WHEN}>',
        f"      <Choice value={quoteattr(shown)} alias={quoteattr(value)} hotkey={quoteattr(HOTKEYS[name][value])}/>",
        "    </Choices>",
    ]


def _optional_block() -> list[str]:
    return (_flag_block(OPTIONAL_TAG, "optional", "optional (a system may omit it without penalty)")
            + _flag_block(CONFLICT_TAG, CONFLICT_VALUE,
                          "conflict (set by adjudication: untick once this version is the right one)"))


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
        f'    <View style="{_PANEL}">',
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
            f'    <Relation value="{REL_DATE}" hotkey="{HOTKEYS["relation"][REL_DATE]}"/>',
            f'    <Relation value="{REL_PERPETRATOR}" hotkey="{HOTKEYS["relation"][REL_PERPETRATOR]}"/>',
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


def hotkey_table() -> str:
    """Every hotkey of the configs as a Markdown table (the annotators' how-to holds it; a
    test checks it is there, verbatim)."""
    rows = ["| key | field | value |", "|---|---|---|"]
    for tag, keys in HOTKEYS.items():
        for value, key in keys.items():
            shown = _HUMAN.get(value, value.replace("_", " ")) if tag not in ("label", "date_type", "date_mod") else value
            if tag == "count":
                shown = f"{shown}: add 1"
            rows.append(f"| `{key}` | {tag} | {shown} |")
    return "\n".join(rows) + "\n"
