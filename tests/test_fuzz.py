"""Fuzzing: damaged copies of real PDFs (the bundled examples, rendered from real documents) and of
result and review files, and a few hostile PDFs. Whatever the damage, the command line says it in
one line and a non-zero exit, or reads what it can: never a traceback, never an internal error,
never a half-written output. Seeded and bounded in time and memory; the counts are printed (-s)."""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from budgetlens.testing.fuzz import mutate_json, mutate_pdf, run
from budgetlens.testing.hostile import HOSTILE

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SEED = 16
PDF_VARIANTS = 320
JSON_VARIANTS = 200
BATCHES = 4  # worker processes, two at a time
BATCH_SECONDS = 90  # a batch taking longer is a hang: the test names the file it was on
MEMORY = 3 << 30  # address space of a worker (PyMuPDF alone maps ~0.5 GiB)
CASE_SECONDS = 10.0


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def small_pdfs(folder: Path) -> list[Path]:
    """Pages of the two examples holding every kind of part: cover, tables (two-sided, coded,
    side-by-side), narrative; a few pages each, so hundreds of variants read in seconds."""
    out = []
    for name, pages in (("jianghan-2020-final", [0, 4, 17, 24]), ("wuchang-2025-budget", [0, 3, 11, 43])):
        doc = pymupdf.open(EXAMPLES / f"{name}.pdf")
        doc.select(pages)
        path = folder / f"{name}-part.pdf"
        doc.save(path, garbage=3, deflate=True)
        out.append(path)
    return out


def mutants(bases: list[Path], folder: Path) -> dict[str, str]:
    rng = random.Random(SEED)
    kinds: dict[str, str] = {}
    for n in range(PDF_VARIANTS):
        base = bases[n % len(bases)]
        kind, data = mutate_pdf(base.read_bytes(), rng)
        path = folder / f"v{n:03}-{kind}.pdf"
        path.write_bytes(data)
        kinds[str(path)] = kind
    return kinds


def run_batch(files: list[str], out: Path) -> list[dict[str, Any]]:
    argv = [sys.executable, "-m", "budgetlens.testing.fuzz", str(out), *files]
    # A deleted font leaves pages without usable text, which OCR would read (seconds a page, and
    # right to): here, where the damage and not the reading is tried, such pages are said unread.
    env = {**os.environ, "TESSDATA_PREFIX": str(out / "no-tessdata")}
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=BATCH_SECONDS, preexec_fn=_limit_memory, env=env
        )
        lines, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as exc:
        lines, code = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or "", "timeout"
    records = [json.loads(line) for line in lines.splitlines()]
    started = [r["start"] for r in records if "start" in r]
    finished = [r for r in records if "file" in r]
    assert code == 0 and len(finished) == len(files), f"worker {code} on {started[-1] if started else '?'}"
    return finished


def test_damaged_pdfs_fail_in_one_line_or_read(tmp_path: Path) -> None:
    bases = small_pdfs(tmp_path)
    for base in bases:  # whole, each is read with nothing left unread
        assert run(["extract", str(base), "-o", str(tmp_path / "bases"), "-q"])["code"] == 0
        assert not _unread(tmp_path / "bases", str(base))
    variants = tmp_path / "variants"
    variants.mkdir()
    kinds = mutants(bases, variants)
    files = sorted(kinds)
    batches = [files[i::BATCHES] for i in range(BATCHES)]
    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        outs = [tmp_path / f"out{i}" for i in range(BATCHES)]
        records = [r for rs in pool.map(run_batch, batches, outs) for r in rs]
    wall = time.perf_counter() - started

    messages: Counter[str] = Counter()
    for r in records:
        name, stem = Path(r["file"]).name, Path(r["file"]).stem
        out = tmp_path / f"out{batches_of(batches, r['file'])}"
        left = sorted(p.name for p in out.glob(f"{stem}.*")) + sorted(p.name for p in out.glob(f".{stem}*"))
        assert r["code"] != "raised" and "Traceback" not in r["err"] and "internal error" not in r["err"], r
        if r["code"] == 0:
            assert left == [
                f"{stem}.{s}" for s in ("facts.jsonl", "findings.jsonl", "json", "narrative.jsonl")
            ], r
            assert r["out"].count("\n") == 1 and name in r["out"], r
        else:
            assert r["code"] == 1 and r["err"].count("\n") == 1 and name in r["err"], r
            assert left == [], r
            messages[r["err"].split(": error: ", 1)[1].replace(name, "FILE").strip()] += 1
        assert r["seconds"] < CASE_SECONDS, r
    slowest = max(records, key=lambda r: r["seconds"])
    readable = [r for r in records if r["code"] == 0]
    said = Counter(
        c for r in readable for c in _unread(tmp_path / f"out{batches_of(batches, r['file'])}", r["file"])
    )
    kinds_said = Counter(m.split(" (")[0] for m in messages.elements())
    print(
        f"\nfuzz: {len(records)} PDF variants ({dict(Counter(kinds.values()))}), {len(readable)} read, "
        f"{len(records) - len(readable)} refused in {len(messages)} distinct messages "
        f"({len(kinds_said)} kinds), 0 tracebacks; slowest {slowest['seconds']} s "
        f"({Path(slowest['file']).name}); {wall:.1f} s in all; said unread by those read: {dict(said)}"
    )
    for message, n in messages.most_common():
        print(f"  {n:4} × {message}")
    assert len(records) == PDF_VARIANTS >= 300
    assert readable and messages  # both outcomes were met: the damage was neither all nor nothing


