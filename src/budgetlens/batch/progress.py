"""How far a batch has come, on stderr: a bar with counts, rate and ETA on a terminal, a plain line
every `EVERY` seconds otherwise (a log, CI); and the tally a run ends with, on stdout.

The bar is tqdm's: one small pure-Python package without dependencies that imports in a few
milliseconds and does exactly this (counts, rate, ETA, writing around the bar). rich draws finer
bars but brings pygments and markdown-it and costs more to import than all of `--help`.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

EVERY = 10.0  # seconds between plain progress lines


@dataclass
class Tally:
    read: int = 0
    failed: int = 0
    kept: int = 0  # done by an earlier run
    pages: int = 0
    facts: int = 0
    errors: int = 0
    warnings: int = 0

    def line(self, seconds: float, store: str) -> str:
        docs = self.read + self.failed
        rate = f" ({docs / seconds:.2f} docs/s, {self.pages / seconds:.1f} pages/s)" if docs else ""
        kept = f", {self.kept} already done" if self.kept else ""
        return (
            f"done: {_n(docs + self.kept, 'document')} ({self.read} read, {self.failed} failed{kept}), "
            f"{self.pages} pages, {self.facts} facts, {self.errors} errors, {self.warnings} warnings "
            f"in the documents read, {seconds:.1f} s{rate}; store {store}"
        )


class Progress:
    def __init__(self, total: int, shown: bool, err: TextIO | None = None, out: TextIO | None = None) -> None:
        self.total, self.done, self.failed, self.pages = total, 0, 0, 0
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.started = self.said = time.monotonic()
        self.bar: Any = None
        if shown and total > 1 and self.err.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=self.err, dynamic_ncols=True, smoothing=0.1)
        self.plain = shown and total > 1 and self.bar is None

    def advance(self, pages: int, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        self.pages += pages
        if self.bar is not None:
            rate = self._pages_rate()
            self.bar.set_postfix_str(f"{self.pages} pages, {rate:.1f} pages/s, {self.failed} failed")
            self.bar.update(1)
        elif self.plain and time.monotonic() - self.said >= EVERY and self.done < self.total:
            self.said = time.monotonic()
            print(f"budgetlens: {self._line()}", file=self.err, flush=True)

    def say(self, line: str) -> None:
        """A line on stdout (through the bar when both are this terminal, so it is not torn)."""
        if self.bar is not None and self.out.isatty():
            self.bar.write(line, file=self.out)
        else:
            print(line, file=self.out, flush=True)

    def warn(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.err)
        else:
            print(line, file=self.err, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _pages_rate(self) -> float:
        seconds = time.monotonic() - self.started
        return self.pages / seconds if seconds > 0 else 0.0

    def _line(self) -> str:
        seconds = time.monotonic() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return (
            f"{self.done}/{self.total} documents, {self.failed} failed, {self.pages} pages "
            f"({rate:.2f} docs/s, {self._pages_rate():.1f} pages/s), ETA {_clock(eta)}"
        )


def _n(count: int, what: str) -> str:
    return f"{count} {what}{'s' * (count != 1)}"


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s // 60 % 60:02}m" if s >= 3600 else f"{s // 60}m{s % 60:02}s"
