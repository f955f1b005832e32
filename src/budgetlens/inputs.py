"""The documents a command line names: files as given, folders walked for their PDFs, and an
output name for each that no other input of the run shares."""

from __future__ import annotations

import glob
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    path: Path
    stem: str  # the output name: <stem>.json, <stem>.facts.jsonl, …


def documents(given: list[Path]) -> tuple[list[Document], list[str], list[Path]]:
    """Each file as given; each folder's `*.pdf` (any case, in subfolders too), sorted. Inputs that
    share a stem are named `<stem>-<first 8 hex of their sha256>` (stable, whatever the order);
    the same file reached twice is read once. → the documents, one line per such renaming or
    repeat, and the folders that hold no PDF."""
    paths: list[Path] = []
    notes: list[str] = []
    empty: list[Path] = []
    for path in _globbed(given):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            empty += [] if found else [path]
            paths += found
        else:
            paths.append(path)
    unique = _once(paths)
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in unique:
        by_stem[path.stem].append(path)
    out: dict[str, Document] = {}
    for path in unique:
        stem = path.stem
        if len(by_stem[stem]) > 1 and path.is_file():
            stem = f"{stem}-{_digest(path)[:8]}"
            if stem in out:
                notes.append(f"{path}: the same document as {out[stem].path}: read once")
                continue
            notes.append(f"{path}: another input is also named {path.stem}: its outputs are {stem}.*")
        out[stem] = Document(path, stem)
    return list(out.values()), notes, empty


def _globbed(given: list[Path]) -> list[Path]:
    """A pattern the shell did not expand ('reports/**/*.pdf', quoted, or too many files for one
    command line) → the paths it matches, sorted; one that matches nothing stays as given (and is
    said to be no such file)."""
    out: list[Path] = []
    for path in given:
        text = str(path)
        pattern = not path.exists() and any(c in text for c in "*?[")
        matched = sorted(glob.glob(text, recursive=True)) if pattern else []
        out += [Path(m) for m in matched] or [path]
    return out


def _once(paths: list[Path]) -> list[Path]:
    """The paths without repeats (a file named twice, or inside a folder also named)."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
