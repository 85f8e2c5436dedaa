"""Corpus document ⇄ Label Studio task/export conversion, without a server.

Expected values are derived by hand from small texts (offsets with ``str.index``, i.e.
Python code points); the bad-export table lists each problem Label Studio would store
without complaint and the message the importer must give.
"""

from __future__ import annotations

import copy
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.errors import DataError
from conflictbench.labelstudio.export import ExportError, annotation_to_document, export_to_documents
from conflictbench.labelstudio.gold import select_gold
from conflictbench.labelstudio.tasks import document_to_task
from conflictbench.schema import normalise_document

# flags are two astral code points, the emoji one, "\r\n" two: UTF-16 counts would differ
TEXT = "🇸🇾 Idlib, 😀\r\nAt least 3 people were killed on Thursday by regime forces."
META = {"id": "t1", "title": "T", "source": "S", "url": None, "language": "en",
        "publication_date": "2020-01-17"}


def _at(sub: str) -> dict:
    start = TEXT.index(sub)
    return {"start": start, "end": start + len(sub), "text": sub}


def small_doc() -> dict:
    return {
        **META,
        "text": TEXT,
        "casualties": [{**_at("At least 3 people"), "count": 3, "qualifier": "at_least", "kind": "killed",
                        "victims": "people", "date_ref": 0, "perpetrator_ref": 0}],
        "actors": [{**_at("regime forces"), "entity": "syria_government", "type": "state_forces"}],
        "dates": [{**_at("Thursday"), "value": "2020-01-16", "type": "DATE"}],
    }


def test_offsets_are_code_points_in_the_task():
    task, skipped = document_to_task(small_doc(), gold=True)
    assert skipped == []
    res = task["annotations"][0]["result"]
    label = [r for r in res if r.get("from_name") == "label" and r["id"] == "c0"][0]
    # "🇸🇾 Idlib, 😀\r\n" = 2 + 1 + 6 + 1 + 1 + 2 = 13 code points (16 UTF-16 units)
    assert label["value"]["start"] == 13
    assert label["value"]["end"] == 13 + len("At least 3 people")
    assert task["data"]["doc_id"] == "t1" and task["data"]["publication_date"] == "2020-01-17"


def test_task_result_shape_per_attribute():
    res = document_to_task(small_doc(), gold=True)[0]["annotations"][0]["result"]
    by = {(r.get("id"), r.get("from_name")): r for r in res if r.get("type") != "relation"}
    assert by[("c0", "count")]["value"]["number"] == 3
    assert by[("c0", "qualifier")]["value"]["choices"] == ["at_least"]
    assert by[("a0", "entity")]["value"]["taxonomy"] == [["syria_government"]]  # a one-level Taxonomy path
    assert by[("a0", "entity")]["type"] == "taxonomy"
    # a per-region TextArea holds a list of strings, not a string
    assert by[("d0", "timex")]["value"]["text"] == ["2020-01-16"]
    rels = sorted((r["from_id"], r["to_id"], r["labels"][0]) for r in res if r.get("type") == "relation")
    assert rels == [("c0", "a0", "perpetrator"), ("c0", "d0", "date")]


def test_round_trip_small_doc(registry):
    task, _ = document_to_task(small_doc(), gold=True)
    doc, problems = annotation_to_document(task["data"], task["annotations"][0]["result"], registry)
    assert problems == []
    assert doc == normalise_document(small_doc())


def test_round_trip_seed_document(seed_doc, registry):
    task, skipped = document_to_task(seed_doc, gold=True)
    assert skipped == []
    doc, problems = annotation_to_document(task["data"], task["annotations"][0]["result"], registry)
    assert problems == []
    assert doc == normalise_document(seed_doc)


def test_prediction_without_offsets_is_reported_not_dropped():
    pred = {"id": "t1", "casualties": [{"start": None, "end": None, "text": "three", "count": 3,
                                        "qualifier": "exact", "kind": "killed", "victims": "people"}],
            "actors": [], "dates": []}
    task, skipped = document_to_task(small_doc(), predictions=[("m.v1", pred)])
    assert task["predictions"][0]["model_version"] == "m.v1"
    assert task["predictions"][0]["result"] == []
    assert len(skipped) == 1 and "casualties[0] has no offsets" in skipped[0]


