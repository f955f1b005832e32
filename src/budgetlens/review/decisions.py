"""What a person decided, as saved in `<stem>.review.json`: one line per decision, in order.

The file is the whole state of a review: applying its decisions to `<stem>.json` gives the
reviewed result again, so a session can stop at any moment and resume, and a batch can apply a
review made elsewhere (`budgetlens review --apply`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from budgetlens import __version__
from budgetlens.errors import BadInput
from budgetlens.output import write_atomic

Action = Literal["accept", "correct", "document_error", "skip"]


class CellKey(BaseModel):
    """A table cell, as `Fact.key` names it."""

    entity: str = ""
    table: str
    row: str
    column: str
    page: int

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (self.entity, self.table, self.row, self.column, self.page)


class Decision(BaseModel):
    item: str = Field(description="`Finding.id`, or `cell:…` for a flagged cell no finding involves")
    action: Action = Field(
        description="accept: the values are read right and the finding stands as it is; correct: "
        "`cell` holds `value`; document_error: read right, the document itself is wrong; skip: later"
    )
    cell: CellKey | None = None
    value: str | None = None
    note: str = Field(default="", description="what was shown, for a person reading the file")
    at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


class ReviewFile(BaseModel):
    budgetlens: str = __version__
    document_sha256: str = Field(description="the document the decisions were made on")
    decisions: list[Decision] = Field(default_factory=list)


def review_path(result_path: Path) -> Path:
    """out/report.json → out/report.review.json"""
    return result_path.with_name(result_path.name.removesuffix(".json") + ".review.json")


def load_review(path: Path, sha256: str) -> ReviewFile:
    """The saved review of the document `sha256`, or an empty one when there is none yet."""
    if not path.exists():
        return ReviewFile(document_sha256=sha256)
    try:
        review = ReviewFile.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise BadInput(f"{path}: not a budgetlens review file ({str(exc).splitlines()[0]})") from exc
    if review.document_sha256 != sha256:
        raise BadInput(f"{path}: its decisions were made on another document (sha256 differs)")
    return review


def save_review(path: Path, review: ReviewFile) -> None:
    write_atomic(path, review.model_dump_json(indent=1))
