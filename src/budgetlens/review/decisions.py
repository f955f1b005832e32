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
from budgetlens.amounts import typed_amount
from budgetlens.errors import BadFile
from budgetlens.output import write_atomic
from budgetlens.validate import describe, read_text

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


def load_review(path: Path, sha256: str, must_exist: bool = False) -> ReviewFile:
    """The saved review of the document `sha256`, or (unless `must_exist`) an empty one when there
    is none yet. BadFile names the decision that is wrong."""
    if not path.exists() and not must_exist:
        return ReviewFile(document_sha256=sha256)
    text = read_text(path, "budgetlens review file")
    try:
        review = ReviewFile.model_validate_json(text)
    except ValidationError as exc:
        why = describe(exc)
        raise BadFile(f"{path}: not a budgetlens review file: {why}; fix or remove that entry") from exc
    if review.document_sha256 != sha256:
        raise BadFile(f"{path}: its decisions were made on another document (sha256 differs)")
    for n, decision in enumerate(review.decisions):
        problem = decision_problem(decision)
        if problem:
            raise BadFile(f"{path}: decisions[{n}] ({decision.item}): {problem}; fix or remove that decision")
    return review


def decision_problem(decision: Decision) -> str | None:
    if decision.action != "correct":
        return None
    if decision.cell is None or decision.value is None:
        return "a correction needs both `cell` and `value`"
    try:
        typed_amount(decision.value)
    except ValueError as exc:
        return str(exc)
    return None


def save_review(path: Path, review: ReviewFile) -> None:
    write_atomic(path, review.model_dump_json(indent=1))
