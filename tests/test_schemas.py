"""schemas/ is the contract for other languages: it must match the models exactly."""

from __future__ import annotations

from budgetlens.catalog import KINDS
from budgetlens.schemas_out import schema_texts
from conftest import REPO


def test_schemas_folder_matches_models() -> None:
    expected = schema_texts()
    folder = REPO / "schemas"
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.schema.json")}
    stale = sorted(n for n in expected if on_disk.get(n) != expected[n])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, f"run `budgetlens schemas` — stale: {stale}, extra: {extra}"


def test_every_table_kind_has_a_schema() -> None:
    names = set(schema_texts())
    assert all(f"section.table.{k.id}.schema.json" in names for k in KINDS)
