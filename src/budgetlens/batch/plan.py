"""Which documents a run reads: each input once by content, none already done.

A document is done when the output folder's store records its sha256, read by this version of
budgetlens with the same settings, and its four files are there: a run stopped half way carries
on where it stopped. A name the store gives to another file (same stem from an earlier run) is
disambiguated as inputs.py does within one run, so an earlier document is never overwritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from budgetlens import __version__
from budgetlens.inputs import Document
from budgetlens.output import result_paths
from budgetlens.store import Recorded, Store


@dataclass
class Planned:
    document: Document
    sha256: str  # "" when the file cannot be read (its task says why)


@dataclass
class Plan:
    todo: list[Planned] = field(default_factory=list)
    done: list[Recorded] = field(default_factory=list)  # read by an earlier run: kept
    notes: list[str] = field(default_factory=list)


def plan(docs: list[Document], out: Path, store: Store, settings: str, force: bool) -> Plan:
    result = Plan()
    first: dict[str, Document] = {}
    for doc in docs:
        sha = digest(doc.path)
        if sha and sha in first:
            result.notes.append(f"{doc.path}: the same document as {first[sha].path}: read once")
            continue
        first[sha] = doc
        recorded = store.recorded(sha256=sha) if sha else None
        if recorded and not force and _current(recorded, out, settings):
            if recorded.stem != doc.stem:
                result.notes.append(f"{doc.path}: already read as {recorded.stem}.* (the same document)")
            result.done.append(recorded)
            continue
        result.todo.append(Planned(_unclaimed(doc, sha, store, result.notes), sha))
    return result


def _current(recorded: Recorded, out: Path, settings: str) -> bool:
    same = recorded.budgetlens == __version__ and recorded.settings == settings
    return same and all(p.is_file() for p in result_paths(out, recorded.stem))


def _unclaimed(doc: Document, sha: str, store: Store, notes: list[str]) -> Document:
    """The document, under a name no other file's outputs hold in the folder."""
    holder = store.recorded(stem=doc.stem)
    if not sha or holder is None or holder.sha256 == sha or _same_file(holder.source, doc.path):
        return doc  # a new name, this document's own, or the same file changed since
    stem = f"{doc.stem}-{sha[:8]}"
    held = f"{doc.stem}.* holds another document ({holder.source})"
    notes.append(f"{doc.path}: {held}: its outputs are {stem}.*")
    return Document(doc.path, stem)


def _same_file(source: str, path: Path) -> bool:
    try:
        return Path(source).resolve() == path.resolve()
    except OSError:
        return False


def digest(path: Path) -> str:
    """The file's sha256, or "" when it cannot be read (the task then says why)."""
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""
