"""Rendered seed documents: every numeric cell must come back exactly, in every rendering variant."""

from __future__ import annotations

import json

import pytest

from budgetlens.evaluate import compare, load_facts
from budgetlens.pipeline import read_document
from budgetlens.testing.render import load_spec, seed_specs
from conftest import VARIANTS

# Seeds that print tables (the Furong performance report prints none: tests/test_performance.py reads it)
SEEDS = [p.stem for p in seed_specs() if any(b.table for b in load_spec(p).blocks)]
CASES = [(s, v) for s in SEEDS for v in VARIANTS]


def test_seed_specs_are_bundled() -> None:
    assert {"jianghan-2020-final", "wuchang-2025-budget"} <= set(SEEDS)


def _forms(seed: str) -> set[str]:
    """Tables the seed prints as key–value forms, which the ground truth leaves out (see TableSpec.form)."""
    spec = load_spec(next(p for p in seed_specs() if p.stem == seed))
    return {b.table.table or "" for b in spec.blocks if b.table is not None and b.table.form}


@pytest.mark.parametrize(("seed", "variant"), CASES)
def test_every_cell_exact(rendered, seed: str, variant: str) -> None:
    pdf, truth = rendered[(seed, variant)]
    gold = load_facts(truth)
    result = read_document(pdf)
    forms = _forms(seed)
    got = [f.contract(result.document.doc) for f in result.facts if f.table not in forms]
    report = compare(got, gold)
    assert gold  # the truth is not empty, so the comparison cannot pass vacuously
    assert report.accuracy == 1.0, report.text()


@pytest.mark.parametrize("seed", SEEDS)
def test_every_named_table_found_in_order(rendered, seed: str) -> None:
    pdf, _ = rendered[(seed, "lines")]
    spec = load_spec(next(p for p in seed_specs() if p.stem == seed))
    expected = [b.table.table for b in spec.blocks if b.table is not None and b.table.table]
    result = read_document(pdf)
    found = [s.table.name for s in result.sections if s.table is not None and s.table.kind]
    assert found == expected


def test_inconsistencies_are_kept_as_printed(rendered) -> None:
    """The reader must not 'fix' the document: Jianghan prints 42.36 in 表2 and 42.35 in 表3."""
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    facts = {(f.table, f.row, f.column): f.value for f in read_document(pdf).facts}
    assert facts[("收入决算表", "2080501", "本年收入合计")] == "42.36"
    assert facts[("支出决算表", "2080501", "本年支出合计")] == "42.35"
    assert facts[("一般公共预算财政拨款基本支出决算表", "人员经费合计", "人员经费.决算数")] == "199.38"


def test_split_codes_and_multipage_tables(rendered) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = read_document(pdf)
    tables = {s.table.name: s.table for s in result.sections if s.table is not None}
    income = tables["收入决算表"]  # printed with 类 | 款 | 项 columns
    assert [c.role for c in income.columns].count("code") == 1
    assert "2060101" in {r.text(0) for r in income.rows}
    assert len(tables["支出决算表"].pages) == 2  # forced over two pages


def test_empty_table_statement_kept(rendered) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = read_document(pdf)
    three = next(s.table for s in result.sections if s.table is not None and "三公" in s.table.name)
    assert three.statement is not None and "本单位无" in three.statement


def test_sections_are_typed(rendered) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    kinds = [s.kind for s in read_document(pdf).sections]
    assert kinds[0] == "cover" and "toc" in kinds and "overview" in kinds
    assert kinds.count("narrative") >= 9 and "glossary" in kinds


def test_truth_file_is_jsonl_contract(rendered) -> None:
    _, truth = rendered[("wuchang-2025-budget", "lines")]
    for line in truth.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {
            "doc",
            "entity",
            "table",
            "row",
            "column",
            "value",
            "unit",
            "bound",
            "page",
        }
