"""Writes that never leave a half-written file or folder behind.

Everything is written to a temporary sibling first and moved into place with
:func:`os.replace`, so a reader sees the old content or the new, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping


def write_bytes(path: str | Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the mode open() would
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def temp_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary file path beside ``path``; on success move it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the mode open() would
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: called with the name of each step of a folder swap; tests set it to interrupt a swap there
STEP_HOOK = None


def _step(name: str) -> None:
    if STEP_HOOK is not None:
        STEP_HOOK(name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # not Linux/glibc
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # a file system that cannot exchange: the caller falls back
    raise OSError(err, os.strerror(err), str(a))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(path: str | Path) -> list[Path]:
    """Remove what interrupted swaps of ``path`` left beside it (``.<name>.<pid>.*.new`` / ``.old``
    folders of processes no longer running); restore ``path`` from an ``.old`` folder when an
    interrupted fallback swap (no ``RENAME_EXCHANGE``) left no folder at ``path``. Returns what
    was removed."""
    path = Path(path)
    removed: list[Path] = []
    if not path.parent.is_dir():
        return removed
    import time

    for p in sorted(path.parent.glob(f".{path.name}.*")):
        parts = p.name[len(path.name) + 2:].split(".")
        if len(parts) == 2 and p.suffix in (".tmp", ".old") and p.is_dir() and os.path.lexists(path) \
                and time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)  # left by an earlier version's swap, an hour old or more
            removed.append(p)
            continue
        if len(parts) < 3 or not parts[0].isdigit() or p.suffix not in (".new", ".old"):
            continue
        if _pid_alive(int(parts[0])) and int(parts[0]) != os.getpid():
            continue  # another run's swap in progress
        if p.suffix == ".old" and not os.path.lexists(path):
            os.rename(p, path)  # the interrupted fallback had moved the old folder away: put it back
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


@contextlib.contextmanager
def replace_dir(path: str | Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path``; on success it replaces ``path`` in one step.

    The swap is one ``renameat2(RENAME_EXCHANGE)`` (Linux): at every instant ``path`` is the old
    folder or the new one, complete, never missing and never a mix; a reader keeps reading the
    stable path. When ``path`` is a symbolic link, the folder it points to is swapped and the
    link stays. Where the file system cannot exchange, the old folder is moved aside and the new
    one moved in (two renames; :func:`clean_leftovers`, run first by every swap, puts the old
    back if a run died between them). On error the temporary folder is removed and ``path`` is
    left as it was; leftovers of interrupted runs are removed first.
    """
    path = Path(path)
    target = path.resolve() if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".new", dir=target.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
        _step("written")
        if not os.path.lexists(target):
            os.rename(tmp, target)  # nothing to replace: one rename
            _step("swapped")
            return
        if not target.is_dir():
            raise NotADirectoryError(20, "exists and is not a folder", str(target))
        if _exchange(tmp, target):
            _step("swapped")  # tmp now holds the old folder
        else:
            old = Path(str(tmp)[: -len(".new")] + ".old")
            os.rename(target, old)
            try:
                _step("moved-old")
                os.rename(tmp, target)
            except BaseException:
                os.rename(old, target)  # back as it was
                raise
            _step("swapped")
            tmp = old
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: sub-folders a result set writes itself (``predictions/`` of ``conflictbench eval``): allowed in a set's folder
SET_SUBFOLDERS = ("predictions",)


def check_set_folder(folder: str | Path, *, own: Iterable[str | Path] = ()) -> None:
    """Raise :class:`~conflictbench.errors.ParameterError` unless ``folder`` can hold a set of files
    swapped whole (:func:`write_set`): not the working folder nor one holding it, and no
    sub-folder in it but those a result set writes itself (:data:`SET_SUBFOLDERS`, and ``own``:
    folders written as sets by the same run, e.g. ``--save-predictions OUT/preds``; its other
    files are carried over to each new set; a foreign tree is not)."""
    from .errors import ParameterError

    folder = Path(folder).absolute()
    cwd = Path.cwd()
    if folder == cwd or folder in cwd.parents:
        raise ParameterError(f"{folder}: a result set is written into a folder of its own and swapped whole; "
                             "this is the working folder or holds it: name a sub-folder (e.g. results/)")
    real = folder.resolve() if folder.is_symlink() else folder
    allowed = set(SET_SUBFOLDERS) | {Path(o).absolute().name for o in own if Path(o).absolute().parent == folder}
    if real.is_dir():
        subs = sorted(p.name for p in real.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and p.name not in allowed)
        if subs:
            raise ParameterError(f"{folder}: a result set is written into a folder of its own and swapped whole; "
                                 f"this one holds sub-folders ({', '.join(subs[:3])}): name another folder")


def write_set(folder: str | Path, texts: Mapping[str, str | None], *, own: Iterable[str | Path] = ()) -> Path:
    """Write the files ``texts`` (name → text; ``None`` removes that file) into ``folder`` as one
    set, swapped in one step (:func:`replace_dir`): a reader sees the previous set or the new
    one, whole. Other files of the folder are kept (hard-linked into the new folder); temporary
    files that an interrupted :func:`write_together` of an earlier version left are dropped.
    ``folder`` must pass :func:`check_set_folder`."""
    folder = Path(folder).absolute()
    check_set_folder(folder, own=own)
    mode = 0o666 & ~_umask()
    with replace_dir(folder) as tmp:
        real = folder.resolve() if folder.is_symlink() else folder
        if real.is_dir():
            for entry in real.iterdir():
                if entry.name in texts or (entry.name.startswith(".") and entry.name.endswith((".tmp", ".bak"))):
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, tmp / entry.name, symlinks=True, copy_function=_link_or_copy)
                else:
                    _link_or_copy(entry, tmp / entry.name)
        for name, text in texts.items():
            if text is None:
                continue
            _step(f"write {name}")
            with open(tmp / name, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp / name, mode)
    return folder


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:  # another file system, or none with hard links
        shutil.copy2(src, dst)


def write_sets(texts: Mapping[Path, str | None]) -> None:
    """Write files grouped by folder, each folder as one set (:func:`write_set`), in the given order
    of first appearance. The last folder named is swapped last."""
    by_folder: dict[Path, dict[str, str | None]] = {}
    for path, text in texts.items():
        by_folder.setdefault(Path(path).parent, {})[Path(path).name] = text
    for folder, files in by_folder.items():  # the folders of one call may nest: each allows the others
        write_set(folder, files, own=[f for f in by_folder if f != folder])


def write_together(texts: Mapping[Path, str | None]) -> None:
    """Write (or, for ``None``, remove) several files so that they change together or not at all.

    Each folder's files are one set swapped in a single step (:func:`write_sets`); files in
    several folders change folder by folder, in the order given.
    """
    write_sets(texts)
