"""`budgetlens extract` over many documents: plan what to read, read it with an engine, and write
each document's outputs as one set together with its store rows, in this process only."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from budgetlens.batch.plan import plan
from budgetlens.batch.progress import Progress, Tally
from budgetlens.batch.task import Done, Failed, Job, Outcome, run_job
from budgetlens.check.findings import SEVERITIES
from budgetlens.inputs import Document
from budgetlens.llm.config import Endpoint
from budgetlens.output import remove_result, result_paths, write_set
from budgetlens.store import Store, store_path


@dataclass
class Options:
    out: Path
    jobs: int = 1
    engine: str = "local"  # local | ray
    address: str | None = None  # a Ray cluster's address
    force: bool = False
    quiet: bool = False
    fail_on: str = "never"
    password: str | None = None
    endpoint: Endpoint = field(default_factory=Endpoint)
    record: Path | None = None
    replay: Path | None = None
    debug: bool = False


@dataclass
class Batch:
    """What a run did, so far: said when it ends, or when it is stopped."""

    tally: Tally = field(default_factory=Tally)
    hit: bool = False  # a finding at the --fail-on severity


def run_batch(docs: list[Document], opts: Options, batch: Batch) -> int:
    """Read `docs` into `opts.out`; → the exit status (1 a document failed, 3 --fail-on met)."""
    started = time.perf_counter()
    store = Store(store_path(opts.out))
    try:
        jobs = _jobs(docs, opts, store, batch)
        progress = Progress(len(jobs), shown=not opts.quiet)
        try:
            with outcomes(jobs, opts) as finished:
                for outcome in finished:
                    _keep(outcome, opts, store, batch, progress)
        finally:
            progress.close()
    finally:
        store.close()
    if len(docs) > 1:
        print(batch.tally.line(time.perf_counter() - started, str(store_path(opts.out))))
    return 1 if batch.tally.failed else 3 if batch.hit else 0


def settings(endpoint: Endpoint) -> str:
    """How documents are read, as far as it changes a result: a run with other settings reads a
    document again even when its content and budgetlens are the same."""
    if not endpoint.configured:
        return "no model"
    shape = (endpoint.model, endpoint.base_url, endpoint.mode, endpoint.context, endpoint.max_tokens)
    return "model={} base_url={} mode={} context={} max_tokens={}".format(*shape)


def _jobs(docs: list[Document], opts: Options, store: Store, batch: Batch) -> list[Job]:
    how = settings(opts.endpoint)
    planned = plan(docs, opts.out, store, how, opts.force)
    for note in planned.notes:
        print(f"budgetlens: {note}", file=sys.stderr)
    if planned.done:
        n = len(planned.done)
        print(
            f"budgetlens: {n} document{'s' * (n > 1)} already read into {opts.out} (same content, "
            "budgetlens version and settings): kept; --force reads them again",
            file=sys.stderr,
        )
    batch.tally.kept = len(planned.done)
    batch.hit = any(_fails({"error": r.errors, "warning": r.warnings}, opts.fail_on) for r in planned.done)
    total = len(docs)
    index = {d.path: n for n, d in enumerate(docs, 1)}
    record, replay = (str(f) if f else None for f in (opts.record, opts.replay))
    return [
        Job(
            index=index.get(p.document.path, 0), total=total, path=str(p.document.path), stem=p.document.stem,
            sha256=p.sha256, settings=how, endpoint=opts.endpoint, password=opts.password,
            record=record, replay=replay, progress=not opts.quiet,
        )
        for p in planned.todo
    ]  # fmt: skip


@contextmanager
def outcomes(jobs: list[Job], opts: Options) -> Iterator[Iterator[Outcome]]:
    """The engine: Ray tasks, worker processes, or (one job at a time) this process. In parallel the
    largest files go first, so a long document does not end the batch with one worker busy alone."""
    if opts.engine == "ray" and jobs:
        from budgetlens.batch.on_ray import ray_outcomes

        with ray_outcomes(_largest_first(jobs), opts.address, opts.jobs) as finished:
            yield finished
    elif opts.jobs > 1 and len(jobs) > 1:
        from budgetlens.batch.local import Workers

        with Workers(opts.jobs) as workers:
            yield workers.run(_largest_first(jobs))
    else:  # one document at a time: its OCR pages have the processes (workers' OCR reads in series)
        yield (run_job(replace(job, ocr_jobs=opts.jobs)) for job in jobs)


def _largest_first(jobs: list[Job]) -> list[Job]:
    def size(job: Job) -> int:
        try:
            return Path(job.path).stat().st_size
        except OSError:
            return 0

    return sorted(jobs, key=size, reverse=True)


def _keep(outcome: Outcome, opts: Options, store: Store, batch: Batch, progress: Progress) -> None:
    if isinstance(outcome, Done):
        written = _write(outcome, opts.out, store, batch.tally)
        batch.tally.pages += outcome.pages
        batch.tally.facts += outcome.facts
        batch.tally.errors += outcome.counts["error"]
        batch.tally.warnings += outcome.counts["warning"]
        batch.hit = batch.hit or _fails(outcome.counts, opts.fail_on)
        lines = [outcome.quiet_line] if opts.quiet else [*outcome.lines, f"    wrote {', '.join(written)}"]
        progress.advance(outcome.pages, failed=False)
        for line in lines:
            progress.say(line)
        return
    batch.tally.failed += 1
    gone = _forget(outcome, opts.out, store)
    progress.advance(0, failed=True)
    removed = "; its earlier outputs removed" if gone else ""
    progress.warn(f"{outcome.job.prefix}: error: {outcome.message}{removed}")
    if opts.debug and outcome.trace:
        progress.warn(outcome.trace.rstrip())


def _write(done: Done, out: Path, store: Store, tally: Tally) -> list[str]:
    """The document's files, renamed into place together, and its rows, committed right after."""
    paths = result_paths(out, done.job.stem)

    def commit() -> None:
        store.commit()
        tally.read += 1  # counted with its files, before a held Ctrl-C is let through: a stop says it kept it

    with store.transaction():
        store.put(done.rows)
        write_set(dict(zip(paths, done.texts, strict=True)), then=commit)
    return [str(p) for p in paths]


def _forget(failed: Failed, out: Path, store: Store) -> bool:
    """A document that could not be read leaves no earlier outputs looking current."""
    gone = remove_result(out, failed.job.stem) if Path(failed.job.path).is_file() else []
    if gone:
        with store.transaction():
            store.forget(failed.job.stem)
            store.commit()
    return bool(gone)


def _fails(counts: dict[str, int], fail_on: str) -> bool:
    if fail_on not in SEVERITIES:
        return False
    worst = SEVERITIES.index(fail_on)
    return any(counts.get(s, 0) for s in SEVERITIES[: worst + 1])
