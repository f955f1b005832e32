"""Cell accuracy of extracted facts against a gold facts file (same contract)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from budgetlens.errors import BadFile
from budgetlens.extract.facts import FactFields
from budgetlens.validate import NUMBER, describe, read_text

Key = tuple[str, ...]


def load_facts(path: Path) -> list[dict[str, object]]:
    """Facts from a .facts.jsonl file, or read fresh from a PDF. BadFile names the line that is
    not a fact (not JSON, a field missing, a value that is not a number)."""
    if path.suffix.lower() == ".pdf" and path.is_file():
        from budgetlens.pipeline import read_document

        result = read_document(path)
        return [f.contract(result.document.doc) for f in result.facts]
    lines = read_text(path, "facts file (.facts.jsonl)").splitlines()
    facts = [_fact(path, n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not facts:
        raise BadFile(f"{path}: no facts in it (one JSON object per line expected)")
    return facts


def _fact(path: Path, number: int, line: str) -> dict[str, object]:
    try:
        fact = FactFields.model_validate_json(line)  # an answer key need not name the document
    except ValidationError as exc:
        raise BadFile(f"{path}, line {number}: not a fact: {describe(exc)}") from exc
    if not NUMBER.match(fact.value):
        raise BadFile(f"{path}, line {number}: value {fact.value!r} is not a number")
    data: dict[str, object] = json.loads(line)
    return data


def key(fact: dict[str, object], entity: bool = False) -> Key:
    """What names a cell: table, row and column (and the entity, when the answer key gives it)."""
    cell = (str(fact["table"]), str(fact["row"]), str(fact["column"]))
    return (str(fact.get("entity", "")), *cell) if entity else cell


@dataclass
class Comparison:
    gold: int = 0
    exact: int = 0
    missing: list[dict[str, object]] = field(default_factory=list)
    extra: list[dict[str, object]] = field(default_factory=list)
    wrong: list[tuple[dict[str, object], dict[str, object]]] = field(default_factory=list)
    per_table: Counter[str] = field(default_factory=Counter)
    per_table_gold: Counter[str] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.exact / self.gold if self.gold else 1.0

    def text(self, limit: int = 20) -> str:
        out = [
            f"cell accuracy {self.accuracy:.2%} ({self.exact}/{self.gold} exact; "
            f"{len(self.wrong)} wrong, {len(self.missing)} missing, {len(self.extra)} extra)"
        ]
        for table, n in self.per_table_gold.items():
            out.append(f"  {table}: {self.per_table[table]}/{n}")
        for g, m in self.wrong[:limit]:
            out.append(f"  wrong   {key(g)}: gold {g['value']} p{g['page']} got {m['value']} p{m['page']}")
        for g in self.missing[:limit]:
            out.append(f"  missing {key(g)} = {g['value']}")
        for m in self.extra[:limit]:
            out.append(f"  extra   {key(m)} = {m['value']}")
        return "\n".join(out)


def compare(got: list[dict[str, object]], gold: list[dict[str, object]]) -> Comparison:
    """A gold cell is exact when a fact with its (entity,) table, row and column has its value, unit
    and page. A cell printed again on a later page (a repeated total row) may match either printing."""
    by_entity = all("entity" in g for g in gold)
    found: dict[Key, list[dict[str, object]]] = {}
    for f in got:
        found.setdefault(key(f, by_entity), []).append(f)
    result = Comparison(gold=len(gold))
    for g in gold:
        result.per_table_gold[str(g["table"])] += 1
        matches = found.get(key(g, by_entity), [])
        same = [
            m for m in matches if (m["value"], m["unit"], m["page"]) == (g["value"], g["unit"], g["page"])
        ]
        if same:
            result.exact += 1
            result.per_table[str(g["table"])] += 1
        elif matches:
            result.wrong.append((g, matches[0]))
        else:
            result.missing.append(g)
    gold_keys = {key(g, by_entity) for g in gold}
    result.extra = [f for f in got if key(f, by_entity) not in gold_keys]
    return result
