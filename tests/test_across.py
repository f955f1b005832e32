"""Checks across documents on fixture pairs of one department (budgetlens.testing.pairs): a 决算 and
the 预算 of its year, and the 决算 of the year before, each with what is planted said there."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from budgetlens.check.across import AcrossFinding
from budgetlens.cli import main
from budgetlens.testing.pairs import render_pairs


@pytest.fixture(scope="module")
def department(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three documents extracted into one output folder (in two worker processes)."""
    root = tmp_path_factory.mktemp("across")
    render_pairs(root / "in")
    assert main(["extract", str(root / "in"), "-o", str(root / "out"), "-q", "--jobs", "2"]) == 0
    return root / "out"


def across(
    folder: Path, capsys: pytest.CaptureFixture[str], *flags: str
) -> tuple[int, list[dict[str, object]]]:
    capsys.readouterr()
    code = main(["check", "--across", str(folder), *flags])
    lines = (folder / "budgetlens.across.jsonl").read_text(encoding="utf-8").splitlines()
    return code, [json.loads(line) for line in lines]


def stems(folder: Path) -> dict[str, str]:
    with sqlite3.connect(folder / "budgetlens.sqlite") as db:
        return dict(db.execute("SELECT doc, stem FROM documents"))


def test_what_is_planted_is_found_and_nothing_else(
    department: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found = across(department, capsys)
    assert code == 0
    name = stems(department)
    said = sorted((f["check"], f["severity"], name[f["doc"]], name[f["against"]]) for f in found)  # type: ignore[index]
    assert said == [
        ("across.budget", "error", "jianghan-2020-final", "jianghan-2020-budget"),  # 年初预算数 of 2060701
        ("across.budget", "warning", "jianghan-2020-final", "jianghan-2020-budget"),  # 三公 合计
        ("across.budget", "warning", "jianghan-2020-final", "jianghan-2020-budget"),  # 公务接待费
        ("across.prior_year", "error", "jianghan-2020-final", "jianghan-2019-final"),  # 财政拨款收、支总计
        ("across.subject_name", "info", "jianghan-2020-budget", "jianghan-2019-final"),  # 2080505
    ]
    by = {(f["check"], str(f["message"]).split(":")[0]): f for f in found}
    budget = by[("across.budget", "“三公”经费 公务接待费")]
    assert (budget["actual"], budget["expected"]) == ("3.00", "3.50")
    assert ("across.budget", "“三公”经费 合计") in by  # the items budgeted at zero agree: not said
    initial = by[("across.budget", "2060701")]  # the only code of 18 whose 年初预算数 differs
    assert (initial["actual"], initial["expected"], initial["severity"]) == ("180.46", "180.64", "error")
    assert [c["column"] for c in initial["cells"]] == ["年初预算数", "合计"]  # type: ignore[index]
    prior = by[("across.prior_year", "财政拨款收、支总计")]
    assert (prior["expected"], prior["actual"]) == ("717.07", "717.05")  # 504.77 + 212.30 vs printed
    (renamed,) = [f for f in found if f["check"] == "across.subject_name"]
    assert renamed["message"] == (
        "code 2080505 is 机关事业单位基本养老保险缴费支出 in jianghan-2020-budget (2020 预算) "
        "but 机关事业单位基本养老保险缴费 in jianghan-2019-final (2019 决算) "
        "(a subject renamed between years, or a slip)"
    )
    assert renamed["severity"] == "info"


def test_each_finding_names_both_documents(department: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, found = across(department, capsys)
    for line in found:
        finding = AcrossFinding.model_validate(line)
        assert line["id"] == finding.id and line["kind"] == "across"
        docs = {c.doc for c in finding.cells}
        assert docs == {finding.doc, finding.against}, line
        assert finding.doc != finding.against


def test_the_store_holds_them_once(department: Path, capsys: pytest.CaptureFixture[str]) -> None:
    across(department, capsys)
    code, found = across(department, capsys, "--fail-on", "error")  # again: replaced, not added
    assert code == 3
    with sqlite3.connect(department / "budgetlens.sqlite") as db:
        rows = db.execute("SELECT doc, id, against FROM findings WHERE against IS NOT NULL").fetchall()
        cells = db.execute(
            "SELECT COUNT(*) FROM finding_cells c JOIN findings f ON f.doc = c.doc AND f.id = c.finding_id "
            "WHERE f.against IS NOT NULL AND c.cell_doc = f.against"
        ).fetchone()[0]
    assert sorted(rows) == sorted((f["doc"], f["id"], f["against"]) for f in found)
    assert cells == sum(1 for f in found for c in f["cells"] if c["doc"] == f["against"])  # type: ignore[attr-defined]


def test_a_folder_without_a_store(tmp_path: Path, run_main: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run_main("check", "--across", tmp_path)
    assert code == 1 and err.strip() == (
        f"budgetlens: {tmp_path}: no budgetlens.sqlite here: give a folder `budgetlens extract -o` wrote "
        "(with --across, folders, not results)"
    )


@pytest.fixture
def run_main(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def go(*argv: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        printed = capsys.readouterr()
        return code, printed.out, printed.err

    return go
