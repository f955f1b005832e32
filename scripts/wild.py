"""The wild benchmark: how budgetlens does on a folder of real PDFs nobody tuned it to.

    python scripts/wild.py [FOLDER or PDF ...] [-o OUT] [--coverage PATH/coverage.py]

Default input: ../shared/corpus/wild/. For every PDF it prints one line: kind and year read,
tables found / typed, facts, amount coverage and orphan facts (measured by the gold-free
../shared/tools/coverage.py when it is there), errors and warnings, seconds; then a total.
The outputs of each document are written to OUT (default: a temporary folder) as
`budgetlens extract` writes them, so `budgetlens check` or `report` can look closer.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from budgetlens.output import write_result
from budgetlens.pipeline import read_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _coverage_tool(path: Path) -> ModuleType | None:
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("coverage_tool", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pdfs(inputs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in inputs:
        out += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    return out


SUMMED = ("tables", "typed", "facts", "amount_covered", "amount_tokens", "orphan_facts", "errors", "warnings")
HEAD = {"file": "document", "kind": "kind", "year": "year", "tables": "tables", "typed": "typed",
        "facts": "facts", "cov": "amount cov", "orphan_facts": "orphan", "errors": "err", "warnings": "warn",
        "seconds": "s"}  # fmt: skip


def _share(hit: int, total: int) -> str:
    return f"{hit}/{total} {hit / total:.0%}" if total else "-"


def _line(r: dict[str, object]) -> str:
    cov = r.get("cov") or _share(int(r.get("amount_covered", 0)), int(r.get("amount_tokens", 0)))  # type: ignore[call-overload]
    seconds = r["seconds"] if isinstance(r["seconds"], str) else f"{r['seconds']:.2f}"
    return (
        f"{str(r['file'])[:52]:52} {r['kind']:>11} {r['year'] or '-':>5} {r['typed']:>5}/{r['tables']:<6} "
        f"{r['facts']:>6} {cov:>17} {r.get('orphan_facts', '-'):>6} {r['errors']:>4} {r['warnings']:>4} "
        f"{seconds:>6}"
    )


def measure(pdf: Path, out: Path, coverage: ModuleType | None) -> dict[str, object]:
    started = time.perf_counter()
    result = read_document(pdf)
    seconds = time.perf_counter() - started
    write_result(result, out, pdf.stem)
    s = result.summary
    row: dict[str, object] = {
        "file": pdf.name,
        "kind": result.document.doc_kind,
        "year": result.document.year,
        "tables": s.tables,
        "typed": s.tables_recognised,
        "facts": s.cells,
        "errors": s.errors,
        "warnings": s.warnings,
        "seconds": round(seconds, 2),
    }
    if coverage is not None:
        m = coverage.measure(pdf, out)
        row |= {k: m[k] for k in ("amount_covered", "amount_tokens", "orphan_facts", "table_pages")}
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path, default=[SHARED / "corpus" / "wild"])
    ap.add_argument("-o", "--out", type=Path, help="where outputs go (default: a temporary folder)")
    ap.add_argument("--coverage", type=Path, default=SHARED / "tools" / "coverage.py")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="budgetlens-wild-"))
    coverage = _coverage_tool(args.coverage)
    if coverage is None:
        print(f"({args.coverage} not found: no coverage figures)", file=sys.stderr)
    rows = [measure(pdf, out, coverage) for pdf in _pdfs(args.inputs)]
    print(_line(HEAD))
    for r in rows:
        print(_line(r))
    total: dict[str, object] = {k: sum(int(r.get(k, 0)) for r in rows) for k in SUMMED}  # type: ignore[call-overload]
    total |= {
        "file": f"total ({len(rows)} documents)",
        "kind": "",
        "year": "",
        "seconds": sum(
            float(r["seconds"])
            for r in rows  # type: ignore[arg-type]
        ),
    }
    print(_line(total))
    print(f"outputs in {out}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
