"""An on-disk cache of model answers keyed by the whole request, so a re-run costs nothing.

One JSON file per request under the cache folder; a changed prompt, schema, model or mode is a
different key. Entries are written atomically and never expire (answers do not go stale: the same
request asks the same question of the same document).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from budgetlens.output import write_atomic


def request_key(request: dict[str, Any]) -> str:
    blob = json.dumps(request, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class AnswerCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or unreadable: ask again
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        write_atomic(self._path(key), json.dumps(answer, ensure_ascii=False))
