"""The command line as a user runs it: outputs, progress, bad inputs, nothing half-written."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pymupdf

from budgetlens.cli import _parser, main
from budgetlens.result import Result

CONTRACT = {"doc", "entity", "table", "row", "column", "value", "unit", "bound", "page"}


def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True)
    good = pymupdf.open()
    good.new_page().insert_text((72, 72), "hello")
    data = good.tobytes()
    files = {
        "not a PDF": folder / "notes.pdf",
        "empty": folder / "empty.pdf",
        "truncated": folder / "truncated.pdf",
        "encrypted": folder / "secret.pdf",
    }
    files["not a PDF"].write_text("just text", encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(data[: len(data) // 2])
    good.save(files["encrypted"], encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    return files


def test_extract_writes_contract_outputs(rendered, tmp_path: Path, capsys) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    assert main(["extract", str(pdf), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out  # the summary; progress and errors go to stderr
    assert "tables recognised" in out and "cells" in out and "need a model" in out
    result = Result.model_validate_json((tmp_path / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    lines = (tmp_path / f"{pdf.stem}.facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(result.facts) == result.summary.cells > 200
    assert all(set(json.loads(line)) == CONTRACT for line in lines)
    assert all(f.box and f.extractor == "grid" for f in result.facts)


def test_bad_files_fail_alone(rendered, tmp_path: Path, capsys) -> None:
    pdf, _ = rendered[("wuchang-2025-budget", "lines")]
    bad = _bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    code = main(["extract", *map(str, bad.values()), str(pdf), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    for reason in ("not a PDF", "empty file", "truncated PDF", "encrypted PDF"):
        assert reason in err
    expected = [f"{pdf.stem}.{s}" for s in ("facts.jsonl", "findings.jsonl", "json", "narrative.jsonl")]
    assert sorted(p.name for p in out.iterdir()) == expected


def test_help_is_for_newcomers() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "budgetlens.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "budgetlens extract" in run.stdout and "facts.jsonl" in run.stdout


def test_every_command_and_argument_has_help() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helped = {c.dest for c in commands._choices_actions if c.help}
    assert set(commands.choices) == helped == {"extract", "check", "review", "report", "evaluate", "schemas"}
    for name, command in commands.choices.items():
        for action in command._actions:
            assert action.help, f"budgetlens {name} {'/'.join(action.option_strings) or action.dest}"
    review = subprocess.run(
        [sys.executable, "-m", "budgetlens", "review", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "a accept" in " ".join(review.split()) and "q quit" in " ".join(review.split())


def test_checking_a_saved_result_does_not_load_the_pdf_library(rendered, tmp_path: Path) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    assert main(["extract", str(pdf), "-o", str(tmp_path), "-q"]) == 0
    code = (
        "import sys; from budgetlens.cli import main; "
        f"code = main(['check', {str(tmp_path / (pdf.stem + '.json'))!r}, '-q', '--no-write']); "
        "assert 'pymupdf' not in sys.modules and 'fitz' not in sys.modules, 'PyMuPDF loaded'; sys.exit(code)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_evaluate_command(rendered, tmp_path: Path, capsys) -> None:
    pdf, truth = rendered[("wuchang-2025-budget", "rects")]
    assert main(["evaluate", str(pdf), str(truth)]) == 0
    assert "cell accuracy 100.00%" in capsys.readouterr().out
