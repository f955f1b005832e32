"""Files people and other tools hand back to budgetlens, checked on reading: a saved result must
parse, its values must be numbers (finite, as printed) and its finding ids unique. A problem is
said in one line naming the file, the entry and what to do, never as a parser's dump."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from budgetlens.errors import BadFile
from budgetlens.extract.facts import Fact
from budgetlens.result import Result

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")  # a fact's value: as printed, without separators or unit
REDO = "re-create it with `budgetlens extract`"


def read_text(path: Path, what: str) -> str:
    """The file's text, or BadFile saying why it cannot be had."""
    if path.is_dir():
        raise BadFile(f"{path}: a folder, not a {what}")
    if not path.is_file():
        raise BadFile(f"{path}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadFile(f"{path}: not a {what} (not UTF-8 text at byte {exc.start})") from exc
    except OSError as exc:
        raise BadFile(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def parse_result(path: Path, rechecking: bool = False) -> Result:
    """The result saved at `path`. `rechecking`: its findings are about to be made afresh, so
    ids that repeat (a result saved by an earlier version) do not matter."""
    text = read_text(path, "budgetlens result")
    try:
        result = Result.model_validate_json(text)
    except ValidationError as exc:
        raise BadFile(f"{path}: not a budgetlens result: {describe(exc)}; {REDO}") from exc
    problem = result_problem(result, rechecking)
    if problem:
        raise BadFile(f"{path}: {problem}; {REDO}")
    return result


def describe(exc: ValidationError) -> str:
    """A validation error on one line: where (`facts[3].value`), what is wrong, what was there."""
    errors = exc.errors()
    first = errors[0]
    where = location(first["loc"])
    shown = _shown(first.get("input")) if first["type"] not in ("json_invalid", "missing") else ""
    more = f" (and {len(errors) - 1} more problem{'s' * (len(errors) > 2)})" if len(errors) > 1 else ""
    return f"{where + ': ' if where else ''}{first['msg']}{shown}{more}"


def location(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    text = repr(value)
    return f" (found {text if len(text) <= 40 else text[:39] + '…'})"


def result_problem(result: Result, rechecking: bool = False) -> str | None:
    for name, facts in (("facts", result.facts), ("flags", result.flags)):
        for i, fact in enumerate(facts):
            problem = fact_problem(fact)
            if problem:
                return f"{name}[{i}] ({fact.table} / {fact.row} / {fact.column}, p.{fact.page}): {problem}"
    if rechecking:
        return None
    seen: dict[str, int] = {}
    for i, finding in enumerate(result.findings):
        if finding.id in seen:
            first = seen[finding.id]
            return f"findings[{i}] has the id {finding.id} of findings[{first}]: re-run `budgetlens check`"
        seen[finding.id] = i
    return None


def fact_problem(fact: Fact) -> str | None:
    if not NUMBER.match(fact.value):
        return f"value {fact.value!r} is not a number"
    if fact.previous is not None and not NUMBER.match(fact.previous):
        return f"previous {fact.previous!r} is not a number"
    if fact.page < 1:
        return f"page {fact.page} is not a page number"
    if not all(math.isfinite(v) for v in fact.box):
        return f"box {list(fact.box)} is not on the page"
    return None
