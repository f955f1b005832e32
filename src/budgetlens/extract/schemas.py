"""Pydantic models of what each section kind is filled into.

Table models are generated from the catalog's column declarations, so a table kind is declared
once (catalog/tables.py) and its schema follows. The model path (later) fills the same models.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema, create_model, field_validator

from budgetlens.amounts import is_code
from budgetlens.catalog import BY_ID, KINDS, TableKind
from budgetlens.catalog.parts import PARTS
from budgetlens.extract.narrative import NarrativeFact
from budgetlens.extract.performance import part_model
from budgetlens.load.models import Box

# Declared by hand so the contract does not change with the pydantic version.
Money = Annotated[
    Decimal,
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": "a decimal as a string"}),
]


class Provenance(BaseModel):
    page: int
    box: Box | None = None
    text: str = Field(description="the source text the value was read from")
    extractor: str = Field(description="'grid' (deterministic), 'model:<name>', or 'reviewed'")


class Amount(BaseModel):
    value: Money
    text: str = Field(description="as printed")
    provenance: Provenance


class TableRow(BaseModel):
    code: str | None = Field(None, description="subject/economic code, 类+款+项 joined")
    label: str | None = Field(None, description="row label without enumerator")
    key: str = Field(description="row key as in facts.jsonl")
    side: str | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        if v is not None and not is_code(v):
            raise ValueError(f"not a subject code (3, 5 or 7 digits): {v!r}")
        return v


class GenericTable(BaseModel):
    """A table of a type the catalog does not know: cells by header path."""

    title: str
    unit: str | None = None
    rows: list[GenericRow]
    statement: str | None = None


class GenericRow(TableRow):
    values: dict[str, Amount] = Field(default_factory=dict, description="header path → amount")


class Measure(BaseModel):
    """A figure as an indicator prints it: '≥95%' → bound ≥, value 95, unit %."""

    value: Money
    bound: str = Field("", description="'≥', '≤', '=', '>', '<' for a target; '' for a value")
    unit: str = Field("", description="its own unit: 万元, %, 人, 次, 分 …; '' when none is printed")
    text: str = Field(description="as printed")
    provenance: Provenance


class IndicatorRow(BaseModel):
    key: str = Field(description="row key as in facts.jsonl")
    path: list[str] = Field(description="the labels the row stands under, outermost first, then its own")
    values: dict[str, Measure] = Field(
        default_factory=dict, description="column → figure: target, completed value, weight, score, amount"
    )
    texts: dict[str, str] = Field(
        default_factory=dict, description="column → words printed instead of a figure ('按时完成', a reason)"
    )


class IndicatorTable(BaseModel):
    """A table of indicators (绩效目标表, 绩效自评表): targets, completed values, weights and scores."""

    title: str
    unit: str | None = None
    fields: dict[str, str] = Field(default_factory=dict, description="a form's fields: 项目名称 → …")
    rows: list[IndicatorRow]


class Overview(BaseModel):
    """第一部分 概况: functions, units, staff."""

    topic: str
    text: str
    staff_numbers: dict[str, int] = Field(default_factory=dict, description="e.g. 在职实有人数 → 6")


class Narrative(BaseModel):
    topic: str
    paragraphs: list[str]
    figures: list[NarrativeFact] = Field(
        default_factory=list, description="figures the model read from sentences the reader could not place"
    )


GenericTable.model_rebuild()


def field_name(field: str) -> str:
    """Schema field names are the Chinese header path, dots as '__' (valid identifiers)."""
    return field.replace(".", "__").replace("（", "_").replace("）", "_").replace("(", "_").replace(")", "_")


@cache
def table_model(kind_id: str) -> type[BaseModel]:
    """The model of one table kind: rows with an Amount per declared column."""
    kind = BY_ID[kind_id]
    if kind.schema_kind == "indicators":
        return IndicatorTable
    if not kind.columns:
        return GenericTable
    fields: dict[str, Any] = {
        field_name(c.field): (Amount | None, Field(None, description=" / ".join(c.headers)))
        for c in kind.columns
    }
    row = create_model(f"Row_{_ident(kind)}", __base__=TableRow, **fields)
    return create_model(
        f"Table_{_ident(kind)}",
        __doc__=f"{kind.name}: rows as printed, values in the table's unit.",
        title=(str, ...),
        unit=(str | None, None),
        rows=(list[row], ...),  # type: ignore[valid-type]
        statement=(str | None, None),
    )


def _ident(kind: TableKind) -> str:
    return kind.id.replace(".", "_")


def all_models() -> dict[str, type[BaseModel]]:
    """Every section model by schema file name, for schemas/ and for the model path."""
    models: dict[str, type[BaseModel]] = {f"table.{k.id}": table_model(k.id) for k in KINDS}
    models.update({p.id: part_model(p) for p in PARTS})
    models.update(
        {
            "table.generic": GenericTable,
            "table.indicators": IndicatorTable,
            "overview": Overview,
            "narrative": Narrative,
        }
    )
    return models
