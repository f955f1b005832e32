"""`budgetlens check` and `review` rewrite a document's files; the store of their folder, if it has
one, follows (they never create one: a folder of single results stays one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens.check.findings import counts
from budgetlens.store.db import Store, store_path
from budgetlens.store.rows import finding_rows, review_rows

if TYPE_CHECKING:
    from budgetlens.result import Result
    from budgetlens.review.decisions import ReviewFile


def refresh_findings(folder: Path, result: Result) -> bool:
    """The document's findings as `check` made them (→ whether the folder has a store)."""
    path = store_path(folder)
    if not path.is_file():
        return False
    doc = result.document.doc
    store = Store(path)
    try:
        if store.recorded(sha256=result.document.sha256):  # a result copied in is not the store's
            store.replace_findings(doc, finding_rows(doc, result.findings), counts(result.findings))
    finally:
        store.close()
    return True


def refresh_reviews(folder: Path, doc: str, review: ReviewFile) -> bool:
    """The document's review decisions as saved (→ whether the folder has a store)."""
    path = store_path(folder)
    if not path.is_file():
        return False
    store = Store(path)
    try:
        if store.recorded(sha256=review.document_sha256):
            store.replace_reviews(doc, review_rows(doc, review))
    finally:
        store.close()
    return True
