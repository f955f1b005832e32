"""Stage 1: PDF → upright pages of words and ruling lines.

The readers are imported when first used: what only needs the models (a saved result re-checked)
must not load PyMuPDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from budgetlens.load.models import Box, LoadedDocument, Page, Rule, Word

if TYPE_CHECKING:
    from budgetlens.load.pdf import load_pdf
    from budgetlens.load.render import PageImage, page_images

__all__ = ["Box", "LoadedDocument", "Page", "Rule", "PageImage", "Word", "load_pdf", "page_images"]
_LAZY = {
    "load_pdf": "budgetlens.load.pdf",
    "PageImage": "budgetlens.load.render",
    "page_images": "budgetlens.load.render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'budgetlens.load' has no attribute {name!r}")
