"""Fuzzing the command line: PDFs with bytes flipped, cut short, objects deleted, blocks zeroed or
bytes inserted; result and review files with fields dropped or retyped. Seeded, so a failure is
found again.

`python -m budgetlens.testing.fuzz OUT FILE…` runs `budgetlens extract FILE -o OUT -q --force` in this
process for each file and prints one JSON line per file: its exit status, what it printed, the
seconds it took. A line `{"start": FILE}` comes first, so a run killed for taking too long still
says which file it was on.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

_OBJECT = re.compile(rb"\d+ \d+ obj\b")
RETYPED: tuple[Any, ...] = (None, 0, -1, 1.5e308, "", "NaN", "x", [], {}, True, [1, "a"], {"a": 1})


def mutate_pdf(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One damaged copy of a PDF, and how it was damaged."""
    kind = rng.choice(("flip", "truncate", "delete-object", "zero-block", "insert"))
    b = bytearray(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(len(b))] ^= rng.randint(1, 255)
    elif kind == "truncate":
        del b[rng.randrange(len(b)) :]
    elif kind == "delete-object":
        starts = [m.start() for m in _OBJECT.finditer(data)]
        start = rng.choice(starts)
        end = data.find(b"endobj", start)
        del b[start : end + 6 if end > 0 else len(b)]
    elif kind == "zero-block":
        start = rng.randrange(len(b))
        b[start : start + rng.randint(1, 20_000)] = bytes(min(len(b) - start, 20_000))
    else:
        at = rng.randrange(len(b))
        b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return kind, bytes(b)


def mutate_json(document: Any, rng: random.Random) -> tuple[str, Any]:
    """A copy of a JSON document with one field dropped or given a value of another type."""
    document = json.loads(json.dumps(document))
    places = list(_places(document))
    container, key = rng.choice(places)
    if rng.random() < 0.4 and isinstance(container, dict):
        del container[key]
        return f"dropped {key}", document
    container[key] = rng.choice(RETYPED)
    return f"retyped {key} to {container[key]!r}", document


def _places(node: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        keys = list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
        for key in keys:
            out.append((item, key))
            stack.append(item[key])
    return out


def run(argv: list[str]) -> dict[str, Any]:
    """`budgetlens ARGV` in this process: exit status, stdout, stderr, seconds; a traceback if the
    command let an exception out (which it never should)."""
    from budgetlens.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code: int | str = main(argv)
        except BaseException:  # what the fuzz looks for: anything escaping the command
            code = "raised"
            err.write(traceback.format_exc())
    seconds = time.perf_counter() - started
    return {"code": code, "out": out.getvalue(), "err": err.getvalue(), "seconds": round(seconds, 3)}


def _worker(out: str, files: list[str]) -> None:
    import budgetlens.pipeline  # noqa: F401  (imported before the clock runs: the first case is no slower)

    for name in files:
        print(json.dumps({"start": name}), flush=True)
        # --force: a variant whose damage left it byte for byte another one's is still read as itself
        print(json.dumps({"file": name, **run(["extract", name, "-o", out, "-q", "--force"])}), flush=True)


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2:])
