"""JSON Schema of every section model and of the outputs: the contract for other languages."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from budgetlens.check.findings import Finding
from budgetlens.extract.facts import Fact, FactLine
from budgetlens.extract.figures import NarrativeFigureLine
from budgetlens.extract.schemas import all_models
from budgetlens.result import Result
from budgetlens.review.decisions import ReviewFile


def schema_texts() -> dict[str, str]:
    models: dict[str, type[BaseModel]] = {f"section.{n}": m for n, m in all_models().items()}
    models.update({"output.result": Result, "output.fact_line": FactLine, "output.fact": Fact})
    models.update({"output.finding": Finding, "output.review": ReviewFile})
    models["output.narrative_figure"] = NarrativeFigureLine
    return {
        f"{name}.schema.json": json.dumps(m.model_json_schema(), ensure_ascii=False, indent=1, sort_keys=True)
        + "\n"
        for name, m in sorted(models.items())
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
