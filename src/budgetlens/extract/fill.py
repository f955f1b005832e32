"""Deterministic filling: a section of a known kind → its schema model, with provenance.

What this path cannot fill confidently (an unknown table, unknown columns, narrative) is
returned with a reason, for the model path or a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from budgetlens.amounts import is_amount, is_code, to_decimal
from budgetlens.catalog import BY_ID, TableKind
from budgetlens.catalog.parts import BY_ID as PART_BY_ID
from budgetlens.catalog.tables import meaning
from budgetlens.chunk.models import Column, Row, Section, Table
from budgetlens.chunk.text import squeeze
from budgetlens.extract.facts import row_keys
from budgetlens.extract.indicators import fill_indicators
from budgetlens.extract.narrative import join_paragraphs, read_facts
from budgetlens.extract.performance import fill_part
from budgetlens.extract.schemas import GenericTable, Narrative, Overview, field_name, table_model

_QUOTES = re.compile(r"[“”\"'‘’]")
_STAFF = re.compile(r"([\u4e00-\u9fff（）()]{2,12}?)(\d+)人")


class Filled(BaseModel):
    schema_name: str | None = None
    data: dict[str, Any] | None = None
    needs_model: str | None = None  # why the deterministic path could not fill it


def fill(section: Section) -> Filled:
    if section.table is not None:
        return fill_table(section.table)
    if section.kind == "overview":
        text = "".join(p.text for p in section.paragraphs)
        staff = {k: int(v) for k, v in _STAFF.findall(text)}
        data = Overview(topic=section.name, text=text, staff_numbers=staff)
        return Filled(
            schema_name="overview", data=data.model_dump(mode="json"), needs_model=_unplaced(section)
        )
    if section.part in PART_BY_ID:
        part = fill_part(PART_BY_ID[section.part], section.name, [p.text for p in section.paragraphs])
        return Filled(schema_name=section.part, data=part, needs_model=_unplaced(section))
    if section.kind == "narrative":
        data_n = Narrative(topic=section.name, paragraphs=[p.text for p in section.paragraphs])
        return Filled(
            schema_name="narrative", data=data_n.model_dump(mode="json"), needs_model=_unplaced(section)
        )
    # text the outline did not call narrative (a 编制说明 under 目录, a 绩效 report's paragraphs) is
    # read as narrative too: what the reader cannot place in it needs the model as well
    return Filled(needs_model=_unplaced(section))


def _unplaced(section: Section) -> str | None:
    """The narrative reader places every amount and percentage it understands (and the checks use
    them); only sentences with a figure it could not place need the model."""
    if not section.paragraphs:
        return None
    text, _ = join_paragraphs([p.text for p in section.paragraphs])
    sentences = {f.sentence for f in read_facts(text) if f.kind == "unparsed"}
    if not sentences:
        return None
    n = len(sentences)
    return f"{n} sentence{'s' if n > 1 else ''} with numbers the narrative reader could not place"


def _key(text: str) -> str:
    return _QUOTES.sub("", squeeze(text)).replace("(", "（").replace(")", "）")


def column_fields(table: Table, kind: TableKind) -> tuple[dict[int, str], list[str]]:
    """Value column index → schema field, and the header paths that map to no field."""
    by_header = {meaning(_key(h)): spec.field for spec in kind.columns for h in spec.headers}
    mapped: dict[int, str] = {}
    unknown: list[str] = []
    for column in table.values():
        path = ".".join(column.path)
        field = by_header.get(meaning(_key(path)))
        if field is None:
            unknown.append(path)
        else:
            mapped[column.index] = field
    return mapped, unknown


def fill_table(table: Table, extractor: str = "grid") -> Filled:
    kind = BY_ID.get(table.kind or "")
    if kind is None:
        data = _generic(table, extractor)
        return Filled(schema_name="table.generic", data=data, needs_model="table type not recognised")
    if kind.schema_kind == "indicators":
        return Filled(schema_name="table.indicators", data=fill_indicators(table, extractor))
    if not kind.columns:
        return Filled(schema_name=f"table.{kind.id}", data=_generic(table, extractor))
    mapped, unknown = column_fields(table, kind)
    rows = []
    for row, entry, values in _keyed_rows(table):
        for column in values:
            if column.index in mapped:
                cell = row.cells[column.index]
                entry[field_name(mapped[column.index])] = amount(cell.text, cell.page, cell.box, extractor)
        rows.append(entry)
    filled = table_model(kind.id).model_validate(
        {"title": table.title, "unit": table.unit, "rows": rows, "statement": table.statement}
    )
    shown = ", ".join(unknown[:3]) + (f" (+{len(unknown) - 3} more)" if len(unknown) > 3 else "")
    reason = f"columns not recognised: {shown}" if unknown else None
    return Filled(schema_name=f"table.{kind.id}", data=filled.model_dump(mode="json"), needs_model=reason)


def _row_head(table: Table, i: int, group: int, key: str) -> dict[str, Any]:
    row = table.rows[i]
    cols = [c for c in table.columns if c.group == group]
    code = next((row.text(c.index) for c in cols if c.role == "code" and row.text(c.index)), None)
    label = "".join(row.text(c.index) for c in cols if c.role == "label") or None
    if code is not None and not is_code(code):  # a placeholder ('…') or a stray label: keep it readable
        label, code = (code + (label or "")), None
    side = next((c.side for c in cols if c.side), None)
    return {"code": code, "label": label, "key": key, "side": side}


def amount(text: str, page: int, box: Any, extractor: str = "grid") -> dict[str, Any]:
    """An Amount of the section schemas, as a dict, with its provenance."""
    provenance = {"page": page, "box": box, "text": text, "extractor": extractor}
    return {"value": to_decimal(text), "text": text, "provenance": provenance}


def _keyed_rows(table: Table) -> Iterator[tuple[Row, dict[str, Any], list[Column]]]:
    """Per printed row and column group with a row key: the row, its schema head (code, label, key,
    side) and the group's value columns that hold a number in that row."""
    keys = row_keys(table)
    groups = sorted({c.group for c in table.columns})
    for i, row in enumerate(table.rows):
        for group in groups:
            if (i, group) in keys:
                values = [c for c in table.values() if c.group == group and is_amount(row.text(c.index))]
                yield row, _row_head(table, i, group, keys[(i, group)]), values


def _generic(table: Table, extractor: str) -> dict[str, Any]:
    rows = []
    for row, entry, values in _keyed_rows(table):
        cells = [(".".join(c.path), row.cells[c.index]) for c in values]
        entry["values"] = {path: amount(x.text, x.page, x.box, extractor) for path, x in cells}
        rows.append(entry)
    data = GenericTable.model_validate(
        {"title": table.title, "unit": table.unit, "rows": rows, "statement": table.statement}
    )
    return data.model_dump(mode="json")
