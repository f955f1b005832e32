"""Layouts the catalog has never seen, made from a seed: the same numbers under other words.

`retitled` gives one table a title and column headers no alias matches, as another office's
software might print it, so only the model path can say what the table is. Its ground truth keeps
the canonical table and column names: that is what a correct reading must produce.
"""

from __future__ import annotations

from budgetlens.testing.spec import Block, DocumentSpec, HeaderCell

BASIC_TITLE = "2020年度财政拨款日常运转经费支出明细（表6）"
BASIC_HEADER = [
    [HeaderCell(text="人员类支出", colspan=3), HeaderCell(text="日常公用类支出", colspan=3)],
    [HeaderCell(text=t) for t in ("编码", "名称", "金额", "编码", "名称", "金额")],
]


def retitled(spec: DocumentSpec, table: str = "一般公共预算财政拨款基本支出决算表") -> DocumentSpec:
    blocks = []
    for block in spec.blocks:
        if block.table is not None and block.table.table == table:
            new = block.table.model_copy(update={"title": BASIC_TITLE, "header": BASIC_HEADER})
            block = block.model_copy(update={"table": new})
        blocks.append(block)
    return spec.model_copy(update={"name": f"{spec.name}-retitled", "blocks": blocks})


LIVE_SENTENCE = "截止2020年，我区居民具备基本科学素质比例已达13.5%，相比2016年的10.7%提升了2.8个百分点。"


def live_sample(spec: DocumentSpec, rows: int = 2, familiar: bool = False) -> DocumentSpec:
    """A short document for a real model on a CPU: the retitled 表6 cut to its first `rows` rows
    (so its 类 rows no longer equal the sum of the 款 rows printed: checks fail on the model's
    reading, and re-extraction has work) and one narrative sentence the reader cannot place.
    `familiar` keeps the table's own title and header (the catalog reads it: an answer key)."""
    source = spec if familiar else retitled(spec)
    basic = "一般公共预算财政拨款基本支出决算表"
    table = next(b.table for b in source.blocks if b.table is not None and b.table.table == basic)
    table = table.model_copy(update={"rows": table.rows[:rows], "notes": []})
    blocks = [
        Block(type="heading", text="第二部分 2020 年度部门决算表", level=1),
        Block(type="table", table=table),
        Block(type="page_break"),
        Block(type="heading", text="第三部分 2020 年度部门决算情况说明", level=1),
        Block(type="heading", text="十三、预算绩效情况说明", level=2),
        Block(type="paragraph", text=LIVE_SENTENCE),
    ]
    name = f"{spec.name}-live" + ("-familiar" if familiar else "")
    return spec.model_copy(update={"name": name, "blocks": blocks})
