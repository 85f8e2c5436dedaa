"""``conflictbench eval``, ``conflictbench compare A B``, ``conflictbench extractors``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .extractor_options import add_extractor_options, extractor_options


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, help="corpus folder (default: the embedded corpus)")
    p.add_argument("--splits", help="comma-separated splits to score (default: all)")
    p.add_argument("--span-mode", default="strict", help="strict | overlap | none (default strict)")
    p.add_argument("--zero-division", default="0", help="value of an undefined ratio: 0, 1, nan (default 0)")
    p.add_argument("--match", action="append", default=[], metavar="FIELD=MATCHER",
                   help="value matcher of a field, e.g. dates=dates.value-granularity.v1 (repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seed of the resampling (default 0)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="programs (--extractor-cmd, cmd:): seconds per document, from the moment it is written "
                        "(default %(default)g); a program must write and flush one JSON line, carrying the "
                        "document's id, per document it reads")
    p.add_argument("--startup-timeout", type=float, default=300.0,
                   help="programs: extra seconds for the first document of each program started, to load "
                        "its model (default %(default)g)")
    p.add_argument("--pass-env", action="append", default=[], metavar="NAME",
                   help="programs: pass this credential variable on purpose (by default every *_API_KEY, "
                        "*_TOKEN and LABEL_STUDIO_API_KEY is withheld from them) (repeatable)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    add_extractor_options(p)


def register(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("eval", help="score extractors or prediction files on a corpus (leaderboard + report)")
    e.add_argument("--extractor", action="append", default=[], metavar="SPEC",
                   help="registered name (e.g. rules.v1) or package.module:attr (repeatable)")
    e.add_argument("--extractor-cmd", action="append", default=[], metavar="CMD",
                   help="a program reading document JSONL on stdin, writing prediction JSONL on stdout")
    e.add_argument("--predictions", action="append", default=[], type=Path, metavar="FILE",
                   help="a predictions JSONL file (see PREDICTIONS.md) (repeatable)")
    e.add_argument("--all", action="store_true",
                   help="every registered extractor (the default when no system is named)")
    e.add_argument("--out", type=Path, help="results folder (default eval/results); --no-write to skip")
    e.add_argument("--no-write", action="store_true", help="print the leaderboard only, write no result file")
    e.add_argument("--save-predictions", type=Path, metavar="DIR",
                   help="also write each system's predictions to DIR/<name>.jsonl (the PREDICTIONS.md format, "
                        "with the corpus fingerprint in its header) to re-score or compare them later")
    e.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the CIs (default 1000)")
    e.add_argument("--te3", action="store_true",
                   help="also TempEval-3 timex figures of the dates (TimeML corpora; te3.json in the results)")
    e.add_argument("--engine", default="local",
                   help="where extractors run: local (this process, the default) or dask (same scores)")
    e.add_argument("--workers", type=int, metavar="N",
                   help="--engine dask: start a local cluster of N worker processes (default 2)")
    e.add_argument("--scheduler", metavar="ADDRESS",
                   help="--engine dask: use the existing cluster at ADDRESS (e.g. tcp://scheduler-host:8786)")
    e.add_argument("--partition-size", type=int, default=1000, metavar="DOCS",
                   help="--engine dask: documents per task (default 1000)")
    _common(e)
    e.set_defaults(func=_eval)

    c = sub.add_parser("compare", help="paired significance test between two systems (A, B: extractor or file)")
    c.add_argument("a", help="registered extractor, package.module:attr, a predictions file, or cmd:COMMAND")
    c.add_argument("b", help="the same, for the second system")
    c.add_argument("--level", default="mention", help="mention | value (default mention)")
    c.add_argument("--resamples", type=int, default=1000, help="paired bootstrap resamples (default 1000)")
    c.add_argument("--trials", type=int, default=10000, help="approximate randomisation trials (default 10000)")
    _common(c)
    c.set_defaults(func=_compare)

    x = sub.add_parser("extractors", help="list the registered extractors")
    x.set_defaults(func=_extractors)


def _settings(args):
    """The options as a :class:`Settings` (which validates them), before anything runs."""
    from ..errors import ParameterError
    from ..evaluation import Settings

    zd_raw = args.zero_division
    zd = {"0": 0.0, "1": 1.0, "nan": float("nan"), "warn": "warn"}.get(zd_raw.strip().lower())
    if zd is None:
        raise ParameterError(f"--zero-division must be one of 0, 1, nan, warn. Got {zd_raw!r} instead.")
    matchers = {}
    for m in args.match:
        field, sep, name = m.partition("=")
        if not sep:
            raise ParameterError(f"--match must be FIELD=MATCHER, got {m!r}")
        matchers[field.strip()] = name.strip()
    from ..errors import check_choice
    from ..scoring.alignment import SPAN_MODES

    check_choice("eval", "span_mode", args.span_mode, SPAN_MODES)  # the command's wording; Settings checks too
    from ..runner import check_seconds

    check_seconds(args.timeout, "--timeout")
    check_seconds(args.startup_timeout, "--startup-timeout")
    for option in ("bootstrap", "resamples", "trials"):
        n = getattr(args, option, 1)
        if n < 1:
            raise ParameterError(f"--{option} must be a positive integer. Got {n!r} instead.")
    if args.seed < 0:  # NumPy's generators take no negative seed
        raise ParameterError(f"--seed must be a non-negative integer. Got {args.seed!r} instead.")
    return Settings(span_mode=args.span_mode, zero_division=zd, matchers=matchers,
                    n_resamples=getattr(args, "bootstrap", 1000), seed=args.seed)


def _engine(args):
    """None for --engine local; a (not yet started) DaskEngine for --engine dask."""
    from ..engines import ENGINES
    from ..errors import ParameterError, check_choice

    check_choice("eval", "engine", args.engine, ENGINES)
    if args.engine == "local":
        for option in ("workers", "scheduler"):
            if getattr(args, option) is not None:
                raise ParameterError(f"--{option} needs --engine dask")
        return None
    from ..engines.dask import DaskEngine

    return DaskEngine(workers=args.workers, scheduler=args.scheduler, partition_size=args.partition_size)


def _selection(args):
    from ..corpus import load_corpus
    from ..evaluation import select

    splits = [s.strip() for s in args.splits.split(",") if s.strip()] if args.splits else None
    return select(load_corpus(args.corpus), splits)


def _default_out() -> Path:
    from ..corpus import project_root

    root = project_root()
    return (root if root is not None else Path.cwd()) / "eval" / "results"


def _import_path() -> None:
    """Let ``--extractor module:attr`` import from the working directory, as ``python -m`` would."""
    import os

    cwd = os.getcwd()
    if "" not in sys.path and cwd not in sys.path:
        sys.path.insert(0, cwd)


def _check_folder(option: str, folder: Path | None, own: tuple = ()) -> None:
    from ..errors import ParameterError

    if folder is None:
        return
    for p in (folder, *folder.parents):
        if p.exists():
            if not p.is_dir():
                raise ParameterError(f"{option} {folder}: {p} exists and is not a folder")
            break
    from ..atomic import check_set_folder

    try:
        check_set_folder(folder, own=[o for o in own if o is not None])  # swapped whole: fail now, not at the end
    except ParameterError as exc:
        raise ParameterError(f"{option} {exc}") from None


def _eval(args: argparse.Namespace) -> int:
    from ..atomic import write_together
    from ..evaluation import SystemSpec, evaluate
    from ..registrations import extractor_names
    from ..report import terminal_table, write_results

    from ..runner import split_command

    settings = _settings(args)
    options = extractor_options(args, _default_out)
    engine = _engine(args)
    for cmd in args.extractor_cmd:  # an unclosed quote fails before anything runs
        split_command(cmd, where="--extractor-cmd")
    selection = _selection(args)
    out = None if args.no_write else (args.out or _default_out())
    for option, folder in (("--out", out), ("--save-predictions", args.save_predictions)):
        # before anything runs: a long run is not lost at the end (each may hold the other)
        _check_folder(option, folder, own=(out, args.save_predictions))
    _import_path()
    names = list(args.extractor)
    run_all = args.all or not (names or args.extractor_cmd or args.predictions)
    optional: list[str] = []
    if run_all:  # every registered extractor; those not named explicitly may be unavailable here
        optional = [n for n in extractor_names() if n not in names]
        names += optional
    specs = ([SystemSpec("predictions", str(p)) for p in args.predictions]
             + [SystemSpec("extractor", n) for n in names]
             + [SystemSpec("command", c) for c in args.extractor_cmd])
    kw = dict(timeout=args.timeout, startup_timeout=args.startup_timeout, jobs=args.jobs or 1,
              pass_env=args.pass_env, optional=optional, progress=args.progress, extractor_options=options)
    if engine is None:
        board = evaluate(selection, specs, settings, **kw)
    else:
        with engine:
            board = evaluate(selection, specs, settings, engine=engine, **kw)
    systems = list(board.systems)
    print(terminal_table(systems, board.unavailable, settings=settings))
    saved = prediction_files(args.save_predictions, systems, selection) if args.save_predictions else {}
    if args.te3:
        import json

        from .timeml import te3_section

        te3_text, te3_data = te3_section(systems, selection)
        print(te3_text)
        if out is not None:
            saved[out / "te3.json"] = json.dumps(te3_data, indent=1, ensure_ascii=False) + "\n"
    try:
        if out is not None:
            written = write_results(out, systems, selection, settings, board.unavailable, extra=saved)
            print("wrote " + ", ".join(str(p) for p in written))
        elif saved:
            write_together(saved)
            print("wrote " + ", ".join(str(p) for p in saved))
    except OSError as exc:  # nothing was replaced (write_together is all or nothing)
        from ..errors import ParameterError

        raise ParameterError(f"cannot write {exc.filename or out}: {exc.strerror or exc}; "
                             "no result file was changed") from None
    if board.failed:
        from ..report.common import printable

        print(printable("conflictbench: " + "; ".join(f"{s.name}: {len(s.failures)} document(s) failed"
                                                      for s in board.failed)), file=sys.stderr)
        return 1
    return 0


def prediction_files(out_dir: Path, systems: list, selection) -> dict[Path, str]:
    """``DIR/<name>.jsonl`` → text for every system (see :func:`conflictbench.predictions.prediction_lines`)."""
    import re

    from ..predictions import prediction_lines

    files: dict[Path, str] = {}
    for s in systems:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", s.name).strip("._") or "system"
        path, n = out_dir / f"{stem}.jsonl", 1
        while path in files:
            n += 1
            path = out_dir / f"{stem}_{n}.jsonl"
        files[path] = prediction_lines(s, selection)
    return files


def _system(spec: str, selection, settings, args):
    from ..evaluation import evaluate_command, evaluate_extractor, evaluate_predictions, parse_system

    system = parse_system(spec)  # compare prints no interval: none is computed
    if system.kind == "command":
        return evaluate_command(system.target, selection, settings, timeout=args.timeout,
                                startup_timeout=args.startup_timeout, jobs=args.jobs or 1, pass_env=tuple(args.pass_env),
                                progress=args.progress, intervals=False)
    if system.kind == "predictions":
        return evaluate_predictions(system.target, selection, settings, intervals=False)
    return evaluate_extractor(system.target, selection, settings, progress=args.progress, intervals=False,
                              options=extractor_options(args, _default_out))


def _compare(args: argparse.Namespace) -> int:
    from ..errors import check_choice
    from ..scoring.statistics import compare

    check_choice("compare", "level", args.level, ("mention", "value"))
    from ..evaluation import parse_system

    settings = _settings(args)
    for spec in (args.a, args.b):  # a bad spec (an unclosed quote in cmd:...) fails before anything runs
        parse_system(spec)
    selection = _selection(args)
    _import_path()
    a = _system(args.a, selection, settings, args)
    b = _system(args.b, selection, settings, args)
    ra, rb = (a.mention, b.mention) if args.level == "mention" else (a.value, b.value)
    tests = compare(ra, rb, n_resamples=args.resamples, n_trials=args.trials, seed=args.seed)
    from ..report.common import printable, stray_note

    print(f"A = {printable(a.name)}   B = {printable(b.name)}   ({args.level} level, "
          f"{len(selection.doc_ids)} documents)")
    print(f"{'field':<12}{'F1 A':>8}{'F1 B':>8}{'B-A':>8}{'p (paired bootstrap)':>22}{'p (approx. rand.)':>19}")
    for t in tests:
        print(f"{t.field:<12}{t.a:>8.3f}{t.b:>8.3f}{t.delta:>+8.3f}{t.p_bootstrap:>22.4f}{t.p_randomization:>19.4f}")
    print(f"paired bootstrap: {args.resamples} resamples; approximate randomisation: {args.trials} trials; "
          f"seed {args.seed}")
    for f in ra.fields:
        print(f"  {f.signature}")
    for s in (a, b):
        if s.n_stray:
            print(printable(stray_note(s)))
        if s.failures:
            print(printable(f"{s.name}: {len(s.failures)} document(s) failed, scored as empty: "
                            + "; ".join(str(f) for f in s.failures[:3]) + (" ..." if len(s.failures) > 3 else "")),
                  file=sys.stderr)
    return 1 if (a.failures or b.failures) else 0


def _extractors(args: argparse.Namespace) -> int:
    from ..registrations import extractor_names
    from ..registry import extractors

    names = extractor_names()
    if not names:
        print("no extractor is registered")
    for name in names:
        factory = extractors.get(name)
        doc = (getattr(factory, "__doc__", None) or "").strip().split("\n\n")[0]  # the first paragraph
        print(f"{name:<20} {' '.join(doc.split())}".rstrip())
    return 0
