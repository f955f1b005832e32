"""Write results to disk atomically: a reader never sees a half-written file, and a document's
files are replaced together or not at all. Temporary files carry the writer's process id, so the
next run in the same folder can tell those of a killed run and remove them."""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from budgetlens.errors import OutputError
from budgetlens.result import Result

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")  # .<name>.<pid>.<random>.tmp


def write_atomic(path: Path, text: str) -> None:
    write_set({path: text})


def write_set(files: dict[Path, str]) -> None:
    """Every file written to a temporary beside it first, then all moved into place: a failure
    (a full disk, a signal) leaves the earlier files as they were and no temporary behind."""
    written: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            written.append((_temporary(path, text), path))
        with _signals_held():  # the renames are quick: let a signal wait until all are done
            for tmp, path in written:
                os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _signals_held() -> Iterator[None]:
    held = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _temporary(path: Path, text: str) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; outputs are ordinary files
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def prepare_folder(folder: Path, hint: str) -> list[Path]:
    """Make sure `folder` exists and takes files before any work is done (OutputError naming it,
    the reason and `hint` otherwise); → the temporaries of killed runs it removed."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: not a folder (a file has that name); {hint}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f".budgetlens.{os.getpid()}.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there ({exc.strerror or exc}); {hint}") from exc
    return remove_stale_temporaries(folder)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    removed = []
    for path in folder.glob(".*.tmp"):
        m = _TEMPORARY.match(path.name)
        if m and not _alive(int(m.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def jsonl(rows: Iterable[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def result_paths(out_dir: Path, stem: str) -> list[Path]:
    """`<stem>.json` (everything), `<stem>.facts.jsonl` (one line per numeric cell),
    `<stem>.findings.jsonl` (one line per finding) and `<stem>.narrative.jsonl` (one line per figure
    read from the text)."""
    names = ("json", "facts.jsonl", "findings.jsonl", "narrative.jsonl")
    return [out_dir / f"{stem}.{name}" for name in names]


def write_result(result: Result, out_dir: Path, stem: str) -> list[Path]:
    paths = result_paths(out_dir, stem)
    doc = result.document.doc
    texts = [
        result.model_dump_json(indent=1),
        jsonl(f.contract(doc) for f in result.facts),
        jsonl(f.contract(doc) for f in result.findings),
        jsonl(f.contract(doc) for f in result.narrative),
    ]
    write_set(dict(zip(paths, texts, strict=True)))
    return paths


def remove_result(out_dir: Path, stem: str) -> list[Path]:
    """Remove the outputs of an earlier run that no longer stand (→ those removed)."""
    removed = [p for p in result_paths(out_dir, stem) if p.is_file()]
    for path in removed:
        path.unlink()
    return removed


def read_result(path: Path) -> Result:
    """A saved result, checked (BadResult naming the entry that is wrong)."""
    from budgetlens.validate import parse_result

    return parse_result(path)


def write_findings(result: Result, result_path: Path, out_dir: Path | None = None) -> list[Path]:
    """After re-checking a saved result: its findings, in `<stem>.json` and `<stem>.findings.jsonl`
    (beside the result, or in `out_dir`)."""
    stem = result_path.name.removesuffix(".json")
    folder = out_dir if out_dir is not None else result_path.parent
    paths = [folder / f"{stem}.json", folder / f"{stem}.findings.jsonl"]
    findings = jsonl(f.contract(result.document.doc) for f in result.findings)
    write_set(dict(zip(paths, [result.model_dump_json(indent=1), findings], strict=True)))
    return paths
