"""The `budgetlens` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens import __version__
from budgetlens.check.findings import Finding
from budgetlens.check.findings import summary_line as findings_line
from budgetlens.errors import BudgetlensError
from budgetlens.llm.config import MODES, Endpoint, from_env
from budgetlens.llm.run import model_run, replay_settings, save_settings
from budgetlens.output import write_result
from budgetlens.result import Result

if TYPE_CHECKING:
    from budgetlens.llm.client import Reply

DESCRIPTION = """\
Turn Chinese government budget / final-account PDFs (部门预算 / 部门决算) into checked data.

  budgetlens extract report.pdf -o out/     read tables and text, check every sum, share and
                                            cross-reference; write out/report.json,
                                            out/report.facts.jsonl (one line per numeric cell) and
                                            out/report.findings.jsonl (one line per finding)
  budgetlens check out/report.json          re-run the checks on a saved result (no PDF needed);
                                            rewrites out/report.findings.jsonl
  budgetlens review out/report.json         settle flagged cells and failing checks, worst first;
                                            decisions saved to out/report.review.json as made,
                                            the reviewed result to out/report.reviewed.json
  budgetlens report out/report.json -o report.html
                                            one HTML file: tables coloured by status, findings,
                                            page images of flagged and corrected cells
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
    _model_flags(p)
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

    p = sub.add_parser("review", help="settle flagged cells and failing checks, in a terminal or in batch")
    p.add_argument("result", type=Path, metavar="OUT.json")
    p.add_argument("--file", type=Path, help="where decisions are saved (default: OUT.review.json)")
    p.add_argument(
        "--apply", type=Path, metavar="REVIEW.json", help="apply saved decisions without asking, then exit"
    )
    p.set_defaults(run=_review)

    p = sub.add_parser("report", help="one self-contained HTML file to read a result (and its review)")
    p.add_argument("result", type=Path, metavar="OUT.json")
    p.add_argument("-o", "--out", type=Path, help="HTML file to write (default: OUT.html)")
    p.add_argument("--pdf", type=Path, help="the document, for page images (default: where it was read)")
    p.set_defaults(run=_report)

    p = sub.add_parser("evaluate", help="cell accuracy of extracted facts against a gold facts file")
    p.add_argument("facts", type=Path, help="extracted <stem>.facts.jsonl (or the PDF: it is read first)")
    p.add_argument("gold", type=Path, help="gold .facts.jsonl, one line per numeric cell")
    p.add_argument("--show", type=int, default=20, help="list at most N differences (default 20)")
    p.set_defaults(run=_evaluate)

    p = sub.add_parser("schemas", help="write the JSON Schema of every model to a folder")
    p.add_argument("-o", "--out", type=Path, default=Path("schemas"))
    p.set_defaults(run=_schemas)
    return parser


def _model_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "model (optional; any OpenAI-compatible endpoint)",
        "Flags override the environment: BUDGETLENS_BASE_URL (or OPENAI_BASE_URL), BUDGETLENS_API_KEY "
        "(or OPENAI_API_KEY), BUDGETLENS_MODEL, BUDGETLENS_MODE. Without a model name nothing is sent.",
    )
    g.add_argument("--model", help="model name, e.g. gpt-4o-mini, deepseek-chat, qwen-plus, llama3.1")
    g.add_argument("--base-url", help="endpoint, e.g. http://localhost:8000/v1 (vLLM), :11434/v1 (Ollama)")
    g.add_argument("--api-key", help="API key (prefer the environment variable: flags show in `ps`)")
    g.add_argument(
        "--mode",
        choices=MODES,
        help="instructor mode (default auto: tools for OpenAI, DeepSeek, Qwen; json_schema for others)",
    )
    g.add_argument("--context", type=int, help="the endpoint's context window (tokens): split longer prompts")
    g.add_argument("--max-tokens", type=int, help="bound on each answer's tokens (default: the server's)")
    g.add_argument("--concurrency", type=int, help="calls at once (default 4)")
    g.add_argument("--max-calls", type=int, help="model calls per document, re-asks included (default 200)")
    g.add_argument("--rounds", type=int, help="re-extraction rounds for failing cells (default 2)")
    g.add_argument("--reasks", type=int, help="re-asks after an invalid answer (default 2)")
    g.add_argument("--timeout", type=float, help="seconds per call (default 120)")
    g.add_argument("--cache", type=Path, help="answer cache folder (default ~/.cache/budgetlens/model)")
    g.add_argument("--no-cache", action="store_true", help="always ask the model")
    how = g.add_mutually_exclusive_group()
    how.add_argument("--record", type=Path, metavar="DIR", help="record every model call to DIR/<stem>.yaml")
    how.add_argument("--replay", type=Path, metavar="DIR", help="replay DIR/<stem>.yaml: no network")


