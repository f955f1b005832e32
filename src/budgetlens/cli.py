"""The `budgetlens` command line.

Every failure is one line on stderr naming the file (and the entry or line) and what to do; the
exit status says it: 0 done, 1 an input or output failed, 2 a usage error, 3 `--fail-on` was met,
130/143 stopped by a signal. Summaries go to stdout, progress and errors to stderr.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from budgetlens import __version__
from budgetlens.errors import BudgetlensError, OutputError
from budgetlens.llm.config import MODES, Endpoint, from_env
from budgetlens.reasons import short_reason

# Each command imports what it uses when it runs: `--help` and the commands that read no PDF start
# without PyMuPDF (and without pydantic's models where they are not needed).
if TYPE_CHECKING:
    from budgetlens.check.findings import Finding
    from budgetlens.result import Result
    from budgetlens.review import Applied

SEVERITIES = ("error", "warning", "info")  # as check.findings.SEVERITIES, without importing it
ACROSS_FILE = "budgetlens.across.jsonl"  # as check.across_run.FILE

DESCRIPTION = """\
Turn Chinese government budget / final-account PDFs (部门预算 / 部门决算) into checked data.

  budgetlens extract report.pdf -o out/     read tables and text, check every sum, share and
                                            cross-reference; write out/report.json,
                                            out/report.facts.jsonl (one line per numeric cell),
                                            out/report.findings.jsonl (one line per finding) and
                                            out/report.narrative.jsonl (figures read from text);
                                            a folder is read for every .pdf in it
  budgetlens check out/report.json          re-run the checks on a saved result (no PDF needed);
                                            rewrites out/report.json and out/report.findings.jsonl
                                            (--out DIR writes elsewhere, --no-write nowhere)
  budgetlens review out/report.json         settle flagged cells and failing checks, worst first;
                                            decisions saved to out/report.review.json as made,
                                            the reviewed result to out/report.reviewed.json
  budgetlens report out/report.json -o report.html
                                            one HTML file: tables coloured by status, findings,
                                            page images of flagged and corrected cells
  budgetlens evaluate out/report.facts.jsonl gold.facts.jsonl
                                            cell accuracy against a hand-made answer key

