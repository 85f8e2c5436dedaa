"""conflictbench.atomic: the new content or the old, never a mix; the usual file mode."""

from __future__ import annotations

import os
import stat

import pytest

from conflictbench import atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_text_gets_the_mode_open_would_give(tmp_path, umask_022):
    # open(path, "w") under umask 022 creates 0o666 & ~0o022 = 0o644; mkstemp alone gives 0o600
    atomic.write_text(tmp_path / "a.txt", "x")
    assert _mode(tmp_path / "a.txt") == 0o644
    assert (tmp_path / "a.txt").read_text() == "x"


def test_temp_path_gets_the_mode_open_would_give(tmp_path, umask_022):
    with atomic.temp_path(tmp_path / "b.jsonl") as tmp:
        tmp.write_text("y\n")
    assert _mode(tmp_path / "b.jsonl") == 0o644


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "c.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic.temp_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


def test_replace_dir_failure_leaves_the_old_folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "keep").write_text("k")
    with pytest.raises(RuntimeError):
        with atomic.replace_dir(folder) as tmp:
            (tmp / "new").write_text("n")
            raise RuntimeError("boom")
    assert sorted(p.name for p in folder.iterdir()) == ["keep"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
