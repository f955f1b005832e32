"""cassettes/live/: a run recorded from a real model (SmolLM2-135M on a local llama.cpp server, by
scripts/record_live.py), replayed offline: no server, no network, the same result as recorded.
The scripted cassettes (cassettes/example, cassettes/test_model) cover the paths a tiny model cannot
be relied on to take; this one is what a real model did."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from budgetlens.cli import main
from budgetlens.output import read_result
from budgetlens.testing.live import sample_pdf

REPO = Path(__file__).resolve().parent.parent
LIVE = REPO / "cassettes" / "live"


def test_a_recording_of_the_real_model_replays_offline_to_the_recorded_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = sample_pdf(tmp_path / "pdf")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args[1:] or kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert main(["extract", str(pdf), "-o", str(tmp_path), "--replay", str(LIVE)]) == 0
    assert "model_calls=" in capsys.readouterr().out  # the summary is on stdout
    result = read_result(tmp_path / f"{pdf.stem}.json")
    expected = json.loads((LIVE / "expected.json").read_text(encoding="utf-8"))
    assert result.summary.model_dump(exclude={"seconds", "model_seconds"}) == expected["summary"]
    assert [f.model_dump(mode="json") for f in result.facts] == expected["facts"]
    assert {s.name: s.needs_model for s in result.sections if s.needs_model} == expected["needs_model"]
    settings = json.loads((LIVE / "endpoint.json").read_text(encoding="utf-8"))
    assert settings["mode"] == "json_schema" and result.summary.model_calls > 0  # what a real server took
