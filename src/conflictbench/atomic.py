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
from typing import Iterator, Mapping


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


@contextlib.contextmanager
def replace_dir(path: str | Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path``; on success it replaces ``path``.

    On error the temporary folder is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
        os.rmdir(old)
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_together(texts: Mapping[Path, str | None]) -> None:
    """Write (or, for ``None``, remove) several files so that they change together or not at all.

    Phase 1 writes every text to a temporary sibling; phase 2 moves them into place with
    :func:`os.replace`, keeping a hard link to each previous file so that a failure
    part-way restores the earlier set. SIGINT/SIGTERM are held back during phase 2.
    """
    import signal
    import threading

    mode = 0o666 & ~_umask()
    temps: dict[Path, Path | None] = {}
    backups: dict[Path, Path | None] = {}
    done: list[Path] = []
    try:
        for path, text in texts.items():  # phase 1: nothing visible changes
            if text is None:
                temps[path] = None
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps[path] = Path(tmp)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, mode)  # mkstemp creates 0600; results are for everyone to read
        for path in texts:
            backups[path] = None
            if path.is_file():
                # a private folder of our own (mkdtemp: no name race) holds the backup link
                bak = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".bak", dir=path.parent)) / path.name
                try:
                    os.link(path, bak)
                except OSError:  # a file system without hard links: a copy does the same job
                    shutil.copy2(path, bak)
                backups[path] = bak
        main = threading.current_thread() is threading.main_thread()
        held = {signal.SIGINT, signal.SIGTERM}
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, held) if main else None
        try:
            for path, tmp in temps.items():  # phase 2: all or nothing
                if tmp is None:
                    if path.exists():
                        os.unlink(path)
                else:
                    os.replace(tmp, path)
                done.append(path)
        except BaseException:
            for path in reversed(done):
                with contextlib.suppress(OSError):
                    if backups[path] is not None:
                        os.replace(backups[path], path)
                    else:
                        os.unlink(path)
            raise
        finally:
            if old_mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    finally:
        for tmp in temps.values():
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        for bak in backups.values():
            if bak is not None:
                shutil.rmtree(bak.parent, ignore_errors=True)
