"""Documents read in worker processes on this machine, one document per worker at a time.

A small scheduler of its own rather than a pool, for what a batch of PDFs needs: a worker that
dies (MuPDF crashing on a file, the kernel killing it for memory) fails exactly the document it
held and is replaced; a worker that grew past `RETIRE_BYTES` after a long document is replaced, so
memory stays bounded however many 600-page documents come; Ctrl-C and SIGTERM stop every worker at
once. Workers are started fresh (spawn), never forked from a process that may hold threads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType

from budgetlens.batch.task import Failed, Job, Outcome, run_job

RETIRE_BYTES = 1 << 30  # a worker this large after a document is replaced before the next
RETIRE_TASKS = 200  # … and any worker after this many documents (what a library may leak)


def serve(conn: Connection) -> None:
    """A worker: read each job sent until told to stop (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _end_with_parent()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        outcome = run_job(job)
        try:
            conn.send(outcome)
        except OSError:  # the parent is gone: nobody to write it
            return


def _end_with_parent() -> None:
    """On Linux, a parent killed outright (SIGKILL) takes its workers with it, not leaving them to
    finish a long document nobody will write."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _Worker:
    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        self.conn, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(target=serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()
        self.job: Job | None = None
        self.tasks = 0
        self.memory = 0  # resident bytes after its last document

    def give(self, job: Job) -> None:
        self.job = job
        self.tasks += 1
        self.conn.send(job)

    def stop(self) -> None:
        """Ask an idle worker to end; end a busy one."""
        if self.job is None and self.process.is_alive():
            with contextlib.suppress(OSError):  # it died meanwhile: nothing to ask
                self.conn.send(None)
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Workers:
    """`with Workers(n) as w: for outcome in w.run(jobs): …` — outcomes as documents finish."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        queue = deque(jobs)
        for _ in range(min(self.count, len(jobs))):
            self.workers.append(_Worker(self.context))
            self._give(self.workers[-1], queue.popleft())
        while busy := [w for w in self.workers if w.job is not None]:
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    yield self._outcome(worker)
                    self._next(worker, queue)

    def _outcome(self, worker: _Worker) -> Outcome:
        job = worker.job
        assert job is not None
        try:
            if worker.conn.poll():
                outcome: Outcome = worker.conn.recv()
                worker.job, worker.memory = None, outcome.memory
                return outcome
        except (EOFError, OSError):
            pass
        worker.process.join(timeout=5)
        worker.job = None
        return Failed(job, f"the worker reading it stopped ({_how(worker.process.exitcode)}): the file may "
                      "crash MuPDF, or memory ran out; the other documents go on")  # fmt: skip

    def _next(self, worker: _Worker, queue: deque[Job]) -> None:
        """Give the worker the next document, replacing it first if it died or grew too large."""
        if not queue:
            return
        if worker.tasks >= RETIRE_TASKS or worker.memory > RETIRE_BYTES or not worker.process.is_alive():
            worker = self._replace(worker)
        self._give(worker, queue.popleft())

    def _give(self, worker: _Worker, job: Job) -> None:
        try:
            worker.give(job)
        except OSError:  # it died before it had the document (killed while idle): a new one reads it
            self._replace(worker).give(job)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.job = None
        worker.stop()
        self.workers.remove(worker)
        fresh = _Worker(self.context)
        self.workers.append(fresh)
        return fresh


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
