"""Printing defects made in a rendered PDF, for the readers to survive (PyMuPDF writes them).

`joined_across_rule`: two neighbouring numbers of a row printed flush against the ruling line
between them, with no gap, as some report generators do in narrow columns: the word list then holds
one word ("399.22120.23") whose centre falls in one cell, and the other cell reads empty.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from budgetlens.load.models import Box

SIZE = 8.5


def joined_across_rule(
    pdf: Path, out: Path, page: int, left: tuple[str, Box], right: tuple[str, Box], rule: float
) -> Path:
    """`pdf` with the texts at the two boxes (upright, unrotated page) reprinted touching at x = `rule`."""
    doc = pymupdf.open(pdf)
    try:
        p = doc[page - 1]
        for _, box in (left, right):
            p.add_redact_annot(pymupdf.Rect(box))
        p.apply_redactions(images=0, graphics=0)
        baseline = left[1][3] - 2.2
        width = pymupdf.get_text_length(left[0], fontname="helv", fontsize=SIZE)
        p.insert_text((rule - width - 0.1, baseline), left[0], fontsize=SIZE, fontname="helv")
        p.insert_text((rule + 0.1, baseline), right[0], fontsize=SIZE, fontname="helv")
        doc.save(out)
    finally:
        doc.close()
    return out
