"""Tables without ruling lines: a real ruled PDF with its line art removed reads as the ruled one
does, and narrative, contents pages and signature blocks never become tables.

(Every seed in its three-line, frame-only and no-lines renderings is in test_fixtures.py.)"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from budgetlens.chunk.aligned import page_grids
from budgetlens.chunk.aligned_grid import AlignedGrid
from budgetlens.evaluate import compare, load_facts
from budgetlens.load import load_pdf
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.testing.scan import without_lines
from conftest import DATA, corpus_pdf


@pytest.fixture(scope="module")
def putuo_without_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = corpus_pdf("putuo-social-work-2024-final.pdf")
    return without_lines(pdf, tmp_path_factory.mktemp("nolines") / "putuo-without-lines.pdf")


def test_line_art_is_gone_and_every_word_kept(putuo_without_lines: Path) -> None:
    original = corpus_pdf("putuo-social-work-2024-final.pdf")
    with pymupdf.open(original) as a, pymupdf.open(putuo_without_lines) as b:
        assert sum(len(p.get_drawings()) for p in a) > 300  # type: ignore[attr-defined]
        assert sum(len(p.get_drawings()) for p in b) == 0  # type: ignore[attr-defined]
        words = [[w[4] for w in p.get_text("words")] for p in a]  # type: ignore[attr-defined]
        assert words == [[w[4] for w in p.get_text("words")] for p in b]  # type: ignore[attr-defined]


def test_putuo_without_lines_reads_its_key(putuo_without_lines: Path) -> None:
    result = read_document(putuo_without_lines)
    gold = load_facts(DATA / "putuo-social-work-2024-final.facts.jsonl")
    report = compare([f.contract(result.document.doc) for f in result.facts], gold)
    print(f"\nPutuo without line art: {report.accuracy:.2%} of its key ({len(gold)} cells)")
    assert len(gold) == 205
    assert report.accuracy >= 0.99, report.text()
    # every table with figures found, typed and continued over its pages as when ruled (the tables
    # printed empty, a header over no row, give no figures to line up: their statements stand)
    ruled = read_document(corpus_pdf("putuo-social-work-2024-final.pdf"))
    assert _with_figures(result) == _with_figures(ruled)
    assert len(_with_figures(result)) == 6


def _with_figures(result: Result) -> list[tuple[str, list[int]]]:
    return [
        (s.table.name, s.table.pages)
        for s in result.sections
        if s.table is not None and s.table.kind and any(f.table == s.table.name for f in result.facts)
    ]


def test_narrative_pages_give_no_table(putuo_without_lines: Path) -> None:
    """Pages 16–24 of Putuo are prose with figures in sentences: no grid may come of them."""
    loaded = load_pdf(putuo_without_lines)
    for page in loaded.pages[15:]:
        assert page_grids(page) == [], f"page {page.number}"


def _page(tmp_path: Path, lines: list[tuple[float, float, str]], name: str) -> Path:
    """A one-page PDF with each text printed at (x, y)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    writer = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("cjk")
    for x, y, text in lines:
        writer.append((x, y), text, font=font, fontsize=10.5)
    writer.write_text(page)
    path = tmp_path / f"{name}.pdf"
    doc.save(path)
    return path


def test_contents_page_is_no_table(tmp_path: Path) -> None:
    entries = [
        "一、收入支出决算总表",
        "二、收入决算表",
        "三、支出决算表",
        "四、财政拨款收入支出决算总表",
        "五、一般公共预算财政拨款支出决算表",
    ]
    lines = [(90, 100, "目    录")]
    lines += [(90, 140 + 24 * i, f"{e}……………………") for i, e in enumerate(entries)]
    lines += [(500, 140 + 24 * i, str(3 + 2 * i)) for i in range(len(entries))]
    # without dot leaders too: titles and page numbers in two columns
    lines += [(90, 300 + 24 * i, e) for i, e in enumerate(entries)]
    lines += [(500, 300 + 24 * i, str(13 + i)) for i in range(len(entries))]
    page = load_pdf(_page(tmp_path, lines, "contents")).pages[0]
    assert page_grids(page) == []


def test_signature_block_and_dates_are_no_table(tmp_path: Path) -> None:
    lines = [
        (60, 100, "单位负责人：张三"),
        (250, 100, "财务负责人：李四"),
        (430, 100, "制表人：王五"),
        (60, 130, "联系电话：027-88936092"),
        (250, 130, "填报日期：2024年3月1日"),
        (60, 200, "本年度收入合计307.82万元，比上年增加12.30万元，增长4.2%。"),
        (60, 225, "其中：一般公共预算财政拨款收入307.82万元，占100%。"),
    ]
    page = load_pdf(_page(tmp_path, lines, "signature")).pages[0]
    assert page_grids(page) == []


def test_a_charts_labels_are_no_table(tmp_path: Path) -> None:
    """A bar chart's text: its axis ticks down the side, the values over its bars, a few names under
    them. Figures above a line of figures are no header naming columns."""
    lines = [(250, 50, "人员对比图")]
    lines += [(150, 80, "12000"), (300, 80, "10849"), (400, 80, "-10766")]
    lines += [(150, 80 + 19 * i, f"{12 - 2 * i}.000") for i in range(1, 4)]
    lines += [(200, 180, "115"), (300, 180, "121"), (400, 180, "1"), (430, 180, "外")]
    lines += [(200, 192, "事业人员"), (300, 192, "退休人员")]
    page = load_pdf(_page(tmp_path, lines, "chart")).pages[0]
    assert page_grids(page) == []


def test_a_table_without_rules_is_found(tmp_path: Path) -> None:
    """The same kind of page with a real table: label and two columns of figures under a header."""
    rows = [
        ("项目", "本年预算", "上年预算"),
        ("合计", "307.82", "295.52"),
        ("基本支出", "105.58", "101.20"),
        ("项目支出", "202.24", "194.32"),
    ]
    lines = [(60, 60, "单位：万元")]
    for i, (label, a, b) in enumerate(rows):
        lines += [(60, 100 + 22 * i, label), (300, 100 + 22 * i, a), (450, 100 + 22 * i, b)]
    grids = page_grids(load_pdf(_page(tmp_path, lines, "table")).pages[0])
    assert len(grids) == 1 and isinstance(grids[0], AlignedGrid)
    texts = {(c.row, c.col): c.text for c in grids[0].cells}
    assert (grids[0].n_rows, grids[0].n_cols) == (4, 3)
    assert texts[(0, 1)] == "本年预算" and texts[(2, 0)] == "基本支出" and texts[(3, 2)] == "194.32"
