"""The model benchmark: how well the configured model reads what the deterministic path already can.

For each seed fixture, the deterministic reading is the answer key: every table the catalog
recognises (retitled 表N, its catalog match dropped, its facts removed) and every narrative sentence
the reader placed figures in (its placements stripped) is asked of the model, through the same
prompts, validators, splitting and call accounting as `budgetlens extract`. Scored per document:
table type, cells read, column and row right, facts exact (row, column and value as the key has
them); narrative figures found (a figure in the same sentence with one of its printed numbers) and
right (the same kind too); calls, tokens, re-asks, seconds, questions left unanswered.

    python scripts/bench_model.py                          # SmolLM2-135M on a local llama.cpp server
    BUDGETLENS_MODEL=qwen-plus BUDGETLENS_BASE_URL=… BUDGETLENS_API_KEY=… \
        python scripts/bench_model.py --endpoint             # the configured endpoint
    python scripts/bench_model.py --tables 2 --sentences 6 --out bench.json   # a shorter run

It prints one table and writes the details as JSON (default out/bench-model.json).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from budgetlens.amounts import normalise
from budgetlens.extract.answers import NarrativeAnswer
from budgetlens.extract.facts import Fact, table_facts
from budgetlens.extract.model_fill import apply_replies, narrative_asks, table_asks
from budgetlens.extract.narrative import NarrativeFact, join_paragraphs, read_facts
from budgetlens.extract.parts import join_replies
from budgetlens.llm.client import Ask, Model, Reply
from budgetlens.llm.config import Endpoint, from_env
from budgetlens.llm.fit import window
from budgetlens.pipeline import read_document
from budgetlens.result import Result, SectionResult
from budgetlens.testing.local_model import NAME, LocalModel
from budgetlens.testing.render import load_spec, render, seed_specs

HIDDEN = "hidden for the model benchmark"


@dataclass
class Score:
    document: str
    tables: int = 0
    kind_right: int = 0
    cells: int = 0
    cells_read: int = 0
    columns_right: int = 0
    rows_right: int = 0
    facts_exact: int = 0
    figures: int = 0
    figures_found: int = 0
    figures_right: int = 0
    questions: int = 0
    unanswered: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasks: int = 0
    seconds: float = 0.0
    details: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------------------------- hiding


def hide_tables(result: Result, limit: int | None) -> tuple[Result, dict[int, SectionResult]]:
    """The result with recognised tables made unknown (retitled 表N, no catalog match, no facts),
    and the sections as the deterministic path read them, by index: the answer key."""
    key = {n: s for n, s in enumerate(result.sections) if _clean_table(s)}
    key = dict(list(key.items())[:limit])
    sections, boxes = list(result.sections), set()
    for k, (n, section) in enumerate(key.items(), 1):
        assert section.table is not None
        boxes |= {(f.page, tuple(f.box)) for f in table_facts(section.table)}
        table = section.table.model_copy(update={"title": f"表{k}", "name": None, "kind": None})
        update = {"table": table, "name": f"表{k}", "schema_name": None, "data": None, "needs_model": HIDDEN}
        sections[n] = section.model_copy(update=update)
    facts = [f for f in result.facts if (f.page, tuple(f.box)) not in boxes]
    return result.model_copy(update={"sections": sections, "facts": facts}), key


def _clean_table(section: SectionResult) -> bool:
    """A table the deterministic path read and the catalog knows, with cells to read."""
    table = section.table
    return (
        table is not None
        and table.name is not None
        and section.needs_model is None
        and bool(table_facts(table))
    )


def placed_sentences(section: SectionResult) -> dict[str, list[NarrativeFact]]:
    """Sentence → the figures the narrative reader placed in it (what the model must find)."""
    text, _ = join_paragraphs([p.text for p in section.paragraphs])
    out: dict[str, list[NarrativeFact]] = {}
    for fact in read_facts(text):
        if fact.kind != "unparsed":
            out.setdefault(fact.sentence, []).append(fact)
    return out


# ------------------------------------------------------------------------------------- asking


def questions(
    hidden: Result, endpoint: Endpoint, sentences: int | None
) -> tuple[list[tuple[int, Ask]], dict]:
    fit = window(endpoint)
    kind = hidden.document.doc_kind
    asks: list[tuple[int, Ask]] = []
    for n, section in enumerate(hidden.sections):
        if section.needs_model == HIDDEN:
            asks += [(n, a) for a in table_asks(section, kind, fit)]
    narrative: dict[str, list[NarrativeFact]] = {}  # sentence id (s1…, unique over the document) → key
    budget = sentences
    for n, section in enumerate(hidden.sections):
        placed = list(placed_sentences(section).items()) if section.kind == "narrative" else []
        placed = placed[:budget] if budget is not None else placed
        if budget is not None:
            budget -= len(placed)
        ids = {f"s{len(narrative) + i + 1}": facts for i, (_, facts) in enumerate(placed)}
        narrative |= ids
        chosen = {sid: facts[0] for sid, facts in ids.items()}
        asks += [(n, a) for a in narrative_asks(section, kind, chosen, fit)]
    return asks, narrative


# ------------------------------------------------------------------------------------ scoring


def score_tables(score: Score, key: dict[int, SectionResult], answered: Result) -> None:
    for n, truth in key.items():
        assert truth.table is not None
        got = answered.sections[n]
        read = {(f.page, tuple(f.box)): f for f in _model_facts(got)}
        right = [f for f in table_facts(truth.table)]
        placed = [(f, read.get((f.page, tuple(f.box)))) for f in right]
        row = {
            "table": truth.table.name,
            "kind": truth.table.kind,
            "answered_kind": got.table.kind if got.table is not None else None,
            "cells": len(right),
            "cells_read": sum(m is not None for _, m in placed),
            "columns_right": sum(m is not None and m.column == f.column for f, m in placed),
            "rows_right": sum(m is not None and m.row == f.row for f, m in placed),
            "facts_exact": sum(
                m is not None and (m.row, m.column, m.value) == (f.row, f.column, f.value) for f, m in placed
            ),
            "left_unread": got.needs_model,
        }
        score.details.append(row)
        score.tables += 1
        score.kind_right += row["kind"] == row["answered_kind"]
        for name in ("cells", "cells_read", "columns_right", "rows_right", "facts_exact"):
            setattr(score, name, getattr(score, name) + row[name])


def _model_facts(section: SectionResult) -> list[Fact]:
    if section.table is None or section.grid is None:
        return []  # not read into a table type: nothing placed
    return table_facts(section.table)


def score_narrative(
    score: Score, key: dict[str, list[NarrativeFact]], replies: list[tuple[int, Reply]]
) -> None:
    figures = [
        f for _, r in join_replies(replies) if isinstance(r.answer, NarrativeAnswer) for f in r.answer.figures
    ]
    for sid, facts in key.items():
        said = [f for f in figures if f.sentence == sid]
        for fact in facts:
            numbers = _numbers(fact)
            found = [
                f
                for f in said
                if numbers & {_bare(f.amount), _bare(f.percent), _bare(f.change), _bare(f.budget)}
            ]
            score.figures += 1
            score.figures_found += bool(found)
            score.figures_right += any(f.kind == fact.kind for f in found)


def _numbers(fact: NarrativeFact) -> set[str]:
    printed = re.sub(r"[^\d.]", "", fact.amount_printed or "")
    values = {_bare(printed), _bare(fact.percent), _bare(fact.change), _bare(fact.budget)}
    in_sentence = {v for v in values if v and v in normalise(fact.sentence)}
    return in_sentence - {""}


def _bare(value: str | None) -> str:
    return normalise(value.lstrip("-")) if value else ""


# ------------------------------------------------------------------------------------- running


def bench_document(
    spec_path: Path, endpoint: Endpoint, folder: Path, tables: int | None, sentences: int | None
) -> Score:
    spec = load_spec(spec_path)
    pdf, _ = render(spec, folder)
    hidden, key = hide_tables(read_document(pdf), tables)
    asks, narrative = questions(hidden, endpoint, sentences)
    model = Model(endpoint)
    started = time.perf_counter()
    replies = model.ask_all([a for _, a in asks], _progress(spec.name))
    paired = [(n, r) for (n, _), r in zip(asks, replies, strict=True)]
    answered = apply_replies(hidden, [(n, r) for n, r in paired if n in key], endpoint.extractor)
    u = model.usage
    score = Score(spec.name, questions=len(asks), unanswered=sum(r.answer is None for r in replies))
    score.calls, score.prompt_tokens, score.completion_tokens = (
        u.model_calls,
        u.prompt_tokens,
        u.completion_tokens,
    )
    score.reasks, score.seconds = u.reasks, round(time.perf_counter() - started, 1)
    score_tables(score, key, answered)
    score_narrative(score, narrative, [(n, r) for n, r in paired if n not in key])
    return score


def _progress(name: str) -> Any:
    def show(reply: Reply) -> None:
        outcome = "ok" if reply.answer is not None else f"no valid answer: {(reply.error or '')[:120]}"
        print(f"  {name}: {reply.ask.name}: {outcome} ({reply.attempts} calls)", file=sys.stderr, flush=True)

    return show


COLUMNS = [
    ("document", "document", 28), ("tables", "kind", 6), ("cells", "cells", 6), ("cells_read", "read", 6),
    ("columns_right", "column", 7), ("rows_right", "row", 6), ("facts_exact", "exact", 6),
    ("figures", "figs", 5), ("figures_found", "found", 6), ("figures_right", "right", 6),
    ("calls", "calls", 6), ("reasks", "reask", 6), ("unanswered", "unans", 6),
    ("prompt_tokens", "prompt tok", 11), ("completion_tokens", "answer tok", 11), ("seconds", "seconds", 8),
]  # fmt: skip


def table(scores: list[Score]) -> str:
    total = Score("total")
    for s in scores:
        for name, _, _ in COLUMNS[1:]:
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.kind_right += s.kind_right
    lines = ["  ".join(f"{head:>{w}}" if i else f"{head:<{w}}" for i, (_, head, w) in enumerate(COLUMNS))]
    for s in [*scores, total]:
        cells = []
        for i, (name, _, w) in enumerate(COLUMNS):
            value = f"{s.kind_right}/{s.tables}" if name == "tables" else getattr(s, name)
            value = f"{value:.0f}" if isinstance(value, float) else value
            cells.append(f"{value:>{w}}" if i else f"{value:<{w}}")
        lines.append("  ".join(cells))
    return "\n".join(lines)


@contextmanager
def configured(args: argparse.Namespace) -> Iterator[Endpoint]:
    if args.endpoint:
        yield from_env(cache=None, context=args.context, max_tokens=args.max_tokens, reasks=args.reasks)
        return
    with LocalModel(
        context=args.context or 8192, max_tokens=args.max_tokens or 512, threads=args.threads
    ) as server:
        yield Endpoint(base_url=server.base_url, api_key="not-needed", model=NAME, context=server.context,
                       max_tokens=server.max_tokens, reasks=args.reasks if args.reasks is not None else 1,
                       concurrency=1, max_calls=100_000, cache=None, timeout=600, http_retries=0)  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--endpoint", action="store_true", help="the configured endpoint (BUDGETLENS_MODEL …), not SmolLM2"
    )
    p.add_argument("--seeds", nargs="*", help="seed names (default: every seed)")
    p.add_argument("--tables", type=int, help="at most N tables per document (default: all)")
    p.add_argument("--sentences", type=int, help="at most N narrative sentences per document (default: all)")
    p.add_argument("--context", type=int, help="context window in tokens (local default 8192)")
    p.add_argument("--max-tokens", type=int, help="answer bound (local default 512)")
    p.add_argument("--reasks", type=int, help="re-asks after an invalid answer (local default 1)")
    p.add_argument("--threads", type=int, default=1, help="local server threads (default 1)")
    p.add_argument("--out", type=Path, default=Path("out/bench-model.json"))
    args = p.parse_args()
    specs = [s for s in seed_specs() if not args.seeds or load_spec(s).name in args.seeds]
    scores = []
    with configured(args) as endpoint, tempfile.TemporaryDirectory() as tmp:
        if not endpoint.configured:
            sys.exit("no model: set BUDGETLENS_MODEL (and BUDGETLENS_BASE_URL, BUDGETLENS_API_KEY)")
        print(f"model {endpoint.model} at {endpoint.base_url} ({endpoint.instructor_mode})", file=sys.stderr)
        for spec in specs:
            scores.append(bench_document(spec, endpoint, Path(tmp), args.tables, args.sentences))
        settings = {"model": endpoint.model, "mode": endpoint.instructor_mode, "context": endpoint.context,
                    "max_tokens": endpoint.max_tokens, "reasks": endpoint.reasks, "tables": args.tables,
                    "sentences": args.sentences}  # fmt: skip
    print(table(scores))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"settings": settings, "documents": [asdict(s) for s in scores]},
                                   ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
