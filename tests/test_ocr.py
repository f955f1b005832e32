"""Pages without a text layer: read by Tesseract (chi_sim) when it is installed, said unread when
it is not, and their numbers doubtful until the identities agree.

The readings need Debian's tesseract-ocr and tesseract-ocr-chi-sim. Where they are missing these
tests skip, saying what to install, except in CI, where .ci/run installs them and sets
BUDGETLENS_REQUIRE_OCR=1: there they must run. OCR takes seconds a page, so the documents here are
a few pages long; scripts/ocr_accuracy.py measures whole documents (README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from budgetlens.chunk.ocr_words import snap
from budgetlens.evaluate import compare, load_facts
from budgetlens.load.ocr_text import clean_word, doubtful
from budgetlens.pipeline import read_document
from budgetlens.reextract.ocr import _readings_of
from budgetlens.testing.render import load_spec, render, seed_specs
from budgetlens.testing.scan import few_tables, scanned
from conftest import DATA, corpus_pdf

CLI = [sys.executable, "-m", "budgetlens"]


@pytest.fixture(scope="module")
def tesseract() -> None:
    from budgetlens.load.ocr import unavailable

    why = unavailable()
    if why is None:
        return
    if os.environ.get("BUDGETLENS_REQUIRE_OCR") == "1":
        pytest.fail(f"BUDGETLENS_REQUIRE_OCR=1 but OCR cannot run: {why}")
    pytest.skip(why)


# ------------------------------------------------------------------------------ what OCR reads wrong


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("12.954.16", "12,954.16"),  # thousands commas read as dots
        ("支出4.197.93万元", "支出4,197.93万元"),
        ("12，954.16", "12,954.16"),  # an ideographic comma between thousands
        ("12,95", "12.95"),  # a cell's decimal point read as a comma: no grouping of thousands
        ("1O5.2l", "105.21"),  # O and l among figures
        ("”事业运行", "事业运行"),  # a rule's stroke read as a quote
        ("单位;万元", "单位：万元"),
        ("|", ""),
        ("，", ""),
        ("3.77.", "3.77"),
    ],
)
def test_numbers_put_right_where_only_one_reading_is_possible(read: str, meant: str) -> None:
    assert clean_word(read) == meant


@pytest.mark.parametrize(
    "text", ["ISO9001", "PM2.5", "2022.12.31", "1.234", "“三公”经费", "第1、2项", "3，4月"]
)
def test_what_may_mean_two_things_is_left_as_read(text: str) -> None:
    assert clean_word(text) == text


def test_ambiguous_readings_are_doubtful_and_offer_the_other() -> None:
    assert doubtful("1.234") and not doubtful("1.23") and not doubtful("1,234")
    assert _readings_of("1.234") == ["1234"]
    assert _readings_of("2070") == ["20.70"]  # a decimal point lost
    assert _readings_of("307.82") == []


def test_table_words_misread_by_a_character_are_put_back() -> None:
    assert snap("本年文出合计") == "本年支出合计"
    assert snap("决佐数") == "决算数"
    assert snap("一、一般公共服务亦出") == "一、一般公共服务支出"
    assert snap("台计") == "台计"  # 合计 or 小计? as near: left as read
    assert snap("武汉市江汉区科学技术协会") == "武汉市江汉区科学技术协会"


# ------------------------------------------------------------------------------------ documents


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two tables of the Jianghan seed (收入决算表 over two landscape pages, 表6), ruled, and its truth."""
    spec = load_spec(next(p for p in seed_specs() if p.stem == "jianghan-2020-final"))
    cut = few_tables(spec, ["收入决算表", "一般公共预算财政拨款基本支出决算表"])
    return render(cut, tmp_path_factory.mktemp("small"))