def test_prediction_entity_outside_the_registry_goes_to_new_actor(registry):
    at = _at("regime forces")
    pred = {"id": "t1", "casualties": [], "dates": [],
            "actors": [{**at, "entity": "Assad regime", "type": "state_forces"},
                       {**at, "entity": "syria_government", "type": "state_forces"}]}
    task, _ = document_to_task(small_doc(), predictions=[("m.v1", pred)], registry=registry)
    by = {(r["id"], r["from_name"]): r["value"] for r in task["predictions"][0]["result"]}
    assert by[("a0", "new_actor")]["text"] == ["Assad regime"] and ("a0", "entity") not in by
    assert by[("a1", "entity")]["taxonomy"] == [["syria_government"]] and ("a1", "new_actor") not in by


def test_prediction_with_bad_offsets_is_an_error():
    pred = {"id": "t1", "casualties": [], "actors": [{"start": 0, "end": 999, "text": "x"}], "dates": []}
    with pytest.raises(DataError, match=r"m\.v1 on t1: actors\[0\]"):
        document_to_task(small_doc(), predictions=[("m.v1", pred)])


# --- the export side ------------------------------------------------------------------------

def export_task() -> dict:
    """A task as Label Studio exports it, with one annotation (id 70) on task 7."""
    task, _ = document_to_task(small_doc(), gold=True)
    ann = {"id": 70, "completed_by": 1, "was_cancelled": False, "ground_truth": True,
           "result": task["annotations"][0]["result"]}
    return {"id": 7, "data": task["data"], "annotations": [ann], "predictions": []}


def _edit(fn):
    task = export_task()
    fn(task["annotations"][0]["result"])
    return task


def _set(rid, tag, key, value):
    def fn(result):
        for r in result:
            if r.get("id") == rid and r.get("from_name") == tag:
                r["value"][key] = value
    return fn


def _drop(rid, tag):
    def fn(result):
        result[:] = [r for r in result if not (r.get("id") == rid and r.get("from_name") == tag)]
    return fn


def _append(item):
    return lambda result: result.append(item)


def _region(rid, tag, rtype, key, value, sub="Idlib"):
    return {"id": rid, "from_name": tag, "to_name": "text", "type": rtype,
            "value": {**_at(sub), key: value}}


BAD = [
    ("unknown label", _set("a0", "label", "labels", ["LOCATION"]), "a0", "unknown label 'LOCATION'"),
    ("offsets outside", _set("d0", "label", "end", len(TEXT) + 5), "d0", "outside the text"),
    ("wrong span text", _set("c0", "label", "text", "At least 4 people"), "c0", "span text 'At least 4 people'"),
    ("relation to missing region",
     _append({"type": "relation", "from_id": "c0", "to_id": "zz", "direction": "right", "labels": ["date"]}),
     "c0", "missing region(s) ['zz']"),
    ("unknown control", _append(_region("c0", "colour", "choices", "choices", ["red"])), "c0",
     "unknown control tag 'colour'"),
    ("attribute on another label", _append(_region("a0", "count", "number", "number", 2, "regime forces")),
     "a0", "belongs to CASUALTY regions"),
    ("attribute without region", _append(_region("x9", "kind", "choices", "choices", ["killed"])),
     "x9", "not a labelled region"),
    ("two timex lines", _set("d0", "timex", "text", ["2020-01-16", "2020-01-17"]), "d0", "has 2 entries"),
    ("bad timex", _set("d0", "timex", "text", ["Thursday"]), "d0", "not a well-formed TIMEX3 value"),
    ("missing qualifier", _drop("c0", "qualifier"), "c0", "qualifier: must be one of"),
    ("unknown new actor", lambda res: (_drop("a0", "entity")(res), res.append(
        _region("a0", "new_actor", "textarea", "text", ["Martian Legion"], "regime forces"))),
     "a0", "new actor 'Martian Legion' (span 'regime forces') is not in the actor registry"),
    ("relation from a date", _append({"type": "relation", "from_id": "d0", "to_id": "a0",
                                      "direction": "right", "labels": []}),
     "d0", "a relation links one CASUALTY region to a DATE or an ACTOR, not ['DATE', 'ACTOR']"),
]


