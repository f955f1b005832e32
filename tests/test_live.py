"""A real model in the loop: SmolLM2-135M served by llama.cpp on 127.0.0.1 (the `local_model`
fixture), asked real questions with real tokens. The model is tiny and trained on English, so
these tests assert what the pipeline does with its answers, never that they are right.

    python -m pytest -m live          # about two minutes on one CPU thread; CI runs them every time
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from budgetlens.amounts import normalise
from budgetlens.check.run import check
from budgetlens.extract.model_fill import apply_replies, grid_cells, model_asks
from budgetlens.llm.client import Model, Reply
from budgetlens.llm.config import Endpoint
from budgetlens.llm.run import model_run, save_settings
from budgetlens.pipeline import read_document
from budgetlens.reextract import reextract
from budgetlens.reextract.targets import targets
from budgetlens.result import Result
from budgetlens.testing.live import endpoint, sample_pdf
from budgetlens.testing.local_model import LocalModel
from budgetlens.testing.oracle import BASIC, table_answer

pytestmark = pytest.mark.live


@dataclass
class LiveRun:
    pdf: Path
    endpoint: Endpoint
    result: Result
    replies: list[Reply]
    seconds: float
    cassettes: Path

    def requests(self) -> list[dict[str, Any]]:
        tape = yaml.safe_load((self.cassettes / f"{self.pdf.stem}.yaml").read_text(encoding="utf-8"))
        return [json.loads(i["request"]["body"]) for i in tape["interactions"]]


@pytest.fixture(scope="module")
def live_run(local_model: LocalModel, tmp_path_factory: pytest.TempPathFactory) -> LiveRun:
    """The sample read once with the real model, every call recorded: the tests below look at it."""
    folder = tmp_path_factory.mktemp("live")
    pdf = sample_pdf(folder)
    live = endpoint(local_model)
    cassettes = folder / "cassettes"
    save_settings(cassettes, live)
    replies: list[Reply] = []
    started = time.perf_counter()
    with model_run(live, pdf.stem, record=cassettes, replay=None) as model:
        result = read_document(pdf, model, replies.append)
    return LiveRun(pdf, live, result, replies, time.perf_counter() - started, cassettes)


def test_an_unknown_table_and_a_narrative_are_asked_in_json_schema_mode(live_run: LiveRun) -> None:
    requests = live_run.requests()
    assert live_run.endpoint.instructor_mode == "json_schema"  # "auto" on a server at 127.0.0.1
    assert requests
    assert all(r["response_format"]["type"] == "json_schema" and "tools" not in r for r in requests)
    assert all(r["max_tokens"] == live_run.endpoint.max_tokens for r in requests)
    asked = {r.ask.name for r in live_run.replies}
    assert any(name.startswith("narrative") for name in asked)
    # the table's answer would not fit the 256-token bound in one piece: asked by row blocks, each
    # under the repeated header, each block's cell ids its own rows'
    parts = sorted(name for name in asked if name.startswith("table"))
    assert len(parts) >= 2 and all(" rows " in name for name in parts), parts
    tables = [r for r in requests if "rebuilt from the page" in r["messages"][1]["content"]]
    assert len({_rows(r) for r in tables}) == len(parts)
    assert all("columns: " in r["messages"][1]["content"] for r in tables)


def _rows(request: dict[str, Any]) -> str:
    user = request["messages"][1]["content"]
    return " ".join(line.split(":")[0] for line in user.splitlines() if line[:1] == "r" and ": {" in line)


def test_every_answer_passes_the_validators_or_is_reasked_then_left_for_a_person(live_run: LiveRun) -> None:
    reasks = live_run.endpoint.reasks
    for reply in live_run.replies:
        assert 1 <= reply.attempts <= 1 + reasks
        if reply.answer is not None:  # what was accepted passes the validators with the page's context
            reply.ask.response_model.model_validate(reply.answer.model_dump(), context=reply.ask.context)
        elif "max_tokens" in (reply.error or ""):  # cut off: asking the same again gets the same
            assert reply.attempts >= 1
        else:
            assert reply.error and reply.attempts == 1 + reasks, reply.error
    result = live_run.result
    grids = [grid_cells(s.grid).values() for s in result.sections if s.grid is not None]
    grid = {(c.page, tuple(c.box)): c.text for cells in grids for c in cells}
    for fact in (f for f in result.facts if f.extractor.startswith("model")):
        assert grid[(fact.page, tuple(fact.box))] == fact.text and normalise(fact.text) == fact.value
    table = next(s for s in result.sections if s.table is not None or s.grid is not None)
    answered = [r for r in live_run.replies if r.ask.name.startswith("table") and r.answer is not None]
    if len(answered) < len([r for r in live_run.replies if r.ask.name.startswith("table")]):
        assert table.needs_model and "no valid answer" in table.needs_model  # never half-read silently
    assert {f.key for f in result.flags} == {f.key for f in result.facts if f.status == "flagged"}


def test_calls_tokens_reasks_and_seconds_are_counted(live_run: LiveRun) -> None:
    s = live_run.result.summary
    assert s.model_calls == sum(r.attempts for r in live_run.replies) == len(live_run.requests())
    assert s.model_calls <= live_run.endpoint.max_calls
    assert s.reasks == sum(r.attempts - 1 for r in live_run.replies)
    table_parts = {r.ask.name for r in live_run.replies if r.ask.name.startswith("table")}
    assert s.prompt_tokens > 1000 * len(table_parts)  # each holds the instructions and the table types
    assert 0 < s.completion_tokens <= s.model_calls * live_run.endpoint.max_tokens  # type: ignore[operator]
    assert 0 < s.model_seconds <= s.seconds <= live_run.seconds


def test_the_recording_replays_offline_to_the_same_result(
    live_run: LiveRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args[1:] or kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    replayed_endpoint = replace(live_run.endpoint, base_url="http://replay.invalid/v1")
    with model_run(replayed_endpoint, live_run.pdf.stem, record=None, replay=live_run.cassettes) as model:
        replayed = read_document(live_run.pdf, model)
    timing = {"seconds", "model_seconds"}
    assert replayed.summary.model_dump(exclude=timing) == live_run.result.summary.model_dump(exclude=timing)
    assert replayed.facts == live_run.result.facts and replayed.findings == live_run.result.findings
    assert replayed.sections == live_run.result.sections


def test_reextraction_keeps_to_its_rounds_and_call_budget(local_model: LocalModel, tmp_path: Path) -> None:
    """The table read right (from its familiar layout: an answer key), so the document's own cut
    (301 ≠ 30101 as printed) fails a check on model-read cells; the real model then
    re-reads them, within 2 rounds and 3 calls."""
    live = endpoint(local_model, rounds=2, max_calls=3, reasks=1)
    result = _read_by_answer_key(tmp_path, live)
    first = targets(result)
    assert first, "the cut table must fail a check on model-read cells"
    replies: list[Reply] = []
    model = Model(live)
    after = reextract(result, model, replies.append)
    assert model.usage.model_calls <= live.max_calls
    assert len(replies) <= live.rounds * len(first)
    asked = {f.key for t in first for f in t.facts}
    ended = {f.key: f for f in after.facts if f.key in asked}
    assert ended and all(f.status in ("confirmed", "corrected", "flagged") for f in ended.values())
    printed = {c.text for s in after.sections if s.grid for c in grid_cells(s.grid).values()}
    assert all(f.text in printed for f in ended.values() if f.status == "corrected")
    assert after.summary.reextracted_cells == len(asked) and after.summary.flagged_cells == len(after.flags)


def _read_by_answer_key(folder: Path, live: Endpoint) -> Result:
    familiar = read_document(sample_pdf(folder / "familiar", familiar=True))
    table = next(s.table for s in familiar.sections if s.table is not None and s.table.name == BASIC)
    unknown = read_document(sample_pdf(folder / "unknown"))
    ((n, ask),) = [(n, a) for n, a in model_asks(unknown) if a.name.startswith("table")]
    answer = ask.response_model.model_validate(table_answer(table, "final.basic"), context=ask.context)
    read = apply_replies(unknown, [(n, Reply(ask, answer=answer, attempts=1))], live.extractor)
    return read.with_findings(check(read))
