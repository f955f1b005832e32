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
from budgetlens.testing.oracle import example_rules
from budgetlens.testing.render import SEEDS, load_spec, render
from budgetlens.testing.scripted_server import ScriptedServer
from budgetlens.testing.variants import retitled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "jianghan-2020-final-retitled.pdf"
CASSETTES = ROOT / "cassettes" / "example"


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
    with ScriptedServer(example_rules()) as server:
        sys.exit(record(server.base_url, "scripted-example", "sk-scripted-not-a-key"))
