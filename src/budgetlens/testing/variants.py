"""Layouts the catalog has never seen, made from a seed: the same numbers under other words.

`retitled` gives one table a title and column headers no alias matches, as another office's
software might print it, so only the model path can say what the table is. Its ground truth keeps
the canonical table and column names: that is what a correct reading must produce.
"""

from __future__ import annotations

from budgetlens.testing.spec import DocumentSpec, HeaderCell

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
