"""Bad inputs and faults as a new user and a tester meet them: never a clean-looking result that read
nothing, never a traceback. Each case asserts the exit status, the one-line message and the files
left behind. The PDFs are the bundled example (rendered by the fixture generator) and PDFs PyMuPDF
makes here."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest

from budgetlens.cli import main
from budgetlens.output import read_result
from budgetlens.result import Result

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "jianghan-2020-final.pdf"
BASIC = "一般公共预算财政拨款基本支出决算表"
OUTPUTS = [".facts.jsonl", ".findings.jsonl", ".json", ".narrative.jsonl"]


class Ran:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def message(self) -> str:
        """The one line a failure is said in."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    def go(*argv: object) -> Ran:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        printed = capsys.readouterr()
        assert "Traceback" not in printed.err
        return Ran(code, printed.out, printed.err)

    return go


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def outputs(stem: str) -> list[str]:
    return sorted(stem + s for s in OUTPUTS)


@pytest.fixture
def extracted(tmp_path: Path, run: Callable[..., Ran]) -> Path:
    out = tmp_path / "out"
    assert run("extract", EXAMPLE, "-o", out, "-q").code == 0
    return out / "jianghan-2020-final.json"


# ------------------------------------------------------------------------ what was not read is said


def image_only_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 300, 400), False)
    pix.clear_with(180)
    for _ in range(2):
        doc.new_page().insert_image(pymupdf.Rect(50, 50, 545, 792), pixmap=pix)
    doc.save(path)
    return path


def blank_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page()
    doc.save(path)
    return path


def warnings_of(result: Path) -> list[dict[str, object]]:
    lines = result.with_name(result.name.replace(".json", ".findings.jsonl")).read_text(encoding="utf-8")
    return [f for f in map(json.loads, lines.splitlines()) if f["severity"] == "warning"]


def test_an_image_only_pdf_is_not_clean(tmp_path: Path, run: Callable[..., Ran]) -> None:
    pdf = image_only_pdf(tmp_path / "scan.pdf")
    ran = run("extract", pdf, "-o", tmp_path / "out")
    assert ran.code == 0 and ran.err == ""  # read and said: the summary is on stdout
    assert "0 errors, 2 warnings" in ran.out and "NOT ALL READ" in ran.out
    assert "not read — pages 1–2: no text layer" in ran.out
    result = tmp_path / "out" / "scan.json"
    checks = {(f["check"], f["source"]) for f in warnings_of(result)}
    assert checks == {("unread.pages", "extraction"), ("unread.document", "extraction")}
    assert run("check", result, "--fail-on", "warning").code == 3
    assert run("extract", pdf, "-o", tmp_path / "out", "--fail-on", "warning").code == 3
    assert run("report", result, "-o", tmp_path / "scan.html").code == 0
    html = (tmp_path / "scan.html").read_text(encoding="utf-8")
    assert "<h2>Not read</h2>" in html and "no text layer" in html


def test_a_blank_page_is_not_clean(tmp_path: Path, run: Callable[..., Ran]) -> None:
    ran = run("extract", blank_pdf(tmp_path / "blank.pdf"), "-o", tmp_path / "out")
    assert ran.code == 0 and "0 errors, 1 warnings, 1 info" in ran.out
    assert "nothing was read from this document" in ran.out
    assert run("check", tmp_path / "out" / "blank.json", "--fail-on", "warning").code == 3
    assert names(tmp_path / "out") == outputs("blank")


def test_a_repaired_pdf_says_so(tmp_path: Path, run: Callable[..., Ran]) -> None:
    data = EXAMPLE.read_bytes()
    mid = len(data) // 2
    pdf = tmp_path / "zeroed.pdf"
    pdf.write_bytes(data[:mid] + bytes(20_000) + data[mid + 20_000 :])  # 20 KB zeroed mid-file
    ran = run("extract", pdf, "-o", tmp_path / "out")
    assert ran.code == 0 and "NOT ALL READ" in ran.out
    assert "not read — the file is damaged: MuPDF had to repair it" in ran.out
    checks = {f["check"] for f in warnings_of(tmp_path / "out" / "zeroed.json")}
    assert {"unread.repaired", "unread.pages"} <= checks  # pages whose content was lost are said too
    assert run("check", tmp_path / "out" / "zeroed.json", "--fail-on", "warning").code == 3


