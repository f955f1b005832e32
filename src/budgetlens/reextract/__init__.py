"""Cells in failing checks read again, for a bounded number of rounds; what stays doubtful is flagged."""

from budgetlens.reextract.loop import reextract

__all__ = ["reextract"]
