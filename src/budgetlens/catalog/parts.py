"""The parts of a 绩效 report, declared once as data: what each is called and the heading words that
announce it ('二、部门整体支出管理及使用情况', '（三）存在的问题'). A part kind adds meaning to a narrative
section every document yields; it is not a gate in front of it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from budgetlens.catalog.titles import squeeze


class PartKind(BaseModel):
    id: str
    name: str  # canonical name
    words: list[str] = Field(description="heading words that announce the part, most telling first")


def _part(id: str, name: str, words: str) -> PartKind:
    return PartKind(id=id, name=name, words=words.split())


PARTS = [
    _part("performance.overview", "部门概况", "概况 基本情况 职能职责 机构设置"),
    _part(
        "performance.spending",
        "部门整体支出管理及使用情况",
        "支出管理 资金管理 资金使用 使用情况 整体支出 预算执行 资金投入 收支情况",
    ),
    _part("performance.implementation", "项目组织实施情况", "组织实施 项目实施 项目管理"),
    _part("performance.assets", "资产管理情况", "资产管理"),
    _part(
        "performance.results",
        "绩效情况",
        "绩效情况 绩效目标 绩效分析 评价结论 绩效评价 产出 效益 满意度 有效性 持续性",
    ),
    _part("performance.problems", "存在问题", "存在问题 存在的问题 问题"),
    _part("performance.next_steps", "下一步改进措施", "下一步 改进措施 改进意见 整改 工作计划 意见建议 建议"),
]
BY_ID = {p.id: p for p in PARTS}


def part_of(heading: str) -> PartKind | None:
    """The part a heading announces. A Chinese heading closes with what it is about, so the word
    ending last in it names the part: '部门整体支出绩效情况' is about results, '资金使用及管理情况'
    about spending."""
    text = squeeze(heading)
    found = [(text.rfind(w) + len(w), len(w), n) for n, p in enumerate(PARTS) for w in p.words if w in text]
    return PARTS[max(found)[2]] if found else None
