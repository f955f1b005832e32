"""Where the model is and how hard to use it: flags override environment variables.

Any OpenAI-compatible endpoint works (OpenAI, DeepSeek, Qwen/DashScope, vLLM, Ollama, llama.cpp
server); without a model name nothing is sent and the deterministic result stands alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

MODES = ("tools", "json_schema", "json", "md_json")

# flag name → environment variables, first set wins
ENVIRONMENT = {
    "base_url": ("BUDGETLENS_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("BUDGETLENS_API_KEY", "OPENAI_API_KEY"),
    "model": ("BUDGETLENS_MODEL",),
    "mode": ("BUDGETLENS_MODE",),
}


def default_cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "budgetlens" / "model"


@dataclass(frozen=True)
class Endpoint:
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    mode: str = "tools"
    timeout: float = 120.0
    http_retries: int = 4  # the openai client's own backoff on 429 / 5xx / timeouts
    reasks: int = 2  # instructor re-asks after a validation error
    concurrency: int = 4
    max_calls: int = 200  # completions per document, re-asks included
    rounds: int = 2  # re-extraction rounds
    cache: Path | None = field(default_factory=default_cache)

    @property
    def configured(self) -> bool:
        return bool(self.model)

    @property
    def extractor(self) -> str:
        return f"model:{self.model}"

    def check(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown instructor mode {self.mode!r}: use one of {', '.join(MODES)}")
        if self.concurrency < 1 or self.max_calls < 0 or self.rounds < 0 or self.reasks < 0:
            raise ValueError("concurrency must be ≥ 1; max calls, rounds and re-asks ≥ 0")


def from_env(**overrides: Any) -> Endpoint:
    """Flags (non-None overrides) over environment variables over defaults."""
    values: dict[str, Any] = {}
    for name, variables in ENVIRONMENT.items():
        found = next((os.environ[v] for v in variables if os.environ.get(v)), None)
        if found is not None:
            values[name] = found
    known = {f.name for f in fields(Endpoint)}
    values.update({k: v for k, v in overrides.items() if v is not None and k in known})
    endpoint = replace(Endpoint(), **values)
    endpoint.check()
    return endpoint
