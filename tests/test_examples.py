"""The examples in examples/ run for real, with the commands their README shows.

* cmd-node: the Node.js program through `conflictbench eval --extractor-cmd`, on the seed
  document and on a document with astral-plane characters (emoji, mathematical bold letters:
  one Python code point, two JavaScript UTF-16 code units) before every mention;
* plugin: the package's real pyproject.toml entry point, installed as pip leaves a package
  (package folder + .dist-info on the path), found by `conflictbench extractors` and run
  by name;
* llm-predictions: the offset-less file scored on the embedded corpus with --span-mode none,
  and the strict-mode note.

Every expected count is derived by hand in the comments from the seed text
(annotation/gold/<seed>.txt / .json) and the example's own rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED_ID

EXAMPLES = ROOT / "examples"

# Python offsets of the mentions below are asserted against text.index(); the astral
# characters before them ("🔥", "𝐍𝐞𝐰𝐬", "😢") would shift UTF-16 offsets by 5 and then by 6.
# U+2028 (LINE SEPARATOR) is a line break for str.splitlines() but not for JSONL readers
# that split on "\n" only (Node's readline, Python's file iteration): it must stay inside
# its document's line.
ASTRAL_TEXT = ("🔥 Breaking 𝐍𝐞𝐰𝐬: 12 civilians were killed in Idlib on Tuesday, and 3 people were "
               "injured.\u2028😢 Rebels said the strike killed 5 fighters.")
ASTRAL_ID = "astral-emoji-doc"


def _span(text, phrase):
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def _casualty(phrase, count, kind, victims):
    return {**_span(ASTRAL_TEXT, phrase), "count": count, "count_low": None, "count_high": None,
            "qualifier": "exact", "kind": kind, "victims": victims, "date_ref": None,
            "perpetrator_ref": None, "optional": False}


ASTRAL_DOC = {
    "id": ASTRAL_ID, "text": ASTRAL_TEXT, "title": "astral", "source": "test", "url": None, "language": "en",
    "publication_date": "2020-01-17",  # a Friday: "Tuesday" is 2020-01-14
    "casualties": [_casualty("12 civilians", 12, "killed", "civilians"),
                   _casualty("3 people", 3, "injured", "people"),
                   _casualty("5 fighters", 5, "killed", "fighters")],
    "actors": [{**_span(ASTRAL_TEXT, "civilians"), "entity": "civilians", "type": "civilians", "optional": False},
               {**_span(ASTRAL_TEXT, "Rebels"), "entity": "syrian_opposition", "type": "armed_group",
                "optional": False}],
    "dates": [{**_span(ASTRAL_TEXT, "Tuesday"), "value": "2020-01-14", "type": "DATE", "mod": None,
               "optional": False}],
}


@pytest.fixture(scope="module")
def two_doc_corpus(tmp_path_factory):
    """The seed document (its gold source) + the astral document, with the project's actor
    registry: counts on it do not change when the embedded corpus grows."""
    from conflictbench.actors import ActorRegistry
    from conflictbench.corpus import read_gold_source, write_corpus

    seed = [d for d in read_gold_source(ROOT / "annotation" / "gold") if d["id"] == SEED_ID]
    assert len(seed) == 1
    out = tmp_path_factory.mktemp("examples") / "corpus"
    write_corpus(out, {"test": seed + [ASTRAL_DOC]}, ActorRegistry.load(ROOT / "annotation" / "actors.jsonl"),
                 card="# examples test corpus\n")
    return out


def _conflictbench(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "conflictbench", *args], capture_output=True, text=True,
                          env=env, cwd=cwd)


def _counts(results_dir, level="mention"):
    """{field: (tp, fp, fn)} of the only system in results.json."""
    (system,) = json.loads((results_dir / "results.json").read_text())["systems"]
    flat = system[level]
    return {f: (flat[f"{f}.tp"], flat[f"{f}.fp"], flat[f"{f}.fn"]) for f in ("casualties", "actors", "dates")}


# --- cmd-node ------------------------------------------------------------------------------

def test_node_extractor_code_point_offsets(tmp_path, two_doc_corpus):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js >= 18) is not on PATH: examples/cmd-node needs it (CI has it)")
    # the README's command, from the repository root, on the two-document corpus
    res = _conflictbench("eval", "--extractor-cmd", "node examples/cmd-node/extract.js", "--timeout", "10",
                         "--corpus", str(two_doc_corpus), "--out", str(tmp_path / "out"),
                         "--save-predictions", str(tmp_path / "preds"), "--no-progress")
    # exit 0 = no document failed: with UTF-16 offsets the astral document's spans would not
    # equal text[start:end] and its line would be rejected as malformed (exit 1)
    assert res.returncode == 0, res.stdout + res.stderr

    (saved,) = (tmp_path / "preds").glob("*.jsonl")
    with saved.open(encoding="utf-8") as f:  # not splitlines(): see U+2028 above
        lines = [json.loads(line) for line in f]
    astral = next(line for line in lines if line.get("id") == ASTRAL_ID)
    assert any(ord(c) > 0xFFFF for c in ASTRAL_TEXT[:ASTRAL_TEXT.index("12")])
    got = sorted((c["start"], c["end"], c["text"], c["count"], c["kind"]) for c in astral["casualties"])
    want = sorted((*(_span(ASTRAL_TEXT, p)[k] for k in ("start", "end", "text")), n, k)
                  for p, n, k in [("12 civilians", 12, "killed"), ("3 people", 3, "injured"),
                                  ("5 fighters", 5, "killed")])
    assert got == want
    (tuesday,) = astral["dates"]
    assert (tuesday["start"], tuesday["end"], tuesday["value"]) == (
        ASTRAL_TEXT.index("Tuesday"), ASTRAL_TEXT.index("Tuesday") + 7, "2020-01-14")

    # Hand count. Seed casualties (9 gold): the passive pattern finds "At least 40 people
    # [have been killed]", "At least 22 anti-government fighters [were killed]", "19 civilians
    # [were killed]"; the active one "[killed] 39 people" — 4 TP; "Seventeen" is a word, the
    # 350,000 / thousands / 400,000 are displaced: 5 FN. Astral: 3 TP.
    # Seed dates (16 gold): bare weekdays at 326, 432, 595, 1536, 1912, 2274 match gold spans
    # and values (publication Friday 2020-01-17: Thursday 01-16, Sunday 01-12, Wednesday
    # 01-15); "Wednesday" inside gold "late Wednesday" is a different span (1 FP, its gold
    # 1 FN); "UAEThursday" has no word boundary. 6 TP, 1 FP, 10 FN; astral "Tuesday": 1 TP.
    # Actors: none predicted; 41 + 2 gold.
    assert _counts(tmp_path / "out") == {"casualties": (4 + 3, 0, 5), "actors": (0, 0, 43),
                                         "dates": (6 + 1, 1, 10)}


# --- plugin --------------------------------------------------------------------------------

def _install_like_pip(plugin_dir, site):
    """What `pip install --target site plugin_dir` leaves, built from the real pyproject.toml:
    the package folders and a .dist-info with METADATA and entry_points.txt (a real pip build
    needs setuptools+wheel from PyPI; `pip install -e examples/plugin` is the README's way)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
        import tomli as tomllib

    project = tomllib.loads((plugin_dir / "pyproject.toml").read_text())
    for package in project["tool"]["setuptools"]["packages"]:
        shutil.copytree(plugin_dir / package, site / package)
    meta = project["project"]
    dist = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
    lines = []
    for group, entries in meta["entry-points"].items():
        lines += [f"[{group}]", *(f"{name} = {value}" for name, value in entries.items()), ""]
    (dist / "entry_points.txt").write_text("\n".join(lines))
    return meta["entry-points"]


def test_plugin_entry_point_listed_and_run(tmp_path, two_doc_corpus):
    from conflictbench.registry import extractors

    site = tmp_path / "site"
    entry_points = _install_like_pip(EXAMPLES / "plugin", site)
    # the group the registry reads, with the versioned name, pointing at the factory
    assert entry_points == {extractors.entry_point_namespace:
                            {"example-keywords.v1": "example_keywords:make_extractor"}}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    # from tmp_path: the package must come from `site`, not from a folder beside the cwd
    listed = _conflictbench("extractors", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "example-keywords.v1" in listed.stdout and "Example plugin: five actor names" in listed.stdout

    res = _conflictbench("eval", "--extractor", "example-keywords.v1", "--corpus", str(two_doc_corpus),
                         "--out", str(tmp_path / "out"), "--no-progress", env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    # Hand count on the seed text, whole words only: Russia at 422, 652, 2243 ("Russian" at
    # 2106/2570 is another word), Turkey at 457, 641, 2232, Moscow 1580, Ankara 1604,
    # Reuters 2096 — all gold actor spans: 9 TP of 41 gold; the astral document has none of
    # the five names (its 2 gold actors are FN).
    assert _counts(tmp_path / "out") == {"casualties": (0, 0, 9 + 3), "actors": (9, 0, 32 + 2),
                                         "dates": (0, 0, 16 + 1)}


# --- llm-predictions -----------------------------------------------------------------------

LLM_FILE = EXAMPLES / "llm-predictions" / "seed.jsonl"


def test_llm_file_header_is_the_embedded_corpus(corpus):
    header = json.loads(LLM_FILE.read_text(encoding="utf-8").splitlines()[0])
    assert header["meta"]["corpus_fingerprint"] == corpus.fingerprint, (
        "the embedded corpus changed: the example would be refused. Put the fingerprint of "
        "`conflictbench corpus summary` in examples/llm-predictions/seed.jsonl and examples/README.md, "
        "and re-derive the counts in tests/test_examples.py")


def test_llm_file_value_only(tmp_path):
    res = _conflictbench("eval", "--predictions", str(LLM_FILE), "--span-mode", "none",
                         "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stdout + res.stderr
    # Hand count against the seed gold (examples/README.md has the same table).
    # casualties (9 gold): killed 40, 39, 22, 17, 19 and displaced 350,000 (one of its two
    #   mentions) and 400,000 match — 7 TP; "injured 12" is invented — 1 FP; the second
    #   350,000 and the vague "thousands" — 2 FN. Value level: 8 distinct gold figures
    #   (350,000 once), 8 predicted: 7 TP, 1 FP, 1 FN.
    # actors (41 gold mentions, 12 distinct entities): 11 names resolve to 11 distinct gold
    #   entities (one mention each) — 11 TP; "Hezbollah" is not in the registry — 1 FP;
    #   30 FN. Value level: civilians not given — 11 TP, 1 FP, 1 FN.
    # dates (16 gold mentions, 12 distinct values): 2020-01-16, 2020-01-12, 2020-01-15,
    #   2019-12-01 — 4 TP; 2020-01-17 ≠ the gold TIME 2020-01-17T05:06 — 1 FP; 12 FN.
    #   Value level: 4 TP, 1 FP, 8 FN.
    assert _counts(tmp_path / "out") == {"casualties": (7, 1, 2), "actors": (11, 1, 30), "dates": (4, 1, 12)}
    assert _counts(tmp_path / "out", "value") == {"casualties": (7, 1, 1), "actors": (11, 1, 1),
                                                  "dates": (4, 1, 8)}
    assert "1 predicted actor mention(s) resolved to no registry entity" in res.stdout
    assert "without offsets" not in res.stdout


def test_llm_file_strict_mode_note(tmp_path):
    res = _conflictbench("eval", "--predictions", str(LLM_FILE), "--no-write")
    assert res.returncode == 0, res.stdout + res.stderr
    # no item has offsets: 8 casualties + 12 actors + 5 dates = 25, all false positives
    assert ("my-llm.v1: 25 predicted item(s) without offsets match nothing with span mode strict/overlap"
            in res.stdout)
    assert "--span-mode none" in res.stdout


# --- examples/README.md --------------------------------------------------------------------

def test_readme_commands_parse_and_fingerprints_are_current(corpus, capsys):
    import re

    from conflictbench.cli import build_parser

    from .test_docs import inline_lines, shell_lines

    doc = "examples/README.md"
    argvs = [a for a in shell_lines(doc) + inline_lines(doc) if a[0].endswith("conflictbench")]
    assert len(argvs) >= 6  # the extraction found the README's commands
    for argv in argvs:
        try:
            assert callable(build_parser().parse_args(argv[1:]).func)
        except SystemExit:
            pytest.fail(f"examples/README.md: `{' '.join(argv)}` does not parse: {capsys.readouterr().err}")
    text = (ROOT / doc).read_text(encoding="utf-8")
    quoted = set(re.findall(r'"corpus_fingerprint": "([0-9a-f]{12})"', text))
    quoted |= set(re.findall(r"fingerprint\s+`([0-9a-f]{12})`", text))
    assert quoted == {corpus.fingerprint}, "examples/README.md quotes a stale corpus fingerprint"