Exit status: 0 done; 1 a file could not be read or written (said on one line); 2 wrong usage;
3 a finding at the --fail-on severity; 130 / 143 interrupted / terminated.
"""


class Stopped(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so no temporary file is left behind."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        with _signals():
            return int(args.run(args))
    except BudgetlensError as exc:
        print(f"budgetlens: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a write that failed after its folder was found writable (a full disk)
        print(f"budgetlens: {_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"budgetlens: interrupted; {_stopped(args)}", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: said in one line (the traceback with --debug)
        if getattr(args, "debug", False):
            raise
        why = f"{type(exc).__name__}: {short_reason(str(exc))}"
        print(f"budgetlens: internal error ({why}); rerun with --debug and report it", file=sys.stderr)
        return 1
    except Stopped as exc:
        name = signal.Signals(exc.signum).name
        print(f"budgetlens: stopped by {name}; {_stopped(args)}", file=sys.stderr)
        return 128 + exc.signum


def _stopped(args: argparse.Namespace) -> str:
    """What a stop leaves: whole outputs, and for a batch what it kept and how to carry on."""
    said = "every output is written whole or not at all"
    batch = getattr(args, "batch", None)
    if batch is None:
        return said
    t = batch.tally
    return f"{said}; {t.read + t.kept} documents done and kept: the same command carries on from there"


@contextmanager
def _signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped while a command runs (then the old handlers are back)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signum)

    wanted = [signal.SIGTERM, signal.SIGHUP] if hasattr(signal, "SIGHUP") else [signal.SIGTERM]
    try:
        old = {s: signal.signal(s, stop) for s in wanted}
    except ValueError:  # not the main thread (an embedding program): its handlers stand
        old = {}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _os_error(exc: OSError) -> str:
    where = exc.filename or ""
    return f"{where}: {exc.strerror or exc}" if where else str(exc)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetlens", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"budgetlens {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _extract_parser(sub)
    _check_parser(sub)
    _review_parser(sub)

    p = sub.add_parser(
        "report",
        help="one self-contained HTML file to read a result (and its review)",
        description="One HTML file (inline CSS and images, no script): the summary, what was not read, "
        "every table coloured by status, the findings, and page images of doubtful cells.",
    )
    p.add_argument("result", type=Path, metavar="OUT.json", help="<stem>.json or <stem>.reviewed.json")
    p.add_argument("-o", "--out", type=Path, help="HTML file to write (default: OUT.html beside the result)")
    p.add_argument("--pdf", type=Path, help="the document, for page images (default: where it was read)")
    p.add_argument("--password", help="the PDF's password, when it is encrypted")
    p.set_defaults(run=_report)

    p = sub.add_parser(
        "evaluate",
        help="cell accuracy of extracted facts against a gold facts file",
        description="Cell accuracy: a gold cell counts when a fact with its table, row and column has "
        "its value, unit and page.",
    )
    p.add_argument("facts", type=Path, help="extracted <stem>.facts.jsonl (or the PDF: it is read first)")
    p.add_argument("gold", type=Path, help="gold .facts.jsonl, one line per numeric cell")
    p.add_argument("--show", type=int, default=20, help="list at most N differences (default 20)")
    p.set_defaults(run=_evaluate)

    p = sub.add_parser(
        "export",
        help="an output folder's store as CSV or Parquet files, or one spreadsheet",
        description="Every table of OUT/budgetlens.sqlite (documents, sections, tables, facts, subjects, "
        "findings, finding_cells, reviews): one .csv or .parquet file per table, or budgetlens.xlsx with "
        "a sheet per table. Values stay decimal text in CSV and Parquet; in the spreadsheet money is a "
        "number.",
    )
    p.add_argument("folder", type=Path, metavar="OUT", help="an output folder of `budgetlens extract`")
    p.add_argument(
        "--format",
        choices=["csv", "parquet", "xlsx"],
        default="csv",
        help="csv (default), parquet or xlsx (these two need pip install 'budgetlens[export]')",
    )
    p.add_argument("-o", "--out", type=Path, help="folder to write to (default: OUT/export/)")
    p.set_defaults(run=_export)

    p = sub.add_parser("schemas", help="write the JSON Schema of every model to a folder")
    p.add_argument("-o", "--out", type=Path, default=Path("schemas"), help="folder (default: schemas/)")
    p.set_defaults(run=_schemas)
    return parser


def _extract_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "extract",
        help="read PDFs into <stem>.json, <stem>.facts.jsonl and <stem>.findings.jsonl",
        description="Read each PDF (a folder: every .pdf in it and its subfolders) and check it. "
        "The summary goes to stdout, progress and errors to stderr; a file that cannot be read is "
        "said on one line and the others are still read (exit status 1).",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf|FOLDER", help="PDFs, or folders of them")
    p.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    p.add_argument("-q", "--quiet", action="store_true", help="one summary line per document, no progress")
    p.add_argument("--password", help="password of encrypted PDFs (the same for all of them)")
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=_cores(),
        metavar="N",
        help=f"processes at once: documents read N at a time, each in a worker process; one document "
        f"is read in this process, its pages without a text layer N at a time by OCR (default, or 0: "
        f"the cores, {_cores()} here)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="read every document again, even one already read (same content, budgetlens version and "
        "settings) into the output folder",
    )
    p.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local: worker processes on this machine; ray: Ray tasks, on a local Ray instance of "
        "--jobs CPUs or the cluster at --address (pip install 'budgetlens[ray]')",
    )
    p.add_argument("--address", help="the Ray cluster to run on (with --engine ray): HOST:6379, or auto")
    _fail_on(p)
    p.add_argument(  # also before the command; SUPPRESS keeps `budgetlens --debug extract` working
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an internal error",
    )
    _model_flags(p)
    p.set_defaults(run=_extract)


def _fail_on(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "never"],
        default="never",
        help="exit with status 3 when a finding of this severity (or worse) is found; warnings include "
        "what was not read: pages without text, a repaired file, an unreachable model (default: never)",
    )


def _check_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="re-run the checks on saved results (<stem>.json), without the PDF",
        description="Re-run every check on saved results (no PDF, no model): after facts were "
        "corrected, or with a newer budgetlens. Rewrites <stem>.json and <stem>.findings.jsonl "
        "beside each result, unless --out or --no-write.",
    )
    p.add_argument(
        "results", nargs="+", type=Path, metavar="OUT.json", help="saved results (<stem>.json); "
        "with --across, output folders"
    )  # fmt: skip
    p.add_argument("-q", "--quiet", action="store_true", help="only the summary line per document")
    p.add_argument("-v", "--verbose", action="store_true", help="list info findings too")
    p.add_argument(
        "--across",
        action="store_true",
        help="check the documents of output folders against each other, department by department: a 决算's "
        "budget columns against that year's 预算, a narrative's 上年 figures against the year before, a "
        f"subject code's names; writes OUT/{ACROSS_FILE} and the findings into OUT/budgetlens.sqlite",
    )
    _fail_on(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--out", type=Path, metavar="DIR", help="write the re-checked results to DIR (for read-only results)"
    )
    where.add_argument("--no-write", action="store_true", help="write nothing: only print the findings")
    p.set_defaults(run=_check)


def _review_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review",
        help="settle flagged cells and failing checks, in a terminal or in batch",
        description="Walk through flagged cells and error/warning findings, worst first. Keys: "
        "a accept (read right, the finding stands); c correct (c, c 2, or c 2 199.36: type what the "
        "page prints; full-width digits, thousands commas and the cell's unit are fine); d the "
        "document itself is wrong; s skip; b back; q quit (everything is saved; run again to resume); "
        "? help. Decisions go to OUT.review.json as made; the reviewed result to "
        "OUT.reviewed.json, .reviewed.facts.jsonl and .reviewed.findings.jsonl.",
    )
    p.add_argument("result", type=Path, metavar="OUT.json", help="the result to review (never changed)")
    p.add_argument("--file", type=Path, help="where decisions are saved (default: OUT.review.json)")
    p.add_argument(
        "--apply",
        type=Path,
        metavar="REVIEW.json",
        help="apply saved decisions without asking, then exit (the file must exist)",
    )
    p.set_defaults(run=_review)


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
        from budgetlens.llm.run import replay_settings

        flags = replay_settings(args.replay) | {k: v for k, v in flags.items() if v is not None}
    endpoint = from_env(**flags)
    if args.no_cache or args.record or args.replay:  # a recording must see every call
        endpoint = replace(endpoint, cache=None)
    return endpoint


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container's share)
    except AttributeError:
        return os.cpu_count() or 1


def _jobs(text: str) -> int:
    """--jobs N: a whole number of processes; 0 means the cores."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (the cores) or more")
    return n or _cores()


