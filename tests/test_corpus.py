"""Real PDFs from ../shared/corpus against answer keys written by hand (tests/data/).

Skipped when ../shared is absent (a fresh clone elsewhere); run in this workplace and in CI."""

from __future__ import annotations

import json

import pytest

from budgetlens.evaluate import compare, load_facts
from budgetlens.extract.facts import row_keys
from budgetlens.pipeline import read_document
from conftest import DATA, corpus_pdf

PDFS = ["putuo-social-work-2024-final.pdf", "final-accounts-template.pdf"]


def test_putuo_every_numeric_cell_exact() -> None:
    result = read_document(corpus_pdf("putuo-social-work-2024-final.pdf"))
    gold = load_facts(DATA / "putuo-social-work-2024-final.facts.jsonl")
    report = compare([f.contract(result.document.doc) for f in result.facts], gold)
    assert len(gold) == 205
    assert report.accuracy == 1.0 and not report.extra, report.text()


def _unique(items: list[str]) -> list[str]:
    """Collapse runs: a two-sided row (总计 | 总计) or twin column groups (决算数 | 决算数) count once."""
    return [x for i, x in enumerate(items) if i == 0 or items[i - 1] != x]


@pytest.mark.parametrize("name", PDFS)
def test_every_table_found_and_typed(name: str) -> None:
    """Table names, pages, value-column paths and row keys, as written by hand."""
    result = read_document(corpus_pdf(name))
    gold = json.loads((DATA / name.replace(".pdf", ".tables.json")).read_text(encoding="utf-8"))
    tables = [s.table for s in result.sections if s.table is not None and s.table.kind]
    assert [t.name for t in tables] == [g["table"] for g in gold]
    for table, expected in zip(tables, gold, strict=True):
        assert table.pages == expected["pages"], table.name
        assert _unique([".".join(c.path) for c in table.values()]) == expected["columns"], table.name
        keys = row_keys(table)
        assert _unique([keys[k] for k in sorted(keys)]) == expected["rows"], table.name
        assert table.unit == "万元"


def test_template_has_no_numbers_and_keeps_statements() -> None:
    result = read_document(corpus_pdf("final-accounts-template.pdf"))
    assert result.facts == []
    statements = [s.table.statement for s in result.sections if s.table is not None and s.table.statement]
    assert len(statements) == 2 and all("没有" in s for s in statements)


def test_corpus_sections() -> None:
    result = read_document(corpus_pdf("putuo-social-work-2024-final.pdf"))
    by_kind: dict[str, list[str]] = {}
    for s in result.sections:
        by_kind.setdefault(s.kind, []).append(s.name)
    assert by_kind["toc"] == ["目录"]
    assert "主要职能" in by_kind["overview"]
    assert "收入支出决算总体情况说明" in by_kind["narrative"]
    assert by_kind["glossary"] == ["名词解释"]
    assert result.document.doc_kind == "final"
