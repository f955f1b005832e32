"""Benchmark a batch: N distinct documents (copies of the corpus and the bundled examples, each made
distinct by a comment after its end) read with --jobs 1, --jobs 2, resumed after a kill half way,
and on a local Ray instance.

    python scripts/bench_batch.py                 # 200 documents (about 15 minutes on 2 cores)
    python scripts/bench_batch.py --docs 40 --no-ray

Prints a table and writes out/bench-batch.json. Peak memory is the largest sum of the resident
memory of budgetlens and its workers, sampled every 0.1 s from /proc (Linux); CPU seconds are those
of budgetlens and the workers it reaped (not of Ray's processes, nor of a killed run's workers).
The kill comes once the documents written hold half the pages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def sources(corpus: Path) -> list[Path]:
    found = sorted(corpus.glob("*.pdf")) + sorted(corpus.glob("wild/*.pdf")) if corpus.is_dir() else []
    return found + sorted((REPO / "examples").glob("*.pdf"))


def make_set(folder: Path, n: int, corpus: Path) -> dict[str, int]:
    """n distinct PDFs in `folder`; → their stems and pages."""
    import pymupdf

    from budgetlens.testing.copies import distinct_copy

    pool = sources(corpus)
    pages = {p: pymupdf.open(p).page_count for p in pool}
    made = {}
    for i in range(n):
        source = pool[i % len(pool)]
        made[distinct_copy(source, folder / f"{i:03}-{source.name}", i).stem] = pages[source]
    return made


def big_document(folder: Path, corpus: Path, pages: int = 600) -> tuple[Path, int]:
    """One PDF of at least `pages` pages: the longest sources, end to end."""
    import pymupdf

    out = pymupdf.open()
    for path in sorted(sources(corpus), key=lambda p: -pymupdf.open(p).page_count):
        out.insert_pdf(pymupdf.open(path))
        if out.page_count >= pages:
            break
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"big-{out.page_count}-pages.pdf"
    out.save(target, garbage=3, deflate=True)
    return target, out.page_count


class Peak:
    """The largest total resident memory of a process and its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        self.pid, self.bytes, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.stop.wait(0.1):
            total = sum(_rss(p) for p in _tree(self.pid)) * page
            self.bytes = max(self.bytes, total)

    def done(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.bytes


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def run(folder: Path, out: Path, *flags: str, kill_after: dict[str, int] | None = None) -> dict[str, float]:
    """One extract run; with `kill_after` (stem → pages), SIGKILL it once the documents written hold
    half the pages: half the work, whatever order the documents are read in."""
    argv = [sys.executable, "-m", "budgetlens", "extract", str(folder), "-o", str(out), "-q", *flags]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = Peak(proc.pid)
    if kill_after is not None:
        half = sum(kill_after.values()) / 2
        while sum(kill_after.get(p.stem, 0) for p in out.glob("*.json")) < half and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    stdout, _ = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # budgetlens and the workers it waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return {"seconds": round(seconds, 1), "cpu_s": round(cpu, 1), "peak_mib": round(peak.done() / 2**20),
            "code": proc.returncode, "summary": last}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDFs (and wild/)")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray engine")
    parser.add_argument("--only-big", action="store_true", help="only the memory of one 600-page document")
    parser.add_argument(
        "--work", type=Path, help="where the set and the outputs go (default: a temporary folder)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = args.work or Path(tmp)
        big, big_pages = big_document(work / "big", args.corpus)
        print(
            f"one document of {big_pages} pages: {run(big.parent, work / 'out-big', '--jobs', '1')}",
            flush=True,
        )
        if args.only_big:
            return 0
        docs = make_set(work / "in", args.docs, args.corpus)
        pages = sum(docs.values())
        print(f"{len(docs)} documents, {pages} pages, from {len(sources(args.corpus))} PDFs", flush=True)
        rows: dict[str, dict[str, float]] = {}
        rows["jobs 1"] = run(work / "in", work / "out1", "--jobs", "1")
        rows["jobs 2"] = run(work / "in", work / "out2", "--jobs", "2")
        rows["killed at half"] = run(work / "in", work / "out3", "--jobs", "2", kill_after=docs)
        kept = [p.stem for p in (work / "out3").glob("*.json")]
        rows["resumed"] = run(work / "in", work / "out3", "--jobs", "2")
        rows["resumed"]["kept"] = len(kept)
        rows["resumed"]["kept_pages"] = sum(docs[k] for k in kept)
        if not args.no_ray:
            rows["ray, 2 CPUs"] = run(work / "in", work / "out4", "--jobs", "2", "--engine", "ray")
    for name, row in rows.items():
        if name in ("jobs 1", "jobs 2", "ray, 2 CPUs"):  # runs that read the whole set
            row["docs_per_s"] = round(len(docs) / row["seconds"], 2)
            row["pages_per_s"] = round(pages / row["seconds"], 1)
    rows["jobs 2"]["speedup"] = round(rows["jobs 1"]["seconds"] / rows["jobs 2"]["seconds"], 2)
    rows["resumed"]["of_full_run"] = round(rows["resumed"]["seconds"] / rows["jobs 2"]["seconds"], 2)
    _table(rows)
    report = {
        "documents": len(docs),
        "pages": pages,
        "cores": os.cpu_count(),
        "load": os.getloadavg(),
        "runs": rows,
    }
    out = REPO / "out" / "bench-batch.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _table(rows: dict[str, dict[str, float]]) -> None:
    print(f"{'run':16} {'seconds':>8} {'CPU s':>7} {'docs/s':>7} {'pages/s':>8} {'peak MiB':>9}  notes")
    for name, r in rows.items():
        notes = []
        if "speedup" in r:
            notes.append(f"speed-up {r['speedup']}x over jobs 1")
        if "kept" in r:
            notes.append(
                f"{r['kept']} documents ({r['kept_pages']} pages) kept from the killed run; "
                f"{r['of_full_run']} of a full jobs-2 run"
            )
        print(
            f"{name:16} {r['seconds']:>8} {r['cpu_s']:>7} {r.get('docs_per_s', ''):>7} "
            f"{r.get('pages_per_s', ''):>8} {r['peak_mib']:>9}  {'; '.join(notes)}"
        )


if __name__ == "__main__":
    sys.exit(main())
