"""Stage 1: PDF → upright pages of words and ruling lines."""

from budgetlens.load.models import Box, LoadedDocument, Page, Rule, Word
from budgetlens.load.pdf import load_pdf
from budgetlens.load.render import PageImage, page_images

__all__ = ["Box", "LoadedDocument", "Page", "Rule", "PageImage", "Word", "load_pdf", "page_images"]
