"""The ``conflictbench`` command: a thin dispatcher over the library.

Each command group lives in ``conflictbench.commands.<name>`` and exposes
``register(subparsers)``; handlers import the heavy library code lazily, so
``conflictbench --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .errors import ConflictbenchError

#: Command modules, in the order their commands appear in ``--help``.
COMMAND_MODULES = (
    "corpus",
    "annotate",
    "evaluation",
    "timeml",
    "bench",
    "site",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conflictbench",
        description="Gold corpus, annotation tooling and scorer for conflict-news extraction.",
    )
    parser.add_argument("--version", action="version", version=f"conflictbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"conflictbench.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConflictbenchError as exc:
        print(f"conflictbench: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("conflictbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): stop quietly, as SIGPIPE would
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