def test_without_tesseract_the_pages_are_said_unread(small: tuple[Path, Path], tmp_path: Path) -> None:
    """A clear line naming the packages, the pages listed unread, a warning: never a clean result."""
    scan = scanned(small[0], tmp_path / "scan.pdf", dpi=100)
    env = {**os.environ, "TESSDATA_PREFIX": str(tmp_path / "no-tessdata")}
    run = subprocess.run(
        [*CLI, "extract", str(scan), "-o", str(tmp_path / "out"), "--fail-on", "warning"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 3, run.stderr
    said = [ln for ln in (run.stdout + run.stderr).splitlines() if "tesseract-ocr-chi-sim" in ln]
    assert said and "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in said[0]
    result = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    assert result["document"]["pages_without_text"] == [1, 2, 3, 4, 5]
    assert result["document"]["ocr_pages"] == [] and "chi_sim" in result["document"]["ocr_unavailable"]
    unread = [f for f in result["findings"] if f["check"] == "unread.pages"]
    assert unread and unread[0]["severity"] == "warning" and unread[0]["source"] == "extraction"
    assert result["facts"] == []


def test_image_only_fixture_is_read_by_ocr(tesseract: None, small: tuple[Path, Path], tmp_path: Path) -> None:
    """The two tables as a scanner would give them (300 and 200 dpi, 0.4° skew, noise, JPEG): every
    fact says it was read by OCR; the accuracy is reported, and at 300 dpi must stay high."""
    pdf, truth = small
    gold = load_facts(truth)
    accuracy = {}
    for dpi in (300, 200):
        result = read_document(scanned(pdf, tmp_path / f"scan-{dpi}.pdf", dpi=dpi), jobs=2)
        assert result.document.ocr_pages == [1, 2, 3, 4, 5] and result.document.pages_without_text == []
        assert result.facts and all(f.extractor == "ocr" for f in result.facts if f.status != "corrected")
        assert any(f.check == "ocr.pages" for f in result.findings)
        accuracy[dpi] = compare([f.contract(result.document.doc) for f in result.facts], gold).accuracy
    said = ", ".join(f"{dpi} dpi {share:.1%}" for dpi, share in accuracy.items())
    print(f"\nOCR of the image-only fixture ({len(gold)} cells): {said}")
    assert accuracy[300] >= 0.95


def _pages(pdf: Path, numbers: list[int], out: Path) -> Path:
    with pymupdf.open(pdf) as doc, pymupdf.open() as part:
        for n in numbers:
            part.insert_pdf(doc, from_page=n - 1, to_page=n - 1)
        part.save(out)
    return out


def test_putuo_scanned_pages_read_their_key(tesseract: None, tmp_path: Path) -> None:
    """Three pages of the Putuo 决算 rasterised at 300 dpi (收入支出决算总表, 收入决算表, 表6): the
    key's cells on them exact after OCR and the checks (the whole document: scripts/ocr_accuracy.py)."""
    numbers = [5, 6, 13]
    part = _pages(corpus_pdf("putuo-social-work-2024-final.pdf"), numbers, tmp_path / "part.pdf")
    result = read_document(scanned(part, tmp_path / "scan.pdf", dpi=300), jobs=2)
    gold = [
        {**g, "page": numbers.index(g["page"]) + 1}
        for g in load_facts(DATA / "putuo-social-work-2024-final.facts.jsonl")
        if g["page"] in numbers
    ]
    got = [f.contract(result.document.doc) for f in result.facts]
    report = compare(got, gold)
    print(f"\nPutuo pages {numbers} at 300 dpi: {report.accuracy:.1%} of {len(gold)} cells")
    assert len(gold) == 9 + 24 + 67
    assert report.accuracy >= 0.99, report.text()
    ocr_findings = [f for f in result.findings if f.cells and f.cells[0].page in result.document.ocr_pages]
    assert all(
        "read by OCR" in f.message for f in ocr_findings if not f.check.startswith(("ocr.", "unread."))
    )


def test_changsha_scan_narrative_amounts_read(tesseract: None, tmp_path: Path) -> None:
    """The scanned Changsha performance report (its first two pages): its narrative amounts read,
    each saying it was read by OCR, and checked (each 其中 list against its total)."""
    pdf = corpus_pdf("wild/changsha-market-regulation-2022-performance-eval-scanned.pdf")
    result = read_document(_pages(pdf, [1, 2], tmp_path / "p12.pdf"), jobs=2)
    amounts = {Decimal(f.value) for f in result.narrative if f.unit == "万元"}
    print(f"\nChangsha pp.1–2 by OCR: {sorted(amounts)}")
    # '12,954.16' and '4,197.93' as Tesseract reads them: '12.954.16', '4.197.93'
    assert {Decimal("12954.16"), Decimal("3683.76"), Decimal("9270.40"), Decimal("4197.93")} <= amounts
    assert all(f.extractor == "ocr" for f in result.narrative)
    assert result.document.ocr_pages == [1, 2] and not any(
        f.check == "unread.document" for f in result.findings
    )
    parts = [f for f in result.narrative if f.parent is not None]
    assert {(f.value, f.parent.value) for f in parts if f.parent} >= {("4197.93", "12667.08")}
    # the lists are read as lists, so narrative.list checks them (they add up)
    assert not any(f.check == "narrative.list" for f in result.findings)
