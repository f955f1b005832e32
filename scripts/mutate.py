"""Mutation benchmark: change one printed number of a fixture document and see whether the checker notices.

    python scripts/mutate.py [--mutations 240] [--seed 7] [--jobs 2] [--style lines|rects] [--rotate]
                             [--show 20] [--json out/mutations.json]

Every seed spec (budgetlens/testing/seeds/*.json) is rendered unmutated (the baseline) and then once per
mutation with one printed number changed: a numeric cell of a recognised table, or an amount (万元/元) or
percentage printed in a narrative paragraph, picked uniformly within its document; the mutations are
spread evenly over the documents. One digit is replaced so that the printed value moves by at least two
units of its last printed digit (one unit can be rounding, DOMAIN.md) and the format is kept. The
mutated PDF is read and checked again.

- caught: the mutated document has a finding the baseline has not (same check, severity and cells) that
  names the changed cell, or a narrative sentence holding the changed number.
- breaks a promise: decided without reading the mutated PDF. On the baseline's reading, the checker's
  identities that hold (or hold up to an `info` grade) are collected; the mutation breaks a promise when
  one of them that contains the cell fails (warning or error) once only that value is replaced. A
  narrative number breaks a promise when `check()` on the baseline reading, with only that number
  replaced in the text, reports it; without a narrative check none does ("unconstrained").
- ideal: `check()` on the baseline reading with the value replaced. A miss that the ideal reading
  catches comes from reading the mutated PDF; one it does not catch comes from the checker itself.

Figures: share of promise-breaking mutations caught (Wilson 95 % interval), error findings on the
unmutated documents, and the misses. Exit status is always 0: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from multiprocessing import Pool
from pathlib import Path

from budgetlens.amounts import is_amount, normalise
from budgetlens.check.findings import CellRef, Finding, TextRef, counts
from budgetlens.check.identity import Identity, judge
from budgetlens.check.run import check, identities
from budgetlens.check.view import table_views
from budgetlens.evaluate import Comparison, compare, load_facts
from budgetlens.evaluate import key as fact_key
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.testing.render import Style, load_spec, render, seed_specs
from budgetlens.testing.spec import DocumentSpec
from budgetlens.testing.truth import groups, header_paths, row_keys

CellKey = tuple[str, str, str]  # (table, row, column) as in facts.jsonl
NARRATIVE_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?=\s*(?:亿元|万元|千元|元|%|％))"
)
BLOCKING = ("error", "warning")


# -- where a number can be changed ----------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One printed number of the spec: a table cell (``key`` set) or a number inside a paragraph."""

    block: int
    start: int  # span of the number in the cell / paragraph text
    end: int
    text: str  # the number as printed
    row: int = -1  # table cells: data row and leaf column
    col: int = -1
    key: CellKey | None = None
    occurrence: int = 0  # narrative: equal numbers printed before it in the narrative
    total: int = 1  # narrative: equal numbers printed in the whole narrative

    def where(self) -> str:
        return " / ".join(self.key) if self.key else f"paragraph {self.block}"


def sites(spec: DocumentSpec) -> list[Site]:
    return [*table_sites(spec), *narrative_sites(spec)]


def table_sites(spec: DocumentSpec) -> Iterator[Site]:
    for b, block in enumerate(spec.blocks):
        table = block.table
        if block.type != "table" or table is None or table.table is None:
            continue
        paths, grp, keys = header_paths(table), groups(table), row_keys(table)
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                number = text.strip()
                if table.roles[c] != "value" or not is_amount(number):
                    continue
                start = text.index(number)
                key = (table.table, keys.get((r, grp[c]), f"#{r + 1}"), ".".join(paths[c]))
                yield Site(b, start, start + len(number), number, r, c, key)


def narrative_sites(spec: DocumentSpec) -> list[Site]:
    found = [
        (b, m)
        for b, block in enumerate(spec.blocks)
        if block.type == "paragraph"
        for m in NARRATIVE_NUMBER.finditer(block.text)
    ]
    totals = Counter(bare(m.group()) for _, m in found)
    seen: Counter[str] = Counter()
    out = []
    for b, m in found:
        number = bare(m.group())
        out.append(Site(b, m.start(), m.end(), m.group(), occurrence=seen[number], total=totals[number]))
        seen[number] += 1
    return out


