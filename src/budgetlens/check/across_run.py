"""`budgetlens check --across out/`: the documents of an output folder's store grouped by
department, each group checked across its documents; the findings written to
`budgetlens.across.jsonl` and to the store (in place of the last ones)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from budgetlens.check.across import AcrossCell, AcrossFinding, Doc, departments, subject_names
from budgetlens.check.across_budget import Fact, Facts, budget_columns
from budgetlens.check.across_prior import changes, compared_with, index_of, prior_figures
from budgetlens.errors import BudgetlensError
from budgetlens.result import Result
from budgetlens.store import Store

FILE = "budgetlens.across.jsonl"  # no document's outputs can have this name (<stem>.json, …)


def check_folder(
    folder: Path, write_to: Path | None, note: Callable[[str], None]
) -> tuple[list[AcrossFinding], str]:
    """Check the folder's documents across; write the findings to `write_to` (and, when that is
    the folder itself, into its store); → the findings and a summary line."""
    from budgetlens.output import jsonl, write_atomic
    from budgetlens.store import store_path

    store = Store(store_path(folder), create=False)
    try:
        found = across(store, folder, note)
        if write_to is not None:
            write_atomic(write_to / FILE, jsonl(f.contract() for f in found))
            if write_to == folder:
                store.replace_across(store_rows(found))
        n = store.count("documents")
    finally:
        store.close()
    by = Counter(f.severity for f in found)
    return (
        found,
        f"{folder}: across {n} documents: {by['error']} errors, {by['warning']} warnings, {by['info']} info",
    )


def across(store: Store, folder: Path, note: Callable[[str], None]) -> list[AcrossFinding]:
    rows = store.query("SELECT doc, stem, doc_kind, year, department FROM documents")
    docs = [
        Doc(str(d), str(s), str(k), y if isinstance(y, int) else None, str(dep or ""))
        for d, s, k, y, dep in rows
    ]
    load = _loader(folder, note)
    found: list[AcrossFinding] = []
    for group in departments(docs):
        found += subject_names(group, _names(store, group))
        for final in (d for d in group if d.kind == "final"):
            for budget in (d for d in group if d.kind == "budget" and d.year == final.year):
                found += budget_columns(final, budget, _facts(store, final), _facts(store, budget))
        found += _prior(group, load)
    return found


def _prior(group: list[Doc], load: Callable[[str], Result | None]) -> Iterator[AcrossFinding]:
    for doc in group:
        earlier = [d for d in group if doc.year and d.year and d.year < doc.year]
        if not earlier:
            continue
        result = load(doc.stem)
        reads = changes(result) if result is not None else []
        wanted = {compared_with(r.fact.sentence, doc.year or 0, doc.kind) for r in reads}
        for other in earlier:
            if (other.year, other.kind) in wanted and (theirs := load(other.stem)) is not None:
                yield from prior_figures(doc, reads, other, index_of(theirs))


def _loader(folder: Path, note: Callable[[str], None]) -> Callable[[str], Result | None]:
    """Saved results by stem, the last few kept (a department's years are checked one after another)."""
    from budgetlens.validate import parse_result

    @lru_cache(maxsize=4)
    def load(stem: str) -> Result | None:
        try:
            return parse_result(folder / f"{stem}.json")
        except BudgetlensError as exc:
            note(f"{exc} (its narrative is not compared across documents)")
            return None

    return load


def _facts(store: Store, doc: Doc) -> Facts:
    rows = store.query(
        "SELECT t.kind, f.entity, f.table_name, f.row_key, f.column_key, f.value, f.unit, f.page "
        "FROM facts f JOIN (SELECT DISTINCT table_name, kind FROM tables "
        "WHERE doc = ? AND kind IS NOT NULL) t ON t.table_name = f.table_name WHERE f.doc = ? ORDER BY f.n",
        (doc.doc, doc.doc),
    )
    out: Facts = defaultdict(list)
    for kind, *fact in rows:
        out[str(kind)].append(Fact(*fact))  # type: ignore[arg-type]
    return out


def _names(store: Store, group: list[Doc]) -> dict[str, dict[str, list[tuple[str, str, int]]]]:
    marks = ", ".join("?" * len(group))
    rows = store.query(
        f"SELECT doc, code, name, table_name, page FROM subjects WHERE doc IN ({marks}) ORDER BY doc, code",
        tuple(d.doc for d in group),
    )
    out: dict[str, dict[str, list[tuple[str, str, int]]]] = defaultdict(lambda: defaultdict(list))
    for doc, code, name, table, page in rows:
        out[str(doc)][str(code)].append((str(name), str(table), int(page)))  # type: ignore[call-overload]
    return out


def store_rows(found: list[AcrossFinding]) -> dict[str, list[tuple[object, ...]]]:
    findings: list[tuple[object, ...]] = []
    cells: list[tuple[object, ...]] = []
    for f in found:
        fid = f.id
        findings.append(
            (f.doc, fid, f.check, f.severity, f.kind, f.message, f.expected, f.actual, f.tolerance, f.source,
             None, None, f.against)
        )  # fmt: skip
        for n, c in enumerate(f.cells, 1):
            if isinstance(c, AcrossCell):
                where: tuple[object, ...] = (c.entity, c.table, c.row, c.column, None, None)
            else:
                where = (None, None, None, None, c.section, c.text)
            cells.append((f.doc, fid, n, c.doc, *where, c.value, c.page))
    return {"findings": findings, "finding_cells": cells}
