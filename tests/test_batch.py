"""Many documents as a user runs them: names that never collide, an interrupted or killed batch that
carries on with no half set, a worker that dies failing only its document, the store holding exactly
what the files hold, and its export read back by Parquet and spreadsheet readers."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from budgetlens.cli import main
from budgetlens.output import read_result
from budgetlens.testing.copies import distinct_copy

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
JIANGHAN = EXAMPLES / "jianghan-2020-final.pdf"
WUCHANG = EXAMPLES / "wuchang-2025-budget.pdf"
SETS = (".facts.jsonl", ".findings.jsonl", ".json", ".narrative.jsonl")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def go(*argv: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        printed = capsys.readouterr()
        assert "Traceback" not in printed.err
        return code, printed.out, printed.err

    return go


def query(out: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(out / "budgetlens.sqlite")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def lines(path: Path) -> list[dict[str, object]]:
    """A .jsonl file's lines, parsed."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def sets(out: Path) -> dict[str, list[str]]:
    """stem → the output files it has (every file of the folder but the store accounted for)."""
    found: dict[str, list[str]] = {}
    for path in sorted(out.iterdir()):
        if path.name == "budgetlens.sqlite":
            continue
        suffix = next(s for s in SETS if path.name.endswith(s))  # anything else (a .tmp) fails here
        found.setdefault(path.name.removesuffix(suffix), []).append(suffix)
    return found


def whole(out: Path) -> set[str]:
    """The stems with whole sets, after asserting there is no other kind; the store agrees."""
    found = sets(out)
    assert all(sorted(s) == sorted(SETS) for s in found.values()), found
    stored = {str(s) for (s,) in query(out, "SELECT stem FROM documents")}
    assert stored == set(found)
    return set(found)


# ------------------------------------------------------------------------------------------ names


def test_same_names_are_kept_apart_within_and_across_runs(tmp_path: Path, run: Callable[..., tuple]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(JIANGHAN, tmp_path / "a" / "report.pdf")
    shutil.copy(WUCHANG, tmp_path / "b" / "report.pdf")
    out = tmp_path / "out"
    code, _, err = run("extract", tmp_path / "a" / "report.pdf", "-o", out, "-q")
    assert code == 0 and err == ""
    first = (out / "report.json").read_bytes()
    code, _, err = run("extract", tmp_path / "b" / "report.pdf", "-o", out, "-q")  # another run, same name
    stem = next(s for s in sets(out) if s != "report")
    assert code == 0 and err.strip() == (
        f"budgetlens: {tmp_path / 'b' / 'report.pdf'}: report.* holds another document "
        f"({tmp_path / 'a' / 'report.pdf'}): its outputs are {stem}.*"
    )
    assert (out / "report.json").read_bytes() == first and whole(out) == {"report", stem}
    rows = query(out, "SELECT stem, source, doc, sha256 FROM documents ORDER BY stem")
    assert [(s, src) for s, src, _, _ in rows] == [
        ("report", str(tmp_path / "a" / "report.pdf")),
        (stem, str(tmp_path / "b" / "report.pdf")),
    ]
    for s, _, doc, sha in rows:
        assert stem.endswith(str(sha)[:8]) or s == "report"
        facts = (out / f"{s}.facts.jsonl").read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["doc"] for line in facts} == {doc} == {str(sha)[:16]}
    code, _, err = run("extract", tmp_path / "a", tmp_path / "b", "-o", out, "-q")  # both again: done
    assert code == 0 and "2 documents already read into" in err and whole(out) == {"report", stem}


def test_the_same_content_is_read_once(tmp_path: Path, run: Callable[..., tuple]) -> None:
    shutil.copy(JIANGHAN, tmp_path / "one.pdf")
    shutil.copy(JIANGHAN, tmp_path / "two.pdf")
    code, out, err = run("extract", tmp_path / "one.pdf", tmp_path / "two.pdf", "-o", tmp_path / "out", "-q")
    assert code == 0
    assert (
        err.strip()
        == f"budgetlens: {tmp_path / 'two.pdf'}: the same document as {tmp_path / 'one.pdf'}: read once"
    )
    assert whole(tmp_path / "out") == {"one"} and out.splitlines()[-1].startswith("done: 1 document (1 read")


def test_a_quoted_pattern_is_expanded(tmp_path: Path, run: Callable[..., tuple]) -> None:
    _copies(tmp_path / "in" / "sub", 2)
    (tmp_path / "in" / "sub" / "notes.txt").write_text("not a pdf", encoding="utf-8")
    pattern = tmp_path / "in" / "**" / "d*.pdf"  # as a shell passes it when quoted
    code, _, err = run("extract", pattern, "-o", tmp_path / "out", "-q", "--jobs", "1")
    assert code == 0 and err == "" and whole(tmp_path / "out") == {"d00", "d01"}
    code, _, err = run("extract", tmp_path / "in" / "*.PDF", "-o", tmp_path / "out", "-q")
    assert code == 1 and err.strip().endswith(f"error: {tmp_path / 'in' / '*.PDF'}: no such file")


