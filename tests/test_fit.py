"""Prompts that do not fit the endpoint's context window: asked in parts (a table by row blocks under
its repeated header), the parts' answers joined, and what cannot fit never sent. Offline: the
answers are the answer key's (the familiar layout's reading), not a model's."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from budgetlens.extract.answers import TableAnswer
from budgetlens.extract.model_fill import apply_replies, model_asks
from budgetlens.extract.parts import join
from budgetlens.llm.client import Model, Reply
from budgetlens.llm.config import Endpoint, from_env
from budgetlens.llm.fit import Window, estimate, window
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.testing.oracle import BASIC, table_answer
from budgetlens.testing.render import SEEDS, load_spec, render
from budgetlens.testing.variants import BASIC_TITLE

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "jianghan-2020-final-retitled.pdf"
SMALL = Window(context=8192, answer=512, schema_in_prompt=False)


@pytest.fixture(scope="module")
def example() -> Result:
    return read_document(EXAMPLE)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The right answer for the retitled 表6: its familiar layout read by the catalog (same grid)."""
    pdf, _ = render(load_spec(SEEDS / "jianghan-2020-final.json"), tmp_path_factory.mktemp("familiar"))
    table = next(
        s.table for s in read_document(pdf).sections if s.table is not None and s.table.name == BASIC
    )
    return table_answer(table, "final.basic")


def basic_parts(result: Result, fit: Window | None) -> list[tuple[int, object]]:
    return [(n, a) for n, a in model_asks(result, fit) if BASIC_TITLE in a.user]


def test_the_estimate_errs_long_on_chinese_and_digits() -> None:
    assert estimate("人员经费合计") >= 12 and estimate("199.38") >= 6 and estimate("columns") < 7


def test_without_a_window_nothing_is_split(example: Result) -> None:
    assert len(basic_parts(example, None)) == 1
    assert len(basic_parts(example, Window(context=200_000, answer=16_000, schema_in_prompt=True))) == 1


def test_a_table_too_long_for_the_window_is_asked_by_row_blocks_under_its_header(example: Result) -> None:
    parts = basic_parts(example, SMALL)
    assert len(parts) > 2 and len({n for n, _ in parts}) == 1
    whole = basic_parts(example, None)[0][1]
    header = [line for line in whole.user.splitlines() if line.startswith(("title:", "unit:", "columns:"))]
    seen: list[str] = []
    for _, ask in parts:
        assert all(line in ask.user for line in header)  # every part repeats the header
        assert SMALL.prompt_tokens(ask.system, ask.user) <= SMALL.prompt_room
        seen += list(ask.context["cells"])
    assert sorted(seen) == sorted(whole.context["cells"])  # the blocks' cells: every cell, once


def test_the_parts_answers_join_into_the_whole_tables_reading(example: Result, key: dict) -> None:
    parts = basic_parts(example, SMALL)
    n = parts[0][0]
    replies = []
    for _, ask in parts:
        rows = [
            r for r in key["rows"] if any(v["cell"] in ask.context["cells"] for v in r["values"].values())
        ]
        answer = TableAnswer.model_validate({**key, "rows": rows}, context=ask.context)
        replies.append((n, Reply(ask, answer=answer, attempts=1)))
    whole = basic_parts(example, None)[0][1]
    at_once = TableAnswer.model_validate(key, context=whole.context)
    extractor = "model:key"
    joined = apply_replies(example, replies, extractor)
    assert joined.facts == apply_replies(example, [(n, Reply(whole, answer=at_once))], extractor).facts
    assert len([f for f in joined.facts if f.table == BASIC]) == 26


def test_a_part_without_an_answer_or_parts_that_disagree_leave_the_table_to_a_person(
    example: Result, key: dict
) -> None:
    parts = basic_parts(example, SMALL)
    n, first = parts[0]
    good = TableAnswer.model_construct(kind="final.basic", unit="万元", rows=[])
    failed = join([Reply(first, answer=good), Reply(parts[1][1], error="budget spent")])
    assert failed.answer is None and "1 of 2 parts unanswered" in (failed.error or "")
    other = TableAnswer.model_construct(kind="other", unit=None, rows=[])
    split = join([Reply(first, answer=good), Reply(parts[1][1], answer=other)])
    assert split.answer is None and "different types" in (split.error or "")
    after = apply_replies(example, [(n, failed)], "model:key")
    assert "no valid answer" in (after.sections[n].needs_model or "") and after.facts == example.facts


def test_a_question_that_cannot_fit_is_not_sent(example: Result, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a question too long for the window was sent")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    tiny = Endpoint(base_url="http://127.0.0.1:9/v1", model="m", context=1024, max_tokens=128, cache=None)
    ask = basic_parts(example, window(tiny))[0][1]
    model = Model(tiny)
    reply = model.ask(ask)
    assert reply.answer is None and reply.attempts == 0 and "not sent" in (reply.error or "")
    assert model.usage.model_calls == 0


def test_context_and_max_tokens_come_from_flags_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGETLENS_CONTEXT", "8192")
    monkeypatch.setenv("BUDGETLENS_MAX_TOKENS", "512")
    e = from_env()
    assert (e.context, e.max_tokens) == (8192, 512) and window(e) == Window(8192, 512, schema_in_prompt=True)
    assert from_env(max_tokens=256).max_tokens == 256
    monkeypatch.setenv("BUDGETLENS_CONTEXT", "lots")
    with pytest.raises(ValueError, match="BUDGETLENS_CONTEXT must be a whole number"):
        from_env()
    with pytest.raises(ValueError, match="too little"):
        replace(Endpoint(context=1024, max_tokens=900)).check()