def _unread(out: Path, file: str) -> set[str]:
    lines = (out / f"{Path(file).stem}.findings.jsonl").read_text(encoding="utf-8").splitlines()
    return {f["check"] for f in map(json.loads, lines) if f["check"].startswith("unread.")}


def batches_of(batches: list[list[str]], file: str) -> int:
    return next(i for i, b in enumerate(batches) if file in b)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small result, and a review of it holding every kind of decision (a correction too)."""
    folder = tmp_path_factory.mktemp("saved")
    pdf = small_pdfs(folder)[0]
    assert run(["extract", str(pdf), "-o", str(folder), "-q"])["code"] == 0
    result = folder / f"{pdf.stem}.json"
    data = json.loads(result.read_text(encoding="utf-8"))
    finding = next(f for f in data["findings"] if f["severity"] != "info" and f["cells"])
    from budgetlens.check.findings import Finding

    item = Finding.model_validate(finding).id
    cell = next(c for c in finding["cells"] if "table" in c)
    key = {k: cell[k] for k in ("entity", "table", "row", "column", "page")}
    decisions = [
        {"item": item, "action": "correct", "cell": key, "value": "1.00"},
        {"item": item, "action": "accept"},
        {"item": item, "action": "skip", "note": "later"},
    ]
    review = folder / "saved.review.json"
    review.write_text(json.dumps({"document_sha256": data["document"]["sha256"], "decisions": decisions}))
    assert run(["review", str(result), "--apply", str(review)])["code"] == 0  # whole, it applies
    return result, review


def test_damaged_results_and_reviews_fail_in_one_line(saved: tuple[Path, Path], tmp_path: Path) -> None:
    result, review = saved
    rng = random.Random(SEED)
    documents = {"result": json.loads(result.read_text(encoding="utf-8"))}
    documents["review"] = json.loads(review.read_text(encoding="utf-8"))
    messages: Counter[str] = Counter()
    refused = 0
    slowest = (0.0, "")
    for n in range(JSON_VARIANTS):
        what = "result" if n % 2 else "review"
        how, data = mutate_json(documents[what], rng)
        path = tmp_path / f"{what}{n:03}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        commands = (
            [["check", str(path), "--no-write", "-q"], ["report", str(path), "-o", str(tmp_path / "r.html")]]
            if what == "result"
            else [["review", str(result), "--apply", str(path)]]
        )
        codes = []
        for argv in commands:
            r = run(argv)
            assert r["code"] != "raised" and "Traceback" not in r["err"], (how, r)
            assert "internal error" not in r["err"], (how, r)
            if r["code"] != 0:
                assert r["code"] == 1 and r["err"].count("\n") == 1, (how, r)
                messages[r["err"].replace(str(path), "FILE").replace(str(result), "RESULT").strip()] += 1
            codes.append(r["code"])
            slowest = max(slowest, (r["seconds"], f"{argv[0]} after {how}"))
        assert len(set(codes)) == 1, (how, codes)  # check and report agree on whether it can be read
        refused += codes[0] != 0
    print(
        f"\nfuzz: {JSON_VARIANTS} result/review variants, {refused} refused in {len(messages)} distinct "
        f"messages, {JSON_VARIANTS - refused} still valid and used; 0 tracebacks; "
        f"slowest {slowest[0]} s ({slowest[1]})"
    )
    assert 0 < refused < JSON_VARIANTS


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pdfs_finish_within_bounds(name: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(HOSTILE[name]())
    argv = [sys.executable, "-m", "budgetlens", "extract", str(pdf), "-o", str(tmp_path / "out"), "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB; the largest child so far
    print(f"\n{name}: exit {done.returncode} in {seconds:.1f} s, peak ≤ {max(peak, before) >> 10} MiB: "
          f"{(done.stderr or done.stdout).strip()}")  # fmt: skip
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert seconds < 30 and peak < 1_500_000
    if done.returncode:
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and pdf.name in done.stderr
    else:
        findings = (tmp_path / "out" / f"{name}.findings.jsonl").read_text(encoding="utf-8")
        assert name != "decompression-bomb" or '"unread.pages"' in findings
