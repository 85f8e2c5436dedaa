"""``conflictbench annotate ...``: Label Studio configs, push, pull and agreement.

The server comes from ``LABEL_STUDIO_URL`` and ``LABEL_STUDIO_API_KEY``; the key is never
printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("annotate", help="Label Studio: labeling configs, push, pull, agreement")
    asub = p.add_subparsers(dest="annotate_command", metavar="SUBCOMMAND")
    asub.required = True

    c = asub.add_parser("config", help="(re)generate annotation/labelstudio/*.xml from schema + registry")
    c.add_argument("--registry", type=Path, help="actor registry (default annotation/actors.jsonl)")
    c.add_argument("--out", type=Path, help="folder (default annotation/labelstudio)")
    c.add_argument("--check", action="store_true", help="fail if the files differ; write nothing")
    c.set_defaults(func=_config)

    u = asub.add_parser("push", help="create/update a project and its tasks (keyed by document id)")
    u.add_argument("--project", required=True, help="project title")
    u.add_argument("--config", default="main", help="'main', 'casualties' or an XML file")
    u.add_argument("--corpus", type=Path, help="corpus folder (default: the embedded corpus)")
    u.add_argument("--splits", type=_csv, help="only documents of these splits (comma-separated)")
    u.add_argument("--ids", type=Path, metavar="FILE", help="only these documents: a file of ids, one a line")
    u.add_argument("--limit", type=int, help="push at most N documents (the first N, or the top N of --select)")
    u.add_argument("--select", choices=["disagreement", "uncertainty", "random"],
                   help="rank documents: where --systems disagree most (1 - F1 between their predictions), "
                        "the committee's vote entropy, or a random sample (--seed)")
    u.add_argument("--systems", type=_csv, default=[], metavar="A,B",
                   help="extractors to rank by (2+); their predictions are attached to the pushed tasks")
    u.add_argument("--seed", type=int, default=0, help="seed of --select random (default 0)")
    u.add_argument("--predictions", metavar="EXTRACTOR", action="append", default=[],
                   help="pre-annotate with this extractor, run as eval runs it on the pushed corpus (repeatable)")
    u.add_argument("--annotators", type=int, metavar="N",
                   help="annotators per task: each task stays open until N people annotated it")
    u.add_argument("--with-gold", action="store_true", help="add the corpus gold as ground-truth annotations")
    u.add_argument("--instructions", type=Path, help="guidelines shown as instructions "
                   "(default annotation/GUIDELINES.md)")
    u.set_defaults(func=_push)

    q = asub.add_parser("pull", help="export, convert, validate, write the gold atomically")
    q.add_argument("--project", required=True)
    q.add_argument("--annotator", help="email of the annotator whose work is gold "
                   "when no annotation is marked ground truth")
    q.add_argument("--gold-dir", type=Path, help="gold source folder to add/replace documents in "
                   "(default annotation/gold when --corpus-out is not given)")
    q.add_argument("--corpus-out", type=Path, help="write a corpus folder with exactly the pulled documents")
    q.add_argument("--registry", type=Path, help=REGISTRY_HELP)
    q.set_defaults(func=_pull)

    g = asub.add_parser("agreement", help="inter-annotator agreement per field, attribute and relation")
    g.add_argument("--project", required=True)
    g.add_argument("--registry", type=Path, help=REGISTRY_HELP)
    g.add_argument("--span-mode", default="strict", choices=["strict", "overlap"])
    g.add_argument("--json", action="store_true", help="print JSON")
    g.set_defaults(func=_agreement)

    j = asub.add_parser("adjudicate", help="merge several annotators' work: agreed documents into the gold "
                        "folder, conflicts into an adjudication annotation for a lead")
    j.add_argument("--project", required=True)
    j.add_argument("--gold-dir", type=Path, help="gold source folder (default annotation/gold)")
    j.add_argument("--registry", type=Path, help=REGISTRY_HELP)
    j.set_defaults(func=_adjudicate)

    t = asub.add_parser("status", help="tasks, annotations per task and annotator, agreement, adjudication, pulled")
    t.add_argument("--project", required=True)
    t.add_argument("--gold-dir", type=Path, help="gold folder to count pulled documents in (default annotation/gold)")
    t.add_argument("--registry", type=Path, help=REGISTRY_HELP)
    t.add_argument("--json", action="store_true", help="print JSON")
    t.set_defaults(func=_status)


REGISTRY_HELP = ("actor registry (default: the registry of the corpus the tasks were pushed from; "
                 "annotation/actors.jsonl for tasks that do not record it)")


def _csv(text: str) -> list[str]:
    items = [s.strip() for s in text.split(",") if s.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return items


def _root() -> Path:
    from ..corpus import project_root
    from ..errors import DataError

    root = project_root()
    if root is None:
        raise DataError("no source checkout found: pass the paths explicitly")
    return root


def _registry(path: Path | None):
    from ..actors import ActorRegistry

    return ActorRegistry.load(path or _root() / "annotation" / "actors.jsonl")


def _config(args: argparse.Namespace) -> int:
    from ..errors import DataError
    from ..labelstudio.config import CONFIG_FILES, generate_config, write_configs

    registry = _registry(args.registry)
    out = args.out or _root() / "annotation" / "labelstudio"
    if args.check:
        stale = [f for name, f in CONFIG_FILES.items()
                 if not (out / f).is_file()
                 or (out / f).read_text(encoding="utf-8") != generate_config(name, registry=registry)]
        if stale:
            raise DataError(f"{out}: {stale} differ from the generated configs; run `conflictbench annotate config`")
        print(f"{out}: configs up to date")
        return 0
    for path in write_configs(out, registry):
        print(f"wrote {path}")
    return 0


def _label_config(spec: str, registry) -> tuple[str, tuple[str, ...]]:
    from ..errors import DataError
    from ..labelstudio.config import CONFIG_FILES, generate_config
    from ..schema import FIELDS

    if spec in CONFIG_FILES:
        fields = ("casualties",) if spec == "casualties" else FIELDS
        return generate_config(spec, registry=registry), fields
    path = Path(spec)
    if not path.is_file():
        raise DataError(f"--config {spec!r}: neither {sorted(CONFIG_FILES)} nor an existing XML file")
    return path.read_text(encoding="utf-8"), FIELDS


def _push(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..errors import DataError
    from ..labelstudio.client import Session, push
    from ..labelstudio.config import instructions_html
    from ..labelstudio.preannotate import predictions_of
    from ..labelstudio.selection import read_id_file, select_documents

    corpus = load_corpus(args.corpus)
    ids = read_id_file(args.ids) if args.ids is not None else None
    chosen = select_documents(corpus, splits=args.splits, ids=ids, limit=args.limit, select=args.select,
                              systems=args.systems, seed=args.seed)
    docs = list(chosen.documents)
    if not docs:
        raise DataError(f"{corpus.path}: no document to push")
    label_config, fields = _label_config(args.config, corpus.registry)
    if args.instructions is not None and not args.instructions.is_file():
        raise DataError(f"--instructions {args.instructions}: no such file")
    instructions = instructions_html(args.instructions) if args.instructions else None  # None: the guidelines
    for line in chosen.failed:
        print(f"left out of the ranking (a system failed on it): {line}", file=sys.stderr)
    if chosen.ranking and args.select != "random":
        print(f"top {len(docs)} by {args.select} of {', '.join(args.systems)}:")
        for r in chosen.ranking[:10]:
            print(f"  {r.doc_id}  {r.score:.3f}")
    ranked = {p.spec for p in chosen.preannotations}
    pres = list(chosen.preannotations) + [predictions_of(name, docs, corpus=corpus)
                                          for name in args.predictions if name not in ranked]
    failures = [f for p in pres for f in p.failures]
    for f in failures:
        print(f"no pre-annotation: {f}", file=sys.stderr)
    session = Session()
    res = push(session, docs, title=args.project, label_config=label_config,
               instructions=instructions, predictions=[p.pair() for p in pres],
               gold=args.with_gold, fields=fields, registry=corpus.registry, corpus=corpus,
               annotators=args.annotators)
    for line in res.skipped:
        print(f"not shown in Label Studio (no offsets): {line}", file=sys.stderr)
    verb = "created" if res.project_created else "updated"
    print(f"project {args.project!r} (id {res.project_id}) {verb} at {session.url}: "
          f"{res.tasks_created} task(s) created, {res.tasks_updated} updated, "
          f"{res.predictions_added} prediction(s) added")
    return 1 if failures else 0


def _pull(args: argparse.Namespace) -> int:
    from ..labelstudio.client import Session
    from ..labelstudio.gold import pull

    gold_dir = args.gold_dir
    if gold_dir is None and args.corpus_out is None:
        gold_dir = _root() / "annotation" / "gold"
    session = Session()
    res = pull(session, title=args.project, registry=_registry_path(args.registry), annotator=args.annotator,
               gold_dir=gold_dir, corpus_dir=args.corpus_out)
    print(f"pulled {len(res.documents)} document(s) from {res.tasks_total} task(s) "
          f"({res.tasks_unannotated} not annotated yet)")
    for path in res.written:
        print(f"wrote {path}")
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from ..labelstudio.agreement import project_agreement
    from ..labelstudio.client import Session

    session = Session()
    tasks = session.export(session.project_id(args.project))
    report = project_agreement(tasks, _tasks_registry(tasks, args.registry), span_mode=args.span_mode)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(report.format())
    return 0


def _registry_path(path: Path | None):
    """An explicit --registry as a loaded registry; None lets the pull read the tasks' corpus."""
    from ..actors import ActorRegistry

    return ActorRegistry.load(path) if path is not None else None


