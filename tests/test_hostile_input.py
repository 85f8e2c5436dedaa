"""Bad input that gave a traceback or a wrong message: one clear error naming the option or file,
exit 2; names from outside escaped in every renderer (issue 10)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import catalogue
import pytest

from conflictbench.cli import main
from conflictbench.registry import extractors

CMD = f"{sys.executable} {Path(__file__).parent / 'support' / 'harness_scripted_program.py'}"
EVIL = "evil\n| x | 1 |\x1b[31mred\x1b[0m\u202etxt.exe"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("conflictbench: error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("argv", [
    ["eval", "--extractor-cmd", 'python "my system.py'],
    ["compare", "null.v1", 'cmd:python "my system.py'],
])
def test_an_unclosed_quote_is_one_error_naming_the_option(capsys, small_corpus, argv):
    code, out, err = run(capsys, *argv, "--corpus", small_corpus.path, "--no-progress")
    assert code == 2
    line = one_error(err)
    assert "No closing quotation" in line
    assert ("--extractor-cmd" in line) if argv[0] == "eval" else ("cmd:" in line)


@pytest.mark.parametrize("option,value", [("--timeout", "inf"), ("--timeout", "1e12"), ("--timeout", "nan"),
                                          ("--startup-timeout", "inf"), ("--startup-timeout", "0")])
@pytest.mark.parametrize("command", [["eval", "--no-write"], ["compare", "null.v1"]])
def test_a_timeout_that_is_not_a_sane_number_of_seconds(capsys, small_corpus, option, value, command):
    code, out, err = run(capsys, *command, f"cmd:{CMD}" if command[0] == "compare" else "--extractor-cmd",
                         *([] if command[0] == "compare" else [CMD]), "--corpus", small_corpus.path,
                         option, value, "--no-progress")
    assert code == 2
    assert one_error(err).startswith(f"conflictbench: error: {option} must be a number of seconds")


def test_help_says_programs_must_flush_a_line_per_document_and_shows_the_defaults(capsys):
    for command in ("eval", "compare"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "flush one JSON line, carrying the document's id, per document" in text
        assert "(default 60)" in text and "(default 300)" in text and "--jobs" in text and "--pass-env" in text


def _corrupt(small_corpus, tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus.path, corpus)
    parquet = sorted((corpus / "data").glob("*.parquet"))[0]
    parquet.write_bytes(b"PAR1 this is not parquet at all" * 10)
    return corpus, parquet


@pytest.mark.parametrize("argv", [["eval", "--no-write", "--extractor", "null.v1", "--corpus"],
                                  ["corpus", "validate"]])
def test_a_corrupt_parquet_file_is_one_error_naming_it(capsys, small_corpus, tmp_path, argv):
    corpus, parquet = _corrupt(small_corpus, tmp_path)
    code, out, err = run(capsys, *argv, corpus)
    assert code == 2
    line = one_error(err)
    assert str(parquet) in line and "not a readable parquet file" in line


class _Evil:
    name = EVIL

    def extract(self, document):
        return {"id": document["id"], "casualties": [], "actors": [], "dates": []}


@pytest.fixture
def evil():
    extractors.register("zz-evil.v1", func=lambda: _Evil())
    yield "zz-evil.v1"
    catalogue.REGISTRY.pop(("conflictbench", "extractors", "zz-evil.v1"), None)


def test_a_name_with_a_newline_or_ansi_escapes_is_escaped_in_every_renderer(capsys, tmp_path, small_corpus, evil):
    out_dir = tmp_path / "results"
    code, out, err = run(capsys, "eval", "--corpus", small_corpus.path, "--extractor", evil, "--out", out_dir,
                         "--no-progress", "--bootstrap", "10")
    assert code == 0, err
    for text in (out, err):
        assert "\x1b" not in text and "\u202e" not in text
    assert "evil\\n| x | 1 |\\x1b[31mred" in out  # shown, escaped
    board = (out_dir / "leaderboard.md").read_text(encoding="utf-8")
    assert "\x1b" not in board and "\u202e" not in board
    rows = [line for line in board.splitlines() if line.startswith("| evil")]
    assert len(rows) == 3 and all(r.count(" | ") == 9 for r in rows)  # three fields, ten cells each
    raw = (out_dir / "results.json").read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\u202e" not in raw
    assert json.loads(raw)["systems"][0]["name"] == EVIL  # JSON stays JSON: the same string
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html and "evil\\n| x | 1 |\\x1b[31mred" in html
