"""Narrative figures: every number a document prints in its sentences, as data (`<stem>.narrative.jsonl`).

One figure per printed number the reader (or the model) placed, with what it is about, what kind of
figure it is, and what it relates to: a share's base, a change's prior year and direction, a completion
rate's budget, a list item's parent and whether the list is complete. Values are as printed (sign kept,
no thousands separators) in the unit printed with them; what a figure relates to carries its own value
and unit, and says whether it is printed in the text or worked out from it (prior = current − change).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from budgetlens.load.models import Box

FigureKind = Literal["amount", "share", "change", "rate", "count", "item"]


class Related(BaseModel):
    """What a figure relates to: a figure printed in the text, a table cell, or an amount implied."""

    subject: str = Field(default="", description="what it is, as printed (本年支出预算, 上年决算数)")
    value: str | None = Field(default=None, description="its value, when known, in `unit`")
    unit: str | None = Field(default=None, description="万元 / 元 / 亿元 / %")
    figure: str | None = Field(default=None, description="id of the narrative figure printing it, if any")
    derived: bool = Field(default=False, description="not printed: worked out from the sentence")
    reading: str = Field(
        default="",
        description="which reading of the text gave it, when the text allows more than one "
        "(as printed, of a list's total, of the shares' own sum, nested in an item)",
    )


class LinkedCell(BaseModel):
    """The table cell a narrative figure was linked to (facts.jsonl's names)."""

    entity: str = ""
    table: str
    row: str
    column: str
    value: str
    page: int


class NarrativeFigureFields(BaseModel):
    """One line of `<stem>.narrative.jsonl` without the document id."""

    id: str = Field(description="the figure's id in this document (n1, n2 …), for `figure` references")
    entity: str = Field(default="", description="the department (or unit) the text speaks of")
    section: str = Field(description="the section the sentence is printed in, as its heading names it")
    page: int = Field(description="the page the number is printed on (1-based)")
    box: Box | None = Field(default=None, description="the paragraph the number is printed in")
    sentence: str = Field(description="the sentence, line breaks removed")
    subject: str = Field(description="what the figure is about, as printed")
    linked: LinkedCell | None = Field(
        default=None, description="the table cell the subject names, when one was found"
    )
    kind: FigureKind = Field(
        description="amount; share (of a base); change (an amount of change); rate (of change, or "
        "completion of a budget); count (人, 个, 台 …); item (an amount in a list, part of `parent`)"
    )
    value: str = Field(description="the number as printed: sign kept, no thousands separators")
    unit: str = Field(description="as printed: 万元 / 元 / 亿元 / % / 人 …")
    role: Literal["current", "prior", "budget", "actual"] = Field(
        default="current",
        description="for amounts: this period's amount, a prior year's, a budget, or the actual amount "
        "a budget is compared with",
    )
    budget_kind: str | None = Field(default=None, description="which budget (年初预算, 全年预算, 预算)")
    bound: Literal["at_least", "at_most", "above", "below", "about"] | None = Field(
        default=None,
        description="a bound printed with the figure: ≥ / 以上 at_least, ≤ at_most, 大于 / 300多人 above, "
        "低于 below, 近 / 约 about",
    )
    direction: Literal["up", "down", "flat"] | None = Field(
        default=None, description="changes and rates of change: 增加/增长 up, 减少/下降 down, 持平 flat"
    )
    base: Related | None = Field(default=None, description="shares: what the share is of")
    prior: Related | None = Field(default=None, description="changes and rates of change: the prior amount")
    budget: Related | None = Field(
        default=None, description="completion rates and actual amounts: the budget"
    )
    parent: Related | None = Field(default=None, description="list items: the total they are part of")
    complete: bool | None = Field(
        default=None,
        description="lists (their total and items): complete (合计/分别/共计: the items add up to the total) "
        "or partial (其中: they need not)",
    )
    extractor: str = Field(
        default="reader",
        description="'reader' (deterministic), 'ocr' (the reader, on a page read by OCR) or 'model:<name>'",
    )


class NarrativeFigure(NarrativeFigureFields):
    """A narrative figure as kept in `<stem>.json`."""

    span: tuple[int, int] = Field(description="where the number is printed in its section's text")

    def contract(self, doc: str) -> dict[str, object]:
        """The narrative.jsonl line."""
        return {"doc": doc, **self.model_dump(mode="json", include=set(NarrativeFigureFields.model_fields))}


class NarrativeFigureLine(NarrativeFigureFields):
    """One line of `<stem>.narrative.jsonl`: exactly the contract's fields."""

    doc: str = Field(description="the document's id: the first 16 hex digits of its sha256")
