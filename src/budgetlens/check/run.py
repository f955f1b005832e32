"""Run every check on a result: the deterministic checker, no model, no PDF needed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from budgetlens.check.columns import column_identities, ratio_findings
from budgetlens.check.completeness import completeness_findings
from budgetlens.check.consistency import department_names, subject_names, years
from budgetlens.check.cross import cross_identities
from budgetlens.check.findings import SEVERITIES, Finding, distinct
from budgetlens.check.identity import Identity, judge
from budgetlens.check.narrative_checks import narrative_findings
from budgetlens.check.ocr import ocr_findings, with_ocr
from budgetlens.check.readings import unreadable_numbers
from budgetlens.check.repeats import repeated_paragraphs
from budgetlens.check.rows import row_identities, self_referencing_notes, share_findings
from budgetlens.check.scores import score_findings
from budgetlens.check.sources import with_sources
from budgetlens.check.unread import unread_findings
from budgetlens.check.view import TableView, table_views
from budgetlens.result import Result


def check(result: Result) -> list[Finding]:
    views = table_views(result)
    found = distinct(
        [*_judged(views), *_other(result, views), *ocr_findings(result, _unique(identities(views)))]
    )
    findings = with_ocr(with_sources(found, result.facts, result.verdicts), result)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], _first_page(f)))


def _judged(views: list[TableView]) -> Iterator[Finding]:
    for identity in _unique(identities(views)):
        finding = judge(identity)
        if finding is not None:
            yield finding


def identities(views: list[TableView]) -> Iterator[tuple[str, Identity]]:
    """Every identity the tables promise, with its direction (column / row / cross), judged or not."""
    for view in views:
        yield from (("column", i) for i in column_identities(view))
        yield from (("row", i) for i in row_identities(view))
    yield from (("cross", i) for i in cross_identities(views))


def _unique(identities: Iterable[tuple[str, Identity]]) -> Iterator[Identity]:
    """One identity per target cell and direction: a printed formula wins over an inferred one."""
    seen_targets: set[tuple[object, ...]] = set()
    seen: set[tuple[object, ...]] = set()
    for axis, identity in identities:
        key = identity.key()
        target = (axis, *key[:4])
        if key in seen or (
            axis != "cross" and target in seen_targets and not identity.check.startswith("sum.codes")
        ):
            continue
        seen.add(key)
        seen_targets.add(target)
        yield identity


def _other(result: Result, views: list[TableView]) -> Iterator[Finding]:
    for view in views:
        yield from self_referencing_notes(view)
        yield from share_findings(view)
        yield from ratio_findings(view)
    yield from score_findings(result, views)
    yield from repeated_paragraphs(result)
    yield from subject_names(views)
    yield from department_names(result)
    yield from years(result, views)
    yield from completeness_findings(result, views)
    yield from narrative_findings(result, views)
    yield from unreadable_numbers(result)
    yield from unread_findings(result)


def _first_page(finding: Finding) -> int:
    return min((c.page for c in finding.cells), default=0)
