"""Stage 2: pages → typed sections with tables rebuilt cell by cell."""

from budgetlens.chunk.models import Cell, Column, Document, Paragraph, Row, Section, Table
from budgetlens.chunk.sections import chunk

__all__ = ["Cell", "Column", "Document", "Paragraph", "Row", "Section", "Table", "chunk"]
