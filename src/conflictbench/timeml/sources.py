"""The ``.tml`` files named on the command line: files, folders of them, ``.tar.gz`` archives.

Each file comes with the name of the folder that holds it (in the archive, for a member),
from which its split is named (:func:`split_name`); ``--split NAME`` puts every file in one
split. macOS AppleDouble files (``._*``) are ignored. Archives are read directly, never
extracted.
"""

from __future__ import annotations

import re
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from ..errors import DataError


@dataclass(frozen=True)
class Source:
    name: str  # path, or "<archive file name>:member/path.tml"
    folder: str  # the name of the folder holding the file
    data: bytes


def split_name(folder: str) -> str:
    """A folder name as a split name: lower case, runs of other characters than letters and
    digits as one ``_`` (parquet file names and ``datasets`` need ``\\w+``)."""
    out = re.sub(r"[^a-z0-9]+", "_", folder.lower()).strip("_")
    return out or "default"


def _is_tml(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.endswith(".tml") and not base.startswith("._")


def _archive(path: Path) -> Iterator[Source]:
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                if not member.isfile() or not _is_tml(member.name):
                    continue
                fh = tar.extractfile(member)
                data = fh.read() if fh is not None else b""
                parent = PurePosixPath(member.name).parent.name
                yield Source(f"{path.name}:{member.name}", parent or path.name, data)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise DataError(f"{path}: not a readable tar archive ({exc}); nothing written") from None


def read_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Every ``.tml`` under ``paths``, in a stable order (sorted within each path)."""
    out: list[Source] = []
    for p in map(Path, paths):
        if not p.exists():
            raise DataError(f"{p}: no such file or folder")
        if p.is_dir():
            files = sorted(f for f in p.rglob("*.tml") if f.is_file() and _is_tml(f.name))
            if not files:
                raise DataError(f"{p}: no .tml file in this folder")
            out += [Source(str(f), f.parent.name, f.read_bytes()) for f in files]
        elif p.name.endswith((".tar.gz", ".tgz", ".tar")):
            found = sorted(_archive(p), key=lambda s: s.name)
            if not found:
                raise DataError(f"{p}: no .tml file in this archive")
            out += found
        elif p.name.endswith(".tml"):
            out.append(Source(str(p), p.resolve().parent.name, p.read_bytes()))
        else:
            raise DataError(f"{p}: not a .tml file, a folder or a .tar.gz archive")
    return out
