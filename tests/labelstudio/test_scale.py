"""Annotation at scale, against the real Label Studio server: the pushed corpus's registry end
to end (MUC-4, 654 entities), choosing what to push, several annotators, adjudication, status."""

from __future__ import annotations

import json

import pytest

from conflictbench.cli import main
from conflictbench.corpus import load_corpus
from conflictbench.labelstudio import config as C
from conflictbench.labelstudio.client import push
from conflictbench.labelstudio.tasks import document_to_task
from conflictbench.schema import normalise_document

from .test_agreement import annotator_b
from .test_convert import small_doc
from .test_server import ui_ids

pytestmark = pytest.mark.labelstudio


def registry_digest(registry) -> str:
    """The registry hash the extractor signature carries, computed here independently."""
    import hashlib

    recs = sorted(registry.to_records(), key=lambda r: r["id"])
    return hashlib.sha256(json.dumps(recs, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def test_muc4_push_uses_the_pushed_corpus_registry(ls_env, session, muc4, registry, tmp_path, capsys):
    """Issue 15, item 1: pre-annotations of a MUC-4 push resolve actors through MUC-4's registry
    (the Syria registry gave "IS" → islamic_state, "WHO" → un), the tasks record the corpus, and
    pull and agreement read them with its registry without --registry."""
    ids = [d for d in muc4.splits["tst3"][:3]]
    (tmp_path / "ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    assert main(["annotate", "push", "--project", "muc4-registry", "--corpus", str(muc4.path),
                 "--ids", str(tmp_path / "ids.txt"), "--predictions", "rules.v1", "--annotators", "2"]) == 0
    assert "3 task(s) created" in capsys.readouterr().out
    pid = session.project_id("muc4-registry")
    project = session.ls.projects.get(pid)
    assert project.maximum_annotations == 2 and project.show_overlap_first
    tasks = session.tasks(pid)
    assert sorted(t.data["doc_id"] for t in tasks) == sorted(ids)
    muc_ids = set(muc4.registry.actors)
    assert not muc_ids & {"islamic_state", "un", "syria_government"}
    n_entities = 0
    for t in tasks:
        assert t.data["corpus"] == str(muc4.path.resolve()) and t.data["corpus_fingerprint"] == muc4.fingerprint
        (p,) = t.predictions
        assert f"registry:{registry_digest(muc4.registry)}" in p.model_version
        assert f"registry:{registry_digest(registry)}" not in p.model_version
        for r in p.result:
            assert r.get("from_name") != "new_actor", r  # every predicted entity is one of MUC-4's
            if r.get("from_name") == "entity":
                ((eid,),) = r["value"]["taxonomy"]
                assert eid in muc_ids
                n_entities += 1
    assert n_entities > 0, "rules.v1 found no MUC-4 actor in three test documents"

    # an annotator accepts the pre-annotation as it is; the pull needs no --registry
    for t in tasks:
        session.ls.annotations.create(t.id, result=ui_ids(t.predictions[0].result), completed_by=session.user_id)
    out = tmp_path / "pulled"
    assert main(["annotate", "pull", "--project", "muc4-registry", "--annotator", ls_env.username,
                 "--corpus-out", str(out)]) == 0
    pulled = load_corpus(out)
    assert {a["entity"] for d in pulled.documents for a in d["actors"]} <= muc_ids
    assert pulled.registry.actors == muc4.registry.actors
    capsys.readouterr()
    # the same tasks read with the embedded registry fail: the default really is MUC-4's
    assert main(["annotate", "pull", "--project", "muc4-registry", "--annotator", ls_env.username,
                 "--corpus-out", str(tmp_path / "wrong"), "--registry", str(registry.path)]) == 2
    assert "not in the actor registry" in capsys.readouterr().err


def test_push_selects_by_disagreement_with_both_systems_attached(ls_env, session, muc4, capsys):
    from conflictbench.labelstudio.preannotate import predictions_of
    from conflictbench.labelstudio.selection import rank_documents

    assert main(["annotate", "push", "--project", "muc4-select", "--corpus", str(muc4.path), "--splits", "tst4",
                 "--select", "disagreement", "--systems", "rules.v1,null.v1", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "top 3 by disagreement of rules.v1, null.v1" in out and "3 task(s) created" in out
    tasks = session.tasks(session.project_id("muc4-select"))
    assert len(tasks) == 3
    # null.v1 predicts nothing: a document where rules.v1 finds anything in a field scores 1 for
    # it, so the top 3 are documents where rules.v1 found something in every field (score 1.0)
    docs = [d for d in muc4.documents if d["id"] in set(muc4.splits["tst4"])]
    rules = predictions_of("rules.v1", docs, corpus=muc4)
    full = sorted(p["id"] for p in rules.predictions if all(p[f] for f in ("casualties", "actors", "dates")))
    assert len(full) >= 3
    assert sorted(t.data["doc_id"] for t in tasks) == full[:3]  # ties (all 1.0) broken by id
    ranked = rank_documents([d["id"] for d in docs], {"rules.v1": {p["id"]: p for p in rules.predictions},
                                                      "null.v1": {d["id"]: {"id": d["id"], "casualties": [],
                                                                            "actors": [], "dates": []} for d in docs}})
    assert [r.doc_id for r in ranked[:3]] == full[:3] and ranked[0].score == 1.0
    for t in tasks:  # both systems' predictions are attached
        assert sorted(p.model_version.split("|")[0] for p in t.predictions) == ["null.v1", "rules.v1"]


def test_predictions_for_existing_tasks_are_one_request(session, seed_doc, corpus, registry, monkeypatch):
    from conflictbench.labelstudio.preannotate import predictions_of

    docs = [dict(seed_doc, id=f"batch-{i}") for i in range(5)]
    cfg = C.generate_config("main", registry=registry)
    push(session, docs, title="batched", label_config=cfg, instructions="", corpus=corpus)

    def one_by_one(*a, **k):
        raise AssertionError("one request per prediction")

    monkeypatch.setattr(session.ls.predictions, "create", one_by_one)
    pre = predictions_of("rules.v1", docs, corpus=corpus)
    res = push(session, docs, title="batched", label_config=cfg, instructions="", predictions=[pre.pair()],
               corpus=corpus)
    assert (res.tasks_created, res.tasks_updated, res.predictions_added) == (0, 5, 5)
    assert all(len(t.predictions) == 1 for t in session.tasks(res.project_id))


def test_two_annotator_adjudication_round_trip(ls_env, session, registry, root, tmp_path, capsys):
    """Two annotators on two documents: they agree on one (straight into the gold folder), not on
    the other (an adjudication annotation with 6 marked conflicts: see test_selection); the lead
    settles it; the pull takes it; the gold folder builds into a valid corpus."""
    title = "adjudication"
    agreed, disputed = dict(small_doc(), id="adj-agreed"), dict(small_doc(), id="adj-disputed")
    res = push(session, [agreed, disputed], title=title, label_config=C.generate_config("main", registry=registry),
               instructions="", annotators=2)
    tasks = {t.data["doc_id"]: t for t in session.tasks(res.project_id)}
    second = session.ls.users.create(email="adjudication-b@conflictbench.test", username="adj-b",
                                     password="second-annotator-pw")
    work = {("adj-agreed", session.user_id): agreed, ("adj-agreed", second.id): agreed,
            ("adj-disputed", session.user_id): disputed,
            ("adj-disputed", second.id): dict(annotator_b(), id="adj-disputed")}
    for n, ((doc_id, who), doc) in enumerate(work.items()):
        result = ui_ids(document_to_task(doc, gold=True)[0]["annotations"][0]["result"], seed=n)
        session.ls.annotations.create(tasks[doc_id].id, result=result, completed_by=who)

    gold = tmp_path / "gold"
    assert main(["annotate", "adjudicate", "--project", title, "--gold-dir", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "1 task(s) agreed" in out and "adj-disputed: 6 conflicting item(s)" in out
    assert sorted(p.name for p in gold.iterdir()) == ["adj-agreed.json", "adj-agreed.txt"]

    assert main(["annotate", "status", "--project", title, "--gold-dir", str(gold), "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert (st["tasks"], st["annotators_wanted"], st["tasks_with_2_annotations"]) == (2, 2, 2)
    assert (st["adjudicated"], st["conflicts_open"], st["pulled"]) == (1, 1, 1)
    assert st[f"annotator.{ls_env.username}"] == 2 and st["annotator.adjudication-b@conflictbench.test"] == 2
    assert st["agreement.pairs"] == 2 and st["agreement.relations.perpetrator.tp"] == 2

    # the adjudication annotation: ground truth, 6 regions marked conflict, each with a note
    export = {t["data"]["doc_id"]: t for t in session.export(res.project_id)}
    (adj,) = [a for a in export["adj-disputed"]["annotations"] if a["ground_truth"]]
    marked = [r for r in adj["result"] if r.get("from_name") == C.CONFLICT_TAG]
    assert len(marked) == 6
    notes = [r["meta"]["text"][0] for r in adj["result"] if r.get("from_name") == C.LABELS]
    assert len(notes) == 6 and all("conflict: only in the annotation(s) of" in n for n in notes)

    # the pull refuses while conflicts are marked, and writes nothing
    assert main(["annotate", "pull", "--project", title, "--gold-dir", str(gold)]) == 2
    err = capsys.readouterr().err
    assert err.count("still marked as an unresolved adjudication conflict") == 6
    assert sorted(p.name for p in gold.iterdir()) == ["adj-agreed.json", "adj-agreed.txt"]

    # the lead keeps the first annotator's versions: deletes the second's, unticks conflict
    theirs = {r["id"] for r in adj["result"] if r.get("from_name") == C.LABELS
              and "adjudication-b@" in r["meta"]["text"][0].split("(not of")[0]}
    assert len(theirs) == 3
    settled = [r for r in adj["result"] if r.get("from_name") != C.CONFLICT_TAG
               and r.get("id") not in theirs and not ({r.get("from_id"), r.get("to_id")} & theirs)]
    session.ls.annotations.update(adj["id"], result=settled)
    assert main(["annotate", "adjudicate", "--project", title, "--gold-dir", str(gold)]) == 0
    assert "2 adjudicated before (left alone)" in capsys.readouterr().out  # settled ones are not touched
    assert main(["annotate", "pull", "--project", title, "--gold-dir", str(gold)]) == 0
    assert sorted(p.name for p in gold.iterdir()) == [
        "adj-agreed.json", "adj-agreed.txt", "adj-disputed.json", "adj-disputed.txt"]
    corpus_dir = tmp_path / "corpus"
    assert main(["corpus", "build", "--gold", str(gold), "--out", str(corpus_dir)]) == 0
    built = load_corpus(corpus_dir).by_id()
    assert built["adj-agreed"] == normalise_document(agreed)
    assert built["adj-disputed"] == normalise_document(disputed)  # the first annotator's version throughout
