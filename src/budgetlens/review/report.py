"""One self-contained HTML file to read a result: the outline, every table with its cells coloured
by status, the findings linked to their cells, and the page image under each flagged or corrected
cell (and each model reading a person settled) with its box drawn. No script, no network: inline
CSS and images only."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens.check.findings import CellRef, Place, TextRef
from budgetlens.check.unread import is_unread
from budgetlens.errors import BadInput
from budgetlens.extract.facts import Fact, placed_facts
from budgetlens.output import write_atomic
from budgetlens.result import Result, SectionResult
from budgetlens.review.items import open_items
from budgetlens.review.printed import group_starts, header_rows
from budgetlens.review.show import provenance

if TYPE_CHECKING:
    from budgetlens.load import PageImage

Key = Place
_DATE = re.compile(
    r"\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*$"
)
CSS = files("budgetlens.review").joinpath("report.css").read_text(encoding="utf-8")
STATES = {
    "ok": "read, no doubt",
    "corrected": "corrected (re-extraction or review)",
    "confirmed": "confirmed: the document itself is wrong",
    "flagged": "flagged: still doubtful",
}


def write_report(
    result: Result,
    out: Path,
    pdf: Path | None = None,
    near: Path | None = None,
    password: str | None = None,
) -> str:
    """Write the report; → a note on what it could not include (empty when complete)."""
    pdf_path, why = find_pdf(result, pdf, near or Path.cwd())
    shown = {f.page for f in result.facts if _imaged(f)}
    images = _draw(pdf_path, shown, password) if pdf_path and shown else []
    missing = f"no page images: {why}" if shown and not pdf_path else ""
    write_atomic(out, render(result, images, missing))
    return f" ({missing})" if missing else ""


def find_pdf(result: Result, given: Path | None, near: Path) -> tuple[Path | None, str]:
    """The document the result was read from, checked by its sha256; or None and why not."""
    source = Path(result.document.source)
    if given is not None and not given.is_file():
        raise BadInput(f"{given}: no such file")
    candidates = [given] if given else [source, near / source.name, near.parent / source.name]
    for path in candidates:
        if path is not None and path.is_file():
            if hashlib.sha256(path.read_bytes()).hexdigest() == result.document.sha256:
                return path, ""
            if given:
                raise BadInput(f"{given}: not the document this result was read from (sha256 differs)")
    return None, f"{source.name} not found (give it with --pdf)"


def cell_states(result: Result) -> dict[Key, str]:
    """Each fact's colour: flagged, corrected, confirmed (a document error), else ok."""
    settled = {
        c.key
        for f in result.findings
        if f.severity != "info" and (f.review == "document_error" or f.status == "confirmed")
        for c in f.cells
        if isinstance(c, CellRef)
    }
    states = {}
    for fact in result.facts:
        if fact.status == "flagged":
            states[fact.key] = "flagged"
        elif fact.status == "corrected":
            states[fact.key] = "corrected"
        elif fact.key in settled:
            states[fact.key] = "confirmed"
        else:
            states[fact.key] = "ok"
    return states


def cell_anchor(key: Key) -> str:
    return "c" + hashlib.sha1("|".join(map(str, key)).encode()).hexdigest()[:10]


def _draw(pdf: Path, pages: set[int], password: str | None) -> list[PageImage]:
    """The pages drawn: PyMuPDF is loaded only here, when a report has pages to show."""
    from budgetlens.load import page_images

    return page_images(pdf, pages, password=password)