def _endpoint(args: argparse.Namespace) -> Endpoint:
    flags = {k: getattr(args, k) for k in ("model", "base_url", "api_key", "mode", "concurrency", "timeout")}
    flags |= {"max_calls": args.max_calls, "rounds": args.rounds, "reasks": args.reasks, "cache": args.cache}
    flags |= {"context": args.context, "max_tokens": args.max_tokens}
    if args.replay:
        flags = replay_settings(args.replay) | {k: v for k, v in flags.items() if v is not None}
    endpoint = from_env(**flags)
    if args.no_cache or args.record or args.replay:  # a recording must see every call
        endpoint = replace(endpoint, cache=None)
    return endpoint


def _extract(args: argparse.Namespace) -> int:
    from budgetlens.pipeline import read_document

    try:
        endpoint = _endpoint(args)
    except (ValueError, BudgetlensError) as exc:
        print(f"budgetlens: {exc}", file=sys.stderr)
        return 2
    if (args.record or args.replay) and not endpoint.configured:
        print("budgetlens: --record and --replay need a model (--model or BUDGETLENS_MODEL)", file=sys.stderr)
        return 2
    if args.record:
        save_settings(args.record, endpoint)
    failed = 0
    for n, path in enumerate(args.files, 1):
        prefix = f"[{n}/{len(args.files)}] {path.name}"
        try:
            with model_run(endpoint, path.stem, args.record, args.replay) as model:
                result = read_document(path, model, None if args.quiet else _progress(prefix))
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


def _progress(prefix: str) -> Callable[[Reply], None]:
    def show(reply: Reply) -> None:
        how = "cached" if reply.cached else f"{reply.attempts} call{'s' * (reply.attempts != 1)}"
        outcome = "ok" if reply.answer is not None else f"no valid answer: {reply.error}"
        print(f"{prefix}: model: {reply.ask.name}: {outcome} ({how})", file=sys.stderr)

    return show


def summary_line(result: Result) -> str:
    s = result.summary
    parts = [
        f"{result.document.doc_kind}",
        f"{s.pages} pages",
        f"{s.tables_recognised}/{s.tables} tables recognised",
        f"{s.cells} cells",
    ]
    if s.model_calls or s.cached_calls:
        parts += [
            f"model_calls={s.model_calls} cached_calls={s.cached_calls}",
            f"tokens={s.prompt_tokens}+{s.completion_tokens}",
            f"reextracted_cells={s.reextracted_cells} flagged_cells={s.flagged_cells}",
        ]
    if s.sections_needing_model:
        skipped = "skipped: no model configured" if not (s.model_calls or s.cached_calls) else "left unread"
        parts.append(f"{s.sections_needing_model} sections need a model ({skipped})")
    parts.append(f"{s.seconds:.2f} s")
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
            print(f"{path}: error: {_not_a_result(exc)}", file=sys.stderr)
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


def _review(args: argparse.Namespace) -> int:
    from budgetlens.output import write_result
    from budgetlens.review import apply, load_review, review_path
    from budgetlens.review.session import Session

    base = _read(args.result)
    stem = args.result.name.removesuffix(".json") + ".reviewed"

    def save(result: Result) -> None:
        write_result(result, args.result.parent, stem)

    if args.apply:
        applied = apply(base, load_review(args.apply, base.document.sha256).decisions)
        save(applied.result)
        for d in applied.stale:
            print(f"  no longer there (a correction resolved it): {d.action} {d.item}", file=sys.stderr)
        print(review_line(applied.result, args.result.parent / f"{stem}.json"))
        return 0
    if not sys.stdin.isatty():
        print(
            "budgetlens: review asks questions: run it in a terminal, or use --apply REVIEW.json",
            file=sys.stderr,
        )
        return 2
    path = args.file or review_path(args.result)
    session = Session(base, load_review(path, base.document.sha256), path, save)
    result = session.run()
    save(result)
    print(review_line(result, args.result.parent / f"{stem}.json"))
    return 0


def review_line(result: Result, written: Path) -> str:
    from budgetlens.review import open_items

    s = result.summary
    left = len(open_items(result))
    counts = f"reviewed_cells={s.reviewed_cells} flagged_cells={s.flagged_cells} open_items={left}"
    return f"{counts}; {findings_line(written.name, result.findings)}; wrote {written}"


def _report(args: argparse.Namespace) -> int:
    from budgetlens.review.report import write_report

    result = _read(args.result)
    out = args.out or args.result.with_suffix(".html")
    note = write_report(result, out, pdf=args.pdf, near=args.result.parent)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB){note}")
    return 0


def _read(path: Path) -> Result:
    from budgetlens.output import read_result

    try:
        return read_result(path)
    except (OSError, ValueError) as exc:
        raise BudgetlensError(f"{path}: {_not_a_result(exc)}") from exc


def _not_a_result(exc: Exception) -> str:
    return f"not a budgetlens result ({exc.__class__.__name__}: {str(exc)[:200]})"


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
