"""Reading the MUC-3/4 distribution (``muc34.tar.gz``) directly with :mod:`tarfile`.

The files used are under ``TASK/CORPORA/<set>/`` (any leading folder): the texts
(``dev-muc3-0001-0100`` … ``dev-muc3-1201-1300``, ``tst1-muc3``, ``tst2-muc4``,
``tst3-muc4``, and for TST4 the original mixed-case ``tst4-muc4.mixed-case``) and the
answer keys (``key-dev-0001.muc4`` …, ``key-tst1.v7``, ``key-tst2.v4``, ``key-tst3.v2``,
``key-tst4.v2``). macOS AppleDouble files (``._*``) and ``.DS_Store`` are ignored.
"""

from __future__ import annotations

import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError

SPLITS: tuple[str, ...] = ("dev", "tst1", "tst2", "tst3", "tst4")

#: Text file names per set (regular expressions on the base name).
TEXT_FILES = {
    "dev": r"dev-muc3-\d{4}-\d{4}",
    "tst1": r"tst1-muc3",
    "tst2": r"tst2-muc4",
    "tst3": r"tst3-muc4",
    "tst4": r"tst4-muc4\.mixed-case",
}
KEY_FILES = {
    "dev": r"key-dev-\d{4}\.muc4",
    "tst1": r"key-tst1\.v\d+",
    "tst2": r"key-tst2\.v\d+",
    "tst3": r"key-tst3\.v\d+",
    "tst4": r"key-tst4\.v\d+",
}
#: Sets whose texts are upper case in the distribution (TST4's are the mixed-case originals).
UPPER_CASE_SPLITS: tuple[str, ...] = ("dev", "tst1", "tst2", "tst3")

_MEMBER = re.compile(r"(?:^|/)TASK/CORPORA/(dev|tst[1-4])/([^/]+)$")


@dataclass
class SplitFiles:
    texts: dict[str, str] = field(default_factory=dict)  # member name -> content
    keys: dict[str, str] = field(default_factory=dict)


def read_archive(path: str | Path) -> dict[str, SplitFiles]:
    """The text and key files of every set, decoded, keyed by tar member name."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: MUC-3/4 archive not found")
    out = {s: SplitFiles() for s in SPLITS}
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                m = _MEMBER.search(member.name)
                if not m:
                    continue
                split, base = m.group(1), m.group(2)
                if base.startswith("._") or base == ".DS_Store":
                    continue
                if re.fullmatch(TEXT_FILES[split], base):
                    kind = out[split].texts
                elif re.fullmatch(KEY_FILES[split], base):
                    kind = out[split].keys
                else:
                    continue
                fh = tar.extractfile(member)
                data = fh.read() if fh is not None else b""
                try:
                    kind[member.name] = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise DataError(
                        f"{path}: {member.name}: byte {exc.start} is not valid UTF-8/ASCII"
                    ) from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DataError(f"{path}: not a readable tar archive ({exc})") from None
    for split, files in out.items():
        if not files.texts:
            raise DataError(
                f"{path}: no text file for set {split!r} (expected TASK/CORPORA/{split}/"
                f"{TEXT_FILES[split].replace(chr(92), '')})"
            )
        if not files.keys:
            raise DataError(f"{path}: no answer-key file for set {split!r} under TASK/CORPORA/{split}/")
    return out