def render(result: Result, images: list[PageImage], note: str = "") -> str:
    states = cell_states(result)
    facts = {f.key: f for f in result.facts}
    body = [
        _header(result, note),
        _outline(result),
        _findings(result, facts),
        *(_section(n, s, states, facts) for n, s in enumerate(result.sections)),
        _page_section(images, result.facts, states),
    ]
    title = escape(title_and_date(result.document.title or Path(result.document.source).name)[0])
    return (
        f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>{title} — budgetlens</title>'
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _imaged(fact: Fact) -> bool:
    """Cells worth their page image: doubtful, changed, or a model's reading a person settled."""
    settled = fact.review is not None and fact.extractor.startswith("model")
    return fact.status in ("flagged", "corrected") or settled


def _header(result: Result, note: str) -> str:
    d, s = result.document, result.summary
    rows = [
        ("document", f"{Path(d.source).name} ({d.doc_kind}, {d.page_count} pages)"),
        ("tables", f"{s.tables_recognised}/{s.tables} recognised, {s.cells} cells"),
        ("findings", f"{s.errors} errors, {s.warnings} warnings, {s.info} info"),
        (
            "model",
            f"{s.model_calls} calls ({s.cached_calls} cached), "
            f"{s.prompt_tokens}+{s.completion_tokens} tokens",
        ),
        ("re-extraction", f"{s.reextracted_cells} cells re-read, {s.flagged_cells} still flagged"),
        ("review", f"{s.reviewed_cells} cells reviewed, {len(open_items(result))} items open"),
        ("time", f"{s.seconds:.2f} s"),
    ]
    legend = "".join(f'<span class="cell {k}">{escape(v)}</span> ' for k, v in STATES.items())
    table = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    unread = "".join(f"<li>{escape(f.message)}</li>" for f in result.findings if is_unread(f))
    unread = f'<div class="unread"><h2>Not read</h2><ul>{unread}</ul></div>' if unread else ""
    warn = f'<p class="note">{escape(note)}</p>' if note else ""
    title, date = title_and_date(d.title or Path(d.source).name)
    dated = f'<p class="date">{escape(date)}</p>' if date else ""
    return (
        f"<header><h1>{escape(title)}</h1>{dated}<table class=summary>{table}</table>{unread}"
        f'<p class="legend">{legend}</p>{warn}</header>'
    )


def title_and_date(title: str) -> tuple[str, str]:
    """A cover's title often runs into the date under it: '…部门决算2021年11月3日' → the two apart."""
    m = _DATE.search(title)
    if m is None or not title[: m.start()].strip():
        return title, ""
    return title[: m.start()].strip(), m.group(0).strip()


def _outline(result: Result) -> str:
    items = [f'<li><a href="#findings">Findings ({len(result.findings)})</a></li>']
    for n, s in enumerate(result.sections):
        mark = " ⚑" if s.needs_model else ""
        link = f'<a href="#s{n}">{escape(s.name)}</a>{mark}'
        items.append(f'<li class="{s.kind}">{link} <small>p.{_span(s.pages)}</small></li>')
    return f"<nav><h2>Outline</h2><ol>{''.join(items)}</ol></nav>"


def _findings(result: Result, facts: dict[Key, Fact]) -> str:
    section = {s.name: n for n, s in enumerate(result.sections)}
    rows = []
    for f in result.findings:
        links = " ".join(_finding_link(c, facts, section) for c in f.cells)
        state = f.review or f.status or "open"
        rows.append(
            f'<li class="finding {f.severity} {state}"><b>{f.severity}</b> <code>{escape(f.check)}</code> '
            f'<span class="state">{escape(state)} · {escape(f.source)}</span><br>{escape(f.message)}'
            f'<div class="refs">{links}</div></li>'
        )
    return f'<section id="findings"><h2>Findings</h2><ol>{"".join(rows)}</ol></section>'


def _finding_link(ref: CellRef | TextRef, facts: dict[Key, Fact], section: dict[str, int]) -> str:
    if isinstance(ref, TextRef):
        target = f"#s{section[ref.section]}" if ref.section in section else ""
        return f'<a class="ref" href="{target}">{escape(ref.section)} p.{ref.page}</a>'
    label = escape(f"{ref.table} · {ref.row} · {ref.column} = {ref.value} (p.{ref.page})")
    if ref.key not in facts:
        return f'<span class="ref">{label}</span>'
    return f'<a class="ref" href="#{cell_anchor(ref.key)}">{label}</a>'


def _section(n: int, s: SectionResult, states: dict[Key, str], facts: dict[Key, Fact]) -> str:
    head = f'<section id="s{n}"><h2>{escape(s.name)} <small>p.{_span(s.pages)}</small></h2>'
    if s.needs_model:
        head += f'<p class="note">needs a model: {escape(s.needs_model)}</p>'
    if s.table is not None:
        return head + _table(s, states, facts) + "</section>"
    text = "".join(f"<p>{escape(p.text)}</p>" for p in s.paragraphs)
    return head + (f"<details><summary>text</summary>{text}</details>" if text else "") + "</section>"


def _table(s: SectionResult, states: dict[Key, str], facts: dict[Key, Fact]) -> str:
    table = s.table
    assert table is not None
    placed = {(i, c.index): f.key for i, c, f in placed_facts(table)}
    starts = group_starts(table)
    rows = []
    for i, row in enumerate(table.rows):
        cells = []
        for c in table.columns:
            text = escape(row.text(c.index))
            key = placed.get((i, c.index))
            side = ' class="side"' if c.index in starts else ""
            if key is None:
                cells.append(f"<td{side}>{text}</td>")
                continue
            state, fact = states.get(key, "ok"), facts.get(key)
            title = escape(_provenance(fact)) if fact else ""
            link = f'<a href="#hl-{cell_anchor(key)}">{text}</a>' if fact and _imaged(fact) else text
            side = " side" if c.index in starts else ""
            cells.append(
                f'<td id="{cell_anchor(key)}" class="cell {state}{side}" title="{title}">{link}</td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    unit = f"<p class=unit>单位：{escape(table.unit)}</p>" if table.unit else ""
    head = "".join(header_rows(table))
    return f'{unit}<div class="scroll"><table class="data">{head}{"".join(rows)}</table></div>'


def _provenance(fact: Fact) -> str:
    return (
        f"p.{fact.page} box {tuple(round(v) for v in fact.box)} · printed “{fact.text}” · {provenance(fact)}"
    )


def _span(numbers: list[int]) -> str:
    return f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else (str(numbers[0]) if numbers else "?")


def _figures(images: list[PageImage], facts: list[Fact], states: dict[Key, str]) -> Iterator[str]:
    for image in images:
        marks = []
        for f in (f for f in facts if f.page == image.number and _imaged(f)):
            x0, y0, x1, y1 = f.box
            pad = 2.0  # points around the printed number, so the box does not cover it
            w, h = image.width, image.height
            style = (
                f"left:{(x0 - pad) / w:.3%};top:{(y0 - pad) / h:.3%};"
                f"width:{(x1 - x0 + 2 * pad) / w:.3%};height:{(y1 - y0 + 2 * pad) / h:.3%}"
            )
            marks.append(
                f'<a id="hl-{cell_anchor(f.key)}" class="hl {states.get(f.key, "ok")}" style="{style}" '
                f'href="#{cell_anchor(f.key)}" title="{escape(f"{f.row} · {f.column} = {f.value}")}"></a>'
            )
        data = base64.b64encode(image.data).decode()
        yield (
            f'<figure class="page" id="p{image.number}"><div class="frame">'
            f'<img alt="page {image.number}" src="data:{image.mime};base64,{data}">{"".join(marks)}</div>'
            f"<figcaption>page {image.number}</figcaption></figure>"
        )


def _page_section(images: list[PageImage], facts: list[Fact], states: dict[Key, str]) -> str:
    if not images:
        return ""
    figures = "".join(_figures(images, facts, states))
    return f'<section id="pages"><h2>Pages of flagged, corrected and settled cells</h2>{figures}</section>'