def test_an_unreachable_model_is_not_reported_as_no_model(tmp_path: Path) -> None:
    from budgetlens.llm.client import Model
    from budgetlens.llm.config import Endpoint
    from budgetlens.pipeline import read_document
    from budgetlens.summary import summary_line

    with socket.socket() as s:  # a port nothing listens on: connections are refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = Endpoint(model="x", base_url=f"http://127.0.0.1:{port}/v1", http_retries=0, cache=None)
    result = read_document(EXAMPLE, Model(endpoint))
    line = summary_line(result)
    assert "no model configured" not in line and "the model could not be reached" in line
    unread = next(f for f in result.findings if f.check == "unread.model")
    assert unread.severity == "warning" and unread.source == "extraction"
    assert result.summary.model_unanswered == 4 and "Connection" in (result.summary.model_error or "")


def test_bytes_after_the_end_are_no_damage(tmp_path: Path, run: Callable[..., Ran]) -> None:
    plain = read_result(Path(run_extract(run, EXAMPLE, tmp_path / "plain")))
    for name, padding in (("spaces", b" " * 4096), ("nuls", bytes(4096))):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(EXAMPLE.read_bytes() + padding)
        padded = read_result(Path(run_extract(run, pdf, tmp_path / name)))
        assert [f.contract("") for f in padded.facts] == [f.contract("") for f in plain.facts]
        assert padded.document.repaired is None


def run_extract(run: Callable[..., Ran], pdf: Path, out: Path) -> str:
    ran = run("extract", pdf, "-o", out, "-q")
    assert ran.code == 0, ran.err
    return str(out / f"{pdf.stem}.json")


