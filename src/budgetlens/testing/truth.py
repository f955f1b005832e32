"""Ground truth of a fixture table, derived from what its columns and rows *are* (the spec),
not from geometry: an independent statement of the facts.jsonl contract to test the reader against."""

from __future__ import annotations

import re
from collections import Counter

from budgetlens.amounts import is_code, quantity, unit_in
from budgetlens.catalog.titles import printed_name
from budgetlens.chunk.measures import column_unit
from budgetlens.chunk.outline import numbered_level
from budgetlens.chunk.text import squeeze, strip_enumerator
from budgetlens.testing.spec import TableSpec, placements


def header_paths(spec: TableSpec) -> list[list[str]]:
    """Per leaf column, the header texts covering it, top first; the contract's top-level rule applied."""
    n = len(spec.roles)
    paths: list[list[tuple[int, str]]] = [[] for _ in range(n)]
    for _, c, cell in placements(spec.header):
        text = squeeze(cell.text)
        for dc in range(cell.colspan):
            if text and (not paths[c + dc] or paths[c + dc][-1][1] != text):
                paths[c + dc].append((id(cell), text))
    values = [i for i, role in enumerate(spec.roles) if role == "value"]
    drop = 0
    while (
        values
        and all(len(paths[i]) > drop + 1 for i in values)
        and len({paths[i][drop][0] for i in values}) == 1
    ):
        drop += 1
    out = []
    for i in range(n):
        texts = [t for _, t in paths[i]]
        out.append(texts[drop:] if i in values else texts)
    if spec.sides:
        for i in values:
            if not out[i] or out[i][0] != spec.sides[i]:
                out[i] = [spec.sides[i], *out[i]]
    return out


def groups(spec: TableSpec) -> list[int]:
    """Side-by-side column groups: a code/label column after a value column starts a new group."""
    out, group, seen_value = [], 0, False
    for role in spec.roles:
        if role in ("code", "label") and seen_value:
            group, seen_value = group + 1, False
        seen_value = seen_value or role == "value"
        out.append(group)
    return out


def row_keys(spec: TableSpec) -> dict[tuple[int, int], str]:
    """Per row and column group: the code, else the label of the column naming the rows (the one with
    the most distinct labels); a label printed more than once is prefixed by its parent: the outer
    label over it (a column further left), else the row above it one numbering level up."""
    grp = groups(spec)
    keys: dict[tuple[int, int], str] = {}
    for g in sorted(set(grp)):
        named = _named_rows(spec, [i for i in range(len(spec.roles)) if grp[i] == g])
        counts = Counter(k for k, _, coded in named.values() if not coded)
        seen: set[str] = set()
        previous = None
        for r, (key, parent, coded) in named.items():
            parent = parent or (previous if key in seen else None)
            if not coded and counts[key] > 1 and key != "…" and parent:
                key = f"{parent}.{key}"
            elif key not in seen:
                previous = key
            seen.add(key)
            keys[(r, g)] = key
    has_label = any(row[i] for row in spec.rows for i, r in enumerate(spec.roles) if r in ("code", "label"))
    if len(spec.rows) == 1 and not has_label:
        keys.update({(0, g): "合计" for g in set(grp)})
    return keys


def _named_rows(spec: TableSpec, cols: list[int]) -> dict[int, tuple[str, str | None, bool]]:
    """Row → (own key, parent label, keyed by code) for the rows of one column group that are named."""
    labels = [i for i in cols if spec.roles[i] == "label"]
    codes = [i for i in cols if spec.roles[i] == "code"]
    distinct = [len({squeeze(row[i]) for row in spec.rows} - {""}) for i in labels]
    k = max(range(len(labels)), key=lambda n: (distinct[n], -n)) if labels else 0
    outer = labels[:k]
    context: dict[int, str] = {}
    levels: list[tuple[int, str]] = []  # numbered rows so far: (level, bare label)
    out: dict[int, tuple[str, str | None, bool]] = {}
    for r, row in enumerate(spec.rows):
        code = next((squeeze(row[i]) for i in codes if is_code(squeeze(row[i]))), "")
        in_code = "".join(squeeze(row[i]) for i in codes if not is_code(squeeze(row[i])))  # '合计' across
        for j, i in enumerate(outer):
            if squeeze(row[i]):
                context = {n: t for n, t in context.items() if n < j} | {j: squeeze(row[i])}
        own = squeeze(row[labels[k]]) if labels else ""
        by = (
            len(outer)
            if own
            else next((j for j in reversed(range(len(outer))) if squeeze(row[outer[j]])), None)
        )
        label = in_code + own if own or in_code else squeeze(row[outer[by]]) if by is not None else ""
        if not code and not label:
            continue
        above = [t for n, t in sorted(context.items()) if by is None or n < by]
        parent = _bare(above[-1]) if above else None
        level = numbered_level(label)
        if not outer and level is not None:
            parent = next((t for lv, t in reversed(levels) if lv < level), None)
            levels.append((level, _bare(label)))
        out[r] = (code or re.sub("…+", "…", _bare(label)), parent, bool(code))
    return out


def _unit(path: list[str], money: str) -> str:
    """The cell's unit: its column's own (a share, a count: chunk.measures), else the table's money unit."""
    own = column_unit(path)
    return money if own is None else own


def _bare(label: str) -> str:
    return squeeze(strip_enumerator(squeeze(label)))


def table_name(spec: TableSpec, first_page: int) -> str:
    """The canonical name, else the title as printed without numbering, else where it starts (each
    fixture table starts a page: it is that page's first grid)."""
    return spec.table or printed_name(spec.title) or f"p{first_page}#1"


def table_truth(spec: TableSpec, pages: list[int], entity: str) -> list[dict[str, object]]:
    """One fact per numeric cell; ``pages[r]`` is the page data row r is printed on."""
    if not pages or spec.form:
        return []
    table = table_name(spec, pages[0])
    paths, grp, keys = header_paths(spec), groups(spec), row_keys(spec)
    unit = unit_in(spec.unit or "") or ""
    facts: list[dict[str, object]] = []
    for r, row in enumerate(spec.rows):
        for i, text in enumerate(row):
            q = quantity(text)
            if spec.roles[i] != "value" or q is None:
                continue
            facts.append(
                {
                    "entity": entity,
                    "table": table,
                    "row": keys.get((r, grp[i]), f"#{r + 1}"),
                    "column": ".".join(paths[i]),
                    "value": q.number,
                    "unit": q.unit or _unit(paths[i], unit),
                    "bound": q.bound,
                    "page": pages[r],
                }
            )
    return facts
