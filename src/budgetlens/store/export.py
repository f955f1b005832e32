"""The store's tables as files for pandas, DuckDB and spreadsheets: one CSV or Parquet file per
table, or one workbook with a sheet per table. Rows are streamed, never all held at once.

Values stay as the store has them: `value`, `expected`, `actual` are decimal text in CSV and Parquet
(exact; pandas: dtype=str, then Decimal or float as you need). In the workbook money is a number
cell (written from its decimal text, so exactly what was printed), codes stay text.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from budgetlens.errors import BudgetlensError
from budgetlens.store.db import Store
from budgetlens.store.schema import TABLES, columns

FORMATS = ("csv", "parquet", "xlsx")
BATCH = 50_000  # rows per Parquet row group and per fetch
SHEET_ROWS = 1_048_575  # a worksheet's rows under its header; a longer table goes on in `facts (2)` …
_NUMERIC = {"value", "previous"}  # decimal text shown as numbers in the workbook


def export(store: Store, fmt: str, folder: Path) -> list[Path]:
    """Write every table of the store to `folder` (made whole in a temporary folder beside it, then
    moved in); → the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export.") as tmp:
        made = _WRITERS[fmt](store, Path(tmp))
        out = []
        for path in made:
            target = folder / path.name
            os.replace(path, target)
            out.append(target)
    return out


def _extra(fmt: str, module: str) -> Any:
    """A module of the export extra, imported only when its format is asked for."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        needs = f"--format {fmt} needs {module.split('.')[0]}"
        raise BudgetlensError(f"{needs}: pip install 'budgetlens[export]' ({exc})") from exc


def _rows(store: Store, table: str) -> Iterator[list[tuple[Any, ...]]]:
    order = "doc, n" if "n" in columns(table) else "doc"
    cursor = store.db.execute(f"SELECT {', '.join(columns(table))} FROM {table} ORDER BY {order}")
    while batch := cursor.fetchmany(BATCH):
        yield batch


def _csv(store: Store, tmp: Path) -> list[Path]:
    out = []
    for table in TABLES:
        path = tmp / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns(table))
            for batch in _rows(store, table):
                writer.writerows(batch)
        out.append(path)
    return out


def _parquet(store: Store, tmp: Path) -> list[Path]:
    pa = _extra("parquet", "pyarrow")
    pq = _extra("parquet", "pyarrow.parquet")
    out = []
    for table in TABLES:
        schema = pa.schema([(name, _arrow_type(pa, ddl)) for name, ddl in _types(table)])
        path = tmp / f"{table}.parquet"
        with pq.ParquetWriter(path, schema) as writer:
            for batch in _rows(store, table):
                by_column = zip(*batch, strict=True)  # rows → columns
                arrays = [pa.array(values, type=t) for values, t in zip(by_column, schema.types, strict=True)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        out.append(path)
    return out


def _types(table: str) -> list[tuple[str, str]]:
    """(column, declared SQL type) in order."""
    declared: dict[str, str] = {}
    for line in TABLES[table].splitlines():
        for part in line.split("--")[0].split(","):
            words = part.split()
            if len(words) >= 2 and words[0] != "PRIMARY":
                declared[words[0]] = words[1]
    return [(name, declared.get(name, "TEXT")) for name in columns(table)]


def _arrow_type(pa: Any, sql: str) -> Any:
    return {"INTEGER": pa.int64(), "REAL": pa.float64()}.get(sql, pa.string())


def _xlsx(store: Store, tmp: Path) -> list[Path]:
    book = _extra("xlsx", "openpyxl").Workbook(write_only=True)
    for table in TABLES:
        names = columns(table)
        money = [i for i, n in enumerate(names) if n in _NUMERIC]
        sheet, part, used = _sheet(book, table, names), 1, 0
        for batch in _rows(store, table):
            for row in batch:
                if used == SHEET_ROWS:
                    part, used = part + 1, 0
                    sheet = _sheet(book, f"{table} ({part})", names)
                sheet.append(_cells(row, money))
                used += 1
    path = tmp / "budgetlens.xlsx"
    book.save(path)
    return [path]


def _sheet(book: Any, name: str, header: list[str]) -> Any:
    sheet = book.create_sheet(name)
    sheet.append(header)
    return sheet


def _cells(row: tuple[Any, ...], money: list[int]) -> list[Any]:
    cells = list(row)
    for i in money:
        if isinstance(cells[i], str):
            with contextlib.suppress(InvalidOperation):  # not a number: kept as text
                cells[i] = Decimal(cells[i])
    return cells


_WRITERS = {"csv": _csv, "parquet": _parquet, "xlsx": _xlsx}


def default_folder(out: Path) -> Path:
    return out / "export"


def remove_partial(folder: Path) -> None:
    """Temporaries a stopped export left (the next export starts clean)."""
    for path in folder.glob(".export.*"):
        shutil.rmtree(path, ignore_errors=True)
