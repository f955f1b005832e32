"""The Ray engine runs the same per-document task as the local one: on a real local Ray instance of 2
CPUs its outputs are the local engine's, byte for byte, but for the seconds each document took.

Where Ray is not installed the test skips (with the reason), except in CI, where .ci/run installs
the `ray` extra and sets BUDGETLENS_REQUIRE_RAY=1: there it must run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetlens.store.schema import TABLES, columns
from budgetlens.testing.copies import distinct_copy

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
_SECONDS = re.compile(rb'"seconds": [0-9.e+-]+')  # the one thing two runs never share


@pytest.fixture(scope="module")
def ray_installed() -> None:
    if importlib.util.find_spec("ray") is None:
        if os.environ.get("BUDGETLENS_REQUIRE_RAY") == "1":
            pytest.fail("BUDGETLENS_REQUIRE_RAY=1 but Ray is not installed (pip install 'budgetlens[ray]')")
        pytest.skip("Ray is not installed here (pip install 'budgetlens[ray]'); CI runs this test")


def files(out: Path) -> dict[str, bytes]:
    """Every output file but the store, the time each document took blanked."""
    return {
        p.name: _SECONDS.sub(b'"seconds": 0', p.read_bytes()) for p in out.iterdir() if p.suffix != ".sqlite"
    }


def store(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order, the seconds blanked."""
    db = sqlite3.connect(out / "budgetlens.sqlite")
    try:
        dump = {}
        for table in TABLES:
            names = [("0" if n == "seconds" else n) for n in columns(table)]
            dump[table] = db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1, 2, 3").fetchall()
        return dump
    finally:
        db.close()


def test_ray_gives_the_local_engines_outputs(ray_installed: None, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for n, pdf in enumerate(sorted(EXAMPLES.glob("*.pdf"))):
        distinct_copy(pdf, folder / pdf.name, n)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n")  # fails alike on both
    local = tmp_path / "local"
    ray = tmp_path / "ray"
    said = subprocess.run(
        [sys.executable, "-m", "budgetlens", "extract", str(folder), "-o", str(local), "-q", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    on_ray = subprocess.run(
        [sys.executable, "-m", "budgetlens", "extract", str(folder), "-o", str(ray), "-q", "--jobs", "2",
         "--engine", "ray"],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert said.returncode == on_ray.returncode == 1, on_ray.stderr  # the broken file
    failure = "[1/4] broken.pdf: error: "
    assert [x for x in said.stderr.splitlines() if x.startswith(failure)] == [
        x for x in on_ray.stderr.splitlines() if x.startswith(failure)
    ]
    mine, theirs = files(local), files(ray)
    assert sorted(mine) == sorted(theirs) and len(mine) == 3 * 4  # three documents, four files each
    for name in mine:
        assert mine[name] == theirs[name], name
    assert store(local) == store(ray)
    assert sorted(said.stdout.splitlines()[:-1]) == sorted(on_ray.stdout.splitlines()[:-1])


def test_a_stopped_ray_run_says_one_line_and_carries_on(ray_installed: None, tmp_path: Path) -> None:
    """SIGTERM to the driver (Ray's core would dump a stack and exit 1 with its own handler): one
    line, whole sets, and the next run (local engine) carries on."""
    folder = tmp_path / "in"
    for n in range(6):
        distinct_copy(EXAMPLES / "jianghan-2020-final.pdf", folder / f"d{n}.pdf", n)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "budgetlens", "extract", str(folder), "-o", str(out), "-q", "--jobs", "2"]
    proc = subprocess.Popen(
        [*argv, "--engine", "ray"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 300
    while len(list(out.glob("*.json"))) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    kept = {p.stem for p in out.glob("*.json")}
    assert proc.returncode == 143 and stderr.strip() == (
        f"budgetlens: stopped by SIGTERM; every output is written whole or not at all; {len(kept)} documents "
        "done and kept: the same command carries on from there"
    )
    rest = (".facts.jsonl", ".findings.jsonl", ".narrative.jsonl")
    assert all((out / f"{s}{x}").is_file() for s in kept for x in rest)
    again = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and f"{len(kept)} documents already read" in again.stderr
    assert {p.stem for p in out.glob("*.json")} == {f"d{n}" for n in range(6)}
