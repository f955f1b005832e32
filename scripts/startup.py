"""Start-up of each command: the best of N wall-clock runs in a fresh interpreter, and whether it
loaded PyMuPDF. The commands run on a result of the bundled Wuchang example (read first).

    python scripts/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "wuchang-2025-budget.pdf"
PROBE = (
    "import sys\nfrom budgetlens.cli import main\ntry:\n    code = main(sys.argv[1:])\n"
    "except SystemExit as stop:\n    code = stop.code\nprint('pymupdf' in sys.modules, file=sys.stderr)\n"
)


def commands(out: Path) -> dict[str, list[str]]:
    result = str(out / "wuchang-2025-budget.json")
    return {
        "--help": ["--help"],
        "extract --help": ["extract", "--help"],
        "check": ["check", result, "--no-write", "-q"],
        "check --across": ["check", "--across", str(out), "--no-write", "-q"],
        "review --apply": ["review", result, "--apply", str(out / "empty.review.json")],
        "report": ["report", result, "-o", str(out / "r.html")],
        "export --format csv": ["export", str(out), "-o", str(out / "e")],
    }


def best(argv: list[str], runs: int) -> tuple[float, bool]:
    times, loaded = [], False
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "budgetlens", *argv], capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    probe = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True)
    loaded = probe.stderr.strip().splitlines()[-1] == "True"
    return min(times), loaded


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "budgetlens", "extract", str(EXAMPLE), "-o", tmp, "-q"], check=True
        )
        sha = json.loads((out / "wuchang-2025-budget.json").read_text(encoding="utf-8"))["document"]["sha256"]
        (out / "empty.review.json").write_text(json.dumps({"document_sha256": sha, "decisions": []}))
        bare = _python(args.runs)
        print(f"{'command':22} {'seconds':>8}  PyMuPDF loaded")
        print(f"{'(python -c pass)':22} {bare:>8.3f}")
        for name, argv in commands(out).items():
            seconds, loaded = best(argv, args.runs)
            print(f"{name:22} {seconds:>8.3f}  {'yes' if loaded else 'no'}")
    return 0


def _python(runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    sys.exit(main())
