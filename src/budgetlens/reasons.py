"""Failures in a few words: what a person needs from an exception, not the exception."""

from __future__ import annotations

import re

_PYDANTIC = re.compile(r"Value error, (.+?)(?: \[type=|$)")
_EXCEPTION = re.compile(r"\b(?:\w+\.)*[A-Z]\w*(?:Error|Exception): ?")


def short_reason(error: str | None, limit: int = 100) -> str:
    """A model failure in a few words: a validator's own sentence ("cell t12r14c2 prints '199.38',
    not '217.76'"), else the message without the exception's name, cut at `limit` characters."""
    text = " ".join((error or "unknown error").split())
    found = _PYDANTIC.search(text)
    if found:
        text = f"invalid answer: {found.group(1)}"
    text = _EXCEPTION.sub("", text).rstrip(".") or "no reason given"
    return text if len(text) <= limit else text[: limit - 1] + "…"
