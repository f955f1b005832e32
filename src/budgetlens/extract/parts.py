"""A question too long for the endpoint's context window asked in parts, and the parts' answers
joined into the one answer the whole question would have had.

A table is split by blocks of rows (each part repeats the title, unit, captions, column header and
notes; cell ids stay those of the whole grid), a narrative by groups of sentences (ids kept). A
joined answer is only as good as its worst part: a part without a valid answer, or parts that
disagree on the table's type or unit, leave the section to a person rather than half-read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from budgetlens.extract.answers import NarrativeAnswer, TableAnswer
from budgetlens.llm.client import Ask, Reply
from budgetlens.llm.fit import ANSWER_RATE, Window, estimate

AskFor = Callable[[list[int] | None], Ask]  # the question about these items (None: all of them)


def split(ask_for: AskFor, items: list[int], line: Callable[[int], str], fit: Window | None) -> list[Ask]:
    """One question when it fits `fit` (prompt and expected answer), else one per block of items."""
    whole = ask_for(None)
    if fit is None or _fits(fit, whole, [line(i) for i in items]):
        return [whole]
    head = _prompt(fit, ask_for([]))
    blocks: list[list[int]] = [[]]
    prompt, answer = head, 0.0
    for i in items:
        tokens = estimate(line(i)) + 1
        if blocks[-1] and (prompt + tokens > fit.prompt_room or answer + ANSWER_RATE * tokens > fit.answer):
            blocks.append([])
            prompt, answer = head, 0.0
        blocks[-1].append(i)
        prompt += tokens
        answer += ANSWER_RATE * tokens
    return [ask_for(b) for b in blocks]


def _prompt(fit: Window, ask: Ask) -> int:
    return fit.prompt_tokens(ask.system, ask.user, ask.response_model.model_json_schema())


def _fits(fit: Window, ask: Ask, lines: list[str]) -> bool:
    expected = ANSWER_RATE * sum(estimate(x) + 1 for x in lines)
    return _prompt(fit, ask) <= fit.prompt_room and expected <= fit.answer


def join_replies(replies: list[tuple[int, Reply]]) -> Iterator[tuple[int, Reply]]:
    """(section, reply) once per section, the replies to its parts joined, in first-seen order."""
    parts: dict[int, list[Reply]] = {}
    for n, reply in replies:
        parts.setdefault(n, []).append(reply)
    for n, got in parts.items():
        yield n, got[0] if len(got) == 1 else join(got)


def join(parts: list[Reply]) -> Reply:
    attempts = sum(p.attempts for p in parts)
    failed = [p for p in parts if p.answer is None]
    if failed:
        why = "; ".join(f"{p.ask.name}: {p.error}" for p in failed)
        error = f"{len(failed)} of {len(parts)} parts unanswered ({why})"
        return Reply(parts[0].ask, error=error, attempts=attempts)
    answers = [p.answer for p in parts]
    if all(isinstance(a, NarrativeAnswer) for a in answers):
        figures = [f for a in answers for f in a.figures]  # type: ignore[union-attr]
        return Reply(parts[0].ask, answer=NarrativeAnswer.model_construct(figures=figures), attempts=attempts)
    tables = [a for a in answers if isinstance(a, TableAnswer)]
    disagreement = _disagreement(tables)
    if disagreement or len(tables) != len(answers):
        error = disagreement or "the parts were answered in different schemas"
        return Reply(parts[0].ask, error=error, attempts=attempts)
    rows = [r for t in tables for r in t.rows]
    joined = TableAnswer.model_construct(kind=tables[0].kind, unit=_unit(tables), rows=rows)
    return Reply(parts[0].ask, answer=joined, attempts=attempts)


def _disagreement(tables: list[TableAnswer]) -> str | None:
    kinds = Counter(t.kind for t in tables)
    units = {t.unit for t in tables if t.unit}
    if len(kinds) > 1:
        return f"the parts of the table were read as different types ({', '.join(kinds)})"
    if len(units) > 1:
        return f"the parts of the table were read in different units ({', '.join(sorted(units))})"
    return None


def _unit(tables: list[TableAnswer]) -> str | None:
    return next((t.unit for t in tables if t.unit), None)
