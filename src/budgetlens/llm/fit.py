"""Whether a question fits the endpoint's context window, by a token estimate that errs long.

No tokenizer is at hand for an arbitrary endpoint, so the estimate counts characters at rates a
small English-trained tokenizer needs: fitted to SmolLM2's on every prompt line and paragraph of two
seed documents (a CJK character takes 1.85 tokens, a digit 0.97, other ASCII punctuation 0.76, a
letter 0.07) and rounded up, the estimate is 18% over the real count in total. Models trained on
Chinese need fewer tokens, so their prompts are at worst split more than needed, never cut. A
prompt longer than the window is split by its caller (`extract/parts.py`) or not sent at all
(`llm/client.py`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from budgetlens.llm.config import Endpoint

LETTER, DIGIT, PUNCTUATION, OTHER = 0.4, 1.0, 0.8, 2.0  # tokens per character of each class
PER_MESSAGE = 8  # the chat template's role markers
ANSWER_SHARE = 4  # without max_tokens, a quarter of the window is kept for the answer
# An answer restates what it read (cell ids, values, the column path, label and code): measured on
# a right answer to 表6, 1.9 times the tokens of the grid lines it reads as compact JSON and 3.2 as
# the indented JSON small models write
ANSWER_RATE = 3.0


def estimate(text: str) -> int:
    letters = digits = ascii_chars = 0
    for c in text:
        if c.isascii():
            ascii_chars += 1
            letters += c.isalpha()
            digits += c.isdigit()
    punctuation = ascii_chars - letters - digits
    tokens = LETTER * letters + DIGIT * digits + PUNCTUATION * punctuation + OTHER * (len(text) - ascii_chars)
    return math.ceil(tokens)


@dataclass(frozen=True)
class Window:
    context: int
    answer: int  # tokens kept for the answer
    schema_in_prompt: bool  # every mode but json_schema puts the schema in the prompt's tokens

    @property
    def prompt_room(self) -> int:
        return self.context - self.answer

    def prompt_tokens(self, system: str, user: str, schema: dict[str, object] | None = None) -> int:
        tokens = estimate(system) + estimate(user) + 2 * PER_MESSAGE
        if self.schema_in_prompt and schema is not None:
            tokens += estimate(json.dumps(schema, ensure_ascii=False))
        return tokens


def window(endpoint: Endpoint) -> Window | None:
    """The endpoint's window, when its size is known (`--context`); None: nothing is split."""
    if endpoint.context is None:
        return None
    answer = endpoint.max_tokens or endpoint.context // ANSWER_SHARE
    return Window(endpoint.context, answer, schema_in_prompt=endpoint.instructor_mode != "json_schema")
