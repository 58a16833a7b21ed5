"""Dates a curator may know only to the month or the year.

A partial date ``YYYY-MM`` or ``YYYY`` stands for a period. It orders by the last day of that period
(``2022-11`` sorts and counts as 2022-11-30, ``2023`` as 2023-12-31): evidence counts as of a date
only when it certainly happened by then. A full date on the same last day sorts first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_RE = re.compile(PATTERN, re.ASCII)  # ASCII digits only


_PARSED: dict[str, PartialDate] = {}
"""Texts already parsed: a record repeats a few thousand dates, and a PartialDate never changes."""
_PARSED_MAX = 100_000


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None
    _sort_key: tuple[date, int] = field(init=False, repr=False, compare=False)
    """``sort_key``, worked out once: scoring asks for a date's last day on every day it sweeps,
    and a record shares each date's one object (``parse``)."""

    def __post_init__(self) -> None:
        if self.day is not None:
            latest, precision = date(self.year, self.month, self.day), 0  # type: ignore[arg-type]
        elif self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            latest, precision = date(self.year, self.month, last), 1
        else:
            latest, precision = date(self.year, 12, 31), 2
        object.__setattr__(self, "_sort_key", (latest, precision))

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if value.__class__ is str:
            known = _PARSED.get(value)
            if known is not None:
                return known
            parsed = cls._parse(value)
            if len(_PARSED) < _PARSED_MAX:
                _PARSED[value] = parsed
            return parsed
        return cls._parse(value)

    @classmethod
    def _parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return cls(value)
        if not isinstance(value, str):
            raise ValueError("a date must be written YYYY-MM-DD, YYYY-MM or YYYY")
        if not _RE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        parts = [int(p) for p in value.split("-")]
        if parts[0] == 0:  # no year 0: Python's dates start at year 1
            raise ValueError(f"{value!r} is not a date: there is no year 0")
        if len(parts) == 3:
            try:
                date(*parts)
            except ValueError as exc:
                raise ValueError(f"{value!r} is not a calendar date ({exc})") from None
        return cls(*parts)

    @property
    def is_partial(self) -> bool:
        return self.day is None

    @property
    def earliest(self) -> date:
        """The first day the period could mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day the period could mean: the day from which it certainly happened."""
        return self._sort_key[0]

    @property
    def sort_key(self) -> tuple[date, int]:
        """Order by the last possible day; at a tie the more precise date comes first."""
        return self._sort_key

    def certainly_before(self, other: PartialDate) -> bool:
        """True when every day this could mean lies before every day ``other`` could mean."""
        return self.latest < other.earliest

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """'13 January 2023', 'November 2022', '2023'."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known",
        }


def parse_day(value: str) -> date:
    """A full ISO date from the command line; ValueError otherwise."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD") from None
