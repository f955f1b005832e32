"""Every table type the tool knows, declared once as data.

A table kind says how to recognise it (title aliases), what it is called in the output
(canonical name), whether it is two-sided (收入 | 支出), and which header maps to which schema
field. Adding a table type means adding an entry here, nothing else.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    # the chunk stage imports the catalog, so the catalog does not import the chunk stage
    return _SPACE.sub("", text)


class ColumnSpec(BaseModel):
    field: str  # schema field name
    headers: list[str]  # header paths (levels joined by '.') that mean this field


class TableKind(BaseModel):
    id: str
    name: str  # canonical name (facts.jsonl "table"); budget tables use their printed title
    doc_kind: Literal["final", "budget"]
    aliases: list[str] = Field(description="title strings that identify the table, quotes removed")
    sides: tuple[str, str] | None = None  # two-sided tables: ("收入", "支出")
    columns: list[ColumnSpec] = Field(default_factory=list)
    empty_words: list[str] = Field(default_factory=list, description="what '本单位无…' names")
    required: bool = Field(
        default=False, description="every document of its kind must print it (or say why not)"
    )


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
        aliases=["部门收支总表", "收支预算总表", "部门收支预算总表", "收支总表"],
        sides=("收入", "支出"),
        columns=_SUMMARY,
    ),
    TableKind(
        id="budget.income",
        required=True,
        name="部门收入总表",
        doc_kind="budget",
        aliases=["部门收入总表", "收入预算总表", "部门收入预算总表"],
    ),
    TableKind(
        id="budget.expenditure",
        required=True,
        name="部门支出总表",
        doc_kind="budget",
        aliases=["部门支出总表", "支出预算总表", "部门支出预算总表"],
        columns=_cols(("合计", "总计"), "基本支出", "项目支出"),
    ),
    TableKind(
        id="budget.fiscal_summary",
        required=True,
        name="财政拨款收支总表",
        doc_kind="budget",
        aliases=["财政拨款收支总表", "财政拨款收支预算总表"],
        sides=("收入", "支出"),
        columns=_FUND_SUMMARY,
    ),
    TableKind(
        id="budget.general_budget",
        required=True,
        name="一般公共预算支出表",
        doc_kind="budget",
        aliases=["一般公共预算支出表", "一般公共预算财政拨款支出表", "一般公共预算支出预算表"],
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
        required=True,
        name="一般公共预算基本支出表",
        doc_kind="budget",
        aliases=["一般公共预算基本支出表", "一般公共预算财政拨款基本支出表"],
    ),
    TableKind(
        id="budget.three_public",
        required=True,
        name="一般公共预算“三公”经费支出表",
        doc_kind="budget",
        aliases=["一般公共预算三公经费支出表", "三公经费支出表", "三公经费支出预算表"],
        empty_words=["三公"],
    ),
    TableKind(
        id="budget.gov_fund",
        name="政府性基金预算支出表",
        doc_kind="budget",
        aliases=["政府性基金预算支出表", "政府性基金支出表", "政府性基金预算财政拨款支出表"],
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
        aliases=["项目支出表", "项目支出情况表", "项目支出预算表"],
    ),
    TableKind(
        id="budget.performance_overall",
        name="整体支出绩效目标表",
        doc_kind="budget",
        aliases=["整体支出绩效目标表", "部门整体支出绩效目标表", "整体绩效目标表", "整体支出绩效目标申报表"],
    ),
    TableKind(
        id="budget.performance_project",
        name="项目支出绩效目标表",
        doc_kind="budget",
        aliases=["项目支出绩效目标表", "项目绩效目标表", "项目支出绩效目标申报表"],
    ),
    TableKind(
        id="budget.procurement",
        name="政府采购预算表",
        doc_kind="budget",
        aliases=["政府采购预算表", "政府采购预算明细表", "政府采购表"],
    ),
]

BY_ID = {k.id: k for k in KINDS}
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
_PREFIX = re.compile(r"^(?:附?表\s*[0-9一二三四五六七八九十]+(?:[-－—][0-9]+)?\s*[.．、:：]?)")
_NUMBER = re.compile(r"[（(]\s*附?表\s*[0-9一二三四五六七八九十]+(?:[-－—][0-9]+)?\s*[)）]")


def _key(text: str) -> str:
    return _QUOTES.sub("", squeeze(text))


def match_title(line: str, doc_kind: str | None = None) -> TableKind | None:
    """The table kind a title line names, longest alias first; None if it names none."""
    key = _key(line)
    best: tuple[int, TableKind] | None = None
    for kind in KINDS:
        if doc_kind in ("final", "budget") and kind.doc_kind != doc_kind:
            continue
        for alias in kind.aliases:
            if _key(alias) in key and (best is None or len(alias) > best[0]):
                best = (len(alias), kind)
    return best[1] if best else None


def printed_name(title: str) -> str:
    """A title as printed without 'N.' / '表N.' prefixes, '（表N）' suffixes and whitespace."""
    text = _NUMBER.sub("", squeeze(title))
    text = _PREFIX.sub("", text)
    return re.sub(r"^\d+[.．、]", "", text)


def canonical_name(kind: TableKind, title: str) -> str:
    """决算 tables use the catalog name; 预算 tables keep their printed title (the contract)."""
    if kind.doc_kind == "budget":
        name = printed_name(title)
        year = re.match(r"^\d{4}年度?", name)
        return name[year.end() :] if year else name
    return kind.name
