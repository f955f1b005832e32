"""Record cassettes/example/ : an LLM-assisted run of the bundled retitled example, offline.

    python scripts/record_example.py            # against the scripted local server (what is shipped)
    BUDGETLENS_MODEL=… BUDGETLENS_BASE_URL=… BUDGETLENS_API_KEY=… python scripts/record_example.py --live

The shipped recording's answers are scripted (src/budgetlens/testing/oracle.py), not a model's.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from budgetlens.cli import main
from budgetlens.pipeline import read_document
from budgetlens.testing.oracle import reread, table_answer, table_cells
from budgetlens.testing.render import SEEDS, load_spec, render
from budgetlens.testing.scripted_server import Reply, Rule, ScriptedServer
from budgetlens.testing.variants import BASIC_TITLE, retitled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "jianghan-2020-final-retitled.pdf"
CASSETTES = ROOT / "cassettes" / "example"
BASIC = "一般公共预算财政拨款基本支出决算表"


def rules() -> list[Rule]:
    with tempfile.TemporaryDirectory() as tmp:
        familiar, _ = render(load_spec(SEEDS / "jianghan-2020-final.json"), Path(tmp))
        table = next(s.table for s in read_document(familiar).sections if s.table and s.table.name == BASIC)
    right = table_answer(table, "final.basic")
    bad_code = {**right, "rows": [{**right["rows"][0], "code": "3O1"}, *right["rows"][1:]]}
    wrong = _wrong_neighbour(right, "30101")
    return [
        Rule("A check of the extracted data failed", reread(table_cells(table))),
        Rule(BASIC_TITLE, [Reply(answer=bad_code), Reply(answer=wrong)]),
        Rule("rebuilt from the page", [Reply(answer={"kind": "other", "unit": None, "rows": []})]),
        Rule("numbered sentences", [Reply(raw='{"figures": [}'), Reply(answer={"figures": []})]),
    ]


def _wrong_neighbour(answer: dict, code: str) -> dict:
    """30101's value taken from the next block's cell in the same printed row (a real slip)."""
    rows = [dict(r) for r in answer["rows"]]
    target = next(r for r in rows if r["code"] == code)
    (path, pick), = target["values"].items()
    row = pick["cell"].split("c")[0]
    other = next(v for r in rows if r["block"] != target["block"] for v in r["values"].values() if v["cell"].startswith(row + "c"))
    target["values"] = {path: other}
    return {**answer, "rows": rows}


def record(base_url: str, model: str, api_key: str) -> int:
    out = Path(tempfile.mkdtemp())
    args = ["extract", str(EXAMPLE), "-o", str(out), "--record", str(CASSETTES)]
    return main([*args, "--model", model, "--base-url", base_url, "--api-key", api_key, "--concurrency", "1"])


if __name__ == "__main__":
    if not EXAMPLE.exists():
        render(retitled(load_spec(SEEDS / "jianghan-2020-final.json")), EXAMPLE.parent)
        EXAMPLE.with_suffix(".facts.jsonl").unlink(missing_ok=True)
    if "--live" in sys.argv:
        sys.exit(record("", "", ""))  # flags empty: the environment decides
    with ScriptedServer(rules()) as server:
        sys.exit(record(server.base_url, "scripted-example", "sk-scripted-not-a-key"))
