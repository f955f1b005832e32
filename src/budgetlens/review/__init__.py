"""Stage 5 (the person's part): review doubtful cells and failing checks, in a terminal or an
HTML report; decisions are saved as they are made and applied to the result, then re-checked."""

from budgetlens.review.apply import Applied, apply
from budgetlens.review.decisions import Decision, ReviewFile, load_review, review_path, save_review
from budgetlens.review.items import Item, open_items

__all__ = [
    "Applied",
    "Decision",
    "Item",
    "ReviewFile",
    "apply",
    "load_review",
    "open_items",
    "review_path",
    "save_review",
]