@pytest.mark.parametrize("case, edit, region, message", BAD, ids=[b[0] for b in BAD])
def test_bad_export_reports_task_annotation_region(registry, case, edit, region, message):
    task = _edit(edit)
    with pytest.raises(ExportError) as info:
        export_to_documents([task], registry, choose=select_gold)
    text = str(info.value)
    assert "nothing was written" in text
    assert any(p.task_id == 7 and p.annotation_id == 70 and p.region_id == region and message in p.message
               for p in info.value.problems), text
    assert f"task 7 (document 't1'), annotation 70, region '{region}'" in text


def test_good_export_converts(registry):
    docs = export_to_documents([export_task()], registry, choose=select_gold)
    assert docs == [normalise_document(small_doc())]


def test_new_actor_known_by_alias_resolves(registry):
    def fn(res):
        _drop("a0", "entity")(res)
        res.append(_region("a0", "new_actor", "textarea", "text", ["Assad regime"], "regime forces"))
    (doc,) = export_to_documents([_edit(fn)], registry, choose=select_gold)
    assert doc["actors"][0]["entity"] == "syria_government"


def _new_actor_task(name: str, actor_type: str | None = None) -> dict:
    def fn(res):
        _drop("a0", "entity")(res)
        _drop("a0", "actor_type")(res)
        res.append(_region("a0", "new_actor", "textarea", "text", [name], "regime forces"))
        if actor_type:
            res.append(_region("a0", "actor_type", "choices", "choices", [actor_type], "regime forces"))
    return _edit(fn)


def test_unknown_new_actor_message_gives_the_registry_line_that_fixes_it(registry, tmp_path):
    """The message names task, annotation, region, the typed name and the span, and gives a
    registry line; appending exactly that line to the registry makes the same pull work."""
    import json
    import re

    from conflictbench.actors import ActorRegistry

    task = _new_actor_task("Martian Legion", "armed_group")
    with pytest.raises(ExportError) as info:
        export_to_documents([task], registry, choose=select_gold)
    (problem,) = [p for p in info.value.problems if "new actor" in p.message]
    assert (problem.task_id, problem.annotation_id, problem.region_id) == (7, 70, "a0")
    assert "picks an existing entity" in problem.message and "make corpus" in problem.message
    assert len(info.value.problems) == 1  # not a second "missing entity" for the same region
    line = re.search(r"annotation/actors\.jsonl: (\{.*?\}) \(with", problem.message).group(1)
    # hand-derived: id = the normalised name with '_'; the span text is not offered as an alias
    assert json.loads(line) == {"id": "martian_legion", "name": "Martian Legion", "type": "armed_group",
                                "aliases": []}
    path = tmp_path / "actors.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in registry.to_records()) + line + "\n", encoding="utf-8")
    grown = ActorRegistry.load(path)
    (doc,) = export_to_documents([task], grown, choose=select_gold)
    assert (doc["actors"][0]["entity"], doc["actors"][0]["type"]) == ("martian_legion", "armed_group")


def test_unknown_new_actor_without_type_asks_for_one(registry):
    with pytest.raises(ExportError) as info:
        export_to_documents([_new_actor_task("Martian Legion")], registry, choose=select_gold)
    assert '"type": "<one of state_forces|' in str(info.value)


@pytest.mark.parametrize("doc_id", ["../escape", "a/b", ".hidden", "a\\b", ""])
def test_doc_id_that_cannot_be_a_gold_file_name_is_refused(registry, doc_id):
    task = export_task()
    task["data"]["doc_id"] = doc_id
    with pytest.raises(ExportError) as info:
        export_to_documents([task], registry, choose=select_gold)
    assert any(p.task_id == 7 and p.annotation_id == 70 and "cannot name a gold file" in p.message
               for p in info.value.problems), str(info.value)


def test_relation_drawn_from_the_target_counts_the_same(registry):
    def fn(res):
        for r in res:
            if r.get("type") == "relation":
                r["from_id"], r["to_id"] = r["to_id"], r["from_id"]
    (doc,) = export_to_documents([_edit(fn)], registry, choose=select_gold)
    assert (doc["casualties"][0]["date_ref"], doc["casualties"][0]["perpetrator_ref"]) == (0, 0)


