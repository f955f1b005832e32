"""The `budgetlens` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from budgetlens import __version__
from budgetlens.errors import BudgetlensError
from budgetlens.output import write_result
from budgetlens.result import Result

DESCRIPTION = """\
Turn Chinese government budget / final-account PDFs (部门预算 / 部门决算) into checked data.

  budgetlens extract report.pdf -o out/     read tables and text; write out/report.json and
                                            out/report.facts.jsonl (one line per numeric cell)
  budgetlens evaluate out/report.facts.jsonl gold.facts.jsonl
                                            cell accuracy against a hand-made answer key
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except BudgetlensError as exc:
        print(f"budgetlens: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetlens", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"budgetlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="read PDFs into <stem>.json and <stem>.facts.jsonl")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf")
    p.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    p.set_defaults(run=_extract)

    p = sub.add_parser("evaluate", help="cell accuracy of extracted facts against a gold facts file")
    p.add_argument("facts", type=Path, help="extracted <stem>.facts.jsonl (or the PDF: it is read first)")
    p.add_argument("gold", type=Path, help="gold .facts.jsonl, one line per numeric cell")
    p.add_argument("--show", type=int, default=20, help="list at most N differences (default 20)")
    p.set_defaults(run=_evaluate)

    p = sub.add_parser("schemas", help="write the JSON Schema of every model to a folder")
    p.add_argument("-o", "--out", type=Path, default=Path("schemas"))
    p.set_defaults(run=_schemas)
    return parser


def _extract(args: argparse.Namespace) -> int:
    from budgetlens.pipeline import read_document

    failed = 0
    for n, path in enumerate(args.files, 1):
        prefix = f"[{n}/{len(args.files)}] {path.name}"
        try:
            result = read_document(path)
        except BudgetlensError as exc:
            failed += 1
            print(f"{prefix}: error: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # one bad document must not stop the batch
            if args.debug:
                raise
            failed += 1
            print(
                f"{prefix}: internal error ({type(exc).__name__}: {exc}); rerun with --debug", file=sys.stderr
            )
            continue
        written = write_result(result, args.out, path.stem)
        if not args.quiet:
            print(f"{prefix}: {summary_line(result)}", file=sys.stderr)
            for line in needs_model_lines(result):
                print(f"    {line}", file=sys.stderr)
            print(f"    wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return 1 if failed else 0


def summary_line(result: Result) -> str:
    s = result.summary
    parts = [
        f"{result.document.doc_kind}",
        f"{s.pages} pages",
        f"{s.tables_recognised}/{s.tables} tables recognised",
        f"{s.cells} cells",
        f"{s.sections_needing_model} sections need a model (skipped: no model configured)",
        f"{s.seconds:.2f} s",
    ]
    if result.document.pages_without_text:
        parts.append(f"pages without text (need OCR): {result.document.pages_without_text}")
    return ", ".join(parts)


def needs_model_lines(result: Result) -> list[str]:
    by_reason: dict[str, list[str]] = {}
    for s in result.sections:
        if s.needs_model:
            by_reason.setdefault(s.needs_model, []).append(s.name)
    lines = []
    for reason, names in by_reason.items():
        shown = ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")
        lines.append(f"needs a model — {reason}: {shown}")
    return lines


def _evaluate(args: argparse.Namespace) -> int:
    from budgetlens.evaluate import compare, load_facts

    got = load_facts(args.facts)
    gold = load_facts(args.gold)
    report = compare(got, gold)
    print(report.text(limit=args.show))
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from budgetlens.schemas_out import write_schemas

    for path in write_schemas(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