def _extract(args: argparse.Namespace) -> int:
    from budgetlens.batch.run import Batch, Options, run_batch
    from budgetlens.inputs import documents
    from budgetlens.llm.run import save_settings

    try:
        endpoint = _endpoint(args)
    except (ValueError, BudgetlensError) as exc:
        print(f"budgetlens: {exc}", file=sys.stderr)
        return 2
    if (args.record or args.replay) and not endpoint.configured:
        print("budgetlens: --record and --replay need a model (--model or BUDGETLENS_MODEL)", file=sys.stderr)
        return 2
    if args.address and args.engine != "ray":
        print("budgetlens: --address is the Ray cluster's: give --engine ray too", file=sys.stderr)
        return 2
    docs, notes, empty = documents(args.files)
    for note in notes:
        print(f"budgetlens: {note}", file=sys.stderr)
    for folder in empty:
        print(f"budgetlens: {folder}: error: a folder with no .pdf file in it", file=sys.stderr)
    _prepare(args.out, "choose another folder with -o")
    if args.record:
        save_settings(args.record, endpoint)
    options = Options(
        out=args.out, jobs=args.jobs, engine=args.engine, address=args.address, force=args.force,
        quiet=args.quiet, fail_on=args.fail_on, password=args.password, endpoint=endpoint,
        record=args.record, replay=args.replay, debug=getattr(args, "debug", False),
    )  # fmt: skip
    args.batch = Batch()  # what a stop says it kept
    code = run_batch(docs, options, args.batch)
    return 1 if empty else code


