"""The per-document task: read one PDF and make everything the parent writes — the texts of its
output files, its store rows and the lines that summarise it. The same function runs in this
process (`--jobs 1`), in a worker process, or as a Ray task on another machine; it writes nothing."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens.errors import BudgetlensError
from budgetlens.llm.config import Endpoint

if TYPE_CHECKING:
    from budgetlens.llm.client import Reply
    from budgetlens.result import Result


@dataclass(frozen=True)
class Job:
    index: int  # the document's place among the inputs, from 1: `[index/total] name` in every line
    total: int
    path: str  # as given: the result's `source`
    stem: str  # the outputs' name
    sha256: str
    settings: str  # how it is read: part of what a re-run compares
    endpoint: Endpoint = field(default_factory=Endpoint)
    password: str | None = None
    record: str | None = None
    replay: str | None = None
    progress: bool = False  # model replies said on stderr as they come
    ocr_jobs: int = 1  # pages read by OCR at once: more only where the document has the process alone

    @property
    def prefix(self) -> str:
        return f"[{self.index}/{self.total}] {Path(self.path).name}"


@dataclass
class Done:
    job: Job
    doc: str
    texts: list[str]  # in the order of output.result_paths
    rows: dict[str, list[tuple[object, ...]]]
    lines: list[str]  # the summary said on stdout
    quiet_line: str
    counts: dict[str, int]  # findings by severity
    pages: int
    facts: int
    seconds: float
    memory: int = 0  # the process's resident bytes after it (a worker that grew is retired)


@dataclass
class Failed:
    job: Job
    message: str  # one line, said after the document's prefix
    seconds: float = 0.0
    trace: str = ""  # an internal error's traceback (--debug prints it)
    memory: int = 0


Outcome = Done | Failed


def run_job(job: Job, data: bytes | None = None) -> Outcome:
    """Read the document (from `data` when given: a task on a machine without the file) and make
    its outputs; a document that cannot be read is a Failed, never an exception."""
    started = time.perf_counter()
    try:
        if data is None:
            done = _done(job, _read(job, Path(job.path)), started)
        else:
            done = _from_bytes(job, data, started)
    except BudgetlensError as exc:
        return Failed(job, str(exc), time.perf_counter() - started, memory=resident())
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return Failed(job, f"{where}{exc.strerror or exc}", time.perf_counter() - started, memory=resident())
    except Exception as exc:  # a bug: this document fails, the batch goes on
        from budgetlens.reasons import short_reason

        why = f"{type(exc).__name__}: {short_reason(str(exc))}"
        seconds = time.perf_counter() - started
        return Failed(job, f"internal error ({why}); rerun with --debug", seconds, traceback.format_exc())
    done.memory = resident()
    return done


def _from_bytes(job: Job, data: bytes, started: float) -> Done:
    """Read a copy under the same name (messages name the file as the local engine's do); the
    result says where the document was given, not where the copy was."""
    with tempfile.TemporaryDirectory(prefix="budgetlens-") as tmp:
        copy = Path(tmp) / Path(job.path).name
        copy.write_bytes(data)
        try:
            result = _read(job, copy)
        except BudgetlensError as exc:
            raise BudgetlensError(str(exc).replace(str(copy), job.path)) from exc
    document = result.document.model_copy(update={"source": job.path})
    return _done(job, result.model_copy(update={"document": document}), started)


def _read(job: Job, path: Path) -> Result:
    # the pipeline is imported here, where a PDF is read: PyMuPDF is no cost of starting
    from budgetlens.llm.run import model_run
    from budgetlens.pipeline import read_document

    record = Path(job.record) if job.record else None
    replay = Path(job.replay) if job.replay else None
    with model_run(job.endpoint, job.stem, record, replay) as model:
        replies = _replies(job) if job.progress else None
        return read_document(path, model, replies, password=job.password, jobs=job.ocr_jobs)


def _replies(job: Job) -> Callable[[Reply], None]:
    from budgetlens.reasons import short_reason

    def show(reply: Reply) -> None:
        how = "cached" if reply.cached else f"{reply.attempts} call{'s' * (reply.attempts != 1)}"
        outcome = "ok" if reply.answer is not None else f"no valid answer: {short_reason(reply.error)}"
        print(f"{job.prefix}: model: {reply.ask.name}: {outcome} ({how})", file=sys.stderr, flush=True)

    return show


def _done(job: Job, result: Result, started: float) -> Done:
    from budgetlens.check.findings import counts
    from budgetlens.check.findings import summary_line as findings_line
    from budgetlens.output import result_texts
    from budgetlens.store.rows import document_rows
    from budgetlens.summary import needs_model_lines, summary_line, unread_lines

    name = Path(result.document.source).name
    lines = [f"{job.prefix}: {summary_line(result)}", f"    {findings_line(name, result.findings)}"]
    lines += [f"    {line}" for line in [*unread_lines(result.findings), *needs_model_lines(result)]]
    return Done(
        job=job,
        doc=result.document.doc,
        texts=result_texts(result),
        rows=document_rows(result, job.stem, job.settings),
        lines=lines,
        quiet_line=findings_line(job.prefix, result.findings),
        counts=counts(result.findings),
        pages=result.summary.pages,
        facts=len(result.facts),
        seconds=time.perf_counter() - started,
    )


def resident() -> int:
    """This process's resident memory in bytes (its peak where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
