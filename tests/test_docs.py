"""The user-facing documents' examples are right: every command they show parses with the
real CLI parser, every `make` target and variable exists, the JSONL example is a valid
predictions file for the embedded corpus, and the fingerprints they quote are the
embedded corpus's. (Running the commands end to end is what the other test modules do.)
"""

from __future__ import annotations

import re
import shlex

import pytest

from conflictbench.cli import build_parser

from .conftest import ROOT

DOCS = [
    "README.md",
    "PREDICTIONS.md",
    "SITE.md",
    "corpus/README.md",
    "annotation/labelstudio/README.md",
    "src/conflictbench/data/card_muc4.md",
    "src/conflictbench/data/card_timeml.md",
    "src/conflictbench/data/card_gvdb.md",
    "BENCHMARKS.md",
]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(doc: str, lang: str) -> list[str]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    return [body for tag, body in FENCE.findall(text) if tag == lang]


def shell_lines(doc: str) -> list[list[str]]:
    """The argv of every line of the document's ``sh`` blocks (continuations joined,
    comments dropped, ``[optional]`` markers and ``<placeholders>`` unwrapped)."""
    out = []
    for body in blocks(doc, "sh"):
        for line in body.replace("\\\n", " ").splitlines():
            line = re.sub(r"\[(--[^\]]+)\]", r"\1", line)
            line = re.sub(r"<([^>]+)>", r"\1", line)
            argv = shlex.split(line, comments=True)
            if argv:
                out.append(argv)
    return out


INLINE = re.compile(r"(?<!`)`((?:\.venv/bin/)?conflictbench [^`]+|make [^`]+)`(?!`)")


def inline_lines(doc: str) -> list[list[str]]:
    """Commands quoted inline in the prose (`make eval CORPUS=...`), outside code blocks."""
    text = FENCE.sub("", (ROOT / doc).read_text(encoding="utf-8"))
    out = []
    for cmd in INLINE.findall(text.replace("\n", " ")):
        argv = [a for a in shlex.split(cmd) if a not in ("...", "…")]
        if argv[0] == "make" or len(argv) > 1:
            out.append(argv)
    return out


def commands(doc: str) -> list[list[str]]:
    return shell_lines(doc) + inline_lines(doc)


def cli_examples():
    for doc in DOCS:
        inline = inline_lines(doc)
        for argv in commands(doc):
            if argv[0].endswith("conflictbench"):
                # prose may name a command without its required arguments ("built by
                # `conflictbench corpus import-muc4`"); code blocks must be complete
                yield pytest.param(argv[1:], argv in inline, id=f"{doc}: {' '.join(argv)[:60]}")


def make_examples():
    for doc in DOCS:
        for argv in commands(doc):
            if argv[0] == "make":
                yield pytest.param(argv[1:], id=f"{doc}: {' '.join(argv)}")


def test_the_documents_show_commands():
    # guards the extraction below: an empty parametrization would test nothing
    assert len(list(cli_examples())) >= 30
    assert len(list(make_examples())) >= 6


@pytest.mark.parametrize("args, mention", list(cli_examples()))
def test_every_cli_example_parses(args, mention, capsys):
    try:
        ns = build_parser().parse_args(args)
    except SystemExit as exc:  # argparse's way of saying "unknown flag / command"
        err = capsys.readouterr().err
        if mention and "the following arguments are required" in err:
            return
        pytest.fail(f"`conflictbench {' '.join(args)}` does not parse: {err}"
                    f" (exit {exc.code})")
    assert callable(ns.func)


@pytest.mark.parametrize("args", list(make_examples()))
def test_every_make_example_names_a_target_and_variables_the_makefile_has(args):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"(?m)^([A-Za-z0-9_.-]+):", makefile))
    variables = set(re.findall(r"(?m)^([A-Z_]+)\s*[?:]?=", makefile))
    for arg in args:
        if "=" in arg:
            assert arg.split("=", 1)[0] in variables, arg
        else:
            assert arg in targets, arg


def test_predictions_example_is_a_valid_predictions_file(tmp_path, corpus):
    from conflictbench.predictions import read_predictions

    (example,) = blocks("PREDICTIONS.md", "json")
    path = tmp_path / "preds.jsonl"
    path.write_text(example, encoding="utf-8")
    got = read_predictions(path, corpus)  # raises DataError naming the line if it is not
    assert got.meta["corpus_fingerprint"] == corpus.fingerprint
    (pred,) = got.predictions.values()
    # hand-checked against the example: one casualty with offsets, two actors, one date
    assert [len(pred[f]) for f in ("casualties", "actors", "dates")] == [1, 2, 1]


@pytest.mark.parametrize("doc", ["README.md", "PREDICTIONS.md"])
def test_quoted_seed_fingerprints_are_the_embedded_corpus(doc, corpus):
    text = (ROOT / doc).read_text(encoding="utf-8")
    quoted = set(re.findall(r"corpus:([0-9a-f]{12})\b", text))
    quoted |= set(re.findall(r"seed corpus[^`]*`([0-9a-f]{12})`", text))
    quoted |= set(re.findall(r'"corpus_fingerprint": "([0-9a-f]{12})"', text))
    assert quoted == {corpus.fingerprint}, "a document quotes a stale corpus fingerprint"


def test_the_python_examples_of_predictions_md_run(tmp_path):
    """The minimal --extractor-cmd program answers by id; the property-testing example passes."""
    import subprocess
    import sys

    from conflictbench.runner import run_command

    examples = blocks("PREDICTIONS.md", "python")
    program = next(b for b in examples if "sys.stdin" in b)
    prop = next(b for b in examples if "conflictbench.testing" in b)
    (tmp_path / "prog.py").write_text(program)
    run = run_command(f"{sys.executable} {tmp_path / 'prog.py'}", [{"id": "x", "text": "t"}, {"id": "y", "text": ""}],
                      timeout=10, progress=False)
    assert run.failures == () and sorted(run.predictions) == ["x", "y"]
    (tmp_path / "test_my_system.py").write_text(prop)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_my_system.py"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout + proc.stderr
