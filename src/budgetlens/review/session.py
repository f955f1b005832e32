"""The interactive review: one item at a time, worst first, keyboard only, plain lines of text (so
it works over SSH and in any terminal). Every decision is saved before the next item is shown."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from budgetlens.amounts import typed_amount
from budgetlens.extract.facts import Fact
from budgetlens.result import Result
from budgetlens.review.apply import apply
from budgetlens.review.decisions import Action, CellKey, Decision, ReviewFile, save_review
from budgetlens.review.items import Item, items, open_items
from budgetlens.review.show import describe
from budgetlens.summary import unread_lines

KEYS = "[a]ccept  [c]orrect a value  [d]ocument itself is wrong  [s]kip  [b]ack  [q]uit  [?]help"
HELP = """\
  a  accept: the values are read right and the finding stands as it is (e.g. a tolerable rounding)
  c  correct: type the value the page prints for one of the numbered cells (c, c 2, c 2 199.36)
  d  the document itself is wrong: the values are read right, the document disagrees with itself
  s  skip: leave it open for now (it comes back next time)
  b  back to the item shown before (its decision can be changed)
  q  quit: every decision is already saved; run the same command to resume"""


class Quit(Exception):
    pass


@dataclass
class Session:
    base: Result  # the result as extracted: decisions are always applied to it afresh
    review: ReviewFile
    review_file: Path
    on_result: Callable[[Result], None]  # keeps the reviewed outputs up to date
    read: Callable[[str], str] = input
    write: Callable[[str], None] = print
    history: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)

    def run(self) -> Result:
        applied = apply(self.base, self.review.decisions)
        result = applied.result
        for n, decision in applied.unknown:
            self.write(f"  decision {n + 1} ({decision.item}) is about nothing in this result: left as it is")
        for line in unread_lines(result.findings):  # said once: no decision settles them
            self.write(f"  {line}")
        current: str | None = None
        try:
            while (item := self._next(result, current)) is not None:
                current, result = self._settle(item, result)
        except (Quit, EOFError, KeyboardInterrupt):
            self.write("")
        else:
            self.write("Nothing left open.")
        self.write(f"{len(self.review.decisions)} decisions saved in {self.review_file}.")
        return result

    def _next(self, result: Result, current: str | None) -> Item | None:
        every = {i.id: i for i in items(result)}
        if current in every:
            return every[current]
        todo = [i for i in open_items(result) if i.id not in self.skipped]
        return todo[0] if todo else None

    def _settle(self, item: Item, result: Result) -> tuple[str | None, Result]:
        """Show the item, take answers until one moves on; → (the item to show next, the result)."""
        self._show(item, result)
        while True:
            answer = self.read(_style("> ", "1")).strip()
            key, rest = answer[:1].lower(), answer[1:].strip()
            if key == "q":
                raise Quit
            if key == "b" and self.history:
                return self.history.pop(), result
            if key == "c" and (fixed := self._correction(item, result, rest)) is not None:
                return item.id, fixed  # shown again: still open while its check fails
            if key in ("a", "d", "s"):
                self.history.append(item.id)
                return None, self._verdict(item, result, key)
            if key not in ("b", "c"):
                self.write(HELP if key == "?" else f"  {KEYS}")
            elif key == "b":
                self.write("  this is the first item shown")

    def _verdict(self, item: Item, result: Result, key: str) -> Result:
        if key != "s":
            action: Action = "accept" if key == "a" else "document_error"
            return self._decide(Decision(item=item.id, action=action, note=_note(item)))
        if not item.decided:  # skipping a decided item (reached with b) keeps its decision
            self.skipped.add(item.id)
            self._decide(Decision(item=item.id, action="skip", note=_note(item)))
        return result

    def _correction(self, item: Item, result: Result, rest: str) -> Result | None:
        """`c`, `c 2`, `c 2 199.36` (or `c 199.36` for a lone cell): ask what is missing."""
        facts = list(item.facts)
        if not facts:
            self.write("  no numeric cell here to correct: accept it, or mark the document wrong")
            return None
        words = rest.split()
        number = words.pop(0) if len(words) == 2 or (len(facts) > 1 and words) else "1" * (len(facts) == 1)
        while not (number.isdigit() and 1 <= int(number) <= len(facts)):
            number = self.read(f"  which cell (1-{len(facts)}, blank to cancel)? ").strip()
            if not number:
                return None
        fact = facts[int(number) - 1]
        ask = f"  value for {fact.row} / {fact.column} (shown {fact.value}): "
        value = "".join(words) if words else self.read(ask)
        while value.strip():
            try:
                typed = typed_amount(value, fact.unit)
            except ValueError as exc:
                value = self.read(f"  {exc}; the value (blank to cancel): ")
                continue
            decision = Decision(
                item=item.id, action="correct", cell=_key(fact), value=typed, note=_note(item)
            )
            return self._changed(result, self._decide(decision))
        return None

    def _decide(self, decision: Decision) -> Result:
        self.review.decisions.append(decision)
        save_review(self.review_file, self.review)
        applied = apply(self.base, self.review.decisions).result
        self.on_result(applied)
        return applied

    def _changed(self, before: Result, after: Result) -> Result:
        """Say which failing checks the correction resolved and which it raised."""
        old = {f.id: f for f in before.findings if f.severity != "info"}
        new = {f.id: f for f in after.findings if f.severity != "info"}
        for gone in old.keys() - new.keys():
            self.write(_style(f"  resolved: {old[gone].message}", "32"))
        for came in new.keys() - old.keys():
            self.write(_style(f"  new {new[came].severity}: {new[came].message}", "31"))
        if old.keys() == new.keys():
            self.write("  checks re-run: no finding resolved or raised")
        return after

    def _show(self, item: Item, result: Result) -> None:
        left = len(open_items(result))
        state = _verdict(item)
        where = f"p.{item.page}"
        title = f"{item.finding.severity} · {item.finding.check}" if item.finding else "flagged cell"
        flag = " · FLAGGED" if item.flagged else ""
        self.write("")
        self.write(
            _style(f"── {title} · {where}{flag} · {state} · {left} open ──", "1;31" if item.flagged else "1")
        )
        for line in describe(item, result):
            self.write(line)
        self.write(_style(f"  {KEYS}", "2"))


def _verdict(item: Item) -> str:
    if item.finding is not None and item.finding.review:
        return f"decided: {item.finding.review}"
    if item.finding is None and item.decided:
        return "decided"
    return "open"


def _key(fact: Fact) -> CellKey:
    entity, table, row, column, page = fact.key
    return CellKey(entity=entity, table=table, row=row, column=column, page=page)


def _note(item: Item) -> str:
    return item.finding.message if item.finding else f"flagged cell {item.facts[0].value}"


def _style(text: str, sgr: str) -> str:
    """ANSI colour on a terminal, unless NO_COLOR is set."""
    if os.environ.get("NO_COLOR") or not os.isatty(1):
        return text
    return f"\033[{sgr}m{text}\033[0m"