# ------------------------------------------------------------------------------------------ store


def test_a_store_that_is_not_one_is_said(tmp_path: Path, run: Callable[..., tuple]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "budgetlens.sqlite").write_bytes(b"not a database\n" * 100)
    code, _, err = run("extract", WUCHANG, "-o", out)
    assert code == 1 and err.strip() == (
        f"budgetlens: {out / 'budgetlens.sqlite'}: not a budgetlens store (file is not a database); "
        "remove it: the next run reads every document again"
    )
    assert sorted(p.name for p in out.iterdir()) == ["budgetlens.sqlite"]  # nothing read, nothing lost


def test_the_store_holds_what_the_files_hold(tmp_path: Path, run: Callable[..., tuple]) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run("extract", EXAMPLES, "-o", out, "-q", "--jobs", "2")
    assert code == 0 and stdout.splitlines()[-1].startswith(
        "done: 3 documents (3 read, 0 failed), 120 pages, "
    )
    for stem in whole(out):
        result = read_result(out / f"{stem}.json")
        doc = result.document.doc
        facts = lines(out / f"{stem}.facts.jsonl")
        stored = query(
            out,
            "SELECT doc, entity, table_name, row_key, column_key, value, unit, bound, page FROM facts "
            f"WHERE doc = '{doc}' ORDER BY n",
        )
        keys = ("doc", "entity", "table", "row", "column", "value", "unit", "bound", "page")
        assert stored == [tuple(f[k] for k in keys) for f in facts]  # values as text, exactly
        figures = lines(out / f"{stem}.narrative.jsonl")
        stored = query(
            out,
            "SELECT id, section, page, subject, kind, value, unit, linked_table, linked_row, prior "
            f"FROM narrative WHERE doc = '{doc}' ORDER BY n",
        )
        assert stored == [
            (f["id"], f["section"], f["page"], f["subject"], f["kind"], f["value"], f["unit"],
             (f["linked"] or {}).get("table"), (f["linked"] or {}).get("row"),
             f["prior"] and json.dumps(f["prior"], separators=(",", ":"), ensure_ascii=False))
            for f in figures
        ]  # fmt: skip
        assert result.summary.narrative_figures == len(figures)
        findings = lines(out / f"{stem}.findings.jsonl")
        assert sorted(query(out, f"SELECT id, severity FROM findings WHERE doc = '{doc}'")) == sorted(
            (f["id"], f["severity"]) for f in findings
        )
        cells = query(out, f"SELECT COUNT(*) FROM finding_cells WHERE doc = '{doc}'")[0][0]
        assert cells == sum(len(f["cells"]) for f in findings)
        (tables,) = query(out, f"SELECT COUNT(*) FROM tables WHERE doc = '{doc}'")[0]
        assert tables == result.summary.tables
    errors_on_basic = (
        "SELECT COUNT(*) FROM findings f JOIN finding_cells c ON c.doc = f.doc AND c.finding_id = f.id "
        "WHERE f.severity = 'error' AND c.table_name LIKE '%基本支出%'"
    )
    assert query(out, errors_on_basic)[0][0] > 0  # 表6's 人员经费合计 199.38


def test_check_and_review_bring_the_store_along(tmp_path: Path, run: Callable[..., tuple]) -> None:
    out = tmp_path / "out"
    shutil.copy(EXAMPLES / "jianghan-2020-final-retitled.pdf", tmp_path / "x.pdf")
    assert run("extract", tmp_path / "x.pdf", "-o", out, "-q")[0] == 0
    (doc,) = query(out, "SELECT doc FROM documents")[0]
    with sqlite3.connect(out / "budgetlens.sqlite") as db:
        db.execute("DELETE FROM findings")  # as if checked by an older budgetlens
    assert run("check", out / "x.json", "-q")[0] == 0
    said = lines(out / "x.findings.jsonl")
    assert query(out, "SELECT COUNT(*) FROM findings")[0][0] == len(said) > 0
    review = json.loads((EXAMPLES / "jianghan-2020-final-retitled.review.json").read_text(encoding="utf-8"))
    review["document_sha256"] = read_result(out / "x.json").document.sha256
    found = {f["id"] for f in said}
    decisions = [d for d in review["decisions"] if d["item"] in found]  # on findings this reading has
    assert len(decisions) >= 3
    (tmp_path / "r.json").write_text(json.dumps({**review, "decisions": decisions}), encoding="utf-8")
    code, _, err = run("review", out / "x.json", "--apply", tmp_path / "r.json")
    assert code == 0, err
    assert query(out, f"SELECT COUNT(*) FROM reviews WHERE doc = '{doc}'")[0][0] == len(decisions)


