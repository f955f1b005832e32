"""Which instructor mode an endpoint takes, and what to say when it refuses one.

Self-hosted servers (llama.cpp, vLLM, Ollama, LM Studio) turn a `json_schema` response format into
a grammar, so their output always parses; their tool calling depends on the model's chat template
(llama.cpp answers a small model's forced tool call with plain text). The hosted APIs named below
support forced tool calls, and DeepSeek has no `json_schema` response format at all, so they get
`tools`. Anything else is taken to be self-hosted.
"""

from __future__ import annotations

from urllib.parse import urlparse

from budgetlens.errors import BudgetlensError

TOOLS_HOSTS = ("api.openai.com", "openai.azure.com", "api.deepseek.com", "dashscope.aliyuncs.com",
               "dashscope-intl.aliyuncs.com")  # fmt: skip

# words of a 4xx answer that refuses the request's shape rather than its content
_REFUSAL_WORDS = {
    "tools": ("tool_choice", "tools", "function"),
    "json_schema": ("response_format", "json_schema", "grammar", "schema"),
    "json": ("response_format", "json_object"),
    "md_json": (),
}
_CONTEXT_WORDS = ("context", "too long", "maximum", "exceed")


class ModeRefused(BudgetlensError):
    """The endpoint refused the instructor mode every request is made in: stop, and say what to use."""


def pick_mode(base_url: str | None) -> str:
    host = urlparse(base_url or "https://api.openai.com/v1").hostname or ""
    return "tools" if any(host == h or host.endswith("." + h) for h in TOOLS_HOSTS) else "json_schema"


def refusal(mode: str, status: int | None, message: str) -> ModeRefused | None:
    """A ModeRefused when an HTTP error answer refuses `mode` itself, else None."""
    text = message.lower()
    if status not in (400, 404, 415, 422, 501) or any(w in text for w in _CONTEXT_WORDS):
        return None
    if not any(w in text for w in _REFUSAL_WORDS.get(mode, ())):
        return None
    return ModeRefused(
        f"the endpoint refused instructor mode {mode!r} ({' '.join(message.split())[:200]}); choose "
        "another with --mode: json_schema for llama.cpp, vLLM and Ollama, tools for OpenAI, DeepSeek and "
        "Qwen; json or md_json where neither is supported"
    )


def explain(mode: str, error: str) -> str:
    """The reason a call failed, with what to do when it is the endpoint's, not the answer's."""
    text = error.lower()
    if "no tool calls" in text and mode == "tools":
        return f"{error} — the endpoint answered without a tool call: try --mode json_schema"
    if any(w in text for w in ("exceed_context", "context size", "context length", "maximum context")):
        return f"{error} — the prompt is longer than the endpoint's context window: set --context to split it"
    return error
