"""`<out>/budgetlens.sqlite`: every document of an output folder in one database (stdlib sqlite3,
WAL, so readers — pandas, DuckDB, the sqlite3 shell — may read while a run writes).

Only the process that owns the output folder writes it (never a worker): one writer, no lock
contention. A document's rows are replaced in one transaction, committed right after its files
are renamed into place, so a document is in the store only when its files are whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from budgetlens.errors import OutputError
from budgetlens.store.rows import Row, Rows
from budgetlens.store.schema import TABLES, VERSION, columns, statements

NAME = "budgetlens.sqlite"
_DOC_TABLES = [t for t in TABLES if t != "documents"]


@dataclass(frozen=True)
class Recorded:
    """What the store says of one document read earlier."""

    doc: str
    sha256: str
    stem: str
    source: str
    budgetlens: str
    settings: str
    errors: int
    warnings: int
    info: int


def store_path(folder: Path) -> Path:
    return folder / NAME


class Store:
    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.is_file():
            raise OutputError(f"{path}: no store here: run `budgetlens extract … -o {path.parent}` first")
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a lost commit is read again
            self._layout()
        except sqlite3.DatabaseError as exc:
            raise OutputError(
                f"{path}: not a budgetlens store ({exc}); remove it: the next run reads every document again"
            ) from exc

    def _layout(self) -> None:
        """Create the tables; a store of another layout is dropped (it holds nothing the files don't)."""
        known = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if known:
            row = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            if row and row[0] != str(VERSION):
                for table in [*TABLES, "meta"]:
                    self.db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in statements():
            self.db.execute(statement)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(VERSION),))

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------------------ what was read

    def recorded(self, *, stem: str | None = None, sha256: str | None = None) -> Recorded | None:
        where, arg = ("stem", stem) if stem is not None else ("sha256", sha256)
        row = self.db.execute(
            "SELECT doc, sha256, stem, source, budgetlens, settings, errors, warnings, info "
            f"FROM documents WHERE {where} = ?",
            (arg,),
        ).fetchone()
        return Recorded(*row) if row else None

    # ------------------------------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN … the caller commits (`commit`) when its files are in place; rolled back otherwise."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")  # the caller did not commit: its files did not land

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def put(self, rows: Rows) -> None:
        """One document's rows in place of what its name or its id held before."""
        (document,) = rows["documents"]
        doc, stem = str(document[0]), str(document[2])
        self.forget(stem)
        self._delete(doc)
        for table, table_rows in rows.items():
            self.insert(table, table_rows)

    def forget(self, stem: str) -> None:
        """Remove the document written as `stem` (its outputs are gone)."""
        old = self.db.execute("SELECT doc FROM documents WHERE stem = ?", (stem,)).fetchone()
        if old:
            self._delete(old[0])

    def _delete(self, doc: str) -> None:
        self.db.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        for table in _DOC_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE doc = ?", (doc,))

    def insert(self, table: str, rows: list[Row]) -> None:
        names = columns(table)
        marks = ", ".join("?" * len(names))
        self.db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)

    def replace_findings(self, doc: str, rows: Rows, counts: dict[str, int]) -> None:
        """A document's findings after `budgetlens check` (its facts are unchanged)."""
        with self.transaction():
            self.db.execute("DELETE FROM findings WHERE doc = ? AND against IS NULL", (doc,))
            self.db.execute(
                "DELETE FROM finding_cells WHERE doc = ? AND finding_id NOT IN "
                "(SELECT id FROM findings WHERE doc = ?)",
                (doc, doc),
            )
            for table, table_rows in rows.items():
                self.insert(table, table_rows)
            self.db.execute(
                "UPDATE documents SET errors = ?, warnings = ?, info = ? WHERE doc = ?",
                (counts["error"], counts["warning"], counts["info"], doc),
            )
            self.commit()

    def replace_reviews(self, doc: str, rows: list[Row]) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM reviews WHERE doc = ?", (doc,))
            self.insert("reviews", rows)
            self.commit()

    def replace_across(self, rows: Rows) -> None:
        """The findings of checks across documents, in place of the last ones."""
        with self.transaction():
            self.db.execute(
                "DELETE FROM finding_cells WHERE EXISTS (SELECT 1 FROM findings f WHERE f.doc = "
                "finding_cells.doc AND f.id = finding_cells.finding_id AND f.against IS NOT NULL)"
            )
            self.db.execute("DELETE FROM findings WHERE against IS NOT NULL")
            for table, table_rows in rows.items():
                self.insert(table, table_rows)
            self.commit()

    # ------------------------------------------------------------------------------------ reading

    def count(self, table: str, where: str = "") -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table} {where}").fetchone()[0])

    def query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return self.db.execute(sql, args).fetchall()