# --------------------------------------------------------------------------- where outputs cannot go


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[list[Path]], Path]]:
    """A folder (holding copies of the given files) that cannot be written to: a read-only tmpfs
    mount when running as root (root ignores permissions), else a folder without write permission."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted: list[Path] = []

    def make(files: list[Path]) -> Path:
        if os.geteuid() == 0:
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder]).returncode:
                pytest.skip("root without the right to mount: no way to make a read-only folder here")
            mounted.append(folder)
        for f in files:
            shutil.copy(f, folder / f.name)
        if os.geteuid() == 0:
            subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
        else:
            folder.chmod(0o555)
        return folder

    yield make
    if mounted:
        subprocess.run(["umount", folder], check=True)
    folder.chmod(0o755)


def test_an_output_folder_that_is_a_file(tmp_path: Path, run: Callable[..., Ran], extracted: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("mine", encoding="utf-8")
    for argv in (
        ["extract", EXAMPLE, "-o", blocker],
        ["extract", EXAMPLE, "-o", blocker / "sub"],
        ["check", extracted, "--out", blocker],
        ["report", extracted, "-o", blocker / "r.html"],
        ["schemas", "-o", blocker],
    ):
        ran = run(*argv)
        assert ran.code == 1 and str(blocker) in ran.message, argv
        assert "choose another" in ran.message or "--out" in ran.message
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_a_read_only_output_folder(
    tmp_path: Path, run: Callable[..., Ran], extracted: Path, read_only: Callable[[list[Path]], Path]
) -> None:
    folder = read_only([])
    for argv in (
        ["extract", EXAMPLE, EXAMPLE.with_name("wuchang-2025-budget.pdf"), "-o", folder],
        ["report", extracted, "-o", folder / "r.html"],
        ["schemas", "-o", folder],
        ["check", extracted, "--out", folder],
    ):
        ran = run(*argv)
        assert ran.code == 1 and f"{folder}: cannot write there" in ran.message, argv
    assert names(folder) == []


def test_check_and_review_on_read_only_results(
    tmp_path: Path, run: Callable[..., Ran], extracted: Path, read_only: Callable[[list[Path]], Path]
) -> None:
    folder = read_only(sorted(extracted.parent.iterdir()))
    result = folder / extracted.name
    ran = run("check", result)
    assert ran.code == 1 and "--out DIR" in ran.message and "--no-write" in ran.message
    ran = run("check", result, "--no-write", "-q")
    assert ran.code == 0 and ran.out.startswith("jianghan-2020-final.json: 2 errors")
    ran = run("check", result, "--out", tmp_path / "rechecked", "-q")
    assert ran.code == 0 and names(tmp_path / "rechecked") == outputs("jianghan-2020-final")
    review = tmp_path / "r.review.json"
    review.write_text(json.dumps({"document_sha256": read_result(result).document.sha256}), encoding="utf-8")
    ran = run("review", result, "--apply", review)
    assert ran.code == 1 and "cannot write there" in ran.message
    assert names(folder) == outputs("jianghan-2020-final")


# ------------------------------------------------------------------- results and review files checked


def corrupted(extracted: Path, change: Callable[[dict[str, object]], None], name: str) -> Path:
    data = json.loads(extracted.read_text(encoding="utf-8"))
    change(data)
    path = extracted.with_name(name)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["abc", "NaN", "1e999"])
def test_a_fact_that_is_not_a_number(
    tmp_path: Path, run: Callable[..., Ran], extracted: Path, value: str
) -> None:
    def spoil(data: dict[str, object]) -> None:
        data["facts"][3]["value"] = value  # type: ignore[index]

    bad = corrupted(extracted, spoil, "bad.json")
    ran = run("check", bad, extracted, "-q")  # the later file is still checked
    assert ran.code == 1 and ran.message.startswith(f"budgetlens: {bad}: facts[3] (")
    assert f"value {value!r} is not a number" in ran.message
    assert ran.out.startswith("jianghan-2020-final.json: 2 errors")
    shipped = REPO / "examples" / "jianghan-2020-final-retitled.review.json"
    for argv in (["review", bad, "--apply", shipped], ["report", bad, "-o", tmp_path / "bad.html"]):
        ran = run(*argv)
        assert ran.code == 1 and "facts[3]" in ran.message and "is not a number" in ran.message
    assert not (tmp_path / "bad.html").exists() and not bad.with_name("bad.reviewed.json").exists()


def test_a_corrupt_result_or_review_file_names_the_field(
    tmp_path: Path, run: Callable[..., Ran], extracted: Path
) -> None:
    def no_page(data: dict[str, object]) -> None:
        del data["facts"][2]["page"]  # type: ignore[index]

    ran = run("check", corrupted(extracted, no_page, "nopage.json"))
    assert ran.code == 1
    assert ran.message.endswith("facts[2].page: Field required; re-create it with `budgetlens extract`")
    cut = extracted.with_name("cut.json")
    cut.write_text(extracted.read_text(encoding="utf-8")[:4000], encoding="utf-8")
    assert "Invalid JSON: EOF while parsing" in run("report", cut).message
    sha = read_result(extracted).document.sha256
    review = tmp_path / "x.review.json"
    review.write_text(json.dumps({"document_sha256": sha, "decisions": [{"item": "a", "action": "maybe"}]}))
    ran = run("review", extracted, "--apply", review)
    assert ran.code == 1 and "decisions[0].action: Input should be 'accept'" in ran.message
    assert "(found 'maybe')" in ran.message


def test_apply_a_review_that_does_not_exist(tmp_path: Path, run: Callable[..., Ran], extracted: Path) -> None:
    ran = run("review", extracted, "--apply", tmp_path / "nowhere.review.json")
    assert ran.code == 1 and ran.message == f"budgetlens: {tmp_path / 'nowhere.review.json'}: no such file"
    assert names(extracted.parent) == outputs("jianghan-2020-final")


def review_file(path: Path, result: Result, decisions: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"document_sha256": result.document.sha256, "decisions": decisions}))
    return path


def total_correction(result: Result, value: str) -> dict[str, object]:
    """A correction of 表6's 人员经费合计 (printed 199.38, its parts give 199.36)."""
    fact = next(f for f in result.facts if f.table == BASIC and f.row == "人员经费合计")
    item = next(f.id for f in result.findings if f.check == "sum.rows" and f.actual == "199.38")
    cell = {
        "entity": fact.entity,
        "table": fact.table,
        "row": fact.row,
        "column": fact.column,
        "page": fact.page,
    }
    return {"item": item, "action": "correct", "cell": cell, "value": value}


def test_a_decision_for_an_unknown_item(tmp_path: Path, run: Callable[..., Ran], extracted: Path) -> None:
    base = read_result(extracted)
    review = review_file(tmp_path / "r.json", base, [{"item": "sum.rows:0123456789", "action": "accept"}])
    ran = run("review", extracted, "--apply", review)
    assert ran.code == 1 and "decisions[0]: sum.rows:0123456789 is not in this result" in ran.message
    assert "a correction resolved it" not in ran.err
    assert names(extracted.parent) == outputs("jianghan-2020-final")


def test_a_correction_that_does_not_parse_leaves_nothing_stale(
    tmp_path: Path, run: Callable[..., Ran], extracted: Path
) -> None:
    base = read_result(extracted)
    good = review_file(tmp_path / "good.json", base, [total_correction(base, "199.36")])
    assert run("review", extracted, "--apply", good).code == 0
    assert extracted.with_name("jianghan-2020-final.reviewed.json").is_file()
    for value, why in (("19g.36", "is not a number"), ("199.36元", "is in 元, but the cell is in 万元")):
        bad = review_file(tmp_path / "bad.json", base, [total_correction(base, value)])
        ran = run("review", extracted, "--apply", bad)
        assert ran.code == 1 and why in ran.message and "decisions[0]" in ran.message
        assert names(extracted.parent) == outputs("jianghan-2020-final")  # the stale reviewed files gone
        assert run("review", extracted, "--apply", good).code == 0


