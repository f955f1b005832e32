"""The narrative's figures as data: each number the reader (or the model) placed becomes one
:class:`NarrativeFigure`, on the page its number is printed on, with what it relates to as the checks
read it (check/narrative_checks.py): a share's base is the reading that holds when the text allows
several, a list item's parent is the item it is nested in when the list reads as nested.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal

from budgetlens.check.narrative_checks import links_to_table, list_parents, share_reading
from budgetlens.check.narrative_links import Cell, Index, build_index
from budgetlens.check.narrative_reads import Read, read_narrative
from budgetlens.check.view import table_views
from budgetlens.extract.figures import FigureKind, LinkedCell, NarrativeFigure, Related
from budgetlens.extract.narrative import NarrativeFact, Printed, join_paragraphs
from budgetlens.result import Result


def with_narrative(result: Result) -> Result:
    """The result with its narrative figures (`Result.narrative`) and their count in the summary."""
    figures = narrative_figures(result)
    unplaced = unplaced_numbers(result)
    summary = result.summary.model_copy(
        update={"narrative_figures": len(figures), "narrative_unplaced": unplaced}
    )
    return result.model_copy(update={"narrative": figures, "summary": summary})


def unplaced_numbers(result: Result) -> int:
    """Numbers printed in sentences that neither the reader nor a model placed."""
    return sum(len(r.fact.numbers) or 1 for r in read_narrative(result) if r.fact.kind == "unparsed")


def narrative_figures(result: Result) -> list[NarrativeFigure]:
    reads = read_narrative(result)
    index = build_index(table_views(result), final=result.document.doc_kind == "final")
    builder = _Builder(result, reads, index)
    return builder.build()


class _Builder:
    """Figures in reading order, ids n1, n2 … so that a figure can name another it relates to."""

    def __init__(self, result: Result, reads: list[Read], index: Index) -> None:
        self.result = result
        self.reads = reads
        self.index = index
        self.entity = result.document.department or ""
        self.starts: dict[int, list[int]] = {}
        self.parents = list_parents(reads)
        self.out: list[NarrativeFigure] = []
        self.first: dict[int, str] = {}  # read index → id of the figure of its own amount

    def build(self) -> list[NarrativeFigure]:
        for n, r in enumerate(self.reads):
            if r.fact.kind in ("unparsed", "missing_number"):
                continue
            for number in sorted(r.fact.numbers, key=lambda p: p.span):
                self.out.append(self.figure(n, r, number))
        return self.out

    # -- where
    def place(self, r: Read, number: Printed) -> tuple[int, list[float] | None]:
        if r.cell:
            return r.page, list(r.box) if r.box else None
        section = self.result.sections[r.key]
        if r.key not in self.starts:
            self.starts[r.key] = join_paragraphs([p.text for p in section.paragraphs])[1]
        p = section.paragraphs[max(bisect_right(self.starts[r.key], number.span[0]) - 1, 0)]
        return p.page, list(p.box)

    # -- what
    def figure(self, n: int, r: Read, number: Printed) -> NarrativeFigure:
        f = r.fact
        page, box = self.place(r, number)
        fid = f"n{len(self.out) + 1}"
        kind, extra = self.relations(n, r, number)
        if number.role == "amount" and n not in self.first:
            self.first[n] = fid
        return NarrativeFigure.model_validate(
            {
                "id": fid,
                "entity": self.entity,
                "section": r.section,
                "page": page,
                "box": box,
                "sentence": f.sentence,
                "subject": f.subject,
                "linked": self.link(r, number),
                "kind": kind,
                "value": number.text,
                "unit": number.unit,
                "extractor": f.extractor,
                "bound": f.bound if number.role in ("percent", "count") else None,
                "span": number.span,
                **extra,
            }
        )

    def relations(self, n: int, r: Read, number: Printed) -> tuple[FigureKind, dict[str, object]]:
        f = r.fact
        role = number.role
        if role == "count":
            return "count", {}
        if role == "budget":
            return "amount", {"role": "budget", "budget_kind": number.name or None}
        if role == "prior":
            return "amount", {"role": "prior"}
        if role == "amount":
            return self.amount(n, r)
        if role == "change":
            return "change", {"direction": _direction(f.change), "prior": self.prior(n, r)}
        # a percentage: a share, a rate of change or a completion rate
        if f.kind == "share":
            return "share", {"base": self.base(n, r)}
        if f.kind == "change":
            return "rate", {"direction": _direction(f.percent), "prior": self.prior(n, r)}
        if f.kind == "execution":
            return "rate", {"budget": self.budget(n, r)}
        return "rate", {}

    def amount(self, n: int, r: Read) -> tuple[FigureKind, dict[str, object]]:
        f = r.fact
        extra: dict[str, object] = {}
        if f.kind == "execution":
            extra |= {"role": "actual", "budget": self.budget(n, r)}
        if f.list_id is not None:
            extra["complete"] = f.partial is False
        parent = self.parents.get(n)
        if parent is None:
            return "amount", extra
        total, reading = parent
        t = self.reads[total].fact
        extra["parent"] = Related(
            subject=t.subject,
            value=t.amount,
            unit="万元",
            figure=self.first.get(total),
            reading=reading,
        )
        return "item", extra

    def base(self, n: int, r: Read) -> Related | None:
        reading = share_reading(n, self.reads, self.index)
        if reading is None:
            return Related(subject=r.fact.base or "", reading="not found") if r.fact.base else None
        return Related(
            subject=reading.subject,
            value=reading.value,
            unit="万元",
            figure=self.first.get(reading.read) if reading.read is not None else None,
            derived=reading.derived,
            reading=reading.label,
        )

    def prior(self, n: int, r: Read) -> Related | None:
        f = r.fact
        printed = next((p for p in f.numbers if p.role == "prior"), None)
        if printed is not None:
            fid = next((x.id for x in reversed(self.out) if x.span == printed.span), None)
            return Related(subject="", value=printed.text, unit=printed.unit, figure=fid)
        if f.prior is not None:
            return Related(value=f.prior, unit="万元", derived=True, reading="current − change")
        return None

    def budget(self, n: int, r: Read) -> Related | None:
        f = r.fact
        if f.budget is None:
            return None
        name = next((k for k, v in f.budgets.items() if v == f.budget), "预算")
        printed = next((p for p in f.numbers if p.role == "budget" and p.name == name), None)
        fid = next((x.id for x in reversed(self.out) if printed and x.span == printed.span), None)
        return Related(subject=name, value=f.budget, unit="万元", figure=fid)

    # -- the table
    def link(self, r: Read, number: Printed) -> LinkedCell | None:
        f = r.fact
        if number.role not in ("amount", "budget") or not f.subject or r.cell:
            return None
        value = f.amount if number.role == "amount" else f.budgets.get(number.name)
        if value is None:
            return None
        as_budget = number.role == "budget" or (self.index.final and "预算" in (f.measure or ""))
        cells = list(_stated_cells(f, self.index, as_budget))
        if not cells:
            return None
        agreeing = [c for c in cells if Decimal(c.wan()) == Decimal(value)]
        cell = (agreeing or cells)[0]
        ref = cell.ref()
        return LinkedCell(
            entity=ref.entity, table=ref.table, row=ref.row, column=ref.column, value=ref.value, page=ref.page
        )


def _stated_cells(f: NarrativeFact, index: Index, budget: bool) -> Iterator[Cell]:
    if links_to_table(f):
        yield from index.candidates(f.subject, budget)


def _direction(signed: str | None) -> str | None:
    if signed is None:
        return None
    d = Decimal(signed)
    return "up" if d > 0 else "down" if d < 0 else "flat"
