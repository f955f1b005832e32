"""A small OpenAI-compatible HTTP server that answers from a script, for recording cassettes where
no model is reachable. It is not a model: every answer is written by the script's author (or
computed by a script function from the document's own reading), and says so in its `model` field.

A rule matches a request when its text occurs in the request's messages; its replies are used in
order (the last one repeats). A reply is an answer object (sent the way the request's instructor
mode expects: a tool call, or JSON in the message content), raw content (malformed JSON), or an
HTTP error status (429 with a short retry-after, 500, …).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    answer: dict[str, Any] | None = None  # the schema's fields
    raw: str | None = None  # message content sent as is
    status: int = 200  # an HTTP error when not 200
    message: str | None = None  # the error's message (what a real server says when it refuses)


Respond = Callable[[dict[str, Any]], Reply]


@dataclass
class Rule:
    match: str
    replies: list[Reply] | Respond
    used: int = 0


@dataclass
class ScriptedServer:
    rules: list[Rule] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def __enter__(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                status, payload, headers = server.respond(body)
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                for k, v in {"content-type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def respond(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.requests.append(body)
        text = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
        rule = next((r for r in self.rules if r.match in text), None)
        if rule is None:
            return 400, {"error": {"message": "no scripted reply matches this request", "type": "script"}}, {}
        if callable(rule.replies):
            reply = rule.replies(body)
        else:
            reply = rule.replies[min(rule.used, len(rule.replies) - 1)]
        rule.used += 1
        if reply.status != 200:
            error = {
                "error": {"message": reply.message or f"scripted status {reply.status}", "type": "script"}
            }
            return reply.status, error, {"retry-after-ms": "10"}
        return 200, _completion(body, reply, len(self.requests)), {}


def _completion(body: dict[str, Any], reply: Reply, n: int) -> dict[str, Any]:
    content = reply.raw if reply.raw is not None else json.dumps(reply.answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    tools = body.get("tools") or []
    if tools and reply.raw is None:  # instructor's tools mode: the answer is the tool call's arguments
        name = tools[0]["function"]["name"]
        call = {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": content}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
    elif body.get("response_format") is None and "```" in json.dumps(body.get("messages")):
        message["content"] = f"```json\n{content}\n```"  # md_json asks for a fenced block
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
    return {
        "id": f"chatcmpl-scripted-{n}",
        "object": "chat.completion",
        "created": 0,
        "model": f"scripted:{body.get('model')}",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tools else "stop"}],
        "usage": {
            "prompt_tokens": prompt // 2,
            "completion_tokens": len(content) // 2,
            "total_tokens": prompt // 2 + len(content) // 2,
        },
    }
