"""Seconds to extract each PDF, and pages per second, beside PyMuPDF's find_tables() on every page;
then one line per rendering variant of a document: ruled, three-line, frame only, no lines, and
image-only at 300 and 200 dpi (read by OCR).

    python scripts/bench.py [PDF ...]        (default: ../shared/corpus/*.pdf and examples/*.pdf)
    python scripts/bench.py --variants       (the variants of the Jianghan seed; --seed another)

Each figure is the best of --repeat runs (default 5; once for the OCR variants) in this process, so
start-up is not counted. OCR runs --jobs pages at once (default 2).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pymupdf

from budgetlens.pipeline import read_document
from budgetlens.testing.render import load_spec, render, seed_specs
from budgetlens.testing.scan import scanned

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


def documents(pdfs: list[Path], repeat: int) -> None:
    print(
        f"{'document':40} {'pages':>5} {'extract s':>10} {'pages/s':>8} {'find_tables s':>14} {'pages/s':>8}"
    )
    for pdf in pdfs:
        pages = pymupdf.open(pdf).page_count
        ours = best(lambda p=pdf: read_document(p), repeat)
        theirs = best(lambda p=pdf: find_tables_everywhere(p), repeat)
        row = f"{pdf.name[:40]:40} {pages:5d} {ours:10.3f} {pages / ours:8.1f}"
        print(f"{row} {theirs:14.3f} {pages / theirs:8.1f}")


def variants(seed: str, repeat: int, jobs: int) -> None:
    """Extraction time per rendering of one seed document (rules, partial rules, none, scanned)."""
    spec = load_spec(next(p for p in seed_specs() if p.stem == seed))
    print(f"{'variant of ' + seed:40} {'pages':>5} {'extract s':>10} {'pages/s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ruled, _ = render(spec, folder / "lines", style="lines")
        cases: list[tuple[str, Path, int]] = [("ruled", ruled, repeat)]
        for style in ("threeline", "frame", "nolines"):
            cases.append((style, render(spec, folder / style, style=style)[0], repeat))  # type: ignore[arg-type]
        for dpi in (300, 200):
            cases.append(
                (f"image-only {dpi} dpi (OCR)", scanned(ruled, folder / f"scan{dpi}.pdf", dpi=dpi), 1)
            )
        for name, pdf, times in cases:
            pages = pymupdf.open(pdf).page_count
            seconds = best(lambda p=pdf: read_document(p, jobs=jobs), times)
            print(f"{name:40} {pages:5d} {seconds:10.3f} {pages / seconds:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--variants", action="store_true", help="time the rendering variants of a seed")
    parser.add_argument("--seed", default="jianghan-2020-final", help="the seed --variants renders")
    parser.add_argument("--jobs", type=int, default=2, help="pages read by OCR at once")
    args = parser.parse_args()
    if args.variants:
        variants(args.seed, args.repeat, args.jobs)
        return
    pdfs = args.pdfs or sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf")) + sorted(
        (ROOT / "examples").glob("*.pdf")
    )
    documents(pdfs, args.repeat)


if __name__ == "__main__":
    main()