def _prepare(folder: Path, hint: str) -> None:
    from budgetlens.output import prepare_folder

    removed = prepare_folder(folder, hint)
    if removed:
        n = len(removed)
        print(f"budgetlens: removed {n} temporary file(s) a stopped run left in {folder}", file=sys.stderr)


def _fails(findings: list[Finding], fail_on: str) -> bool:
    if fail_on not in SEVERITIES:
        return False
    worst = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) <= worst for f in findings)


def _check(args: argparse.Namespace) -> int:
    from budgetlens.check.findings import summary_line as findings_line
    from budgetlens.check.run import check
    from budgetlens.validate import parse_result

    if args.across:
        return _check_across(args)
    hint = "write elsewhere with --out DIR, or nothing with --no-write"
    if not args.no_write:
        for folder in [args.out] if args.out else sorted({p.parent for p in args.results if p.is_file()}):
            _prepare(folder, hint)
    failed, hit = 0, False
    for path in args.results:
        try:
            result = parse_result(path, rechecking=True)
        except BudgetlensError as exc:
            failed += 1
            print(f"budgetlens: {exc}", file=sys.stderr)
            continue
        result = result.with_findings(check(result))
        written = [] if args.no_write else _rewrite(result, path, args.out)
        print(findings_line(path.name, result.findings))
        for f in result.findings:
            if not args.quiet and (args.verbose or f.severity != "info"):
                print(f"  {f.severity:7} p{_pages(f)} {f.check}: {f.message}")
        hit = hit or _fails(result.findings, args.fail_on)
        if written and not args.quiet:
            print(f"  wrote {', '.join(str(p) for p in written)}")
    return 1 if failed else 3 if hit else 0


def _store_findings(result: Result, folder: Path) -> None:
    """The folder's store, if it has one, follows the rewritten findings."""
    from budgetlens.store.refresh import refresh_findings

    refresh_findings(folder, result)


def _check_across(args: argparse.Namespace) -> int:
    from budgetlens.check.across_run import check_folder
    from budgetlens.store import store_path

    failed, hit = 0, False
    for folder in args.results:
        if not store_path(folder).is_file():
            failed += 1
            print(f"budgetlens: {folder}: no {store_path(folder).name} here: give a folder `budgetlens "
                  "extract -o` wrote (with --across, folders, not results)", file=sys.stderr)  # fmt: skip
            continue
        target = None if args.no_write else args.out or folder
        if target is not None:
            _prepare(target, "write elsewhere with --out DIR, or nothing with --no-write")
        found, line = check_folder(folder, target, lambda note: print(f"budgetlens: {note}", file=sys.stderr))
        print(line)
        for f in found:
            if not args.quiet and (args.verbose or f.severity != "info"):
                print(f"  {f.severity:7} {f.check}: {f.message}")
        hit = hit or any(_fails_at(f.severity, args.fail_on) for f in found)
        if target is not None and not args.quiet:
            print(f"  wrote {target / ACROSS_FILE}" + ("" if args.out else f", {store_path(folder)}"))
    return 1 if failed else 3 if hit else 0


def _fails_at(severity: str, fail_on: str) -> bool:
    return fail_on in SEVERITIES and SEVERITIES.index(severity) <= SEVERITIES.index(fail_on)


def _rewrite(result: Result, path: Path, out: Path | None) -> list[Path]:
    from budgetlens.output import write_findings, write_result

    if out is None:
        written = write_findings(result, path)
    else:
        written = write_result(result, out, path.name.removesuffix(".json"))
    _store_findings(result, out or path.parent)
    return written


