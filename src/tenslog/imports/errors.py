"""Import problems, each naming the line and the field, for the person who typed the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tenslog.text import shown as inert


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None  # 1-based line in the file; None when it is about the whole file
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}field {self.field}: {self.reason}"


class ImportFailed(Exception):
    """The only error the importers raise. Nothing was imported; ``problems`` lists every
    problem found (not only the first), in file order."""

    def __init__(self, problems: Sequence[Problem], headline: str = "nothing was imported") -> None:
        self.problems = list(problems)
        self.headline = headline
        super().__init__(self.describe())

    def describe(self, limit: int = 50) -> str:
        # Problems quote the file; printed, they are inert (see tenslog.text.shown).
        shown = [f"  {inert(str(p))}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"  ... and {len(self.problems) - limit} more")
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found; {self.headline}:" if count else self.headline
        return "\n".join([head, *shown])


def file_problem(reason: str, field: str = "(file)", line: int | None = None) -> ImportFailed:
    return ImportFailed([Problem(line, field, reason)])

