"""One database per output folder (`budgetlens.sqlite`): documents, sections, tables, facts with
their provenance, subject names, findings and review decisions, for SQL, pandas, DuckDB and
spreadsheets (`budgetlens export`). Written only by the process that owns the folder."""

from budgetlens.store.db import NAME, Recorded, Store, store_path

__all__ = ["NAME", "Recorded", "Store", "store_path"]
