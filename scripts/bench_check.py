"""Milliseconds to re-check a saved result, per document: `read_result` + `check`, and `check` alone.

    python scripts/bench_check.py [--repeat 20]

Documents: every seed fixture (rendered from budgetlens/testing/seeds/*.json) and ../shared/corpus/*.pdf
when it is beside the repository. Each is extracted once and saved with `output.write_result` into a
temporary directory; the figures are the best of --repeat runs in this process. The target is well
under 100 ms for a 30-page result.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from budgetlens.check.run import check
from budgetlens.output import read_result, write_result
from budgetlens.pipeline import read_document
from budgetlens.testing.render import load_spec, render, seed_specs

ROOT = Path(__file__).resolve().parent.parent


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def recheck(saved: Path) -> object:
    return check(read_result(saved))


def pdfs(tmp: Path) -> list[Path]:
    rendered = [render(load_spec(spec), tmp / "pdf")[0] for spec in seed_specs()]
    return rendered + sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{'document':40} {'pages':>5} {'facts':>6} {'findings':>8} {'read+check ms':>14} {'check ms':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs(Path(tmp)):
            saved = write_result(read_document(pdf), Path(tmp) / "out", pdf.stem)[0]
            result = read_result(saved)
            both = best_ms(functools.partial(recheck, saved), args.repeat)
            alone = best_ms(functools.partial(check, result), args.repeat)
            print(
                f"{pdf.stem[:40]:40} {result.summary.pages:5d} {len(result.facts):6d} "
                f"{len(result.findings):8d} {both:14.1f} {alone:9.1f}"
            )


if __name__ == "__main__":
    main()
