"""Narrative figures as data, and the readings a sentence allows, on rendered fixtures: a document
that prints only its 情况说明 (its tables published apart, as Beijing's 部门预算信息公开 does), read as
a document; each reading rule (a share's base, a list inside a list, a complete or partial list) shown
holding where the text allows it and failing, with the readings tried, where none does."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlens.check.findings import Finding, TextRef
from budgetlens.check.narrative_figures import with_narrative
from budgetlens.cli import main
from budgetlens.extract.answers import Figure, NarrativeAnswer
from budgetlens.extract.figures import NarrativeFigure
from budgetlens.extract.model_fill import apply_replies, model_asks
from budgetlens.llm.client import Reply
from budgetlens.load import load_pdf
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.summary import summary_line
from budgetlens.testing.render import render
from budgetlens.testing.spec import Block, DocumentSpec
from conftest import corpus_pdf

INCOME = (
    "2026年度收入预算81676.15万元，比2025年年初预算数101989.82万元减少20313.67万元，下降19.92%。"
    "主要原因是在京央企老旧小区综合整治项目2025年末结转至2026年支出的资金减少。"
)
SPENDING = "2026年支出预算81676.15万元，比2025年年初预算数101989.82万元减少20313.67万元，下降19.92%。"
BASIC = "（一）基本支出。基本支出预算50790.07万元，占本年支出预算66.54%。"
PROJECT = "（二）项目支出。项目支出预算25542.89万元，占本年支出预算33.46%。"
CARRIED = "（三）年终结转结余资金5343.19万元。"
THREE = (
    "2026年财政拨款“三公”经费预算123.05万元，比2025年财政拨款“三公”经费年初预算增加28.93万元，"
    "增长30.74%，主要原因是更新购置2辆公务用车。其中："
)
ABROAD = "（一）因公出国（境）费用。2026年预算数59万元，主要用于出国（境）考察经费。"
RECEPTION = "（二）公务接待费。2026年预算数1.27万元，主要用于按规定开支的公务接待活动经费。"
CARS = (
    "（三）公务用车购置和运行维护费。2026年预算数62.78万元，包括公务用车购置费预算37.38万元、"
    "公务用车运行维护费2026年预算数25.4万元。主要用于公务用车燃料费、维修费、保险费等支出。"
)
PURCHASE = (
    "2026年北京市住房和城乡建设委员会政府采购预算总额12445.19万元，其中：政府采购货物预算131.98万元，"
    "政府采购工程预算0万元，政府采购服务预算12313.21万元。"
)


def _spec(**replaced: str) -> DocumentSpec:
    """Beijing housing's 情况说明, condensed; ``replaced`` swaps a paragraph (by its name above)."""
    texts = {"INCOME": INCOME, "SPENDING": SPENDING, "BASIC": BASIC, "PROJECT": PROJECT, "CARRIED": CARRIED}
    texts |= {"THREE": THREE, "ABROAD": ABROAD, "RECEPTION": RECEPTION, "CARS": CARS, "PURCHASE": PURCHASE}
    texts |= replaced
    heading = lambda text, level=1: Block(type="heading", text=text, level=level)  # noqa: E731
    para = lambda name: Block(type="paragraph", text=texts[name])  # noqa: E731
    return DocumentSpec(
        name="housing-narrative",
        doc_kind="budget",
        department="北京市住房和城乡建设委员会",
        cover=["北京市住房和城乡建设委员会2026年度", "部门预算信息公开"],
        blocks=[
            heading("目录"),
            Block(type="paragraph", text="第一部分 2026年度部门预算情况说明"),
            Block(type="paragraph", text="十三、部门整体支出绩效目标表"),  # 绩效 in the contents only
            Block(type="page_break"),
            heading("第一部分 2026年度部门预算情况说明"),
            heading("二、收入预算情况说明", 2),
            para("INCOME"),
            heading("三、支出预算情况说明", 2),
            *(para(n) for n in ("SPENDING", "BASIC", "PROJECT", "CARRIED")),
            heading("四、财政拨款“三公”经费预算情况说明", 2),
            *(para(n) for n in ("THREE", "ABROAD", "RECEPTION", "CARS")),
            heading("五、其他情况说明", 2),
            para("PURCHASE"),
        ],
    )


def _read(tmp_path: Path, **replaced: str) -> Result:
    pdf, _ = render(_spec(**replaced), tmp_path)
    return read_document(pdf)


@pytest.fixture(scope="module")
def housing(tmp_path_factory: pytest.TempPathFactory) -> Result:
    return _read(tmp_path_factory.mktemp("housing"))


