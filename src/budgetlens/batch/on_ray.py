"""The same per-document task as Ray tasks: on a local Ray instance, or on a cluster (`--address`).

The PDF travels as bytes through Ray's object store (a node need not see this machine's files);
the task's outcome comes back the same way and this process writes the files and the store, as
with the local engine. Ray schedules the tasks and retries one whose worker died (`max_retries`);
a document that cannot be read is an outcome, not an exception, so it is not retried.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from budgetlens.batch.task import Failed, Job, Outcome, run_job
from budgetlens.errors import BudgetlensError

RETRIES = 2  # a task whose worker or node died is run again this many times


@contextmanager
def ray_outcomes(jobs: list[Job], address: str | None, cpus: int) -> Iterator[Iterator[Outcome]]:
    """Outcomes as tasks finish; a local Ray instance of `cpus` CPUs is started (and stopped) when
    no `address` is given and none is running in this process."""
    try:
        import ray
    except ImportError as exc:
        raise BudgetlensError(f"--engine ray needs Ray: pip install 'budgetlens[ray]' ({exc})") from exc
    ours = not ray.is_initialized()
    if ours:
        try:
            with _our_signals():
                ray.init(
                    address=address,
                    num_cpus=None if address else cpus,
                    include_dashboard=False,
                    logging_level=logging.ERROR,
                    log_to_driver=True,  # a task's stderr (model replies) is said here
                )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = address or "a local instance"
            raise BudgetlensError(f"cannot start or reach Ray at {where}: {exc}") from exc
    try:
        yield _run(ray, jobs)
    except SystemError as exc:  # a stop (SIGTERM, SIGHUP) raised inside one of Ray's calls: wrapped
        stop = exc.__cause__
        if isinstance(stop, BaseException) and not isinstance(stop, Exception):
            raise stop from None
        raise
    finally:
        if ours:
            ray.shutdown()


@contextmanager
def _our_signals() -> Iterator[None]:
    """Ray's core installs handlers of its own (SIGTERM: a stack dump, exit status 1); the command
    line's are put back, so a stop is said in one line and every output is left whole."""
    wanted = [s for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in wanted}
    try:
        yield
    finally:
        for name, handler in saved.items():
            if handler is not None:
                signal.signal(getattr(signal, name), handler)


def _run(ray: Any, jobs: list[Job]) -> Iterator[Outcome]:
    task = ray.remote(num_cpus=1, max_retries=RETRIES)(run_job)
    width = max(2 * int(ray.cluster_resources().get("CPU", 1)), 2)  # queued beyond that: bytes held
    queue = list(reversed(jobs))
    pending: dict[Any, Job] = {}
    # on a stop, tasks still pending end with the driver (ray.shutdown): cancelling them one by one
    # while some complete trips a check in Ray's core (2.60: "task that was not pending")
    while queue or pending:
        while queue and len(pending) < width:
            job = queue.pop()
            try:
                data = Path(job.path).read_bytes()
            except OSError:
                yield run_job(job)  # says why the file cannot be read, as the local engine does
                continue
            pending[task.remote(job, ray.put(data))] = job
        if not pending:
            continue
        ready, _ = ray.wait(list(pending), num_returns=1)
        job = pending.pop(ready[0])
        yield _outcome(ray, ready[0], job)


def _outcome(ray: Any, ref: Any, job: Job) -> Outcome:
    try:
        outcome: Outcome = ray.get(ref)
    except ray.exceptions.RayError as exc:
        from budgetlens.reasons import short_reason

        why = short_reason(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return Failed(job, f"its Ray task failed after {RETRIES} retries ({why}); the other documents go on")
    return outcome
