"""Against a real Label Studio server (started by conftest from .venv-ls).

Push the seed document with rules-baseline predictions, annotate through the API as an
annotator would (Label Studio's own region ids, starting from the prediction), pull, and
compare the imported document field by field with the seed gold; push twice without
duplicates; the server stores bad annotations without complaint and the pull catches each.
"""

from __future__ import annotations

import random
import string

import pytest

import conflictbench

from conflictbench.cli import main
from conflictbench.errors import DataError
from conflictbench.labelstudio import config as C
from conflictbench.labelstudio.client import push
from conflictbench.labelstudio.preannotate import predictions_of
from conflictbench.labelstudio.export import ExportError
from conflictbench.labelstudio.gold import pull
from conflictbench.labelstudio.tasks import document_to_task
from conflictbench.schema import FIELDS, normalise_document

pytestmark = pytest.mark.labelstudio

RULES = "rules.v1"


def ui_ids(result: list[dict], seed: int = 0) -> list[dict]:
    """Rename region ids the way the Label Studio UI makes them (random 10-char strings)."""
    rnd = random.Random(seed)
    new: dict[str, str] = {}
    out = []
    for r in result:
        r = {**r, "value": dict(r.get("value") or {})}
        if r.get("type") == "relation":
            r["from_id"] = new.setdefault(r["from_id"], "".join(rnd.choices(string.ascii_letters, k=10)))
            r["to_id"] = new.setdefault(r["to_id"], "".join(rnd.choices(string.ascii_letters, k=10)))
        else:
            r["id"] = new.setdefault(r["id"], "".join(rnd.choices(string.ascii_letters, k=10)))
            r["origin"] = "manual"
        out.append(r)
    return out


@pytest.mark.parametrize("name", sorted(C.CONFIG_FILES))
def test_server_accepts_each_config(session, registry, name):
    pid, created = session.ensure_project(f"config-{name}", C.generate_config(name, registry=registry), "")
    assert created
    stored = session.ls.projects.get(pid).label_config
    assert stored.strip() == C.generate_config(name, registry=registry).strip()


def test_server_rejects_a_broken_config(session):
    with pytest.raises(DataError, match=r"HTTP 400 while trying to create a project"):
        session.ensure_project("broken", '<View><Labels name="l" toName="nowhere"><Label value="X"/></Labels></View>', "")


def test_push_annotate_pull_round_trip(session, ls_server, seed_doc, corpus, registry, tmp_path, root):
    title = "seed-round-trip"
    version, preds = predictions_of(RULES, [seed_doc], corpus=corpus).pair()
    res = push(session, [seed_doc], title=title, label_config=C.generate_config("main", registry=registry),
               instructions="<p>guidelines</p>", predictions=[(version, preds)], registry=registry)
    assert (res.project_created, res.tasks_created, res.tasks_updated, res.predictions_added) == (True, 1, 0, 1)

    (task,) = session.tasks(res.project_id)
    assert task.data["doc_id"] == seed_doc["id"] and task.data["text"] == seed_doc["text"]
    (pred,) = task.predictions
    assert pred.model_version == version
    # the signature names the extractor, the registry it resolved actors through and the version
    name, reg, ver = version.split("|")
    assert name == RULES and reg.startswith("registry:") and ver == f"v:{conflictbench.__version__}"
    n_regions = sum(1 for f in FIELDS for s in preds[0][f] if s.get("start") is not None)
    assert sum(1 for r in pred.result if r.get("from_name") == "label") == n_regions > 0
    project = session.ls.projects.get(res.project_id)
    assert project.show_instruction and "guidelines" in project.expert_instruction

    # nothing annotated yet: nothing to pull, nothing written
    empty = pull(session, title=title, registry=registry, annotator=ls_server.username, gold_dir=tmp_path / "g0")
    assert (len(empty.documents), empty.tasks_total, empty.tasks_unannotated) == (0, 1, 1)
    assert not (tmp_path / "g0").exists() or not any((tmp_path / "g0").iterdir())
    with pytest.raises(DataError, match="no annotated task to pull"):
        pull(session, title=title, registry=registry, annotator=ls_server.username, corpus_dir=tmp_path / "c0")
    assert not (tmp_path / "c0").exists()

    # the annotator corrects the pre-annotation into the gold, in the UI's own region ids
    gold_result = ui_ids(document_to_task(seed_doc, gold=True)[0]["annotations"][0]["result"])
    ann = session.ls.annotations.create(task.id, result=gold_result, parent_prediction=pred.id, lead_time=42.0)

    gold_dir = tmp_path / "gold"
    out = pull(session, title=title, registry=registry, annotator=ls_server.username, gold_dir=gold_dir)
    (doc,) = out.documents
    expected = normalise_document(seed_doc)
    for key in ("id", "text", "title", "source", "url", "language", "publication_date"):
        assert doc[key] == expected[key], key
    for field in FIELDS:
        assert len(doc[field]) == len(expected[field]), field
        for i, (got, want) in enumerate(zip(doc[field], expected[field])):
            assert got == want, f"{field}[{i}]"
    assert sorted(p.name for p in gold_dir.iterdir()) == [f"{seed_doc['id']}.json", f"{seed_doc['id']}.txt"]
    assert (gold_dir / f"{seed_doc['id']}.txt").read_bytes() == seed_doc["text"].encode("utf-8")
    for p in gold_dir.iterdir():  # the API key is never written
        assert ls_server.token not in p.read_text(encoding="utf-8")
    assert ann.id is not None

    # pushing again updates, never duplicates (tasks keyed by document id)
    again = push(session, [seed_doc], title=title, label_config=C.generate_config("main", registry=registry),
                 instructions="<p>guidelines v2</p>", predictions=[(version, preds)])
    assert (again.project_created, again.tasks_created, again.tasks_updated, again.predictions_added) == (
        False, 0, 1, 0)
    (task2,) = session.tasks(res.project_id)
    assert task2.id == task.id and len(task2.predictions) == 1
    assert "guidelines v2" in session.ls.projects.get(res.project_id).expert_instruction
    # a changed document updates its task in place
    retitled = dict(seed_doc, title="Retitled")
    third = push(session, [retitled], title=title, label_config=C.generate_config("main", registry=registry))
    assert (third.tasks_created, third.tasks_updated) == (0, 1)
    (task3,) = session.tasks(res.project_id)
    assert task3.id == task.id and task3.data["title"] == "Retitled"
    # a push without instructions shows the guidelines (as the CLI does), never blanks them
    heading = (root / "annotation" / "GUIDELINES.md").read_text(encoding="utf-8").splitlines()[0]
    assert f"<h1>{heading[2:]}</h1>" in session.ls.projects.get(res.project_id).expert_instruction