def test_second_date_relation_is_an_error(registry):
    extra = {"type": "relation", "from_id": "c0", "to_id": "d0", "direction": "right", "labels": ["date"]}
    with pytest.raises(ExportError, match="already has a date_ref relation"):
        export_to_documents([_edit(_append(extra))], registry, choose=select_gold)


def test_every_problem_is_reported_at_once(registry):
    def fn(res):
        _set("a0", "label", "labels", ["LOCATION"])(res)
        _set("d0", "timex", "text", ["Thursday"])(res)
    with pytest.raises(ExportError) as info:
        export_to_documents([_edit(fn)], registry, choose=select_gold)
    assert {p.region_id for p in info.value.problems} >= {"a0", "d0"}


# --- gold selection rule --------------------------------------------------------------------

USERS = {1: "ann@x", 2: "bob@x"}


def _ann(i, by, gt=False, cancelled=False):
    return {"id": i, "completed_by": by, "ground_truth": gt, "was_cancelled": cancelled, "result": []}


@pytest.mark.parametrize(
    "anns, annotator, expected",
    [
        ([], None, None),                                             # nobody annotated: left out
        ([_ann(1, 1, gt=True), _ann(2, 2)], None, 1),                 # ground truth wins
        ([_ann(1, 1, gt=True), _ann(2, 2)], "bob@x", 1),              # ...even over a named annotator
        ([_ann(1, 1), _ann(2, 2)], "bob@x", 2),                       # else the named annotator
        ([_ann(1, 1, gt=True, cancelled=True), _ann(2, 2)], "bob@x", 2),  # cancelled ones do not count
        ([_ann(1, 1, cancelled=True)], None, None),
    ],
)
def test_select_gold(anns, annotator, expected):
    chosen = select_gold({"id": 1, "annotations": anns}, annotator=annotator, users=USERS)
    assert (chosen["id"] if chosen else None) == expected


@pytest.mark.parametrize(
    "anns, annotator, message",
    [
        ([_ann(1, 1)], None, "none marked ground truth"),
        ([_ann(1, 1), _ann(2, 2)], None, "none marked ground truth"),
        ([_ann(1, 1, gt=True), _ann(2, 2, gt=True)], None, "all marked ground truth"),
        ([_ann(1, 1), _ann(2, 2)], "carol@x", "no annotation by 'carol@x'"),
        ([_ann(1, 2), _ann(2, 2)], "bob@x", "has 2 annotations"),
    ],
)
def test_select_gold_refuses(anns, annotator, message):
    with pytest.raises(DataError, match=message):
        select_gold({"id": 1, "annotations": anns}, annotator=annotator, users=USERS)


# --- properties -------------------------------------------------------------------------------

_chars = st.sampled_from(list("ab c\r\n") + ["😀", "🇸", "🇾", "é", "中"])


