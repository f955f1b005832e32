"""One document's model session: live, recorded to a folder, or replayed from one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from budgetlens.errors import BudgetlensError
from budgetlens.llm.config import Endpoint
from budgetlens.output import write_atomic

SETTINGS = "endpoint.json"  # beside the recordings: what a replay must ask to match them
REPLAY_URL = "http://replay.invalid/v1"  # never contacted: vcrpy answers every request


def save_settings(folder: Path, endpoint: Endpoint) -> None:
    # what shapes the requests: the mode ("auto" as it was decided), the answer bound, the window
    settings: dict[str, object] = {"model": endpoint.model, "mode": endpoint.instructor_mode}
    settings |= {k: v for k, v in (("context", endpoint.context), ("max_tokens", endpoint.max_tokens)) if v}
    write_atomic(folder / SETTINGS, json.dumps(settings, indent=1) + "\n")


def replay_settings(folder: Path) -> dict[str, Any]:
    path = folder / SETTINGS
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BudgetlensError(f"{folder} is not a recording folder (no readable {SETTINGS}): {exc}") from exc
    return {
        "model": saved.get("model"),
        "mode": saved.get("mode"),
        "context": saved.get("context"),
        "max_tokens": saved.get("max_tokens"),
        "base_url": REPLAY_URL,
        "api_key": "replay",
    }


@contextmanager
def model_run(endpoint: Endpoint, name: str, record: Path | None, replay: Path | None) -> Iterator[Any]:
    """The Model to read one document with (None without a model), inside its cassette if any."""
    if not endpoint.configured:
        yield None
        return
    try:
        from budgetlens.llm.client import Model
        from budgetlens.llm.recording import NotRecorded, cassette, replay_miss
    except ImportError as exc:
        raise BudgetlensError(
            f"the model path needs the llm extra: pip install 'budgetlens[llm]' ({exc})"
        ) from exc
    if record is None and replay is None:
        yield Model(endpoint)
        return
    folder, how = (record, "record") if record is not None else (replay, "replay")
    assert folder is not None
    if how == "replay":
        endpoint = replace(endpoint, http_retries=0)
    miss = replay_miss()
    with cassette(folder, name, how):  # type: ignore[arg-type]
        try:
            yield Model(endpoint, fatal=(miss,))
        except miss as exc:
            raise NotRecorded(
                f"{folder / name}.yaml holds no recording of a request this run made (the document, "
                f"prompts, model or mode differ from the recorded run): {str(exc).splitlines()[0][:200]}"
            ) from exc