BAD_CASES = {
    # case: (edit of the gold result, region that must be named, message)
    "unknown label": ("label", "labels", ["LOCATION"], "unknown label 'LOCATION'"),
    "offsets outside the text": ("label", "end", 10**6, "outside the text"),
    "wrong span text": ("label", "text", "not the text", "span text 'not the text'"),
    "relation to missing region": (None, None, None, "missing region(s)"),
}


def test_server_stores_bad_annotations_and_pull_catches_each(session, seed_doc, registry, tmp_path):
    title = "bad-exports"
    docs = [dict(seed_doc, id=f"bad-{i}") for i in range(len(BAD_CASES))]
    push(session, docs, title=title, label_config=C.generate_config("main", registry=registry))
    tasks = {t.data["doc_id"]: t for t in session.tasks(session.project_id(title))}
    expected = []
    for doc, (case, (tag, key, value, message)) in zip(docs, BAD_CASES.items()):
        result = document_to_task(doc, gold=True)[0]["annotations"][0]["result"]
        target = "c1"
        if tag is None:
            result.append({"type": "relation", "from_id": target, "to_id": "gone", "direction": "right",
                           "labels": ["date"]})
        else:
            for r in result:
                if r.get("id") == target and r.get("from_name") == tag:
                    r["value"][key] = value
        ann = session.ls.annotations.create(tasks[doc["id"]].id, result=result, ground_truth=True)
        stored = session.ls.annotations.get(ann.id).result
        assert stored == result, f"{case}: the server changed what it was sent"
        expected.append((tasks[doc["id"]].id, ann.id, target, message))
    gold_dir = tmp_path / "gold"
    with pytest.raises(ExportError) as info:
        pull(session, title=title, registry=registry, gold_dir=gold_dir)
    problems = info.value.problems
    for task_id, ann_id, region, message in expected:
        assert any(p.task_id == task_id and p.annotation_id == ann_id and p.region_id == region
                   and message in p.message for p in problems), (message, str(info.value))
    assert not gold_dir.exists()  # nothing written


def test_cli_push_and_pull(ls_env, session, seed_doc, tmp_path, capsys):
    md = tmp_path / "guidelines.md"
    md.write_text("# Counting casualties\n\nAnnotate *every* count.\n", encoding="utf-8")
    assert main(["annotate", "push", "--project", "cli", "--config", "casualties", "--with-gold",
                 "--instructions", str(md)]) == 0
    out = capsys.readouterr().out
    assert "1 task(s) created" in out and ls_env.token not in out
    project = session.ls.projects.get(session.project_id("cli"))
    assert "<h1>Counting casualties</h1>" in project.expert_instruction and project.show_instruction
    assert main(["annotate", "pull", "--project", "cli", "--corpus-out", str(tmp_path / "corpus")]) == 0
    from conflictbench.corpus import load_corpus

    (doc,) = load_corpus(tmp_path / "corpus").documents
    # the casualties-only config carries casualties (without relations) and nothing else
    want = [dict(c, date_ref=None, perpetrator_ref=None) for c in normalise_document(seed_doc)["casualties"]]
    assert doc["casualties"] == want and doc["actors"] == [] and doc["dates"] == []