@st.composite
def docs_with_spans(draw):
    text = draw(st.text(_chars, min_size=1, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    cas, dates = [], []
    for k, (a, b) in enumerate(spans):
        base = {"start": a, "end": b, "text": text[a:b]}
        if k % 2:
            dates.append({**base, "value": "2020-01-16", "type": "DATE"})
        else:
            cas.append({**base, "count": k, "qualifier": "exact", "kind": "killed", "victims": "people",
                        "optional": draw(st.booleans())})
    return {**META, "text": text, "casualties": cas, "actors": [], "dates": dates}


@given(docs_with_spans())
def test_round_trip_property(registry, doc):
    task, skipped = document_to_task(doc, gold=True)
    assert skipped == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, problems = annotation_to_document(task["data"], task["annotations"][0]["result"], registry)
    assert problems == []
    assert out == normalise_document(doc)


@given(docs_with_spans(), st.randoms())
def test_result_order_does_not_matter(registry, doc, rnd):
    task, _ = document_to_task(doc, gold=True)
    result = copy.deepcopy(task["annotations"][0]["result"])
    rnd.shuffle(result)
    out, problems = annotation_to_document(task["data"], result, registry)
    assert problems == [] and out == normalise_document(doc)


# --- writing a pull into the gold folder ------------------------------------------------------

def test_pull_into_the_gold_folder_is_all_or_nothing(registry, tmp_path, monkeypatch):
    """A failure while writing the second document leaves the gold folder exactly as it
    was (not with the first document's files already replaced)."""
    from conflictbench import corpus
    from conflictbench.labelstudio.gold import write_pulled

    gold = tmp_path / "gold"
    gold.mkdir()
    old_json, old_txt = corpus.gold_source_files(small_doc())
    before = {"t1.json": old_json, "t1.txt": old_txt, "notes.md": b"kept"}
    for name, data in before.items():
        (gold / name).write_bytes(data)
    # the pull replaces t1 (retitled) and adds t2
    docs = [normalise_document(dict(small_doc(), title="Retitled")), normalise_document(dict(small_doc(), id="t2"))]
    real = corpus.gold_source_files

    def fail_on_t2(doc):
        if doc["id"] == "t2":
            raise OSError("disk full")
        return real(doc)

    monkeypatch.setattr(corpus, "gold_source_files", fail_on_t2)
    with pytest.raises(OSError, match="disk full"):
        write_pulled(docs, [], registry, gold_dir=gold, corpus_dir=None)
    assert {p.name: p.read_bytes() for p in gold.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["gold"]  # no temporary folder left behind

    monkeypatch.setattr(corpus, "gold_source_files", real)
    res = write_pulled(docs, [], registry, gold_dir=gold, corpus_dir=None)
    assert res.written == (str(gold / "t1.json"), str(gold / "t2.json"))
    assert sorted(p.name for p in gold.iterdir()) == ["notes.md", "t1.json", "t1.txt", "t2.json", "t2.txt"]
    assert (gold / "notes.md").read_bytes() == b"kept" and (gold / "t1.txt").read_bytes() == TEXT.encode()
    assert [(d["id"], d["title"]) for d in corpus.read_gold_source(gold)] == [("t1", "Retitled"), ("t2", "T")]


# --- a URL that is not Label Studio (no Label Studio server needed) ----------------------------

@pytest.mark.parametrize("body, ctype", [(b"<html>hello</html>", "text/html"), (b'{"status": "UP"}', "application/json")])
def test_a_server_that_is_not_label_studio_is_one_clear_message(monkeypatch, capsys, body, ctype):
    """A real HTTP server on 127.0.0.1 that answers, but not as Label Studio (a wrong port,
    or the URL of a page): one line naming the URL, exit 2, the key not shown."""
    import http.server
    import threading

    from conflictbench.cli import main

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        monkeypatch.setenv("LABEL_STUDIO_URL", url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", "secret-key-0123456789")
        assert main(["annotate", "agreement", "--project", "x"]) == 2
    finally:
        srv.shutdown()
        srv.server_close()
    err = capsys.readouterr().err
    assert f"{url} did not answer as Label Studio's API" in err and "LABEL_STUDIO_URL" in err
    assert err.count("\n") == 1 and "secret-key" not in err


def test_push_with_a_missing_instructions_file_is_an_error(tmp_path, monkeypatch, capsys):
    """Before any connection: a mistyped --instructions path is an error, not a silent
    fallback to a one-line pointer."""
    from conflictbench.cli import main

    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    missing = tmp_path / "GUIDELNES.md"
    assert main(["annotate", "push", "--project", "x", "--instructions", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"--instructions {missing}: no such file" in err and err.count("\n") == 1


@pytest.mark.parametrize("fields, message", [
    (["casualty"], "The 'fields' parameter of document_to_task() must be one of {'actors', 'casualties', 'dates'}. "
                   "Got 'casualty' instead."),
    ("casualties", "The 'fields' parameter of document_to_task() must be a list of fields. Got 'casualties' instead."),
])
def test_a_misspelt_field_is_refused_not_an_empty_task(fields, message):
    # fields=["casualty"] used to give a gold task with no region at all, silently
    from conflictbench.errors import ParameterError

    with pytest.raises(ParameterError) as info:
        document_to_task(small_doc(), gold=True, fields=fields)
    assert str(info.value) == message
