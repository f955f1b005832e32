"""Variants of a PDF for the OCR and ruling-free readers: its line art removed (every word kept),
or every page turned into an image, as a scanner would (a resolution, a slight skew, specks of
noise, JPEG), with no text layer at all."""

from __future__ import annotations

import random
from pathlib import Path

import pymupdf

from budgetlens.testing.spec import Block, DocumentSpec


def without_lines(pdf: Path, out: Path) -> Path:
    """The PDF with every drawing (rules, frames, fills) removed and every word kept."""
    with pymupdf.open(pdf) as doc:
        for page in doc:
            page.add_redact_annot(page.rect)
            page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_NONE,  # type: ignore[attr-defined]
                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,  # type: ignore[attr-defined]
                text=pymupdf.PDF_REDACT_TEXT_NONE,  # type: ignore[attr-defined]
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.save(out, garbage=3, deflate=True)
    return out


def scanned(
    pdf: Path,
    out: Path,
    dpi: int = 300,
    skew: float = 0.4,
    noise: float = 0.001,
    seed: int = 7,
    quality: int = 80,
) -> Path:
    """Every page drawn at `dpi` in grey, turned `skew` degrees (alternately either way), a share
    `noise` of its pixels flipped, stored as a JPEG filling a page of the same size: an image-only
    PDF, as a scanner makes."""
    rng = random.Random(seed)
    with pymupdf.open(pdf) as doc, pymupdf.open() as scan:
        for page in doc:
            turn = skew if page.number % 2 == 0 else -skew
            image = _image(page, dpi, turn, noise, rng)
            new = scan.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, stream=image.tobytes("jpeg", jpg_quality=quality))
        out.parent.mkdir(parents=True, exist_ok=True)
        scan.save(out, garbage=3, deflate=True)
    return out


def _image(page: pymupdf.Page, dpi: int, turn: float, noise: float, rng: random.Random) -> pymupdf.Pixmap:
    zoom = dpi / 72
    rect = page.rect
    cx, cy = rect.width / 2, rect.height / 2
    about = pymupdf.Matrix(1, 0, 0, 1, -cx, -cy) * pymupdf.Matrix(turn) * pymupdf.Matrix(1, 0, 0, 1, cx, cy)
    drawn = page.get_pixmap(matrix=about * pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    sheet = pymupdf.Pixmap(
        pymupdf.csGRAY, pymupdf.IRect(0, 0, round(rect.width * zoom), round(rect.height * zoom)), False
    )
    sheet.clear_with(255)
    sheet.copy(drawn, sheet.irect)  # the turned page, cut to the sheet's size
    samples = bytearray(sheet.samples)
    for _ in range(int(len(samples) * noise)):
        samples[rng.randrange(len(samples))] = rng.choice((0, 96, 160, 255))
    return pymupdf.Pixmap(pymupdf.csGRAY, sheet.width, sheet.height, bytes(samples), False)


def few_tables(spec: DocumentSpec, tables: list[str], name: str | None = None) -> DocumentSpec:
    """The document cut to its cover and the named tables (canonical names), each on its pages:
    a short document for OCR, which takes seconds a page."""
    blocks = [
        Block(type="heading", text=_part_heading(spec), level=1),
        *(b for b in spec.blocks if b.table is not None and b.table.table in tables),
    ]
    return spec.model_copy(update={"name": name or f"{spec.name}-{len(tables)}-tables", "blocks": blocks})


def _part_heading(spec: DocumentSpec) -> str:
    kind = "决算表" if spec.doc_kind == "final" else "预算表"
    return f"第二部分 部门{kind}"
