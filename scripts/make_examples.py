"""Re-render the bundled example PDFs in examples/ from the seed specs (with their ground truth).

python scripts/make_examples.py
"""

from __future__ import annotations

from pathlib import Path

from budgetlens.testing.render import load_spec, render, seed_specs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

if __name__ == "__main__":
    for path in seed_specs():
        pdf, truth = render(load_spec(path), EXAMPLES)
        print(f"{pdf}  (ground truth: {truth})")
