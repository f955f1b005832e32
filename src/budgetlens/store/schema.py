"""The store's tables: one row per document, section, table, fact, narrative figure, subject name,
finding (and each cell a finding names) and review decision, keyed by the document id every output
line carries.

Names that are SQL keywords in the contract (`table`, `row`, `column`, `check`) are `table_name`,
`row_key`, `column_key` and `check_id` here, so no query has to quote them. Values are TEXT exactly
as facts.jsonl has them (money is decimal: cast only where a float is good enough).
"""

from __future__ import annotations

VERSION = 2  # of this layout: a store of another layout is rebuilt, not read

TABLES: dict[str, str] = {
    "documents": """
        doc TEXT PRIMARY KEY,           -- first 16 hex of sha256: the `doc` of every output line
        sha256 TEXT NOT NULL,
        stem TEXT NOT NULL UNIQUE,      -- the outputs' name: <stem>.json, .facts.jsonl, .findings.jsonl …
        source TEXT NOT NULL,           -- the PDF as it was given
        doc_kind TEXT NOT NULL,         -- final | budget | performance | unknown
        title TEXT, year INTEGER, department TEXT,
        pages INTEGER, tables INTEGER, facts INTEGER,
        narrative_figures INTEGER, narrative_unplaced INTEGER,
        errors INTEGER, warnings INTEGER, info INTEGER,
        flagged_cells INTEGER, reviewed_cells INTEGER, seconds REAL,
        budgetlens TEXT NOT NULL,       -- the version that read it
        settings TEXT NOT NULL          -- how it was read (the model, if any)
    """,
    "sections": """
        doc TEXT NOT NULL, n INTEGER NOT NULL,  -- n: the section's place in <stem>.json
        kind TEXT, name TEXT, heading TEXT, first_page INTEGER, last_page INTEGER,
        schema_name TEXT, needs_model TEXT,
        part TEXT,                      -- a 绩效 report's part (catalog/parts.py)
        repeated INTEGER,               -- paragraphs printed again word for word (read once)
        PRIMARY KEY (doc, n)
    """,
    "tables": """
        doc TEXT NOT NULL, n INTEGER NOT NULL,  -- n: its section's place
        table_name TEXT, title TEXT, kind TEXT, entity TEXT, unit TEXT,
        first_page INTEGER, last_page INTEGER, rows INTEGER, value_columns INTEGER, statement TEXT,
        PRIMARY KEY (doc, n)
    """,
    "facts": """
        doc TEXT NOT NULL, n INTEGER NOT NULL,  -- n: the line of <stem>.facts.jsonl, from 1
        entity TEXT, table_name TEXT, row_key TEXT, column_key TEXT,
        value TEXT NOT NULL, unit TEXT, bound TEXT, page INTEGER,
        x0 REAL, y0 REAL, x1 REAL, y1 REAL,     -- the cell's box on its page (points, upright)
        text TEXT, extractor TEXT, status TEXT, previous TEXT, review TEXT,
        PRIMARY KEY (doc, n)
    """,
    "narrative": """
        doc TEXT NOT NULL, n INTEGER NOT NULL,  -- n: the line of <stem>.narrative.jsonl, from 1
        id TEXT NOT NULL,               -- the figure's id in its document (n1, n2 …)
        entity TEXT, section TEXT, page INTEGER,
        x0 REAL, y0 REAL, x1 REAL, y1 REAL,     -- the paragraph's box on its page (points, upright)
        sentence TEXT, subject TEXT, kind TEXT,
        value TEXT NOT NULL, unit TEXT, role TEXT, budget_kind TEXT, bound TEXT, direction TEXT,
        complete INTEGER, extractor TEXT,
        linked_entity TEXT, linked_table TEXT, linked_row TEXT, linked_column TEXT,  -- the cell its
        linked_value TEXT, linked_page INTEGER,                                      -- subject names
        base TEXT, prior TEXT, budget TEXT, parent TEXT,  -- JSON as in narrative.jsonl (json_extract)
        PRIMARY KEY (doc, n)
    """,
    "subjects": """
        doc TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, table_name TEXT NOT NULL, page INTEGER,
        PRIMARY KEY (doc, code, table_name, name)
    """,
    "findings": """
        doc TEXT NOT NULL, id TEXT NOT NULL,
        check_id TEXT, severity TEXT, kind TEXT, message TEXT,
        expected TEXT, actual TEXT, tolerance TEXT, source TEXT, status TEXT, review TEXT,
        against TEXT,                   -- checks across documents: the other document
        PRIMARY KEY (doc, id)
    """,
    "finding_cells": """
        doc TEXT NOT NULL, finding_id TEXT NOT NULL, n INTEGER NOT NULL,
        cell_doc TEXT,                  -- the document the cell is in
        entity TEXT, table_name TEXT, row_key TEXT, column_key TEXT,
        section TEXT, text TEXT, value TEXT, page INTEGER,
        PRIMARY KEY (doc, finding_id, n)
    """,
    "reviews": """
        doc TEXT NOT NULL, n INTEGER NOT NULL,  -- n: the decision's place in <stem>.review.json
        item TEXT, action TEXT, entity TEXT, table_name TEXT, row_key TEXT, column_key TEXT,
        page INTEGER, value TEXT, note TEXT, at TEXT,
        PRIMARY KEY (doc, n)
    """,
}

# the usual questions: a department's years, a table's rows, a subject code everywhere, errors
INDEXES = [
    "CREATE INDEX IF NOT EXISTS documents_by_department ON documents (department, year, doc_kind)",
    "CREATE INDEX IF NOT EXISTS documents_by_sha256 ON documents (sha256)",
    "CREATE INDEX IF NOT EXISTS facts_by_table ON facts (table_name, row_key, column_key)",
    "CREATE INDEX IF NOT EXISTS facts_by_row ON facts (row_key)",
    "CREATE INDEX IF NOT EXISTS narrative_by_subject ON narrative (subject, kind)",
    "CREATE INDEX IF NOT EXISTS narrative_by_cell ON narrative (linked_table, linked_row, linked_column)",
    "CREATE INDEX IF NOT EXISTS subjects_by_code ON subjects (code)",
    "CREATE INDEX IF NOT EXISTS findings_by_severity ON findings (severity, kind, check_id)",
    "CREATE INDEX IF NOT EXISTS cells_by_table ON finding_cells (table_name, row_key)",
]


def columns(table: str) -> list[str]:
    """The column names of one of TABLES, in order."""
    names = []
    for line in TABLES[table].splitlines():
        line = line.split("--")[0].strip()
        if not line or line.startswith("PRIMARY KEY"):
            continue
        for part in line.split(","):
            part = part.strip()
            if part:
                names.append(part.split()[0])
    return names


def statements() -> list[str]:
    body = [f"CREATE TABLE IF NOT EXISTS {name} ({ddl}\n)" for name, ddl in TABLES.items()]
    return [*body, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)", *INDEXES]