def test_full_width_digits_are_normalised(tmp_path: Path, run: Callable[..., Ran], extracted: Path) -> None:
    base = read_result(extracted)
    for typed in ("１９９．３６", "199.36万元", " 199.36 "):
        review = review_file(tmp_path / "r.json", base, [total_correction(base, typed)])
        assert run("review", extracted, "--apply", review).code == 0
        facts = extracted.with_name("jianghan-2020-final.reviewed.facts.jsonl").read_text(encoding="utf-8")
        total = next(f for f in map(json.loads, facts.splitlines()) if f["row"] == "人员经费合计")
        assert total["value"] == "199.36"


def test_findings_without_cells_have_their_own_ids(tmp_path: Path, run: Callable[..., Ran]) -> None:
    """The example with its tables cut out: each missing table is a finding of its own, decided alone."""
    doc = pymupdf.open(EXAMPLE)
    doc.select(
        [n for n in range(doc.page_count) if n + 1 not in (5, 7, 8, 10, 11, 13, 14, 16, 18, 20, 22, 24)]
    )
    pdf = tmp_path / "no-tables.pdf"
    doc.save(pdf)
    result_path = Path(run_extract(run, pdf, tmp_path / "out"))
    result = read_result(result_path)
    missing = [f for f in result.findings if f.check == "completeness.table"]
    assert len(missing) >= 6 and all(not f.cells for f in missing)
    ids = [f.id for f in result.findings]
    assert len(set(ids)) == len(ids)
    review = review_file(tmp_path / "r.json", result, [{"item": missing[0].id, "action": "accept"}])
    assert run("review", result_path, "--apply", review).code == 0
    reviewed = read_result(result_path.with_name("no-tables.reviewed.json"))
    settled = [f for f in reviewed.findings if f.check == "completeness.table" and f.review]
    assert [f.id for f in settled] == [missing[0].id]


@pytest.mark.parametrize(
    ("argument", "said"),
    [
        ("missing", "no such file"),
        ("garbage", "line 1: not a fact: Invalid JSON"),
        ("binary", "not a facts file (.facts.jsonl) (not UTF-8 text at byte 0)"),
        ("folder", "a folder, not a facts file"),
        ("no-unit", "line 2: not a fact: unit: Field required"),
        ("empty", "no facts in it"),
    ],
)
def test_evaluate_with_a_bad_argument(
    tmp_path: Path, run: Callable[..., Ran], argument: str, said: str
) -> None:
    gold = REPO / "examples" / "jianghan-2020-final.facts.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines()
    path = tmp_path / argument
    if argument == "garbage":
        path.write_text("these are not facts", encoding="utf-8")
    elif argument == "binary":
        path.write_bytes(b"\x89PNG not facts")
    elif argument == "folder":
        path.mkdir()
    elif argument == "no-unit":
        second = json.loads(lines[1])
        del second["unit"]
        path.write_text("\n".join([lines[0], json.dumps(second, ensure_ascii=False)]), encoding="utf-8")
    elif argument == "empty":
        path.write_text("\n", encoding="utf-8")
    ran = run("evaluate", path, gold)
    assert ran.code == 1 and said in ran.message and str(path) in ran.message


# ---------------------------------------------------------------------------- signals and temporaries


