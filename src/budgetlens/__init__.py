"""budgetlens: structured, checked data from Chinese government budget and final-account PDFs."""

__version__ = "0.1.0"
