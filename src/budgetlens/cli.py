"""The `budgetlens` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from budgetlens import __version__
from budgetlens.check.findings import Finding
from budgetlens.check.findings import summary_line as findings_line
from budgetlens.errors import BudgetlensError
from budgetlens.output import write_result
from budgetlens.result import Result

DESCRIPTION = """\
Turn Chinese government budget / final-account PDFs (部门预算 / 部门决算) into checked data.

  budgetlens extract report.pdf -o out/     read tables and text, check every sum, share and
                                            cross-reference; write out/report.json,
                                            out/report.facts.jsonl (one line per numeric cell) and
                                            out/report.findings.jsonl (one line per finding)
  budgetlens check out/report.json          re-run the checks on a saved result (no PDF needed);
                                            rewrites out/report.findings.jsonl
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

    p = sub.add_parser("check", help="re-run the checks on saved results (<stem>.json), without the PDF")
    p.add_argument("results", nargs="+", type=Path, metavar="OUT.json")
    p.add_argument("-q", "--quiet", action="store_true", help="only the summary line per document")
    p.add_argument("-v", "--verbose", action="store_true", help="list info findings too")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="never",
        help="exit with status 3 when a finding of this severity (or worse) is found (default: never)",
    )
    p.set_defaults(run=_check)

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
            print(f"    {findings_line(path.name, result.findings)}", file=sys.stderr)
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


def _check(args: argparse.Namespace) -> int:
    from budgetlens.check.run import check
    from budgetlens.output import read_result, write_findings

    worst = {"error": 0, "warning": 1, "info": 2}
    threshold = worst.get(args.fail_on, -1)
    failed, hit = 0, False
    for path in args.results:
        try:
            result = read_result(path)
        except (OSError, ValueError) as exc:
            failed += 1
            print(
                f"{path}: error: not a budgetlens result ({exc.__class__.__name__}: {str(exc)[:200]})",
                file=sys.stderr,
            )
            continue
        result = result.with_findings(check(result))
        written = write_findings(result, path)
        print(findings_line(path.name, result.findings))
        for f in result.findings:
            if not args.quiet and (args.verbose or f.severity != "info"):
                print(f"  {f.severity:7} p{_pages(f)} {f.check}: {f.message}")
            hit = hit or worst[f.severity] <= threshold
        if not args.quiet:
            print(f"  wrote {', '.join(str(p) for p in written)}")
    return 1 if failed else 3 if hit else 0


def _pages(finding: Finding) -> str:
    return ",".join(str(p) for p in sorted({c.page for c in finding.cells})) or "-"


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
