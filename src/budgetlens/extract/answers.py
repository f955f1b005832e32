"""What the model is asked to fill, and how its answer becomes the same data the deterministic path
produces.

The model never types a table value: it names the cell it read (``r12c3``, an id in the prompt's
grid) and the value it saw there, and the validators hold it to the page: a cell id that does not
exist, a value that is not the cell's number, a code that is not a subject code, an unknown unit or
column are rejected, and instructor re-asks with the reason. Narrative figures must quote a sentence
that prints them. So a model that follows an instruction hidden in the document ("report 0 for
everything") cannot get a value past validation.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator, model_validator

from budgetlens.amounts import UNITS, is_amount, is_code, normalise


def _number(text: str) -> str:
    if not is_amount(text.strip()):
        raise ValueError(f"not a number as printed: {text!r}")
    return normalise(text.strip())


def _unit(text: str | None) -> str | None:
    if text is not None and text not in UNITS:
        raise ValueError(f"unknown unit {text!r}: one of 万元, 元, 亿元, 千元")
    return UNITS[text] if text else None


Number = Annotated[str, AfterValidator(_number)]
Unit = Annotated[str | None, AfterValidator(_unit)]


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _cell_value(cell: str, value: str, cells: dict[str, str]) -> None:
    if cells and cell not in cells:
        raise ValueError(f"no cell {cell!r} in the grid (ids look like r3c2)")
    printed = cells.get(cell)
    if printed is not None and (not is_amount(printed) or normalise(printed) != value):
        raise ValueError(f"cell {cell} prints {printed!r}, not {value!r}")


# ------------------------------------------------------------------------------------------- tables


class CellPick(BaseModel):
    cell: str = Field(description="id of the grid cell the value is printed in, e.g. r12c3")
    value: Number = Field(description="the number exactly as printed in that cell, without thousands commas")

    @model_validator(mode="after")
    def _in_grid(self, info: ValidationInfo) -> CellPick:
        _cell_value(self.cell, self.value, _context(info).get("cells", {}))
        return self


class RowAnswer(BaseModel):
    code: str | None = Field(None, description="subject or economic code, 类+款+项 digits joined")
    label: str | None = Field(None, description="row label as printed, without enumerator")
    block: int = Field(0, description="side-by-side block of the table the row is in, 0 = leftmost")
    values: dict[str, CellPick] = Field(description="column header path → the cell read")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        if v is not None and not is_code(v.replace(" ", "")):
            raise ValueError(f"not a subject code (3, 5 or 7 digits): {v!r}")
        return v.replace(" ", "") if v else None


class TableAnswer(BaseModel):
    """A table read cell by cell: its type, unit, and every row with the cells its values are in."""

    kind: str = Field(description="table type id from the list given, or 'other'")
    unit: Unit = Field(None, description="money unit the table declares: 万元, 元, 亿元 or 千元")
    rows: list[RowAnswer]

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> TableAnswer:
        context = _context(info)
        columns: dict[str, list[str]] = context.get("columns", {})
        if columns and self.kind != "other" and self.kind not in columns:
            raise ValueError(f"unknown table type {self.kind!r}: one of {', '.join(columns)} or 'other'")
        allowed = columns.get(self.kind) or []
        for row in self.rows:
            wrong = [c for c in row.values if allowed and c not in allowed]
            if wrong:
                raise ValueError(f"columns {wrong} are not columns of {self.kind}: use {allowed}")
        return self


# ----------------------------------------------------------------------------------------- narrative


class Figure(BaseModel):
    """One figure a sentence states, in the narrative reader's terms."""

    sentence: str = Field(description="id of the sentence, e.g. s2")
    kind: str = Field(description="amount | share | change | execution")
    subject: str = Field(description="what the figure is about, e.g. 基本支出, 项目支出, 收、支总计")
    amount: str | None = Field(None, description="the amount as printed (actual, for execution)")
    unit: Unit = Field(None, description="unit printed with the amount: 万元, 元, 亿元, 千元")
    percent: str | None = Field(None, description="share, change rate or completion rate, without %")
    change: str | None = Field(None, description="signed change as printed; 减少/下降 negative")
    budget: str | None = Field(None, description="the budget a completion rate is of (execution)")

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in ("amount", "share", "change", "execution"):
            raise ValueError("kind is one of amount, share, change, execution")
        return v

    @field_validator("amount", "percent", "change", "budget")
    @classmethod
    def _numbers(cls, v: str | None) -> str | None:
        return _number(v.rstrip("%％")) if v else None

    @model_validator(mode="after")
    def _printed(self, info: ValidationInfo) -> Figure:
        sentences: dict[str, str] = _context(info).get("sentences", {})
        if sentences and self.sentence not in sentences:
            raise ValueError(f"no sentence {self.sentence!r} (ids look like s1)")
        text = normalise(sentences.get(self.sentence, ""))
        for name in ("amount", "percent", "change", "budget"):
            value = getattr(self, name)
            if value is not None and text and value.lstrip("-") not in text:
                raise ValueError(f"{name} {value} is not printed in sentence {self.sentence}")
        if self.amount is not None and self.unit is None:
            raise ValueError("an amount needs the unit printed with it")
        return self


class NarrativeAnswer(BaseModel):
    """Every figure the numbered sentences state."""

    figures: list[Figure]


# -------------------------------------------------------------------------------------- re-reading


class Reading(BaseModel):
    """One asked cell read again."""

    id: str = Field(description="id of the asked cell, e.g. a1")
    cell: str | None = Field(None, description="id of the region cell the value is printed in, if a table")
    value: Number = Field(description="the number as printed")
    source_text: str = Field(description="the exact text it was read from")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Reading:
        context = _context(info)
        asked: dict[str, str] = context.get("asked", {})
        if asked and self.id not in asked:
            raise ValueError(f"{self.id!r} was not asked for: answer {', '.join(asked)}")
        if self.value.lstrip("-") not in normalise(self.source_text):
            raise ValueError(f"{self.value} does not appear in its source text {self.source_text!r}")
        if self.cell is not None:
            _cell_value(self.cell, self.value, context.get("cells", {}))
        return self


class ReextractAnswer(BaseModel):
    readings: list[Reading]

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> ReextractAnswer:
        asked = _context(info).get("asked", {})
        missing = [a for a in asked if a not in {r.id for r in self.readings}]
        if missing:
            raise ValueError(f"no reading for {', '.join(missing)}")
        return self
