"""Structured calls to an OpenAI-compatible endpoint through instructor.

One :class:`Model` per document run: it asks many questions concurrently (bounded), counts every
completion (instructor's re-asks included: its hooks see each attempt, its own usage only the last),
keeps to the call budget, and answers from the on-disk cache when the same request was made before.
HTTP-level retries with backoff on 429 / 5xx / timeouts are the openai client's own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from budgetlens.llm.cache import AnswerCache, request_key
from budgetlens.llm.config import Endpoint
from budgetlens.llm.fit import window
from budgetlens.llm.modes import explain, refusal

_MODES = {"tools": "TOOLS", "json_schema": "JSON_SCHEMA", "json": "JSON", "md_json": "MD_JSON"}


@dataclass(frozen=True)
class Ask:
    """One question: a schema to fill from a prompt, with what its validators check against."""

    name: str  # what is asked about, for progress lines and errors
    response_model: type[BaseModel]
    system: str
    user: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reply:
    ask: Ask
    answer: BaseModel | None = None
    error: str | None = None  # why there is no answer: invalid after re-asks, HTTP error, budget
    cached: bool = False
    attempts: int = 0


@dataclass
class Usage:
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_calls: int = 0
    reasks: int = 0  # completions after the first of a question (its answer failed validation)
    model_seconds: float = 0.0  # time spent waiting for answers, summed over concurrent calls


class BudgetSpent(Exception):
    pass


class Model:
    def __init__(self, endpoint: Endpoint, fatal: tuple[type[BaseException], ...] = ()) -> None:
        import instructor
        import openai

        self.endpoint = endpoint
        self.usage = Usage()
        self._fatal = fatal  # errors that must stop the run (a replay without its recording)
        self._lock = threading.Lock()
        self._left = endpoint.max_calls
        self._cache = AnswerCache(endpoint.cache) if endpoint.cache else None
        self._openai = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=endpoint.api_key or "not-needed",  # local servers accept any key
            timeout=endpoint.timeout,
            max_retries=endpoint.http_retries,
        )
        self._mode_name = endpoint.instructor_mode
        self._mode = getattr(instructor.Mode, _MODES[self._mode_name])
        self._window = window(endpoint)
        # instructor logs each failed attempt at ERROR; the replies say it once, in our words
        logging.getLogger("instructor").addHandler(logging.NullHandler())

    # ------------------------------------------------------------------------------------------ asking

    def ask_all(self, asks: Iterable[Ask], on_reply: Callable[[Reply], None] | None = None) -> list[Reply]:
        """Every ask answered (or failed), in the order given; at most `concurrency` at a time."""
        asks = list(asks)
        replies: list[Reply | None] = [None] * len(asks)
        with ThreadPoolExecutor(max_workers=self.endpoint.concurrency) as pool:
            futures = {pool.submit(self.ask, a): n for n, a in enumerate(asks)}
            for future in as_completed(futures):
                reply = future.result()
                replies[futures[future]] = reply
                if on_reply:
                    on_reply(reply)
        return [r for r in replies if r is not None]

    def ask(self, ask: Ask) -> Reply:
        key = request_key(self._request(ask))
        cached = self._cached(ask, key)
        if cached is not None:
            return cached
        too_long = self._too_long(ask)
        if too_long:
            return Reply(ask, error=too_long)
        granted = self._reserve(1 + self.endpoint.reasks)
        if not granted:
            return Reply(ask, error=f"call budget of {self.endpoint.max_calls} model calls spent")
        reply = Reply(ask)
        started = time.perf_counter()
        try:
            reply.answer = self._create(ask, granted, reply)
        except Exception as exc:
            self._raise_fatal(exc)
            reply.error = explain(self._mode_name, _describe(exc))
        finally:
            self._release(granted - reply.attempts)
            with self._lock:
                self.usage.model_seconds += time.perf_counter() - started
                self.usage.reasks += max(reply.attempts - 1, 0)
        if reply.answer is not None and self._cache is not None:
            self._cache.put(key, reply.answer.model_dump(mode="json"))
        return reply

    def _create(self, ask: Ask, attempts: int, reply: Reply) -> BaseModel:
        import instructor

        client = instructor.from_openai(self._openai, mode=self._mode)

        def counted(response: Any) -> None:
            usage = getattr(response, "usage", None)
            with self._lock:
                reply.attempts += 1
                self.usage.model_calls += 1
                self.usage.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
                self.usage.completion_tokens += getattr(usage, "completion_tokens", 0) or 0

        client.on("completion:response", counted)
        bounded: dict[str, Any] = {"max_tokens": self.endpoint.max_tokens} if self.endpoint.max_tokens else {}
        return client.chat.completions.create(
            model=self.endpoint.model or "",
            response_model=ask.response_model,
            messages=[{"role": "system", "content": ask.system}, {"role": "user", "content": ask.user}],
            context=ask.context,
            max_retries=attempts - 1,
            temperature=0,
            **bounded,
        )

    def _too_long(self, ask: Ask) -> str | None:
        """Why the question is not sent: it cannot fit the endpoint's context window."""
        w = self._window
        if w is None:
            return None
        tokens = w.prompt_tokens(ask.system, ask.user, ask.response_model.model_json_schema())
        if tokens <= w.prompt_room:
            return None
        return (
            f"not sent: the prompt needs about {tokens} tokens, more than the {w.prompt_room} the "
            f"{w.context}-token context window leaves beside {w.answer} for the answer"
        )

    def _raise_fatal(self, exc: BaseException) -> None:
        """Errors that stop the run: a replay without its recording, a mode the endpoint refuses."""
        fatal = self._fatal_cause(exc)
        if fatal is not None:
            raise fatal from exc
        status = _status_error(exc)
        if status is not None:
            refused = refusal(self._mode_name, status.status_code, str(status.message))
            if refused is not None:
                raise refused from exc

    # ------------------------------------------------------------------------------ budget and cache

    def _reserve(self, wanted: int) -> int:
        with self._lock:
            granted = min(wanted, self._left)
            self._left -= granted
            return granted

    def _release(self, unused: int) -> None:
        with self._lock:
            self._left += max(unused, 0)

    def _request(self, ask: Ask) -> dict[str, Any]:
        schema = ask.response_model.model_json_schema()
        model, mode = self.endpoint.model, self._mode_name
        return {"model": model, "mode": mode, "system": ask.system, "user": ask.user, "schema": schema}

    def _cached(self, ask: Ask, key: str) -> Reply | None:
        if self._cache is None:
            return None
        data = self._cache.get(key)
        if data is None:
            return None
        try:
            answer = ask.response_model.model_validate(data, context=ask.context)
        except ValueError:
            return None  # a stale entry the validators now reject: ask again
        with self._lock:
            self.usage.cached_calls += 1
        return Reply(ask, answer=answer, cached=True)

    def _fatal_cause(self, exc: BaseException | None) -> BaseException | None:
        """The fatal error behind `exc`, which openai and instructor wrap in their own."""
        for _ in range(10):
            if exc is None or isinstance(exc, self._fatal):
                return exc
            exc = exc.__cause__ or exc.__context__
        return None


def _status_error(exc: BaseException | None) -> Any:
    """The HTTP error answer behind `exc` (openai's APIStatusError), if there is one."""
    import openai

    for _ in range(10):
        if exc is None or isinstance(exc, openai.APIStatusError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _describe(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"
