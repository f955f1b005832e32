"""Write results to disk atomically: a reader never sees a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from budgetlens.result import Result


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def jsonl(rows: Iterable[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def write_result(result: Result, out_dir: Path, stem: str) -> list[Path]:
    """`<stem>.json` (everything), `<stem>.facts.jsonl` (one line per numeric cell) and
    `<stem>.findings.jsonl` (one line per finding)."""
    paths = [out_dir / f"{stem}.json", out_dir / f"{stem}.facts.jsonl", out_dir / f"{stem}.findings.jsonl"]
    write_atomic(paths[0], result.model_dump_json(indent=1))
    doc = result.document.doc
    write_atomic(paths[1], jsonl(f.contract(doc) for f in result.facts))
    write_atomic(paths[2], jsonl(f.contract(doc) for f in result.findings))
    return paths


def read_result(path: Path) -> Result:
    return Result.model_validate_json(path.read_text(encoding="utf-8"))


def write_findings(result: Result, result_path: Path) -> list[Path]:
    """After re-checking a saved result: its findings, in `<stem>.json` and `<stem>.findings.jsonl`."""
    stem = result_path.name.removesuffix(".json")
    findings_path = result_path.with_name(f"{stem}.findings.jsonl")
    write_atomic(result_path, result.model_dump_json(indent=1))
    write_atomic(findings_path, jsonl(f.contract(result.document.doc) for f in result.findings))
    return [result_path, findings_path]