def _review(args: argparse.Namespace) -> int:
    from budgetlens.output import read_result, remove_result, write_result
    from budgetlens.review import load_review, review_path
    from budgetlens.review.session import Session

    base = read_result(args.result)
    folder, stem = args.result.parent, args.result.name.removesuffix(".json") + ".reviewed"

    def save(result: Result) -> None:
        write_result(result, folder, stem)

    if args.apply:
        _prepare(folder, "copy the result to a folder you can write to")
        try:
            applied = _applied(base, args.apply)
        except BudgetlensError as exc:
            gone = remove_result(folder, stem)  # it no longer says what the decisions give
            raise BadReview(f"{exc}{'; the earlier reviewed result is removed' if gone else ''}") from exc
        save(applied.result)
        _store_review(folder, base, args.apply)
        for d in applied.stale:
            print(f"  no longer there (a correction resolved it): {d.action} {d.item}", file=sys.stderr)
        print(review_line(applied.result, folder / f"{stem}.json"))
        return 0
    if not sys.stdin.isatty():
        print(
            "budgetlens: review asks questions: run it in a terminal, or use --apply REVIEW.json",
            file=sys.stderr,
        )
        return 2
    path = args.file or review_path(args.result)
    for where in {folder, path.parent}:
        _prepare(where, "copy the result to a folder you can write to (or give --file elsewhere)")
    session = Session(base, load_review(path, base.document.sha256), path, save)
    result = session.run()
    save(result)
    _store_review(folder, base, path)
    print(review_line(result, folder / f"{stem}.json"))
    return 0


def _store_review(folder: Path, base: Result, path: Path) -> None:
    """The folder's store, if it has one, holds the decisions as saved."""
    from budgetlens.review import load_review
    from budgetlens.store.refresh import refresh_reviews

    if path.is_file():
        refresh_reviews(folder, base.document.doc, load_review(path, base.document.sha256))


class BadReview(BudgetlensError):
    """A review file that cannot be applied to this result."""


def _applied(base: Result, path: Path) -> Applied:
    from budgetlens.review import apply, load_review

    decisions = load_review(path, base.document.sha256, must_exist=True).decisions
    try:
        applied = apply(base, decisions)
    except BudgetlensError as exc:
        raise BadReview(f"{path}: {exc}; fix or remove that decision") from exc
    if applied.unknown:
        n, d = applied.unknown[0]
        raise BadReview(
            f"{path}: decisions[{n}]: {d.item} is not in this result (no such finding or cell): "
            "was it made on another extraction? remove that decision to apply the rest"
        )
    return applied


def review_line(result: Result, written: Path) -> str:
    from budgetlens.check.findings import summary_line as findings_line
    from budgetlens.review import open_items

    s = result.summary
    left = len(open_items(result))
    counts = f"reviewed_cells={s.reviewed_cells} flagged_cells={s.flagged_cells} open_items={left}"
    return f"{counts}; {findings_line(written.name, result.findings)}; wrote {written}"


def _report(args: argparse.Namespace) -> int:
    from budgetlens.output import read_result
    from budgetlens.review.report import write_report

    result = read_result(args.result)
    out = args.out or args.result.with_suffix(".html")
    if out.is_dir():
        raise OutputError(f"{out}: a folder: give the HTML file's name with -o")
    _prepare(out.parent, "choose another place with -o")
    note = write_report(result, out, pdf=args.pdf, near=args.result.parent, password=args.password)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB){note}")
    return 0


def _pages(finding: Finding) -> str:
    return ",".join(str(p) for p in sorted({c.page for c in finding.cells})) or "-"


def _evaluate(args: argparse.Namespace) -> int:
    from budgetlens.evaluate import compare, load_facts

    got = load_facts(args.facts)
    gold = load_facts(args.gold)
    report = compare(got, gold)
    print(report.text(limit=args.show))
    return 0


def _export(args: argparse.Namespace) -> int:
    from budgetlens.store import Store, store_path
    from budgetlens.store.export import export

    store = Store(store_path(args.folder), create=False)
    target = args.out or args.folder / "export"
    try:
        _prepare(target, "choose another folder with -o")
        for path in export(store, args.format, target):
            print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    finally:
        store.close()
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from budgetlens.schemas_out import write_schemas

    _prepare(args.out, "choose another folder with -o")
    for path in write_schemas(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
