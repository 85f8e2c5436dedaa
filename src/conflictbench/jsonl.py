"""Reading JSON Lines with errors that name the file and line.

:func:`read_jsonl` streams ``(where, record)`` pairs, ``where`` being ``"path:line"``;
blank lines are skipped; unreadable files, bad UTF-8 and malformed JSON raise one
:class:`~conflictbench.errors.DataError` naming the place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError


def read_jsonl(path: str | Path, *, what: str = "file") -> Iterator[tuple[str, Any]]:
    path = Path(path)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read {what} ({exc.strerror})") from None
    with fh:
        lineno = 0
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    rec = json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as exc:
                    raise DataError(
                        f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
                    ) from None
                yield where, rec
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}:{lineno + 1}: not valid UTF-8 (byte {exc.start} of the line)") from None
