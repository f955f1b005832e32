"""Knowledge as data: table kinds, narrative topics, heading styles."""

from budgetlens.catalog.tables import BY_ID, KINDS, TableKind, canonical_name, match_title

__all__ = ["BY_ID", "KINDS", "TableKind", "canonical_name", "match_title"]
