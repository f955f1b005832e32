"""Record a run's model calls to a folder, or replay them with no network (vcrpy cassettes).

The cassettes are the same YAML that pytest-recording replays, so a user's recorded run can become
a test. Requests match on method, path and JSON body (not host: a replay may point anywhere), so a
changed prompt finds no recording and fails loudly. Keys never reach the file: the Authorization
header is filtered from requests, account and cookie headers are scrubbed from responses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from budgetlens.errors import BudgetlensError

MATCH_ON = ("method", "path", "unversioned_body")
FILTER_REQUEST_HEADERS = ("authorization", "api-key", "x-api-key", "openai-organization", "openai-project")
SCRUB_RESPONSE_HEADERS = ("openai-organization", "openai-project", "set-cookie")


class NotRecorded(BudgetlensError):
    """A replay asked something the recording does not hold."""


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in SCRUB_RESPONSE_HEADERS:
            del headers[name]
    return response


_PYDANTIC_LINK = re.compile(rb"(errors\.pydantic\.dev\\?/)[0-9][0-9.]*(\\?/)")


def unversioned_body(r1: Any, r2: Any) -> None:
    """vcrpy's body matcher (JSON compared as data) once pydantic's version is out of its links."""
    from vcr.matchers import body

    body(_unversioned(r1), _unversioned(r2))


def _unversioned(request: Any) -> Any:
    if not isinstance(request.body, bytes):
        return request
    request = copy.copy(request)
    request.body = _PYDANTIC_LINK.sub(rb"\1_\2", request.body)
    return request


def register_matchers(recorder: Any) -> None:
    """Name the matcher MATCH_ON uses on a vcr.VCR (pytest-recording's too)."""
    recorder.register_matcher("unversioned_body", unversioned_body)


def vcr_config() -> dict[str, Any]:
    """The settings recordings are made and replayed with (also the tests' pytest-recording config)."""
    return {
        "match_on": list(MATCH_ON),
        "filter_headers": list(FILTER_REQUEST_HEADERS),
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
    }


def replay_miss() -> type[BaseException]:
    from vcr.errors import CannotOverwriteExistingCassetteException

    return CannotOverwriteExistingCassetteException


@contextmanager
def cassette(folder: Path, name: str, how: Literal["record", "replay"]) -> Iterator[Any]:
    """Every HTTP call inside goes to (record) or comes from (replay) `folder/<name>.yaml`."""
    import vcr

    path = folder / f"{name}.yaml"
    if how == "replay" and not path.is_file():
        raise NotRecorded(f"no recording {path}: record it first with --record {folder}")
    if how == "record":
        path.unlink(missing_ok=True)  # a recording is one run, not an accumulation of runs
    recorder = vcr.VCR(record_mode="all" if how == "record" else "none", **vcr_config())
    register_matchers(recorder)
    with recorder.use_cassette(str(path)) as tape:
        yield tape
