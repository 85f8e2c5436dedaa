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
    u.add_argument("--ids", nargs="+", help="only these document ids")
    u.add_argument("--predictions", metavar="EXTRACTOR", action="append", default=[],
                   help="pre-annotate with this registered extractor (repeatable)")
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
    q.add_argument("--registry", type=Path, help="actor registry (default annotation/actors.jsonl)")
    q.set_defaults(func=_pull)

    g = asub.add_parser("agreement", help="inter-annotator agreement per field and attribute")
    g.add_argument("--project", required=True)
    g.add_argument("--registry", type=Path)
    g.add_argument("--span-mode", default="strict", choices=["strict", "overlap"])
    g.add_argument("--json", action="store_true", help="print JSON")
    g.set_defaults(func=_agreement)


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
    from ..labelstudio.client import Session, predictions_of, push
    from ..labelstudio.config import instructions_html

    corpus = load_corpus(args.corpus)
    docs = list(corpus.documents)
    if args.ids:
        by_id = corpus.by_id()
        missing = [i for i in args.ids if i not in by_id]
        if missing:
            raise DataError(f"{corpus.path}: no document(s) {missing}")
        docs = [by_id[i] for i in args.ids]
    label_config, fields = _label_config(args.config, corpus.registry)
    if args.instructions is not None and not args.instructions.is_file():
        raise DataError(f"--instructions {args.instructions}: no such file")
    instructions = instructions_html(args.instructions) if args.instructions else None  # None: the guidelines
    preds = [predictions_of(name, docs) for name in args.predictions]
    session = Session()
    res = push(session, docs, title=args.project, label_config=label_config,
               instructions=instructions, predictions=preds,
               gold=args.with_gold, fields=fields, registry=corpus.registry)
    for line in res.skipped:
        print(f"not shown in Label Studio (no offsets): {line}", file=sys.stderr)
    verb = "created" if res.project_created else "updated"
    print(f"project {args.project!r} (id {res.project_id}) {verb} at {session.url}: "
          f"{res.tasks_created} task(s) created, {res.tasks_updated} updated, "
          f"{res.predictions_added} prediction(s) added")
    return 0


def _pull(args: argparse.Namespace) -> int:
    from ..labelstudio.client import Session
    from ..labelstudio.gold import pull

    gold_dir = args.gold_dir
    if gold_dir is None and args.corpus_out is None:
        gold_dir = _root() / "annotation" / "gold"
    session = Session()
    res = pull(session, title=args.project, registry=_registry(args.registry), annotator=args.annotator,
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
    report = project_agreement(tasks, _registry(args.registry), span_mode=args.span_mode)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(report.format())
    return 0