def narrative(result: Result) -> list[Finding]:
    return [f for f in result.findings if f.check.startswith("narrative.")]


def figure(result: Result, value: str, kind: str | None = None) -> NarrativeFigure:
    (found,) = [f for f in result.narrative if f.value == value and (kind is None or f.kind == kind)]
    return found


# ------------------------------------------------------------------------------ the document


def test_a_narrative_only_document_is_read_as_a_document(housing: Result) -> None:
    d = housing.document
    assert (d.doc_kind, d.year, d.department) == ("budget", 2026, "北京市住房和城乡建设委员会")
    assert [f.severity for f in housing.findings if f.severity != "info"] == []
    assert [f.check for f in housing.findings] == ["completeness.tables"]  # the tables are published apart
    line = summary_line(housing)
    assert "0/0 tables recognised" in line and "no tables in this file" in line
    assert f"{len(housing.narrative)} figures read from the text" in line


def test_every_figure_of_the_sentences_is_output_on_its_page(housing: Result) -> None:
    printed = [
        ("81676.15", "amount", "万元"),
        ("101989.82", "amount", "万元"),
        ("20313.67", "change", "万元"),
        ("19.92", "rate", "%"),
        ("50790.07", "amount", "万元"),
        ("66.54", "share", "%"),
        ("123.05", "amount", "万元"),
        ("28.93", "change", "万元"),
        ("30.74", "rate", "%"),
        ("59", "item", "万元"),
        ("1.27", "item", "万元"),
        ("62.78", "item", "万元"),
        ("37.38", "item", "万元"),
        ("25.4", "item", "万元"),
        ("12313.21", "item", "万元"),
        ("2", "count", "辆"),
    ]
    got = {(f.value, f.kind, f.unit) for f in housing.narrative}
    assert set(printed) <= got
    income = [f for f in housing.narrative if f.section == "收入预算情况说明"]
    assert [(f.value, f.kind, f.role) for f in income] == [
        ("81676.15", "amount", "current"),
        ("101989.82", "amount", "prior"),
        ("20313.67", "change", "current"),
        ("19.92", "rate", "current"),
    ]
    change, rate = income[2], income[3]
    assert change.direction == rate.direction == "down" and change.subject == "收入预算"
    assert rate.prior is not None and (rate.prior.value, rate.prior.figure) == ("101989.82", income[1].id)
    three = figure(housing, "30.74")
    assert three.direction == "up" and three.prior is not None and three.prior.derived  # 123.05 − 28.93
    assert three.prior.value == "94.12"
    assert all(f.page >= 2 and f.box is not None and f.sentence for f in housing.narrative)


