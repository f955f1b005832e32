"""Stage 1: PDF → upright pages of words and ruling lines."""

from budgetlens.load.models import Box, LoadedDocument, Page, Rule, Word
from budgetlens.load.pdf import load_pdf

__all__ = ["Box", "LoadedDocument", "Page", "Rule", "Word", "load_pdf"]