def _tasks_registry(tasks, path: Path | None):
    from ..corpus import project_root
    from ..labelstudio.preannotate import registry_for_tasks

    root = project_root()
    fallback = root / "annotation" / "actors.jsonl" if root is not None else None
    return registry_for_tasks(tasks, path, fallback=fallback)


def _adjudicate(args: argparse.Namespace) -> int:
    from ..labelstudio.adjudicate import adjudicate
    from ..labelstudio.client import Session

    session = Session()
    gold_dir = args.gold_dir or _root() / "annotation" / "gold"
    res = adjudicate(session, title=args.project, registry=_registry_path(args.registry), gold_dir=gold_dir,
                     fallback_registry=_root() / "annotation" / "actors.jsonl")
    print(f"{len(res.settled)} task(s) agreed: written to {gold_dir}; "
          f"{len(res.conflicted)} with conflicts ({sum(res.conflicted.values())} item(s)) in adjudication "
          f"annotations for a lead; {len(res.already)} adjudicated before (left alone); "
          f"{len(res.waiting)} with fewer than two annotators")
    for doc_id, n in sorted(res.conflicted.items()):
        print(f"  {doc_id}: {n} conflicting item(s)")
    return 0


def _status(args: argparse.Namespace) -> int:
    from ..corpus import project_root
    from ..errors import DataError
    from ..labelstudio.client import Session
    from ..labelstudio.status import project_status

    session = Session()
    pid = session.project_id(args.project)
    project = session.call("read the project", session.ls.projects.get, pid)
    tasks = session.export(pid)
    try:
        registry = _tasks_registry(tasks, args.registry)
    except DataError:
        registry = None
    root = project_root()
    gold_dir = args.gold_dir or (root / "annotation" / "gold" if root is not None else None)
    st = project_status(args.project, tasks, registry, users=session.users(),
                        annotators_wanted=getattr(project, "maximum_annotations", None), gold_dir=gold_dir)
    print(json.dumps(st.to_dict(), indent=1, ensure_ascii=False) if args.json else st.format())
    return 0