def test_narrative_jsonl_is_written_with_the_other_outputs(tmp_path: Path) -> None:
    pdf, _ = render(_spec(), tmp_path / "pdf")
    assert main(["extract", str(pdf), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    lines = (tmp_path / "out" / "housing-narrative.narrative.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    saved = json.loads((tmp_path / "out" / "housing-narrative.json").read_text(encoding="utf-8"))
    assert len(rows) == len(saved["narrative"]) == saved["summary"]["narrative_figures"] > 20
    first = rows[0]
    assert (
        first["doc"] == saved["document"]["sha256"][:16] and first["entity"] == "北京市住房和城乡建设委员会"
    )
    assert {"section", "page", "box", "sentence", "subject", "kind", "value", "unit", "extractor"} <= set(
        first
    )


# ------------------------------------------------------------------------------ share base


def test_shares_of_their_own_sum_hold(housing: Result) -> None:
    # 50790.07 / 81676.15 (本年支出预算) = 62.18%; the shares are of 基本 + 项目 = 76332.96
    assert not [f for f in narrative(housing) if f.check == "narrative.share"]
    share = figure(housing, "66.54")
    assert share.base is not None
    assert (share.base.value, share.base.reading, share.base.derived) == (
        "76332.96",
        "the shares' own sum",
        True,
    )


def test_a_share_no_reading_gives_says_which_bases_were_tried(tmp_path: Path) -> None:
    basic = BASIC.replace("50790.07", "56790.07")  # 66.54% + 33.46% still make 100%
    found = [f for f in narrative(_read(tmp_path, BASIC=basic)) if f.check == "narrative.share"]
    share = next(f for f in found if f.actual == "66.54%")
    assert "81676.15 (as printed)" in share.message and "82332.96 (the shares' own sum)" in share.message
    assert share.severity in ("warning", "error")


# ------------------------------------------------------------------------------ lists inside lists


def test_a_list_inside_a_list_is_read_as_nested(housing: Result) -> None:
    assert not [f for f in narrative(housing) if f.check == "narrative.list"]
    cars, buy, run = figure(housing, "62.78"), figure(housing, "37.38"), figure(housing, "25.4")
    assert buy.parent is not None and run.parent is not None and cars.parent is not None
    assert buy.parent.figure == run.parent.figure == cars.id  # 包括 opens the car costs' own parts
    assert cars.parent.figure == figure(housing, "123.05", "amount").id
    assert buy.complete is False  # 包括: the parts need not be all


def test_an_unmarked_list_inside_a_list_is_a_reading_the_check_tries(tmp_path: Path) -> None:
    # the car costs' parts printed as items of the 三公 list: flat they exceed it, nested they hold
    cars = "（三）公务用车购置和运行维护费62.78万元；公务用车购置费37.38万元；公务用车运行维护费25.4万元。"
    result = _read(tmp_path / "nested", CARS=cars)
    assert not [f for f in narrative(result) if f.check == "narrative.list"]
    buy = figure(result, "37.38")
    assert buy.parent is not None and buy.parent.figure == figure(result, "62.78").id
    assert buy.parent.reading.startswith("nested")
    wrong = _read(tmp_path / "wrong", CARS=cars, ABROAD=ABROAD.replace("59万元", "69万元"))
    (found,) = [f for f in narrative(wrong) if f.check == "narrative.list"]
    assert "readings tried: flat" in found.message and "nested: " in found.message


# ------------------------------------------------------------------------------ complete or partial


@pytest.mark.parametrize(
    ("intro", "service", "expected"),
    [
        ("其中：", "12013.21", None),  # a partial list may fall short of its total
        ("分别为：", "12013.21", "error"),  # a complete one may not
        ("分别为：", "12313.21", None),
        ("其中：", "12913.21", "error"),  # and no list may exceed it
    ],
)
def test_complete_and_partial_lists(tmp_path: Path, intro: str, service: str, expected: str | None) -> None:
    text = PURCHASE.replace("其中：", intro).replace("12313.21", service)
    result = _read(tmp_path, PURCHASE=text)
    found = [f for f in narrative(result) if f.check == "narrative.list"]
    assert [f.severity for f in found] == ([expected] if expected else [])
    item = figure(result, service)
    assert item.kind == "item" and item.complete is (intro == "分别为：")
    total = sum(Decimal(v) for v in ("131.98", "0", service))
    if found:
        assert f"= {total}" in found[0].message


BREAKDOWNS = (
    "本年支出合计14572.53万元，其中：按功能分类支出划分为一般公共服务支出10685.56万元，占比73.33%；"
    "教育支出180.03万元，占比1.24%；社会保障和就业支出2228.57万元，占15.29%；卫生健康支出497.53万元，"
    "占比3.41%；住房保障支出980.85万元，占比6.73%。按经济分类划分为基本支出11073.11万元，占比75.99%；"
    "项目支出3499.42万元，占比24.01%；无经营性支出。"
)


@pytest.mark.parametrize(("project", "found"), [("3499.42", False), ("3599.42", True)])
def test_a_list_breaking_its_total_down_twice(tmp_path: Path, project: str, found: bool) -> None:
    # national-petitions-bureau-2024-final p.19: by function, then by economic class, in one list
    result = _read(tmp_path, PURCHASE=BREAKDOWNS.replace("3499.42", project))
    lists = [f for f in narrative(result) if f.check == "narrative.list"]
    assert len(lists) == found
    if found:
        assert "readings tried: flat" in lists[0].message


def test_a_rate_of_change_against_the_printed_prior(tmp_path: Path) -> None:
    wrong = INCOME.replace("下降19.92%", "下降18.92%")
    found = [f for f in narrative(_read(tmp_path, INCOME=wrong)) if f.check == "narrative.change"]
    assert [(f.severity, f.expected, f.actual) for f in found] == [("error", "-19.92%", "-18.92%")]


def test_a_change_must_take_the_current_amount_to_the_printed_prior(tmp_path: Path) -> None:
    wrong = INCOME.replace("减少20313.67万元", "减少20413.67万元")  # 81676.15 − 101989.82 = −20313.67
    (found,) = [f for f in narrative(_read(tmp_path, INCOME=wrong)) if f.check == "narrative.prior"]
    assert (found.severity, found.expected, found.actual) == ("error", "-20313.67", "-20413.67")


@pytest.mark.parametrize(
    ("again", "found"),
    [
        ("年终结转结余资金5343.19万元将用于项目续建。", False),
        ("年终结转结余资金5343.91万元将用于项目续建。", True),
        ("（四）年终结转结余资金5343.91万元。", False),  # a sibling item of the same name: another figure
    ],
)
def test_the_same_amount_restated(tmp_path: Path, again: str, found: bool) -> None:
    result = _read(tmp_path, CARRIED=CARRIED + again)
    restated = [f for f in narrative(result) if f.check == "narrative.restated_amount"]
    assert [(f.expected, f.actual) for f in restated] == ([("5343.19", "5343.91")] if found else [])


# ------------------------------------------------------------------------------ real documents

WILD = "wild/beijing-housing-2026-budget-narrative.pdf"
_PRINTED = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:亿元|万元|元|%)")


def test_beijing_housing_every_figure_of_its_income_spending_and_three_public_sentences() -> None:
    pdf = corpus_pdf(WILD)
    result = read_document(pdf)
    assert [f.check for f in result.findings if f.severity == "error"] == []
    assert (result.document.doc_kind, result.document.year) == ("budget", 2026)
    pages = {p.number: "".join(w.text for w in p.words) for p in load_pdf(pdf).pages}
    for page in (5, 6, 7, 8):  # 收入预算, 支出预算, 三公, 政府采购
        printed = Counter(Decimal(m.group(1).replace(",", "")) for m in _PRINTED.finditer(pages[page]))
        read = Counter(Decimal(f.value) for f in result.narrative if f.page == page)
        assert printed - read == Counter(), f"p.{page}: not read {printed - read}"
    share = next(f for f in result.narrative if f.kind == "share" and f.value == "66.54")
    assert share.base is not None and share.base.value == "76332.96"  # 基本 + 项目, not 81676.15


# Slips each verified on the page (the sentence prints exactly these numbers):
SLIPS = {
    "jiangsu-procuratorate-2018-budget.pdf": [
        ("narrative.change", 23, "21.95%"),  # 3958.67 / 17996.68 = 22.00%
        ("narrative.change", 26, "0.06%"),  # 21.8 / 3644.2 = 0.60%
        ("narrative.change", 26, "-0.66%"),  # 134 / 2029 = 6.60%: 降幅0.66%
    ],
    "foshan-rail-transit-2019-final.pdf": [("narrative.share", 28, "100%")],  # 940.15 of 921.75
    # 收、支总计 22066.59, 增加5834.37, 增长35.74%: 5834.37 / 16232.22 = 35.94%
    # 共涉及资金5105.75万元, 占一般公共预算项目支出总额的100%: the table's 项目支出 is 3499.42
    # 54.西安市第三医院二期扩建项目: 全年预算数21143.98万元，执行数21143.98万元，完成预算的35%
    "xian-health-commission-2022-final-consolidated.pdf": [("narrative.execution", 46, "35%")],
    "national-petitions-bureau-2024-final.pdf": [
        ("narrative.change", 17, "35.74%"),
        ("narrative.share", 26, "100%"),
    ],
}


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_the_narrative_errors_of_wild_documents_are_their_slips(name: str) -> None:
    result = read_document(corpus_pdf(f"wild/{name}"))
    errors = [f for f in narrative(result) if f.severity == "error"]
    texts = [(f.check, next(c.page for c in f.cells if isinstance(c, TextRef)), f.actual) for f in errors]
    assert sorted(texts) == sorted(SLIPS[name])


# ------------------------------------------------------------------------------ what the model placed


def test_a_sentence_the_reader_cannot_place_goes_to_the_model_and_its_figures_are_output(
    rendered: dict[tuple[str, str], tuple[Path, Path]],
) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = with_narrative(read_document(pdf))
    assert result.summary.narrative_unplaced == 1  # 相比2016年的10.7%: a rate of nothing it names
    assert "1 number in sentences not placed" in summary_line(result)
    ((n, ask),) = [(n, a) for n, a in model_asks(result) if a.name.startswith("narrative")]
    assert "10.7%" in ask.user and result.sections[n].needs_model
    figure_ = Figure(sentence="s1", kind="share", subject="2016年居民具备基本科学素质比例", percent="10.7")
    reply = Reply(ask=ask, answer=NarrativeAnswer(figures=[figure_]), attempts=1)
    answered = with_narrative(apply_replies(result, [(n, reply)], "model:test"))
    (placed,) = [f for f in answered.narrative if f.extractor == "model:test"]
    same = next(f for f in answered.narrative if f.value == "13.5")  # the reader's, in that sentence
    assert (placed.kind, placed.value, placed.unit) == ("share", "10.7", "%")
    assert (placed.page, placed.box, placed.sentence) == (same.page, same.box, same.sentence)
    assert answered.summary.narrative_unplaced == 0 and answered.summary.sections_needing_model == (
        result.summary.sections_needing_model - 1
    )
