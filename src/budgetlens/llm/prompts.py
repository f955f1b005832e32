"""Prompt templates from `prompts/` (in the wheel: `budgetlens/prompts/`), rendered with content."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

_PACKAGED = Path(__file__).resolve().parent.parent / "prompts"
_SOURCE = Path(__file__).resolve().parents[3] / "prompts"  # an editable install runs from the source tree


@cache
def template(name: str) -> str:
    for folder in (_PACKAGED, _SOURCE):
        path = folder / f"{name}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"prompt template {name}.md not found in {_PACKAGED} or {_SOURCE}")


def system() -> str:
    return template("system").strip()


def render(name: str, **values: str) -> str:
    return Template(template(name)).substitute(values).strip()


def quoted(value: Any) -> str:
    """Document text as a JSON value: quotes and line breaks escaped, so it stays data."""
    return json.dumps(value, ensure_ascii=False)
