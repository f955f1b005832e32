"""Suspect readings: a value cell whose text has digits but is not a number ("1,2.30", "12..5",
"l2.30"). The cell was read but left out of the facts, so every sum it belongs to is suspect too."""

from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlens.amounts import is_amount, quantity
from budgetlens.check.findings import CellRef, Finding
from budgetlens.chunk.models import Row
from budgetlens.result import Result

_DIGIT = re.compile(r"\d")
# Words, comparisons and ranges in a value column are targets and notes ('≥90%', '97%-100%'), not numbers.
# '/': a date, 12/15/2022; '2022.1.1-2022.12.31': a span of dates
_NOT_A_VALUE = re.compile(r"[\u4e00-\u9fff≥≤><＞＜≧≦~～/]|\d\s*%.*\d|^(19|20)\d\d[.\-]\d{1,2}[.\-]\d{1,2}")


def unreadable_numbers(result: Result) -> Iterator[Finding]:
    for section in result.sections:
        table = section.table
        if table is None:
            continue
        values = [c for c in table.columns if c.role == "value"]
        for row in table.rows:
            for column in values:
                cell = row.cells.get(column.index)
                text = cell.text.strip() if cell else ""
                if cell is None or not _DIGIT.search(text) or quantity(text) or _NOT_A_VALUE.search(text):
                    continue
                ref = CellRef(
                    entity=table.entity or "",
                    table=table.name,
                    row=_label(row),
                    column=".".join(column.path),
                    value=text,
                    page=cell.page,
                    box=cell.box,
                )
                yield Finding(
                    check="extraction.number",
                    severity="warning",
                    kind="consistency",
                    message=f"{table.name}: the cell {text!r} (page {cell.page}) is not a number; "
                    "it was left out of the facts and of every check",
                    cells=[ref],
                    expected="a number",
                    actual=text,
                    source="extraction",
                )


def _label(row: Row) -> str:
    """The row's non-numeric text: enough for a person to find it (the row has no fact key)."""
    return "".join(c.text for c in row.cells.values() if not is_amount(c.text.strip()))[:40]