def bare(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


# -- changing one digit ---------------------------------------------------------------------------


def digit_changes(text: str) -> list[tuple[int, str, int]]:
    """(position, new digit, change in units of the last printed digit) for every change of at least
    two units that keeps the format (no new leading zero)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    integer_digits = sum(ch.isdigit() for ch in text.split(".")[0])
    out = []
    for n, i in enumerate(digits):
        weight = 10 ** (len(digits) - 1 - n)
        for d in "0123456789":
            units = abs(int(d) - int(text[i])) * weight
            if units >= 2 and not (n == 0 and integer_digits > 1 and d == "0"):
                out.append((i, d, units))
    return out


def mutated(spec: DocumentSpec, site: Site, new: str) -> DocumentSpec:
    out = spec.model_copy(deep=True)
    block = out.blocks[site.block]
    if site.key is None:
        block.text = block.text[: site.start] + new + block.text[site.end :]
    else:
        assert block.table is not None
        row = block.table.rows[site.row]
        row[site.col] = row[site.col][: site.start] + new + row[site.col][site.end :]
    return out


# -- the baseline and what it promises ------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How the fixtures are rendered (budgetlens.testing.render)."""

    style: Style
    rotate: bool  # landscape pages stored as portrait pages with /Rotate

    def __str__(self) -> str:
        return f"style {self.style}" + (", landscape pages rotated" if self.rotate else "")


@dataclass
class Baseline:
    name: str
    spec: DocumentSpec
    result: Result
    comparison: Comparison
    finding_keys: set[tuple[object, ...]]
    holding: dict[tuple[object, ...], Identity]  # identities that hold, by Identity.key()
    promised: set[CellKey]  # cells of at least one holding identity


@functools.cache
def baseline(path: str, layout: Layout) -> Baseline:
    spec = load_spec(Path(path))
    result, truth = read_rendered(spec, layout)
    holding = {i.key(): i for _, i in identities(table_views(result)) if holds(i)}
    promised = {cell for i in holding.values() for cell in identity_cells(i)}
    keys = {finding_key(f) for f in result.findings}
    return Baseline(spec.name, spec, result, compare(facts_of(result), truth), keys, holding, promised)


def read_rendered(spec: DocumentSpec, layout: Layout) -> tuple[Result, list[dict[str, object]]]:
    with tempfile.TemporaryDirectory() as tmp:
        pdf, truth = render(spec, Path(tmp), style=layout.style, rotate_landscape=layout.rotate)
        return read_document(pdf), load_facts(truth)


def facts_of(result: Result) -> list[dict[str, object]]:
    return [f.contract(result.document.doc) for f in result.facts]


def holds(identity: Identity) -> bool:
    """Holds, or only graded `info` (one unit apart across tables, truncation): consistent."""
    finding = judge(identity)
    return finding is None or finding.severity == "info"


def identity_cells(identity: Identity) -> set[CellKey]:
    terms = [identity.terms, *identity.alternatives]  # a cell of another reading can break it too
    refs = [identity.target, *(r for reading in terms for _, r in reading)]
    return {(r.view.name, r.line.key, r.column) for r in refs if not r.blank}


def brokenidentities(base: Baseline, key: CellKey, new: str) -> list[str]:
    """Checks of the holding identities with the cell that fail once its value is replaced."""
    result = with_cell(base.result, key, new)
    if result is None:
        return []
    out = set()
    for _, identity in identities(table_views(result)):
        if identity.key() in base.holding and key in identity_cells(identity):
            finding = judge(identity)
            if finding is not None and finding.severity in BLOCKING:
                out.add(f"{finding.severity} {finding.check}")
    return sorted(out)


def with_cell(result: Result, key: CellKey, new: str) -> Result | None:
    """The result with one fact's value replaced; None when that cell was not read."""
    facts = [
        f.model_copy(update={"value": normalise(new), "text": new}) if fact_key(f.contract("")) == key else f
        for f in result.facts
    ]
    if facts == result.facts:
        return None
    return result.model_copy(update={"facts": facts})


def with_number(result: Result, site: Site, new: str) -> Result | None:
    """The result with one narrative number replaced; None when the reading does not show it as often
    as the spec prints it (then it cannot be located)."""
    spots = [
        (s, p, m)
        for s, section in enumerate(result.sections)
        for p, paragraph in enumerate(section.paragraphs)
        for m in NARRATIVE_NUMBER.finditer(paragraph.text)
        if bare(m.group()) == bare(site.text)
    ]
    if len(spots) != site.total:
        return None
    s, p, m = spots[site.occurrence]
    section = result.sections[s]
    paragraph = section.paragraphs[p]
    text = paragraph.text[: m.start()] + bare(new) + paragraph.text[m.end() :]
    paragraphs = list(section.paragraphs)
    paragraphs[p] = paragraph.model_copy(update={"text": text})
    sections = list(result.sections)
    sections[s] = section.model_copy(update={"paragraphs": paragraphs})
    return result.model_copy(update={"sections": sections})


# -- findings that name the change ----------------------------------------------------------------


def finding_key(finding: Finding) -> tuple[object, ...]:
    return (finding.check, finding.severity, frozenset(ref_key(c) for c in finding.cells))


def ref_key(ref: CellRef | TextRef) -> tuple[str, ...]:
    if isinstance(ref, CellRef):
        return ("cell", ref.table, ref.row, ref.column)
    mask = functools.partial(re.sub, r"\d", "#")  # a mutation keeps the digit count: same sentence
    return ("text", ref.section, mask(bare(ref.text)), mask(bare(ref.value)))


def names_change(finding: Finding, site: Site, new: str) -> bool:
    if site.key is not None:
        return any(isinstance(c, CellRef) and (c.table, c.row, c.column) == site.key for c in finding.cells)
    number = re.compile(rf"(?<![\d.]){re.escape(bare(new))}(?!\d)")
    return any(
        isinstance(c, TextRef) and (number.search(bare(c.text)) or number.search(bare(c.value)))
        for c in finding.cells
    )


def new_findings(findings: Iterable[Finding], base: Baseline, site: Site, new: str) -> list[Finding]:
    return [f for f in findings if finding_key(f) not in base.finding_keys and names_change(f, site, new)]


# -- one mutation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    path: str
    layout: Layout
    site: Site
    new: str
    units: int


@dataclass
class Record:
    doc: str
    kind: str  # cell | narrative
    where: str
    old: str
    new: str
    units: int
    promised: bool | None  # cell in a holding identity / narrative number linked by a check; None:
    # the baseline reading does not show the narrative number where the spec prints it
    breaks: list[str]  # holding identities that fail (cells); ideal findings (narrative)
    ideal: list[str]  # new findings of check() on the baseline reading with the value replaced
    caught: list[str]  # new findings of the mutated document naming the change, "severity check"
    read_exact: bool | None  # the changed number read exactly (None: cannot tell)
    misread: int  # other cells read differently than in the baseline

    @property
    def category(self) -> str:
        if self.breaks:
            return "breaks a promise"
        if self.kind == "cell":
            return "within rounding" if self.promised else "cell in no holding identity"
        if self.promised is None:
            return "narrative, not found in the baseline reading"
        if self.ideal:
            return "narrative, graded info on the ideal reading (truncation, zero base)"
        return "narrative, nothing flagged on the ideal reading (no link, or still consistent)"

    @property
    def caught_blocking(self) -> bool:
        return blocking(self.caught)

    def diagnosis(self) -> str:
        if not self.read_exact or self.misread:
            return "extraction"
        if not blocking(self.ideal):
            return "checker (the baseline reading with the value replaced is not flagged either)"
        return "attribution (the ideal reading is flagged, the mutated PDF is not)"


def labels(findings: Iterable[Finding]) -> list[str]:
    return [f"{f.severity} {f.check}" for f in findings]


def blocking(found: list[str]) -> bool:
    """Any of the "severity check" labels is a warning or an error."""
    return any(label.split()[0] in BLOCKING for label in found)


def run(task: Task) -> Record:
    base = baseline(task.path, task.layout)
    site, new = task.site, task.new
    result, truth = read_rendered(mutated(base.spec, site, new), task.layout)
    ideal_result = with_cell(base.result, site.key, new) if site.key else with_number(base.result, site, new)
    ideal = labels(new_findings(check(ideal_result), base, site, new)) if ideal_result is not None else None
    promised, breaks = promise(base, site, new, ideal)
    comparison = compare(facts_of(result), truth)
    return Record(
        doc=base.name,
        kind="narrative" if site.key is None else "cell",
        where=site.where() if site.key else f"{site.where()}: …{context(base.spec, site)}…",
        old=site.text,
        new=new,
        units=task.units,
        promised=promised,
        breaks=breaks,
        ideal=ideal or [],
        caught=labels(new_findings(result.findings, base, site, new)),
        read_exact=read_exact(result, comparison, site, new),
        misread=len(inexact(comparison) - inexact(base.comparison) - ({site.key} if site.key else set())),
    )


def promise(base: Baseline, site: Site, new: str, ideal: list[str] | None) -> tuple[bool | None, list[str]]:
    """(promised, what breaks): holding identities for a cell; for a narrative number, what the
    checker reports on the baseline reading with the number replaced (None: not found there)."""
    if site.key is not None:
        return site.key in base.promised, brokenidentities(base, site.key, new)
    if ideal is None:
        return None, []
    breaks = [label for label in ideal if blocking([label])]
    return bool(breaks), breaks


def context(spec: DocumentSpec, site: Site, width: int = 14) -> str:
    text = spec.blocks[site.block].text
    return text[max(0, site.start - width) : site.end + 4]


def inexact(comparison: Comparison) -> set[CellKey]:
    bad = [*comparison.missing, *(g for g, _ in comparison.wrong), *comparison.extra]
    return {fact_key(f) for f in bad}


def read_exact(result: Result, comparison: Comparison, site: Site, new: str) -> bool | None:
    if site.key is not None:
        return site.key not in inexact(comparison)
    spots = [
        m
        for section in result.sections
        for paragraph in section.paragraphs
        for m in NARRATIVE_NUMBER.finditer(paragraph.text)
        if bare(m.group()) == bare(new)
    ]
    return bool(spots) or None


# -- choosing the mutations -----------------------------------------------------------------------


def plan(paths: list[Path], n: int, seed: int, layout: Layout) -> list[Task]:
    """Mutations spread evenly over the documents; no mutation twice."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    for d, path in enumerate(paths):
        candidates, want = sites(load_spec(path)), n // len(paths) + (d < n % len(paths))
        want = min(want, sum(len(digit_changes(site.text)) for site in candidates))
        seen: set[tuple[Site, str]] = set()
        while len(seen) < want:
            site = rng.choice(candidates)
            i, digit, units = rng.choice(digit_changes(site.text))
            new = site.text[:i] + digit + site.text[i + 1 :]
            if (site, new) not in seen:
                seen.add((site, new))
                tasks.append(Task(str(path), layout, site, new, units))
    return tasks


def execute(tasks: list[Task], jobs: int) -> list[Record]:
    if jobs <= 1:
        return [run(t) for t in tasks]
    with Pool(jobs) as pool:
        return pool.map(run, tasks, chunksize=1)


# -- the report -----------------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, centre - half), min(1.0, centre + half)


def share(k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    pct = f"{k / n:.1%}" if n else "n/a"
    return f"{k}/{n} = {pct} (Wilson 95 %: {lo:.1%} – {hi:.1%})"


def report_baselines(bases: list[Baseline]) -> int:
    print("baseline: the unmutated documents")
    print(
        f"  {'document':26} {'pages':>5} {'cells exact':>16} {'errors':>6} {'warn':>5} {'info':>5} promised"
    )
    for b in bases:
        c, cells = counts(b.result.findings), b.comparison
        exact = f"{cells.exact}/{cells.gold}" + (f" +{len(cells.extra)}" if cells.extra else "")
        print(
            f"  {b.name:26} {b.result.summary.pages:5d} {exact:>16} {c['error']:6d} {c['warning']:5d} "
            f"{c['info']:5d} {len(b.promised)}/{cells.gold} cells in a holding identity"
        )
    errors = [(b.name, f) for b in bases for f in b.result.findings if f.severity == "error"]
    print(f"  error findings on the unmutated documents: {len(errors)}")
    for name, f in errors:
        print(f"    {name}: {f.check}: {f.message}")
    return len(errors)


def report_documents(records: list[Record]) -> None:
    print("\nmutations per document")
    header = f"  {'document':26} {'all':>4} {'cells':>5} {'narr.':>5} {'breaks':>6} {'caught':>6}"
    print(f"{header} {'no break':>8} {'(caught)':>8}")
    for doc in sorted({r.doc for r in records}):
        rs = [r for r in records if r.doc == doc]
        breaking = [r for r in rs if r.breaks]
        loose = [r for r in rs if not r.breaks]
        print(
            f"  {doc:26} {len(rs):4d} {sum(r.kind == 'cell' for r in rs):5d} "
            f"{sum(r.kind == 'narrative' for r in rs):5d} {len(breaking):6d} "
            f"{sum(r.caught_blocking for r in breaking):6d} {len(loose):8d} "
            f"{sum(r.caught_blocking for r in loose):8d}"
        )


def report_figures(records: list[Record]) -> list[Record]:
    breaking = [r for r in records if r.breaks]
    print("\nfigures")
    print(f"  promise-breaking mutations caught (error/warning): {share(*caught(breaking, blocking=True))}")
    print(f"  … counting info findings too:                     {share(*caught(breaking, blocking=False))}")
    for category, n in Counter(r.category for r in records if not r.breaks).most_common():
        hits = caught([r for r in records if r.category == category])[0]
        print(f"  {category}: {n}, caught anyway: {hits}")
    changed = [r for r in records if r.read_exact is False or r.misread]
    print(f"  mutations that changed the extraction: {len(changed)}")
    for r in changed:
        print(f"    {r.doc} {r.where}: {r.old} → {r.new} (read exactly: {r.read_exact}, others: {r.misread})")
    return [r for r in breaking if not r.caught_blocking]


def caught(records: list[Record], blocking: bool = True) -> tuple[int, int]:
    hits = sum(r.caught_blocking if blocking else bool(r.caught) for r in records)
    return hits, len(records)


def report_misses(misses: list[Record], show: int) -> None:
    print(f"\nmisses: {len(misses)} promise-breaking mutations without a new error/warning naming them")
    for why, n in Counter(r.diagnosis() for r in misses).most_common():
        print(f"  {n:4d}  {why}")
    for r in misses[:show]:
        found = ", ".join(r.caught) or "no new finding"
        print(f"  {r.doc} {r.where}: {r.old} → {r.new} ({r.units} units); breaks {', '.join(r.breaks)}")
        print(f"      mutated document: {found}; ideal reading: {', '.join(r.ideal) or 'nothing'}")


def report_unpromised(records: list[Record], show: int) -> None:
    """The mutations that break no promise: identities and links the checker lacks, or rounding."""
    tables = Counter(
        f"{r.doc} {r.where.split(' / ')[0]}" for r in records if r.category == "cell in no holding identity"
    )
    if tables:
        print("\ncells in no holding identity, by table")
        for where, n in tables.most_common(show):
            print(f"  {n:4d}  {where}")
    for category in sorted(
        {r.category for r in records} - {"breaks a promise", "cell in no holding identity"}
    ):
        listed = [r for r in records if r.category == category]
        if listed:
            print(f"\n{category} (first {min(show, len(listed))} of {len(listed)})")
        for r in listed[:show]:
            print(f"  {r.doc} {r.where}: {r.old} → {r.new} ({r.units} units)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mutations", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--style", choices=["lines", "rects"], default="lines", help="table borders")
    parser.add_argument("--rotate", action="store_true", help="landscape pages stored with /Rotate")
    parser.add_argument("--show", type=int, default=20, help="misses to list")
    parser.add_argument("--json", type=Path, help="write one record per mutation here")
    args = parser.parse_args()
    started = time.perf_counter()
    paths = [p for p in seed_specs() if any(b.table for b in load_spec(p).blocks)]  # mutations are of tables
    if len(paths) < 3:
        print(f"warning: only {len(paths)} seed documents; the benchmark asks for at least 3")
    layout = Layout(args.style, args.rotate)
    tasks = plan(paths, args.mutations, args.seed, layout)
    print(f"{len(tasks)} mutations over {len(paths)} documents (seed {args.seed}, {layout})\n")
    baseline_errors = report_baselines([baseline(str(p), layout) for p in paths])
    records = execute(tasks, args.jobs)
    report_documents(records)
    misses = report_figures(records)
    report_misses(misses, args.show)
    report_unpromised(records, args.show)
    print(f"\nerror findings on the unmutated documents: {baseline_errors}")
    print(f"wall time {time.perf_counter() - started:.0f} s with {args.jobs} jobs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
