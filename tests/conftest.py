"""Shared fixtures: seed documents rendered to PDF once per session, and the corpus when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.testing.render import load_spec, render, seed_specs

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).parent / "data"

# Each seed is rendered three ways: WPS-like separate ruling lines, Word-like cell rectangles,
# and landscape pages stored as portrait pages with /Rotate 90.
VARIANTS = {"lines": {"style": "lines"}, "rects": {"style": "rects"}, "rotated": {"rotate_landscape": True}}


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
