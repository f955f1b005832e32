"""Starting is cheap: `--help` in well under 0.3 s, and the commands that read no PDF (`check`,
`review`, `report` without page images, `export`, `check --across`) never load PyMuPDF."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetlens.cli import main
from budgetlens.output import read_result
from budgetlens.result import Result

REPO = Path(__file__).resolve().parent.parent
WUCHANG = REPO / "examples" / "wuchang-2025-budget.pdf"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup")
    assert main(["extract", str(WUCHANG), "-o", str(folder), "-q"]) == 0
    return folder


def loaded(*argv: str) -> set[str]:
    """The heavy modules a command loaded (run in a fresh interpreter)."""
    code = (
        "import sys\nfrom budgetlens.cli import main\ntry:\n    code = main(sys.argv[1:])\n"
        "except SystemExit as stop:\n    code = stop.code or 0\n"
        "print(' '.join(m for m in ('pymupdf', 'fitz', 'onnxruntime', 'pydantic') if m in sys.modules))\n"
        "sys.exit(code)"
    )
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 3), run.stderr
    return set(run.stdout.splitlines()[-1].split())


def test_help_is_quick_and_light() -> None:
    best = min(_seconds([sys.executable, "-m", "budgetlens", "--help"]) for _ in range(3))
    assert best < 0.3
    assert loaded("--help") == set()  # argparse only: not even pydantic


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{out}/wuchang-2025-budget.json", "--no-write"],
        ["check", "--across", "{out}", "--no-write"],
        ["report", "{out}/wuchang-2025-budget.json", "-o", "{out}/r.html"],
        ["export", "{out}", "-o", "{out}/e"],
        ["review", "{out}/wuchang-2025-budget.json", "--apply", "{out}/none.review.json"],
    ],
    ids=["check", "check-across", "report", "export", "review"],
)
def test_commands_that_read_no_pdf_do_not_load_pymupdf(out: Path, command: list[str]) -> None:
    if command[0] == "review":
        review = {"document_sha256": _result(out).document.sha256, "decisions": []}
        (out / "none.review.json").write_text(json.dumps(review), encoding="utf-8")
    argv = [part.format(out=out) for part in command]
    assert not loaded(*argv) & {"pymupdf", "fitz", "onnxruntime"}


def test_a_report_that_draws_pages_loads_it(out: Path, tmp_path: Path) -> None:
    """The one that draws: a corrected cell's page is shown, so PyMuPDF is loaded then."""
    result = _result(out)
    fact = result.facts[0].model_copy(update={"status": "corrected", "previous": "1.00"})
    corrected = result.model_copy(update={"facts": [fact, *result.facts[1:]]})
    path = tmp_path / "corrected.json"
    path.write_text(corrected.model_dump_json(), encoding="utf-8")
    assert "pymupdf" in loaded("report", str(path), "-o", str(tmp_path / "r.html"), "--pdf", str(WUCHANG))
    assert "<img" in (tmp_path / "r.html").read_text(encoding="utf-8")


def _result(out: Path) -> Result:
    return read_result(out / "wuchang-2025-budget.json")


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True, timeout=60)
    return time.perf_counter() - started
