"""What the live tests and the live cassette ask the local model about, and how.

The document is short (a retitled table cut to two rows and one narrative sentence) because a
135M-parameter model on one CPU thread reads about 110 prompt tokens and writes 20–50 answer tokens
a second: the table's prompt alone (instructions and the nine table types) is ~3000 of its tokens.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from budgetlens.llm.config import Endpoint
from budgetlens.testing.local_model import NAME, LocalModel
from budgetlens.testing.render import SEEDS, load_spec, render
from budgetlens.testing.variants import live_sample

SEED = "jianghan-2020-final"
CONTEXT = 8192  # SmolLM2's trained window: a table prompt's instructions and types take ~3000 tokens
MAX_TOKENS = 256  # small answers: these runs check behaviour, and writing the answer is the slow part


def sample_pdf(folder: Path, familiar: bool = False) -> Path:
    pdf, truth = render(live_sample(load_spec(SEEDS / f"{SEED}.json"), familiar=familiar), folder)
    truth.unlink()
    return pdf


def endpoint(server: LocalModel, **changes: Any) -> Endpoint:
    """The local server as the pipeline sees any endpoint; mode "auto" (json_schema on 127.0.0.1)."""
    base = Endpoint(
        base_url=server.base_url,
        api_key="not-needed",
        model=NAME,
        context=server.context,
        max_tokens=server.max_tokens,
        reasks=1,
        concurrency=1,  # one server slot: calls queue there anyway, and in order the prompt cache helps
        max_calls=12,
        rounds=2,
        cache=None,
        timeout=300,
        http_retries=0,
    )
    return replace(base, **changes)
