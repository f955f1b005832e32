"""The parts of a 绩效 report filled into their schemas, from the text alone: its numbered points,
the staff numbers an overview states, the dimensions a results part is told in (产出 / 效益 / 满意度,
有效性 / 持续性). The figures of its sentences are the narrative reader's (narrative.jsonl)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from budgetlens.catalog.parts import PartKind

_POINT = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十\d]+\s*[、.．])")
_STAFF = re.compile(r"(编制数|实有(?:在职)?人数|在职(?:实有)?人数|退休人数|离退休人数)为?(\d+)人")
_DIMENSION = re.compile(
    r"(?<![\u4e00-\u9fff])(产出|效益|满意度|有效性|持续性|经济性|效率性|效果性|公平性)[：:]"
)


class PerformancePart(BaseModel):
    """A part of a 绩效 report, as printed."""

    part: str = Field(description="the part's id in the catalog (catalog/parts.py)")
    topic: str = Field(description="its heading as printed, numbering left out")
    paragraphs: list[str]
    points: list[str] = Field(default_factory=list, description="its numbered points ((1), （一）, 1、)")


class PerformanceOverview(PerformancePart):
    """部门概况: functions, bodies, staff."""

    staff_numbers: dict[str, int] = Field(default_factory=dict, description="编制数 → 4, 实有人数 → 4")


class PerformanceResults(PerformancePart):
    """绩效情况: what each dimension says (有效性：…, 持续性：…)."""

    dimensions: dict[str, str] = Field(
        default_factory=dict, description="产出 / 效益 / 满意度 / 有效性 … → text"
    )


MODELS: dict[str, type[PerformancePart]] = {
    "performance.overview": PerformanceOverview,
    "performance.results": PerformanceResults,
}


def part_model(part: PartKind) -> type[PerformancePart]:
    return MODELS.get(part.id, PerformancePart)


def fill_part(part: PartKind, topic: str, paragraphs: list[str]) -> dict[str, Any]:
    text = "".join(paragraphs)
    data: dict[str, Any] = {
        "part": part.id,
        "topic": topic,
        "paragraphs": paragraphs,
        "points": [p for p in paragraphs if _POINT.match(p)],
    }
    if part.id == "performance.overview":
        data["staff_numbers"] = {k: int(v) for k, v in _STAFF.findall(text)}
    if part.id == "performance.results":
        marks = list(_DIMENSION.finditer(text))
        ends = [m.start() for m in marks[1:]] + [len(text)] if marks else []
        data["dimensions"] = {m.group(1): text[m.end() : end] for m, end in zip(marks, ends, strict=True)}
    return part_model(part).model_validate(data).model_dump(mode="json")