def test_cli_wrong_key_is_one_clear_message(ls_env, monkeypatch, capsys):
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "not-the-key-0123456789")
    assert main(["annotate", "pull", "--project", "cli", "--corpus-out", "/nonexistent/x"]) == 2
    err = capsys.readouterr().err
    assert "refused the API key (HTTP 401)" in err and "not-the-key" not in err
    assert err.count("\n") == 1


def test_cli_unreachable_server_is_one_clear_message(ls_env, monkeypatch, capsys):
    from .server import free_port

    monkeypatch.setenv("LABEL_STUDIO_URL", f"http://127.0.0.1:{free_port()}")
    assert main(["annotate", "agreement", "--project", "x"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach Label Studio at http://127.0.0.1:" in err and ls_env.token not in err
    assert err.count("\n") == 1


def test_two_annotators_agreement_and_gold_rule(session, ls_env, registry, tmp_path, capsys):
    import json

    from .test_agreement import annotator_b
    from .test_convert import small_doc

    title = "two-annotators"
    res = push(session, [small_doc()], title=title, label_config=C.generate_config("main", registry=registry))
    (task,) = session.tasks(res.project_id)
    second = session.ls.users.create(email="second@conflictbench.test", username="second",
                                     password="second-annotator-pw")
    for who, doc, seed in ((session.user_id, small_doc(), 1), (second.id, annotator_b(), 2)):
        result = ui_ids(document_to_task(doc, gold=True)[0]["annotations"][0]["result"], seed)
        session.ls.annotations.create(task.id, result=result, completed_by=who)

    assert main(["annotate", "agreement", "--project", title, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    # the same figures as tests/labelstudio/test_agreement.py derives by hand
    assert (d["tasks"], d["pairs"]) == (1, 1)
    assert (d["casualties.span.f1"], d["casualties.value.f1"]) == (1.0, 1.0)
    assert (d["actors.span.f1"], d["actors.value.f1"]) == (1.0, 0.0)
    assert (d["dates.span.tp"], d["dates.span.fp"], d["dates.span.fn"]) == (0, 1, 1)
    assert (d["casualties.qualifier.kappa"], d["casualties.kind.kappa"]) == (0.0, None)
    assert main(["annotate", "agreement", "--project", title]) == 0
    assert "casualties.qualifier" in capsys.readouterr().out

    # gold rule: two annotations, none marked ground truth, no annotator named → refuse
    with pytest.raises(ExportError, match="none marked ground truth"):
        pull(session, title=title, registry=registry, gold_dir=tmp_path / "gold")
    assert not (tmp_path / "gold").exists()
    out = pull(session, title=title, registry=registry, annotator="second@conflictbench.test",
               gold_dir=tmp_path / "gold")
    assert list(out.documents) == [normalise_document(annotator_b())]


def test_casualties_only_project_is_not_pulled_into_the_gold_folder(ls_env, session, root, tmp_path, capsys):
    assert main(["annotate", "push", "--project", "cli-partial", "--config", "casualties", "--with-gold"]) == 0
    # by default the instructions are annotation/GUIDELINES.md, rendered
    heading = (root / "annotation" / "GUIDELINES.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# ")
    shown = session.ls.projects.get(session.project_id("cli-partial")).expert_instruction
    assert f"<h1>{heading[2:]}</h1>" in shown
    gold = tmp_path / "gold"
    assert main(["annotate", "pull", "--project", "cli-partial", "--gold-dir", str(gold)]) == 2
    assert "labels only ['casualties']" in capsys.readouterr().err
    assert not gold.exists()


def test_personal_access_token_works_and_is_never_shown(ls_env, session, monkeypatch, capsys):
    """A fresh sign-up's organisation has Personal Access Tokens on and legacy tokens off,
    so the README tells annotators to use a PAT (a JWT refresh token the SDK exchanges)."""
    from conflictbench.labelstudio.client import Session

    pat = session.ls.tokens.create().token
    assert pat and pat != ls_env.token and pat.count(".") == 2  # a JWT, not the legacy token
    assert Session(api_key=pat).user_id == session.user_id
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", pat)
    assert main(["annotate", "agreement", "--project", "no-such-project"]) == 2
    captured = capsys.readouterr()
    assert "no Label Studio project titled 'no-such-project'" in captured.err
    assert pat not in captured.err + captured.out
