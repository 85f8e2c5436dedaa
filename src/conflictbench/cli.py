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


def _redacting_excepthook(kind, value, tb) -> None:
    """An unexpected error's traceback, with every credential masked (conflictbench.redaction)."""
    import traceback

    from .redaction import redact

    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))


def main(argv: list[str] | None = None) -> int:
    from .redaction import redact
    from .report.common import printable

    sys.excepthook = _redacting_excepthook
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConflictbenchError as exc:
        # text from outside (a server's reply, a program's name or output) may be in the message
        print(f"conflictbench: error: {printable(redact(exc), keep_newlines=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("conflictbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): stop quietly, as SIGPIPE would
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except BaseException as exc:  # SIGTERM during a run (runner.process.Terminated); anything else goes on up
        from .runner.process import Terminated

        if not isinstance(exc, Terminated):
            raise
        print("conflictbench: terminated (SIGTERM); every program started was ended", file=sys.stderr)
        return 143


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
