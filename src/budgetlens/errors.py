"""Errors a user can act on. Each carries a one-line reason for the CLI: the file, the entry or
line that is wrong, and what to do."""


class BudgetlensError(Exception):
    """Base class: the message is shown to the user as is."""


class BadInput(BudgetlensError):
    """An input cannot be used: a file that cannot be read as a PDF document (not a PDF, encrypted,
    damaged beyond repair, empty), or a value a person gave that is not what it should be."""


class BadFile(BadInput):
    """A result, review or facts file that cannot be used: not JSON, a field missing or mistyped,
    a value that is not a number."""


class OutputError(BudgetlensError):
    """An output cannot be written where it was asked to be (a file in the way, a read-only folder)."""
