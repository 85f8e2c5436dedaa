"""The replay cache of ``llm.v1``: raw responses on disk, one JSON file per chunk.

Key: sha256 of the canonical JSON of (model, endpoint without credentials, prompt hash,
document hash, chunk start and hash, decoding parameters, response mode). A file holds the
key's parts in clear (so a published cache says what produced it) and the raw responses of
every request the chunk took (the answer, and the repair's when there was one). Never the
API key or a header. Files are written atomically; a re-run with the same key reads them and
sends no request, so published runs can be re-scored without the model.

``mode``: ``use`` (read, write what is missing), ``refresh`` (ignore what is there, write
anew), ``off`` (neither read nor write).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

CACHE_MODES = ("use", "refresh", "off")
FORMAT = "conflictbench-llm-cache/1"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class ReplayCache:
    def __init__(self, folder: str | Path, *, mode: str = "use") -> None:
        from ...errors import check_choice

        check_choice("ReplayCache", "mode", mode, CACHE_MODES)
        self.folder = Path(folder)
        self.mode = mode

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict[str, Any]] | None:
        """The cached responses of ``key``, or None (also when the file is unreadable)."""
        if self.mode != "use":
            return None
        try:
            rec = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(rec, dict) or rec.get("format") != FORMAT or not isinstance(rec.get("responses"), list):
            return None
        return rec["responses"]

    def put(self, key: str, parts: dict[str, Any], responses: list[dict[str, Any]]) -> None:
        if self.mode == "off":
            return
        from ... import atomic

        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        rec = {"format": FORMAT, "key": parts, "responses": responses}
        atomic.write_text(path, json.dumps(rec, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
