"""Where the model is and how hard to use it: flags override environment variables.

Any OpenAI-compatible endpoint works (OpenAI, DeepSeek, Qwen/DashScope, vLLM, Ollama, llama.cpp
server); without a model name nothing is sent and the deterministic result stands alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

MODES = ("auto", "tools", "json_schema", "json", "md_json")

# flag name → environment variables, first set wins
ENVIRONMENT = {
    "base_url": ("BUDGETLENS_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("BUDGETLENS_API_KEY", "OPENAI_API_KEY"),
    "model": ("BUDGETLENS_MODEL",),
    "mode": ("BUDGETLENS_MODE",),
    "context": ("BUDGETLENS_CONTEXT",),
    "max_tokens": ("BUDGETLENS_MAX_TOKENS",),
}
NUMBERS = ("context", "max_tokens")


def default_cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "budgetlens" / "model"


@dataclass(frozen=True)
class Endpoint:
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    mode: str = "auto"  # the instructor mode; "auto" picks one from the endpoint (llm/modes.py)
    timeout: float = 120.0
    http_retries: int = 4  # the openai client's own backoff on 429 / 5xx / timeouts
    reasks: int = 2  # instructor re-asks after a validation error
    concurrency: int = 4
    max_calls: int = 200  # completions per document, re-asks included
    rounds: int = 2  # re-extraction rounds
    cache: Path | None = field(default_factory=default_cache)
    context: int | None = None  # the endpoint's context window in tokens: longer prompts are split
    max_tokens: int | None = None  # bound on each answer (sent as max_tokens); None: the server's own

    @property
    def configured(self) -> bool:
        return bool(self.model)

    @property
    def extractor(self) -> str:
        return f"model:{self.model}"

    @property
    def instructor_mode(self) -> str:
        """The mode requests are made in: the one set, or the one that fits the endpoint."""
        from budgetlens.llm.modes import pick_mode

        return pick_mode(self.base_url) if self.mode == "auto" else self.mode

    def check(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown instructor mode {self.mode!r}: use one of {', '.join(MODES)}")
        if self.concurrency < 1 or self.max_calls < 0 or self.rounds < 0 or self.reasks < 0:
            raise ValueError("concurrency must be ≥ 1; max calls, rounds and re-asks ≥ 0")
        context, answer = self.context, self.max_tokens
        if (context is not None and context < 256) or (answer is not None and answer < 16):
            raise ValueError("a context under 256 tokens or max tokens under 16 leaves no room to answer")
        if context is not None and answer is not None and answer >= context // 2:
            raise ValueError(f"max tokens {answer} leave too little of a {context}-token context for prompts")


def from_env(**overrides: Any) -> Endpoint:
    """Flags (non-None overrides) over environment variables over defaults."""
    values: dict[str, Any] = {}
    for name, variables in ENVIRONMENT.items():
        found = next((os.environ[v] for v in variables if os.environ.get(v)), None)
        if found is not None:
            values[name] = _number(name, found) if name in NUMBERS else found
    known = {f.name for f in fields(Endpoint)}
    values.update({k: v for k, v in overrides.items() if v is not None and k in known})
    endpoint = replace(Endpoint(), **values)
    endpoint.check()
    return endpoint


def _number(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{ENVIRONMENT[name][0]} must be a whole number of tokens, not {text!r}") from None
