"""OCR and ruling-free reading of a real document, against its hand-made key: the Putuo 决算 with its
line art removed, and rasterised at 300 and 200 dpi (slight skew, noise, JPEG), read by OCR; and
the scanned Changsha report's narrative amounts with their findings.

    python scripts/ocr_accuracy.py [--dpi 300 200] [--jobs 2]

Needs ../shared/corpus beside the repository and Tesseract (tesseract-ocr, tesseract-ocr-chi-sim).
Prints one line per variant: cells of the key exact, seconds, seconds a page; writes nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from budgetlens.evaluate import compare, load_facts
from budgetlens.pipeline import read_document
from budgetlens.testing.scan import scanned, without_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PUTUO = CORPUS / "putuo-social-work-2024-final.pdf"
KEY = ROOT / "tests" / "data" / "putuo-social-work-2024-final.facts.jsonl"
CHANGSHA = CORPUS / "wild" / "changsha-market-regulation-2022-performance-eval-scanned.pdf"


def putuo(pdf: Path, name: str, jobs: int) -> None:
    started = time.perf_counter()
    result = read_document(pdf, jobs=jobs)
    seconds = time.perf_counter() - started
    report = compare([f.contract(result.document.doc) for f in result.facts], load_facts(KEY))
    pages = result.summary.pages
    flagged = result.summary.flagged_cells
    print(
        f"{name:36} {report.exact:4d}/{report.gold} exact ({report.accuracy:7.2%})  {seconds:7.1f} s  "
        f"{seconds / pages:5.2f} s/page  {len(result.document.ocr_pages):2d} pages by OCR  {flagged} flagged"
    )
    for line in report.text().splitlines()[1:]:
        if line.startswith(("  wrong", "  missing", "  extra")):
            print(f"    {line.strip()}")


def changsha(jobs: int) -> None:
    started = time.perf_counter()
    result = read_document(CHANGSHA, jobs=jobs)
    seconds = time.perf_counter() - started
    amounts = [f for f in result.narrative if f.unit in ("万元", "元", "亿元")]
    print(
        f"Changsha (scanned, {result.summary.pages} pages, {len(result.document.ocr_pages)} by OCR): "
        f"{len(result.narrative)} narrative figures, {len(amounts)} amounts, {seconds:.1f} s"
    )
    for f in amounts:
        parent = f" of {f.parent.value} ({'complete' if f.complete else 'partial'})" if f.parent else ""
        subject = (f.subject or "")[:24]
        print(f"    p.{f.page} {f.kind:6} {f.value:>10} {f.unit} {f.extractor:6} {subject}{parent}")
    for finding in result.findings:
        print(f"    {finding.severity:7} {finding.check}: {finding.message[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200], help="rasterisations to read")
    parser.add_argument("--jobs", type=int, default=2, help="pages read by OCR at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        putuo(PUTUO, "Putuo as published (ruled)", args.jobs)
        putuo(without_lines(PUTUO, folder / "nolines.pdf"), "Putuo, line art removed", args.jobs)
        for dpi in args.dpi:
            putuo(
                scanned(PUTUO, folder / f"scan{dpi}.pdf", dpi=dpi),
                f"Putuo, image-only {dpi} dpi (OCR)",
                args.jobs,
            )
    changsha(args.jobs)


if __name__ == "__main__":
    main()
