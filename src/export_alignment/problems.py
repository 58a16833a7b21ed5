"""The one type every finding is reported as, from a YAML syntax error to a dangling reference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """A located finding. ``line`` and ``column`` are 1-based; problems sort by position."""

    path: str
    line: int
    column: int
    rule: str
    level: Level
    message: str

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": str(self.level),
            "rule": self.rule,
            "message": self.message,
        }


MAX_PER_FILE_AND_RULE = 100
"""The most problems one rule reports in one file; the rest are counted in one more problem
(``and 4,812 more ...``), so a hostile file costs a report of bounded size."""


def more(first: Problem, count: int) -> Problem:
    """The one problem standing for ``count`` more of ``first``'s rule in its file, placed where
    the first of them is."""
    return Problem(
        first.path,
        first.line,
        first.column,
        first.rule,
        first.level,
        f"and {count:,} more {first.rule} problem{'s' if count != 1 else ''} in this file "
        f"(only the first {MAX_PER_FILE_AND_RULE} are listed)",
    )


_MORE = re.compile(r"and ([0-9,]+) more [a-z0-9-]+ problems? in this file \(only the first ")


def capped(problems: list[Problem], limit: int = MAX_PER_FILE_AND_RULE) -> list[Problem]:
    """At most ``limit`` problems of each rule in each file, in the order given, and for each
    (file, rule) with more, one problem saying how many more (``more``). An error is never hidden
    behind a warning: levels are counted apart."""
    seen: dict[tuple[str, str, Level], int] = {}
    kept: list[Problem] = []
    dropped: dict[tuple[str, str, Level], Problem] = {}
    for p in problems:
        key = (p.path, p.rule, p.level)
        stands_for = _MORE.match(p.message)  # a summary already made where the problems arose
        n = seen.get(key, 0) + (int(stands_for[1].replace(",", "")) if stands_for else 1)
        seen[key] = n
        if n <= limit:
            kept.append(p)
        elif key not in dropped:
            dropped[key] = p
    kept.extend(more(first, seen[key] - limit) for key, first in dropped.items())
    return kept
