"""Errors a user can act on. Each carries a one-line reason for the CLI."""


class BudgetlensError(Exception):
    """Base class: the message is shown to the user as is."""


class BadInput(BudgetlensError):
    """The file cannot be read as a PDF document (not a PDF, encrypted, truncated, empty)."""
