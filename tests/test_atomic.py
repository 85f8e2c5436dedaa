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


# --- result sets and corpus folders: old or new, never a mix, at any instant (issue 10) -------------

import json
import subprocess
import sys

OLD = {"leaderboard.md": "old board\n", "results.json": '{"run": "old"}\n', "report.html": "<p>old</p>\n"}
NEW = {"leaderboard.md": "new board\n", "results.json": '{"run": "new"}\n', "report.html": "<p>new</p>\n"}
STEPS = ["write leaderboard.md", "write results.json", "write report.html", "written", "swapped"]

KILLER = """
import os, signal, sys
from pathlib import Path
from conflictbench import atomic
at = sys.argv[2]
def hook(step):
    if step == at:
        os.kill(os.getpid(), signal.SIGKILL)
atomic.STEP_HOOK = hook
atomic.write_set(Path(sys.argv[1]), {k: v.replace("old", "new") for k, v in %r.items()})
""" % (OLD,)


def _contents(folder):
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def _leftovers(parent, name="results"):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


@pytest.mark.parametrize("step", STEPS)
def test_a_sigkill_at_any_step_leaves_the_old_set_or_the_new_one(tmp_path, step):
    # main renamed the three files one by one: a kill between renames left a mix
    folder = tmp_path / "results"
    atomic.write_set(folder, OLD)
    (folder / "notes.txt").write_text("mine")  # a file of the user's survives every run
    proc = subprocess.run([sys.executable, "-c", KILLER, str(folder), step], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    got = _contents(folder)
    expected = {**(NEW if step == "swapped" else OLD), "notes.txt": "mine"}
    assert got == expected
    # the next run cleans what the killed one left, and writes its set
    atomic.write_set(folder, NEW)
    assert _contents(folder) == {**NEW, "notes.txt": "mine"}
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("step", STEPS)
def test_an_exception_at_any_step_leaves_the_old_set_or_the_new_one(tmp_path, step, monkeypatch):
    folder = tmp_path / "results"
    atomic.write_set(folder, OLD)

    def hook(name):
        if name == step:
            raise RuntimeError(name)

    monkeypatch.setattr(atomic, "STEP_HOOK", hook)
    with pytest.raises(RuntimeError):
        atomic.write_set(folder, NEW)
    assert _contents(folder) == (NEW if step == "swapped" else OLD)
    assert _leftovers(tmp_path) == []


def test_the_folder_never_disappears_while_it_is_swapped(tmp_path, monkeypatch):
    # main's replace_dir moved the old folder away, then the new one in: a moment with no folder
    folder = tmp_path / "corpus"
    atomic.write_set(folder, OLD)
    seen = []
    monkeypatch.setattr(atomic, "STEP_HOOK", lambda name: seen.append((name, _contents(folder))))
    atomic.write_set(folder, NEW)
    assert [n for n, _ in seen][-2:] == ["written", "swapped"]
    assert all(c in (OLD, NEW) for _, c in seen)
    assert seen[-2][1] == OLD and seen[-1][1] == NEW


def test_a_symlinked_folder_keeps_its_link(tmp_path):
    real = tmp_path / "elsewhere"
    atomic.write_set(real, OLD)
    (tmp_path / "results").symlink_to(real)
    atomic.write_set(tmp_path / "results", NEW)
    assert (tmp_path / "results").is_symlink() and _contents(tmp_path / "results") == NEW


def test_leftovers_of_the_old_file_by_file_writer_are_dropped(tmp_path):
    folder = tmp_path / "results"
    atomic.write_set(folder, OLD)
    (folder / ".results.json.abc.tmp").write_text("half")
    (folder / ".leaderboard.md.xyz.bak").mkdir()
    atomic.write_set(folder, NEW)
    assert _contents(folder) == NEW


def test_without_exchange_an_interrupted_swap_is_put_back(tmp_path, monkeypatch):
    # a file system without RENAME_EXCHANGE: two renames; a kill between them is repaired next time
    folder = tmp_path / "results"
    atomic.write_set(folder, OLD)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    atomic.write_set(folder, NEW)
    assert _contents(folder) == NEW
    # simulate a run killed between the two renames (pid of a process that no longer exists)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    folder.rename(tmp_path / f".results.{dead}.abc.old")
    atomic.write_set(folder, {"leaderboard.md": "third\n"})
    assert _contents(folder) == {**NEW, "leaderboard.md": "third\n"}
    assert _leftovers(tmp_path) == []


EVAL_KILLER = """
import os, signal, sys
from conflictbench import atomic, cli
at = sys.argv[1]
atomic.STEP_HOOK = lambda step: os.kill(os.getpid(), signal.SIGKILL) if step == at else None
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, small_corpus):
    out = tmp_path_factory.mktemp("first") / "results"
    first = subprocess.run([sys.executable, "-c", EVAL_KILLER, "none", "eval", "--corpus", str(small_corpus.path),
                            "--out", str(out), "--no-progress", "--bootstrap", "10", "--extractor", "null.v1"],
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    return out


@pytest.mark.parametrize("step", STEPS)
def test_eval_killed_at_any_step_leaves_one_runs_results(tmp_path, small_corpus, first_run, step):
    import shutil

    out = tmp_path / "results"
    shutil.copytree(first_run, out)
    base = ["eval", "--corpus", str(small_corpus.path), "--out", str(out), "--no-progress", "--bootstrap", "10"]
    killed = subprocess.run([sys.executable, "-c", EVAL_KILLER, step, *base, "--extractor", "oracle.v1"],
                            capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    names = [s["name"] for s in json.loads((out / "results.json").read_text())["systems"]]
    board, html = (out / "leaderboard.md").read_text(), (out / "report.html").read_text()
    expected = "oracle.v1" if step == "swapped" else "null.v1"
    other = "null.v1" if expected == "oracle.v1" else "oracle.v1"
    assert names == [expected]
    assert f"| {expected} |" in board and f"| {other} |" not in board
    assert expected in html and other not in html


def test_the_working_folder_or_a_folder_with_sub_folders_is_refused(tmp_path, monkeypatch):
    # the set is swapped whole: the working folder (or an ancestor) or a tree is never swapped
    from conflictbench.errors import ParameterError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParameterError, match="working folder"):
        atomic.write_set(".", {"a.txt": "x"})
    (tmp_path / "r" / "sub").mkdir(parents=True)
    with pytest.raises(ParameterError, match=r"holds sub-folders \(sub\)"):
        atomic.write_set(tmp_path / "r", {"a.txt": "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_leftovers_of_the_earlier_folder_swap_are_removed_when_old(tmp_path):
    folder = tmp_path / "corpus"
    atomic.write_set(folder, OLD)
    stale, fresh = tmp_path / ".corpus.ab12cd34.tmp", tmp_path / ".corpus.ef56gh78.old"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (1, 1))  # interrupted long ago; `fresh` may belong to a run going on now
    with atomic.replace_dir(folder) as tmp:
        (tmp / "x").write_text("x")
    assert not stale.exists() and fresh.exists()