def test_a_killed_run_leaves_no_temporary_behind(tmp_path: Path, run: Callable[..., Ran]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    killed = subprocess.run(  # a run killed (SIGKILL: no cleanup possible) in the middle of a write
        [sys.executable, "-c", "import os, pathlib, signal; from budgetlens.output import _temporary; "
         f"_temporary(pathlib.Path({str(out / 'x.json')!r}), 'half'); os.kill(os.getpid(), signal.SIGKILL)"],
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    assert [n for n in names(out) if n.endswith(".tmp")]
    ran = run("extract", EXAMPLE, "-o", out, "-q")
    assert (
        ran.code == 0
        and ran.message == f"budgetlens: removed 1 temporary file(s) a stopped run left in {out}"
    )
    assert names(out) == outputs("jianghan-2020-final")


def test_sigterm_stops_a_batch_with_every_file_whole(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        shutil.copy(EXAMPLE, folder / f"j{n:02}.pdf")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "budgetlens", "extract", str(folder), "-o", str(out), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not (out / "j01.json").exists() and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    said = "budgetlens: stopped by SIGTERM; every output is written whole or not at all"
    assert stderr.strip().splitlines() == [said]
    done = {Path(line.split()[1].rstrip(":")).stem for line in stdout.splitlines()}
    stems = {name.split(".")[0] for name in names(out)}
    assert 2 <= len(done) < 12 and done <= stems and len(stems - done) <= 1  # the last may be unsaid
    assert names(out) == sorted(n for stem in stems for n in outputs(stem))  # whole sets, no temporary
    for stem in stems:
        read_result(out / f"{stem}.json")


# ------------------------------------------------------------------------------ folders and names


def test_a_folder_is_read_for_its_pdfs(tmp_path: Path, run: Callable[..., Ran]) -> None:
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    shutil.copy(EXAMPLE, folder / "a" / "report.pdf")
    shutil.copy(EXAMPLE.with_name("wuchang-2025-budget.pdf"), folder / "b" / "report.PDF")
    blank_pdf(folder / "blank.pdf")
    (folder / "notes.txt").write_text("not a pdf", encoding="utf-8")
    ran = run("extract", folder, "-o", tmp_path / "out", "-q")
    assert ran.code == 0
    assert [line.split(": ")[0] for line in ran.out.splitlines()] == [
        "[1/3] report.pdf", "[2/3] report.PDF", "[3/3] blank.pdf"
    ]  # fmt: skip
    renamed = [line for line in ran.err.splitlines() if "another input is also named report" in line]
    assert len(renamed) == 2
    stems = {p.name.split(".")[0] for p in (tmp_path / "out").iterdir()}
    assert (
        len(stems) == 3
        and "blank" in stems
        and all(s == "blank" or len(s) == len("report-") + 8 for s in stems)
    )
    again = run("extract", folder / "b", folder / "a", folder, "-o", tmp_path / "out2", "-q")
    assert sorted(names(tmp_path / "out2")) == sorted(names(tmp_path / "out"))  # the same names, any order
    assert again.code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    ran = run("extract", empty, "-o", tmp_path / "out3")
    assert ran.code == 1 and ran.message == f"budgetlens: {empty}: error: a folder with no .pdf file in it"


def test_a_pdf_opened_by_what_mupdf_reads(tmp_path: Path, run: Callable[..., Ran]) -> None:
    """Not a PDF, HTML named .pdf, an encrypted file with and without its password."""
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>hi</body></html>", encoding="utf-8")
    ran = run("extract", html, "-o", tmp_path / "out")
    assert ran.code == 1 and ran.message.endswith("page.pdf: not a PDF (MuPDF reads it as HTML5 file)")
    doc = pymupdf.open(EXAMPLE)
    secret = tmp_path / "secret.pdf"
    doc.save(secret, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="pw")
    ran = run("extract", secret, "-o", tmp_path / "out")
    assert ran.code == 1 and ran.message.endswith("encrypted PDF: give its password with --password")
    assert run("extract", secret, "-o", tmp_path / "out", "--password", "nope").code == 1
    ran = run("extract", secret, "-o", tmp_path / "out", "--password", "pw", "-q")
    assert ran.code == 0 and names(tmp_path / "out") == outputs("secret")


def test_a_number_typed_in_the_session_is_normalised_or_refused(extracted: Path, tmp_path: Path) -> None:
    """In the terminal: a value in another unit is refused with the reason, then typed again in
    full-width digits; the decision and the reviewed facts hold plain digits."""
    from budgetlens.review.decisions import ReviewFile
    from budgetlens.review.session import Session

    base = read_result(extracted)
    shown: list[str] = []
    answers = iter(["c 199.36元", "１９９．３６", "q"])

    def keys(prompt: str) -> str:
        heading = next(line for line in reversed(shown) if line.startswith("── "))
        if "narrative.table" not in heading:
            return "s"
        shown.append(prompt)
        return next(answers)

    path = tmp_path / "r.review.json"
    results: list[Result] = []
    session = Session(
        base, ReviewFile(document_sha256=base.document.sha256), path, results.append, keys, shown.append
    )
    session.run()
    assert any("'199.36元' is in 元, but the cell is in 万元" in line for line in shown)
    saved = ReviewFile.model_validate_json(path.read_text(encoding="utf-8")).decisions
    fixed = next(d for d in saved if d.action == "correct")
    assert fixed.value == "199.36"
    total = next(f for f in results[-1].facts if f.table == BASIC and f.row == "人员经费合计")
    assert (total.value, total.text) == ("199.36", "199.36")
