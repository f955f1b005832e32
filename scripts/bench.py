"""Seconds to extract each PDF, and pages per second, beside PyMuPDF's find_tables() on every page.

    python scripts/bench.py [PDF ...]        (default: ../shared/corpus/*.pdf and examples/*.pdf)

Each figure is the best of --repeat runs (default 5) in this process, so start-up is not counted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pymupdf

from budgetlens.pipeline import read_document

ROOT = Path(__file__).resolve().parent.parent


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def find_tables_everywhere(path: Path) -> None:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.find_tables()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf")) + sorted(
        (ROOT / "examples").glob("*.pdf")
    )
    print(
        f"{'document':40} {'pages':>5} {'extract s':>10} {'pages/s':>8} {'find_tables s':>14} {'pages/s':>8}"
    )
    for pdf in pdfs:
        pages = pymupdf.open(pdf).page_count
        ours = best(lambda p=pdf: read_document(p), args.repeat)
        theirs = best(lambda p=pdf: find_tables_everywhere(p), args.repeat)
        row = f"{pdf.name[:40]:40} {pages:5d} {ours:10.3f} {pages / ours:8.1f}"
        print(f"{row} {theirs:14.3f} {pages / theirs:8.1f}")


if __name__ == "__main__":
    main()
