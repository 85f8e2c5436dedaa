"""The labeling configs: generated from schema + registry, valid for the SDK, trap-free."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conflictbench import schema
from conflictbench.actors import normalise_name
from conflictbench.labelstudio import config as C
from conflictbench.labelstudio.tasks import document_to_task

ROOT_FIELDS = {"main": schema.FIELDS, "casualties": ("casualties",)}


@pytest.fixture(scope="module")
def source_registry(root):
    from conflictbench.actors import ActorRegistry

    return ActorRegistry.load(root / "annotation" / "actors.jsonl")


@pytest.mark.parametrize("name", sorted(C.CONFIG_FILES))
def test_committed_xml_is_the_generated_one(root, source_registry, name):
    committed = (root / "annotation" / "labelstudio" / C.CONFIG_FILES[name]).read_text(encoding="utf-8")
    assert committed == C.generate_config(name, registry=source_registry), (
        "run `conflictbench annotate config` and commit the result"
    )


@pytest.mark.parametrize("name", sorted(C.CONFIG_FILES))
def test_sdk_validates_config_next_to_sample_task(source_registry, seed_doc, name):
    from label_studio_sdk.label_interface import LabelInterface

    li = LabelInterface(C.generate_config(name, registry=source_registry))
    li.validate()  # raises on an invalid config
    task, skipped = document_to_task(seed_doc, gold=True, fields=ROOT_FIELDS[name])
    assert skipped == []
    assert li.validate_task({"data": task["data"]})
    result = task["annotations"][0]["result"]
    assert li.validate_annotation({"result": result})
    assert li.validate_prediction({"result": result}, return_errors=True) == []
    # the SDK check is not vacuous: a value outside the vocabulary is rejected
    bad = [dict(r, value=dict(r["value"], choices=["bogus"])) if r.get("from_name") == "kind" else r
           for r in result]
    assert li.validate_prediction({"result": bad}, return_errors=True)


def _choices(tree, name):
    (tag,) = [e for e in tree.iter() if e.tag in ("Choices", "Taxonomy") and e.get("name") == name]
    return [c.get("alias") for c in tag.iter("Choice")]


def test_choices_are_the_schema_vocabularies_and_the_registry(source_registry):
    tree = ET.fromstring(C.generate_config("main", registry=source_registry))
    assert _choices(tree, "qualifier") == ["exact", "at_least", "at_most", "approx", "range", "vague"]
    assert _choices(tree, "kind") == list(schema.CASUALTY_KINDS)
    assert _choices(tree, "victims") == list(schema.VICTIM_TYPES)
    assert _choices(tree, "actor_type") == list(schema.ACTOR_TYPES)
    assert _choices(tree, "date_type") == ["DATE", "TIME", "DURATION", "SET"]
    assert _choices(tree, "date_mod") == list(schema.DATE_MODS)
    entities = _choices(tree, "entity")
    # every registry entity once, sorted by the name the annotator searches (not by id)
    by_name = sorted(source_registry.actors.values(), key=lambda a: (normalise_name(a.name), a.name, a.id))
    assert entities == [a.id for a in by_name] and len(entities) == len(source_registry)
    assert entities[:3] == ["afp", "al_qaeda", "civilians"]  # Agence France-Presse, Al Qaeda, civilians
    assert {"syria_government", "russia", "sohr"} <= set(entities)  # aliases resolve to these in the seed
    (taxonomy,) = tree.iter("Taxonomy")
    assert taxonomy.get("perRegion") == "true" and taxonomy.get("whenLabelValue") == "ACTOR"
    labels = [lab.get("value") for lab in tree.iter("Label")]
    assert labels == ["CASUALTY", "ACTOR", "DATE"]
    rels = [r.get("value") for r in tree.iter("Relation")]
    assert rels == ["date", "perpetrator"]


def test_casualties_config_has_only_casualty_parts(source_registry):
    tree = ET.fromstring(C.generate_config("casualties", registry=source_registry))
    assert [lab.get("value") for lab in tree.iter("Label")] == ["CASUALTY"]
    names = {e.get("name") for e in tree.iter() if e.get("perRegion") == "true"}
    assert names == {"qualifier", "kind", "victims", "count", "count_low", "count_high", "optional", "conflict"}
    assert list(tree.iter("Relations")) == []


@pytest.mark.parametrize("name", sorted(C.CONFIG_FILES))
def test_per_region_controls_carry_their_own_visibility(source_registry, name):
    """visibleWhen/whenLabelValue sit on each per-region control; no required control sits
    inside a conditional View (that blocks Submit for regions of every other label)."""
    tree = ET.fromstring(C.generate_config(name, registry=source_registry))
    parents = {child: parent for parent in tree.iter() for child in parent}
    controls = [e for e in tree.iter() if e.get("perRegion") == "true"]
    assert controls
    for e in controls:
        if e.get("name") == "new_actor":  # not submitted once an entity is chosen for the region
            assert (e.get("visibleWhen"), e.get("whenTagName")) == ("choice-unselected", "entity")
        else:
            assert e.get("visibleWhen") == "region-selected", e.get("name")
        if e.get("name") not in (C.OPTIONAL_TAG, C.CONFLICT_TAG):
            assert e.get("whenLabelValue") in ("CASUALTY", "ACTOR", "DATE"), e.get("name")
        p = parents.get(e)
        while p is not None:
            assert p.get("visibleWhen") is None, f"{e.get('name')} is inside a conditional View"
            p = parents.get(p)
    required = {e.get("name") for e in controls if e.get("required") == "true"}
    expected = {"qualifier", "kind", "victims"} | ({"timex", "date_type"} if name == "main" else set())
    assert required == expected


def test_unknown_config_name_is_a_parameter_error(source_registry):
    from conflictbench.errors import ParameterError

    with pytest.raises(ParameterError, match=r"The 'name' parameter of generate_config\(\) must be one of"):
        C.generate_config("nope", registry=source_registry)


def test_guidelines_become_html_instructions(tmp_path):
    md = tmp_path / "GUIDELINES.md"
    md.write_text("# Casualties\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>x</script> *at least*\n",
                  encoding="utf-8")
    html = C.instructions_html(md)
    assert "<h1>Casualties</h1>" in html and "<td>1</td>" in html and "<em>at least</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "GUIDELINES.md" in C.instructions_html(tmp_path / "missing.md")  # a pointer, not an error


def test_cli_config_writes_and_checks(tmp_path, capsys):
    from conflictbench.cli import main

    assert main(["annotate", "config", "--out", str(tmp_path), "--check"]) == 2
    assert "differ from the generated configs" in capsys.readouterr().err
    assert main(["annotate", "config", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casualties.xml", "main.xml"]
    assert main(["annotate", "config", "--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "main.xml").write_text("<View/>", encoding="utf-8")
    assert main(["annotate", "config", "--out", str(tmp_path), "--check"]) == 2
    assert "['main.xml']" in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(C.CONFIG_FILES))
def test_every_control_has_its_own_unique_hotkey(source_registry, name):
    """Label Studio gives a Choice or Number without a hotkey one from "1234567890qwe...":
    with 40+ choices every letter became a hotkey (typing "tur" deselected a region). Here
    each has its own; none repeats another, a label's, or a Label Studio text default."""
    tree = ET.fromstring(C.generate_config(name, registry=source_registry))
    keyed = [e for e in tree.iter() if e.tag in ("Choice", "Number", "Label", "Relation")
             and not any(e in list(t) for t in tree.iter("Taxonomy"))]
    missing = [e.get("value") or e.get("name") for e in keyed if not e.get("hotkey")]
    assert missing == []
    keys = [e.get("hotkey") for e in keyed]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    ls_defaults = {"u", "h", "escape", "backspace", "enter", "delete", "alt+r", "alt+h", "alt+l", "alt+m",
                   "alt+.", "ctrl+enter", "ctrl+space", "ctrl+z", "ctrl+d", "ctrl+h", "ctrl+backspace"}
    assert not set(keys) & ls_defaults
    # the relation hotkeys no longer clash with the qualifier's 1 and 2
    rel = {e.get("value"): e.get("hotkey") for e in tree.iter("Relation")}
    qual = {e.get("alias"): e.get("hotkey") for t in tree.iter("Choices") if t.get("name") == "qualifier"
            for e in t}
    assert qual["exact"] == "1" and qual["at_least"] == "2" and not set(rel.values()) & set(qual.values())


