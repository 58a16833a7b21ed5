"""The questions interactive ``add`` asks: one per required field still missing (a source's
address or archived document included), each answer checked as it is typed and asked again when
it is wrong, choices shown as a short numbered list.

The functions take ``ask`` (a question in, the answer out) and ``say`` (a line to show), so the
CLI passes a terminal prompt and tests pass a script.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, MutableMapping

from export_alignment import escape
from export_alignment.dates import PartialDate
from export_alignment.editing import FieldSpec
from export_alignment.escape import is_web_address

Ask = Callable[[str], str]
Say = Callable[[str], None]

LISTED = 12
"""Choices up to this many are shown as a numbered list; more are checked, with suggestions."""

ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {
    "statement": (("--url", "--document"),),
    "control": (("--url", "--citation", "--document"),),
}
"""Groups of options of which a new record needs at least one (a source must be findable)."""


class Invalid(ValueError):
    """An answer that cannot stand; its message says why."""


def label(spec: FieldSpec) -> str:
    text = spec.option.lstrip("-").replace("-", " ")
    return f"{text} ({escape.one_line(spec.help)})" if spec.help else text


def numbered(choices: list[str]) -> list[str]:
    """``  1. talks`` lines for a short list of choices."""
    width = len(str(len(choices)))
    return [f"  {str(i).rjust(width)}. {escape.one_line(c)}" for i, c in enumerate(choices, 1)]


def pick(
    answer: str, choices: list[str], what: str = "choice", names: dict[str, str] | None = None
) -> str:
    """One choice by its number, its id or (``names``: id by name) its name, any case."""
    answer = answer.strip()
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    by_key = {" ".join(n.split()).casefold(): c for n, c in (names or {}).items()}
    by_key |= {c.casefold(): c for c in choices}
    answer = " ".join(answer.split())
    if answer.casefold() in by_key:
        return by_key[answer.casefold()]
    close = difflib.get_close_matches(answer, choices, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    shown = f"a number from 1 to {len(choices)} or " if len(choices) <= LISTED else ""
    article = "an" if what[:1] in "aeiou" else "a"
    raise Invalid(
        f"{escape.one_line(answer)!r} is not {article} {what}{hint} (give {shown}one of them)"
    )


def check(
    spec: FieldSpec, answer: str, choices: list[str], names: dict[str, str] | None = None
) -> str | list[str]:
    """The answer as the field takes it, or Invalid."""
    answer = answer.strip()
    if not answer:
        raise Invalid("an answer is required")
    if spec.many:
        parts = [p.strip() for p in answer.split(",") if p.strip()]
        if not parts:
            raise Invalid("an answer is required")
        what = spec.refers_to or "choice"
        return [pick(p, choices, what, names) for p in parts] if choices else parts
    if choices:
        return pick(answer, choices, spec.refers_to or "choice", names)
    if spec.is_date:
        try:
            PartialDate.parse(answer)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
    if spec.param == "url" and not is_web_address(answer):
        raise Invalid("an address starts with http:// or https:// and holds no spaces")
    return answer


def ask_field(
    spec: FieldSpec, choices: list[str], ask: Ask, say: Say, names: dict[str, str] | None = None
) -> str | list[str]:
    """Ask for one field until the answer is good: a number, an id or (for a reference) the
    record's name, any case."""
    if choices and len(choices) <= LISTED:
        say(label(spec) + ":")
        name_of = {c: n for n, c in (names or {}).items()}
        shown = [f"{c} ({name_of[c]})" if c in name_of else c for c in choices]
        for line in numbered(shown):
            say(line)
        question = "number or name" + (" (several: comma-separated)" if spec.many else "")
    else:
        question = label(spec) + (" (comma-separated)" if spec.many else "")
    while True:
        try:
            return check(spec, ask(question), choices, names)
        except Invalid as exc:
            say(f"  {exc}; try again")


def ask_one_of(
    kind: str, specs: list[FieldSpec], values: MutableMapping[str, object], ask: Ask, say: Say
) -> None:
    """Fill each ``ONE_OF`` group that has no answer yet: the first option asked, an empty answer
    moving on to the next, until one is given."""
    by_option = {s.option: s for s in specs}
    for group in ONE_OF.get(kind, ()):
        if any(by_option[o].param in values for o in group if o in by_option):
            continue
        say("a source needs one of: " + ", ".join(o.lstrip("-") for o in group))
        while not any(by_option[o].param in values for o in group):
            for option in group:
                spec = by_option[option]
                answer = _answer_or_skip(spec, ask, say)
                if answer is not None:
                    values[spec.param] = answer
                    break


def _answer_or_skip(spec: FieldSpec, ask: Ask, say: Say) -> str | None:
    """A good answer for ``spec``, or None when the answer is empty (asked again when bad)."""
    while True:
        answer = ask(label(spec) + " (empty: skip)").strip()
        if not answer:
            return None
        try:
            value = check(spec, answer, [])
        except Invalid as exc:
            say(f"  {exc}; try again")
            continue
        return value if isinstance(value, str) else ", ".join(value)


def missing_one_of(kind: str, specs: list[FieldSpec], values: Mapping[str, object]) -> list[str]:
    """The ``ONE_OF`` groups with no answer, as ``--url or --document``."""
    params = {s.option: s.param for s in specs}
    return [
        " or ".join(group)
        for group in ONE_OF.get(kind, ())
        if not any(params.get(o) in values for o in group)
    ]