def test_export_is_read_by_csv_parquet_and_spreadsheet_readers(
    tmp_path: Path, run: Callable[..., tuple]
) -> None:
    # the export extra is part of the test extra: missing, this fails rather than skips
    import openpyxl
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    assert run("extract", WUCHANG, "-o", out, "-q")[0] == 0
    facts = (out / "wuchang-2025-budget.facts.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(facts[0])
    for fmt in ("csv", "parquet", "xlsx"):
        code, said, _ = run("export", out, "--format", fmt)
        assert code == 0 and said.count("wrote ") == (1 if fmt == "xlsx" else 9)
    with (out / "export" / "facts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert (
        len(rows) == len(facts) and rows[0]["value"] == first["value"] and rows[0]["row_key"] == first["row"]
    )
    table = pq.read_table(out / "export" / "facts.parquet")
    assert table.num_rows == len(facts) and str(table.schema.field("value").type) == "string"
    assert table.column("value")[0].as_py() == first["value"]
    figures = (out / "wuchang-2025-budget.narrative.jsonl").read_text(encoding="utf-8").splitlines()
    narrative = pq.read_table(out / "export" / "narrative.parquet")
    assert narrative.num_rows == len(figures) > 0
    assert narrative.column("sentence")[0].as_py() == json.loads(figures[0])["sentence"]
    book = openpyxl.load_workbook(out / "export" / "budgetlens.xlsx", read_only=True)
    sheet = book["facts"]
    header, top = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert sum(1 for _ in sheet.iter_rows()) == len(facts) + 1 and header[6] == "value"
    assert top[6] == float(first["value"]) and top[4] == first["row"]  # money a number, codes text
    tables = "documents sections tables facts narrative subjects findings finding_cells reviews"
    assert sorted(book.sheetnames) == sorted(tables.split())


# --------------------------------------------------------------------------- stopping and carrying on


def _copies(folder: Path, n: int) -> list[Path]:
    return [distinct_copy(JIANGHAN, folder / f"d{i:02}.pdf", i) for i in range(n)]


def _batch(tmp_path: Path, n: int) -> tuple[Path, list[str], subprocess.Popen[str]]:
    """n distinct documents being read in two workers: the output folder, the arguments (to run
    again), the process."""
    _copies(tmp_path / "in", n)
    args = ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--jobs", "2"]
    return tmp_path / "out", args, _started(args)


def _started(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "budgetlens", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: Ctrl-C at a terminal reaches all of it
    )


def _until(proc: subprocess.Popen[str], ready: Callable[[], bool], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not ready():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _gone(pgid: int) -> bool:
    """No process of the group is left (workers included)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_ctrl_c_stops_cleanly_and_the_next_run_carries_on(tmp_path: Path) -> None:
    out, args, proc = _batch(tmp_path, 10)
    _until(proc, lambda: len(list(out.glob("*.json"))) >= 3)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group gets it
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and _gone(proc.pid)
    kept = whole(out)
    assert stderr.strip() == (
        f"budgetlens: interrupted; every output is written whole or not at all; {len(kept)} documents done "
        "and kept: the same command carries on from there"
    )
    assert 3 <= len(kept) < 10
    times = {s: (out / f"{s}.json").stat().st_mtime_ns for s in kept}
    again = subprocess.run([sys.executable, "-m", "budgetlens", *args], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"budgetlens: {len(kept)} documents already read into {out}" in again.stderr
    read = [line.split()[1].removesuffix(".pdf:") for line in again.stdout.splitlines()[:-1]]
    assert sorted(read) == sorted({f"d{i:02}" for i in range(10)} - kept)  # only what was left
    assert whole(out) == {f"d{i:02}" for i in range(10)}
    assert {s: (out / f"{s}.json").stat().st_mtime_ns for s in kept} == times  # kept, not rewritten


def test_a_killed_run_leaves_whole_sets_and_resumes(tmp_path: Path) -> None:
    out, args, proc = _batch(tmp_path, 8)
    _until(proc, lambda: len(list(out.glob("*.json"))) >= 2)
    proc.kill()  # SIGKILL: no cleanup at all, whatever it was doing
    proc.communicate(timeout=60)
    assert _gone(proc.pid)  # its workers end with it
    left = [p.name for p in out.iterdir()]  # whole sets; a temporary, the store's journal (-wal)
    assert all(n.endswith((*SETS, ".tmp", ".sqlite", "-wal", "-shm")) for n in left), left
    kept = {n.removesuffix(".json") for n in left if n.endswith(".json")}
    assert all(f"{s}{x}" in left for s in kept for x in SETS)
    again = subprocess.run([sys.executable, "-m", "budgetlens", *args], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert whole(out) == {f"d{i:02}" for i in range(8)} and kept
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", "-wal", "-shm"))]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through Linux's /proc")
def test_a_worker_that_dies_fails_only_its_document(tmp_path: Path) -> None:
    out, args, proc = _batch(tmp_path, 6)
    workers: list[int] = []

    def two_workers() -> bool:
        workers[:] = [p for p in _children(proc.pid) if b"spawn_main" in _cmdline(p)]
        busy = len(workers) == 2 and all(_cpu_seconds(p) >= 0.3 for p in workers)
        return busy and not list(out.glob("*.json"))

    # both busy: each was given a document as it started, and has run long enough that the parent,
    # on a loaded machine too, has sent it (a worker killed before that is replaced: no failure)
    _until(proc, two_workers)
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's OOM killer, or MuPDF crashing, would
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    (failed,) = stderr.strip().splitlines()
    assert failed.endswith(
        "error: the worker reading it stopped (killed by SIGKILL): the file may crash MuPDF, or memory "
        "ran out; the other documents go on"
    )
    assert len(whole(out)) == 5 and stdout.splitlines()[-1].startswith("done: 6 documents (5 read, 1 failed)")
    again = subprocess.run([sys.executable, "-m", "budgetlens", *args], capture_output=True, text=True)
    assert again.returncode == 0 and len(whole(out)) == 6


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in text.read_text().split()]
    except OSError:
        return []


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# ------------------------------------------------------------------------------------ resumes


def test_a_new_version_or_other_settings_read_again(
    tmp_path: Path, run: Callable[..., tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run("extract", WUCHANG, "-o", out, "-q")[0] == 0
    code, said, err = run("extract", WUCHANG, "-o", out, "-q")
    assert code == 0 and "1 document already read" in err and said == ""  # one document: no tally
    assert run("extract", WUCHANG, "-o", out, "-q", "--force")[1].startswith("[1/1]")
    import budgetlens.batch.plan

    monkeypatch.setattr(budgetlens.batch.plan, "__version__", "9.9.9")  # what the store recorded differs
    assert run("extract", WUCHANG, "-o", out, "-q")[1].startswith("[1/1]")


def test_plain_progress_lines_when_not_a_terminal(
    tmp_path: Path, run: Callable[..., tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    import budgetlens.batch.progress

    monkeypatch.setattr(budgetlens.batch.progress, "EVERY", 0.0)  # a line after every document
    _copies(tmp_path / "in", 3)
    code, _, err = run("extract", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")
    assert code == 0
    lines = err.strip().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "budgetlens: 1/3 documents",
        "budgetlens: 2/3 documents",
    ]
    assert all("pages/s" in line and "ETA" in line for line in lines)


def test_a_bar_on_a_terminal(tmp_path: Path) -> None:
    import pexpect

    _copies(tmp_path / "in", 2)
    term = pexpect.spawn(
        sys.executable,
        ["-m", "budgetlens", "extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "1"],
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=120,
    )
    term.expect(
        r"100%\|[^|]*\| 2/2 \[[0-9:]+<00:00, +[0-9.]+(s/doc|doc/s), 74 pages, [0-9.]+ pages/s, 0 failed\]"
    )
    term.expect("done: 2 documents")
    term.expect(pexpect.EOF)
    term.close()
    assert term.exitstatus == 0


@pytest.fixture(autouse=True)
def _no_stray_processes() -> Iterator[None]:
    yield
    import multiprocessing

    assert not multiprocessing.active_children()


def test_one_document_has_the_jobs_for_its_ocr_pages(
    tmp_path: Path, run: Callable[..., tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--jobs is the processes a run may use: a single document is read in this process with its
    OCR pages --jobs at a time (worker processes, being daemons, read theirs one after another)."""
    import budgetlens.pipeline

    asked: list[int] = []
    read = budgetlens.pipeline.read_document

    def reading(*args: object, jobs: int = 1, **kwargs: object) -> object:
        asked.append(jobs)
        return read(*args, jobs=jobs, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(budgetlens.pipeline, "read_document", reading)
    assert run("extract", WUCHANG, "-o", tmp_path / "a", "-q", "--jobs", "3")[0] == 0
    assert run("extract", WUCHANG, "-o", tmp_path / "b", "-q", "--jobs", "1")[0] == 0
    assert asked == [3, 1]
