"""Offset-less predictions (typical of LLM extractors) scored with span mode strict are
counted as false positives — and the run says so loudly instead of reporting a silent 0."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import SEED_ID


def _run(tmp_path, *args):
    preds = tmp_path / "llm.jsonl"
    preds.write_text(json.dumps({
        "id": SEED_ID,
        "casualties": [{"count": 40, "kind": "killed", "qualifier": "at_least"}],
        "actors": [{"text": "Moscow"}, {"start": 245, "end": 258, "text": "regime forces"}],
        "dates": [],
    }) + "\n")
    return subprocess.run([sys.executable, "-m", "conflictbench", "eval", "--predictions", str(preds),
                           "--out", str(tmp_path / "out"), *args], capture_output=True, text=True)


def test_strict_mode_names_the_offsetless_items(tmp_path):
    res = _run(tmp_path)
    assert res.returncode == 0, res.stderr
    # 2 of the 3 predicted items have no offsets (hand count of the file above)
    assert "llm: 2 predicted item(s) without offsets match nothing" in res.stdout
    md = (tmp_path / "out" / "leaderboard.md").read_text()
    assert "2 predicted item(s) without offsets" in md
    js = json.loads((tmp_path / "out" / "results.json").read_text())
    assert js["systems"][0]["unanchored_predictions"] == 2


def test_value_only_mode_has_no_such_note(tmp_path):
    res = _run(tmp_path, "--span-mode", "none")
    assert res.returncode == 0, res.stderr
    assert "without offsets" not in res.stdout
    js = json.loads((tmp_path / "out" / "results.json").read_text())
    assert js["systems"][0]["unanchored_predictions"] == 0