def test_every_hotkey_is_in_the_annotators_howto(root):
    howto = (root / "annotation" / "labelstudio" / "README.md").read_text(encoding="utf-8")
    assert C.hotkey_table() in howto, "paste conflictbench.labelstudio.config.hotkey_table() into the how-to"
    n = sum(len(k) for k in C.HOTKEYS.values())
    assert C.hotkey_table().count("\n| `") == n and n >= 50


def test_required_messages_read_as_english(source_registry):
    tree = ET.fromstring(C.generate_config("main", registry=source_registry))
    msgs = {e.get("name"): e.get("requiredMessage") for e in tree.iter() if e.get("required") == "true"}
    assert msgs["victims"] == "CASUALTY: choose who the victims are"  # was "choose a victims"
    assert all(" a victims" not in m for m in msgs.values())


def test_side_panel_is_sticky_and_choices_are_inline(source_registry):
    tree = ET.fromstring(C.generate_config("main", registry=source_registry))
    panels = [v for v in tree.iter("View") if "sticky" in (v.get("style") or "")]
    assert len(panels) == 1 and "overflow-y: auto" in panels[0].get("style")
    assert all(c.get("showInline") == "true" for c in tree.iter("Choices")
               if c.get("name") not in (C.OPTIONAL_TAG, C.CONFLICT_TAG))


def test_muc4_sized_registry_config_is_valid_for_the_sdk(tmp_path):
    """A 654-entity registry (as MUC-4's): the SDK parses the config; the picker lists every
    entity once, sorted by name."""
    from label_studio_sdk.label_interface import LabelInterface

    from conflictbench.actors import ActorRegistry

    lines = [json.dumps({"id": f"e{i:03d}", "name": f"Group {(i * 7919) % 654:03d}", "type": "armed_group",
                         "aliases": []}) for i in range(654)]
    (tmp_path / "actors.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reg = ActorRegistry.load(tmp_path / "actors.jsonl")
    xml = C.generate_config("main", registry=reg)
    LabelInterface(xml).validate()
    names = [c.get("value") for c in ET.fromstring(xml).iter("Taxonomy") for c in c]
    assert len(names) == 654 and names == sorted(names)  # "Group 000 (e000)", "Group 001 (e…)": plain order


def test_entities_sort_by_name_ignoring_article_and_quotes(tmp_path):
    from conflictbench.actors import ActorRegistry

    recs = [("z", "THE FMLN"), ("y", '"9 MAY" FORCES'), ("x", "Army of El Salvador"), ("w", "fmln dissidents")]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"id": i, "name": n, "type": "armed_group", "aliases": []})
                                              + "\n" for i, n in recs), encoding="utf-8")
    got = [eid for _s, eid, _h in C.entity_choices(ActorRegistry.load(tmp_path / "a.jsonl"))]
    assert got == ["y", "x", "z", "w"]  # 9 may forces, army of el salvador, fmln, fmln dissidents
