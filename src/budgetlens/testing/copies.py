"""Distinct documents made from one: the same PDF with a comment appended after its end (`%%EOF`),
which every reader ignores and which changes its sha256. A batch reads identical files once, so
tests and benchmarks that need many documents make them this way."""

from __future__ import annotations

from pathlib import Path


def distinct_copy(source: Path, target: Path, n: int) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes() + f"\n% budgetlens copy {n}\n".encode())
    return target
