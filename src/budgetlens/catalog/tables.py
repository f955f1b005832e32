"""Every table type the tool knows, declared once as data.

A table kind says how to recognise it (title aliases), what it is called in the output
(canonical name), whether it is two-sided (收入 | 支出), and which header maps to which schema
field. Adding a table type means adding an entry here, nothing else.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from budgetlens.catalog.titles import matches, printed_name, qualifier, squeeze, title_key


class ColumnSpec(BaseModel):
    field: str  # schema field name
    headers: list[str]  # header paths (levels joined by '.') that mean this field


class TableKind(BaseModel):
    id: str
    name: str  # canonical name (facts.jsonl "table"); budget tables use their printed title
    doc_kind: Literal["final", "budget", "performance"]  # a performance table may be in any document
    aliases: list[str] = Field(description="title strings that identify the table, quotes removed")
    sides: tuple[str, str] | None = None  # two-sided tables: ("收入", "支出")
    columns: list[ColumnSpec] = Field(default_factory=list)
    empty_words: list[str] = Field(default_factory=list, description="what '本单位无…' names")
    required: bool = Field(
        default=False, description="every document of its kind must print it (or say why not)"
    )
    since: int | None = Field(default=None, description="required from this year's documents on")
    subject_first: bool = Field(
        default=False,
        description="the title opens with what the table is about (a project, '…项目绩效自评表'): the alias "
        "closes it, and the printed title names the table",
    )
    schema_kind: Literal["columns", "indicators"] = Field(
        default="columns", description="filled by its declared columns, or as indicators (targets, scores)"
    )


# Header words that name the same column whatever an office calls it, per header level.
_SAME_MEANING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:(?:19|20)\d\d年)?(?:本年)?(?:预算|决算)(?:数|金额)?$|^金额$"), "金额"),
    (re.compile(r"^人员支出$"), "人员经费"),
    (re.compile(r"^日常公用(?:支出|经费)$"), "公用经费"),
    (re.compile(r"^(?:支出|收入)?总计$"), "合计"),
    (re.compile(r"^项目支出总数$"), "项目支出"),
    (re.compile(r"^其中[:：]?"), ""),  # '其中：基本支出' is 基本支出; a lone 其中 level says nothing more
]


def meaning(path: str) -> str:
    """A header path with each level in its usual words: '收入.2026年预算数' → '收入.金额'."""
    levels = []
    for level in path.split("."):
        for pattern, usual in _SAME_MEANING:
            level = pattern.sub(usual, level)
        if level:
            levels.append(level)
    return ".".join(levels)


def _cols(*fields: str | tuple[str, ...]) -> list[ColumnSpec]:
    out = []
    for f in fields:
        names = (f,) if isinstance(f, str) else f
        out.append(ColumnSpec(field=names[0], headers=list(names)))
    return out


_SUMMARY = _cols(("收入.决算数", "收入.金额", "收入.预算数"), ("支出.决算数", "支出.金额", "支出.预算数"))
_FUND_SUMMARY = _cols(
    ("收入.决算数", "收入.金额", "收入.预算数"),
    ("支出.合计", "支出.小计", "支出.预算数"),
    ("支出.一般公共预算财政拨款", "支出.一般公共预算"),
    ("支出.政府性基金预算财政拨款", "支出.政府性基金预算"),
    ("支出.国有资本经营预算财政拨款", "支出.国有资本经营预算"),
)
_SPENDING = _cols(("合计", "小计", "本年支出合计"), "基本支出", "项目支出")
_THREE_PUBLIC = _cols(
    *[
        (f"{item}.{stage}", f"{alias}.{stage}", f"{stage}.{item}", f"{stage}.{alias}")
        for item, alias in [
            ("合计", "合计"),
            ("因公出国（境）费", "因公出国(境)费"),
            ("公务用车购置及运行维护费.小计", "公务用车购置及运行费.小计"),
            ("公务用车购置及运行维护费.公务用车购置费", "公务用车购置及运行费.公务用车购置费"),
            ("公务用车购置及运行维护费.公务用车运行维护费", "公务用车购置及运行费.公务用车运行费"),
            ("公务接待费", "公务接待费"),
        ]
        for stage in ("预算数", "决算数")
    ]
)

KINDS: list[TableKind] = [
    TableKind(
        id="final.summary",
        required=True,
        name="收入支出决算总表",
        doc_kind="final",
        aliases=["收入支出决算总表", "部门收支决算总表", "收支决算总表"],
        sides=("收入", "支出"),
        columns=_SUMMARY,
    ),
    TableKind(
        id="final.income",
        required=True,
        name="收入决算表",
        doc_kind="final",
        aliases=["收入决算表", "部门收入决算表"],
        columns=_cols(
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ),
    ),
    TableKind(
        id="final.expenditure",
        required=True,
        name="支出决算表",
        doc_kind="final",
        aliases=["支出决算表", "部门支出决算表"],
        columns=_cols(
            "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"
        ),
    ),
    TableKind(
        id="final.fiscal_summary",
        required=True,
        name="财政拨款收入支出决算总表",
        doc_kind="final",
        aliases=["财政拨款收入支出决算总表", "财政拨款收支决算总表"],
        sides=("收入", "支出"),
        columns=_FUND_SUMMARY,
    ),
    TableKind(
        id="final.general_budget",
        required=True,
        name="一般公共预算财政拨款支出决算表",
        doc_kind="final",
        aliases=["一般公共预算财政拨款支出决算表"],
        columns=_SPENDING,
    ),
    TableKind(
        id="final.basic",
        required=True,
        name="一般公共预算财政拨款基本支出决算表",
        doc_kind="final",
        aliases=["一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表"],
        columns=_cols(("决算数", "人员经费.决算数", "公用经费.决算数", "金额")),
    ),
    TableKind(
        id="final.three_public",
        required=True,
        name="一般公共预算财政拨款“三公”经费支出决算表",
        doc_kind="final",
        aliases=[
            "一般公共预算财政拨款三公经费支出决算表",
            "财政拨款三公经费支出决算表",
            "三公经费支出决算表",
        ],
        columns=_THREE_PUBLIC,
        empty_words=["三公"],
    ),
    TableKind(
        id="final.gov_fund",
        required=True,
        name="政府性基金预算财政拨款收入支出决算表",
        doc_kind="final",
        aliases=["政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"],
        columns=_cols(
            "年初结转和结余",
            "本年收入",
            ("本年支出.合计", "本年支出.小计"),
            "本年支出.基本支出",
            "本年支出.项目支出",
            "年末结转和结余",
        ),
        empty_words=["政府性基金"],
    ),
    TableKind(
        id="final.state_capital",
        required=True,
        since=2020,  # 2019 final accounts print eight tables (佛山市轨道交通局 2019)
        name="国有资本经营预算财政拨款支出决算表",
        doc_kind="final",
        aliases=["国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"],
        columns=_cols(
            "年初结转和结余",
            "本年收入",
            ("本年支出.合计", "本年支出.小计", "合计", "本年支出"),
            ("本年支出.基本支出", "基本支出"),
            ("本年支出.项目支出", "项目支出"),
            "年末结转和结余",
        ),
        empty_words=["国有资本经营", "国有资产经营"],
    ),
    TableKind(
        id="budget.summary",
        required=True,
        name="部门收支总表",
        doc_kind="budget",
        aliases=["部门收支总表", "收支总表"],
        sides=("收入", "支出"),
        columns=_SUMMARY,
    ),
    TableKind(
        id="budget.income",
        required=True,
        name="部门收入总表",
        doc_kind="budget",
        aliases=["部门收入总表", "收入总表"],
    ),
    TableKind(
        id="budget.expenditure",
        required=True,
        name="部门支出总表",
        doc_kind="budget",
        aliases=["部门支出总表", "支出总表"],
        columns=_cols(
            ("合计", "总计"), "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"
        ),
    ),
    TableKind(
        id="budget.fiscal_summary",
        required=True,
        name="财政拨款收支总表",
        doc_kind="budget",
        aliases=["财政拨款收支总表"],
        sides=("收入", "支出"),
        columns=_FUND_SUMMARY,
    ),
    TableKind(
        id="budget.general_budget",
        required=True,
        name="一般公共预算支出表",
        doc_kind="budget",
        aliases=["一般公共预算支出表", "一般公共预算财政拨款支出表"],
        columns=_cols(
            ("合计", "小计", "本年支出合计", "总计"),
            ("基本支出", "基本支出.小计"),
            ("基本支出.人员经费", "人员经费"),
            ("基本支出.公用经费", "公用经费"),
            "项目支出",
        ),
    ),
    TableKind(
        id="budget.basic",
        name="一般公共预算基本支出表",
        doc_kind="budget",
        aliases=["一般公共预算基本支出表", "一般公共预算财政拨款基本支出表"],
    ),
    TableKind(
        id="budget.three_public",
        required=True,
        name="一般公共预算“三公”经费支出表",
        doc_kind="budget",
        aliases=[
            "一般公共预算三公经费支出表",
            "财政拨款三公经费支出表",
            "三公经费支出表",
            "一般公共预算三公经费表",
            "三公经费表",
            "三公经费和机关运行经费表",
            "财政拨款安排的行政经费及三公经费表",
        ],
        empty_words=["三公"],
    ),
    TableKind(
        id="budget.gov_fund",
        name="政府性基金预算支出表",
        doc_kind="budget",
        aliases=[
            "政府性基金预算支出表",
            "政府性基金支出表",
            "政府性基金预算财政拨款支出表",
            "财政拨款政府性基金支出表",
        ],
        empty_words=["政府性基金"],
    ),
    TableKind(
        id="budget.state_capital",
        name="国有资本经营预算支出表",
        doc_kind="budget",
        aliases=["国有资本经营预算支出表", "国有资本经营预算财政拨款支出表"],
        empty_words=["国有资本经营"],
    ),
    TableKind(
        id="budget.projects",
        name="项目支出表",
        doc_kind="budget",
        aliases=["项目支出表"],
    ),
    TableKind(
        id="budget.performance_overall",
        name="整体支出绩效目标表",
        doc_kind="budget",
        aliases=["整体支出绩效目标表", "部门整体支出绩效目标表", "整体绩效目标表", "整体支出绩效目标申报表"],
        schema_kind="indicators",
    ),
    TableKind(
        id="budget.performance_project",
        name="项目支出绩效目标表",
        doc_kind="budget",
        aliases=["项目支出绩效目标表", "项目绩效目标表", "项目支出绩效目标申报表"],
        schema_kind="indicators",
    ),
    TableKind(
        id="performance.self_evaluation",
        name="绩效自评表",
        doc_kind="performance",
        aliases=[
            "部门整体支出绩效自评表",
            "整体支出绩效自评表",
            "部门整体绩效自评表",
            "整体绩效自评表",
            "项目支出绩效自评表",
            "项目绩效自评表",
            "专项资金绩效自评表",
            "绩效自评表",
        ],
        subject_first=True,
        schema_kind="indicators",
    ),
    TableKind(
        id="budget.procurement",
        name="政府采购预算表",
        doc_kind="budget",
        aliases=["政府采购预算表", "政府采购支出表", "政府采购表"],
    ),
]

BY_ID = {k.id: k for k in KINDS}


def match_title(title: str, doc_kind: str | None = None, department: str | None = None) -> TableKind | None:
    """The table kind a title names: an alias equal to the title once both are reduced to their key,
    or contained in it with only filler words around; the longest such alias wins."""
    key = title_key(title, department)
    if not key:
        return None
    best: tuple[int, TableKind] | None = None
    for kind in KINDS:
        if doc_kind in ("final", "budget") and kind.doc_kind not in (doc_kind, "performance"):
            continue
        for alias in kind.aliases:
            alias_key = title_key(alias)
            found = matches(key, alias_key) or (kind.subject_first and key.endswith(alias_key))
            if found and (best is None or len(alias_key) > best[0]):
                best = (len(alias_key), kind)
    return best[1] if best else None


def canonical_name(kind: TableKind, title: str, department: str | None = None) -> str:
    """The catalog's name, with the printed title's closing qualifier when it tells two tables of one
    kind apart ('一般公共预算支出表（按经济分类）')."""
    if kind.subject_first:
        return printed_name(title, department)
    extra = qualifier(title)
    inner = squeeze(extra)[1:-1]
    return kind.name + extra if extra and inner not in kind.name else kind.name
