"""Adding a record to a data file safely: validated with the whole dataset, written in place.

``add_record`` builds the file as it would be with the new record appended, loads and checks that
text together with the other two files (the same checks as ``validate``), and only then writes.
The write appends the new record's text to the end of the file, so every existing line (comments,
key order, quoting, indentation) is kept byte for byte and the diff only adds lines. The record's
text comes from ``yamlwriter``, in the indentation and line width detected from the file itself.
The write is ``atomic.write_atomic``: refused when the file changed on disk since it was read.

The fields a command line may set, and the values given for them, are ``recordfields``' (read
here under the names the commands use). ``insert_fields`` adds a field line to existing sources
with the same guarantees.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from export_alignment import yamlwriter
from export_alignment.atomic import (
    EditConflict,
    Refused,
    Snapshot,
    locked,
    snapshot,
    target_of,
    write_atomic,
)
from export_alignment.checks import Validation, check_loaded, dataset_root, validate
from export_alignment.errors import DataError, ExportAlignmentError, UsageError
from export_alignment.loader import (
    DEFAULT_LIMITS,
    LoadedFile,
    display_path,
    file_size_problem,
    gc_paused,
    load_bytes,
    load_file,
    load_text,
)
from export_alignment.models import Statement
from export_alignment.problems import Level, Problem
from export_alignment.recordfields import (
    FIELDS,
    FieldSpec,
    file_for,
    missing,
    normalise,
    record_from,
    reference_choices,
    reference_names,
    suggest_id,
)
from export_alignment.shape import (
    DATA_FILES,
    KINDS,
    RECORD_MODELS,
)
from export_alignment.yamlwriter import Layout, detect_layout, round_trip_append


def current(data_dir: Path) -> Validation:
    """The dataset as it stands (valid records only; problems included), for prompts and ids."""
    return validate(data_dir)


# --- adding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    """What ``add_record`` wrote."""

    id: str
    path: str
    """The file, as shown to the user."""
    line: int
    """The line of the new record's ``- id:``."""
    warnings: list[Problem]


def render_record(kind: str, record: Mapping[str, Any], layout: Layout) -> str:
    """A new record of ``kind`` as an item of its file's list, in the file's layout."""
    dates = frozenset(spec.path for spec in FIELDS[kind] if spec.is_date)
    return yamlwriter.render_record(KINDS[kind], record, layout, dates)


def _split_bom(raw: bytes, loaded: LoadedFile) -> tuple[str, str]:
    """A file's text (``loaded`` from ``raw`` without problems, so valid UTF-8; the text it read
    when it still holds it) and its byte-order mark ('' or '\\ufeff')."""
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    text = loaded.text
    return (raw.decode("utf-8")[len(bom) :] if text is None else text), bom


_DOCUMENT_END = re.compile(r"^\.\.\.(?:[ \t]+(?:#.*)?)?$")


def _newline(text: str) -> str:
    """The file's line ending: CRLF when its first line ends so, CR when it has no LF at all
    but CRs (old Mac files), else LF."""
    first = text.find("\n")
    if first < 0 and "\r" in text:
        return "\r"
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _appended(text: str, record_text: str) -> tuple[str, int, int]:
    """``text`` with the record's lines added at the end of its document, in the file's line
    endings: before a final ``...`` marker (and any blank or comment lines after it) when there
    is one, else at the very end. No existing line changes. Also where the record's lines start
    and end in the new text."""
    newline = _newline(text)
    record_text = record_text.replace("\n", newline) if newline != "\n" else record_text
    cut = _end_of_document(text)
    head, tail = text[:cut], text[cut:]  # the whole text, not a copy, when nothing follows
    if head and not head.endswith(("\n", "\r")):
        head += newline
    return "".join((head, record_text, tail)), len(head), len(head) + len(record_text)


def _end_of_document(text: str) -> int:
    """Where a new record goes: the start of a final ``...`` line followed by blank or comment
    lines only, else the end. Only the file's last lines are split (a growing piece of its end,
    starting at a line start), not the whole file."""
    size = 4096
    while True:
        start = _line_start_before(text, len(text) - size)
        lines = text[start:].splitlines(keepends=True)
        offset = len(text)
        for line in reversed(lines):
            offset -= len(line)
            bare = line.rstrip("\r\n")
            if _DOCUMENT_END.match(bare):
                return offset
            if bare.strip() and not bare.lstrip().startswith("#"):
                return len(text)
        if start == 0:
            return len(text)
        size *= 4


def _line_start_before(text: str, index: int) -> int:
    """The start of a line at or before ``index`` (just after a line feed or a lone carriage
    return; 0 when there is none)."""
    if index <= 0:
        return 0
    at = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index))
    if at < 0:
        return 0
    return at + 2 if text.startswith("\r\n", at) else at + 1


def _only_added_lines(old: str, new: str, allowed: set[int]) -> bool:
    """Whether ``new`` keeps every line of ``old`` but those numbered in ``allowed`` (1-based)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete") and not set(range(i1 + 1, i2 + 1)) <= allowed:
            return False
    return True


def _same_records(
    model: type[BaseModel], old: list[Any], new: list[Any], record: dict[str, Any]
) -> bool:
    """Whether ``new`` is ``old`` with ``record`` appended, as data and as typed records."""
    if len(new) != len(old) + 1 or new[:-1] != old:
        return False
    return _same_record(model, new[-1], record)


def _same_record(model: type[BaseModel], item: Any, record: dict[str, Any]) -> bool:
    """Whether ``item`` (as read back from the file) is ``record``, as typed records."""
    try:
        same: bool = model.model_validate(item) == model.model_validate(record)
    except Exception:  # invalid either way: validation will say why
        same = _as_text(item) == _as_text(record)
    return same


def _as_text(value: Any) -> Any:
    """Plain data with every scalar as text: a year written ``2023`` reads back as the number
    2023, which is still the value the user gave."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return str(value)


def _with_file(data_dir: Path, name: str, new: LoadedFile) -> dict[str, LoadedFile]:
    """The dataset's files to check, ``name`` as it would be written (``new``, already read):
    the other files read from the folder, that one not read again."""
    return {
        other: new
        if other == name
        else load_file(
            data_dir / f"{other}.yaml", display_path(data_dir / f"{other}.yaml"), name=other
        )
        for other in DATA_FILES
    }


def _write_checked(path: Path, raw: bytes, snap: Snapshot, display: str) -> Path:
    """``write_atomic`` of a checked edit, its refusals worded; returns the file written."""
    try:
        return write_atomic(path, raw, snap, display)
    except OSError as exc:  # a refused write (``Refused``, exit 2) passes on as it is
        raise Refused(
            f"cannot write {display} ({exc.strerror or exc}); nothing was written"
        ) from None


def add_record(
    data_dir: Path,
    kind: str,
    values: Mapping[str, Any],
    today: datetime.date | None = None,
    allow_duplicate: bool = False,
) -> Added:
    """Append a new record to its data file, or raise without writing anything.

    ``values`` are option values by parameter name (see ``normalise``); the id must be among them.
    Raises ``DataError`` (with located problems, lines as the file would be) when the dataset
    with the new record has any error (the errors, and the warnings the new record brings; the
    count of warnings already on record in the message) or, for a statement, when one on record
    has the same speaker, date and source address (unless ``allow_duplicate``); ``EditConflict``
    when the file changed on disk meanwhile."""
    name = file_for(kind)
    if "id" not in values:
        raise UsageError("the new record needs an id (--id)")
    path = data_dir / f"{name}.yaml"
    with locked(target_of(path).parent):
        return _add_locked(data_dir, path, name, kind, values, today, allow_duplicate)


def _position(p: Problem) -> tuple[str, int, int]:
    return (p.path, p.line, p.column)


def _identity(p: Problem) -> tuple[str, int, int, str, Level, str]:
    """A problem as the record already had it (the new record is appended at the end of its
    file, so no problem above it moves)."""
    return (p.path, p.line, p.column, p.rule, p.level, p.message)


DUPLICATE_RULE = "duplicate-statement"


def _duplicates(statements: list[Statement], display: str, line: int) -> list[Problem]:
    """The new statement (the last) as a problem when one on record has the same speaker, date
    and a source address in common (``--allow-duplicate`` adds it anyway)."""
    if not statements:
        return []
    new = statements[-1]
    urls = {s.url for s in new.cited if s.url}
    for old in statements[:-1]:
        if old.speaker != new.speaker or str(old.date) != str(new.date):
            continue
        shared = urls & {s.url for s in old.cited if s.url}
        if shared:
            return [
                Problem(
                    display,
                    line,
                    1,
                    DUPLICATE_RULE,
                    Level.ERROR,
                    f"statement {old.id!r} on record has the same speaker ({new.speaker}), date "
                    f"({new.date}) and source ({sorted(shared)[0]}); add --allow-duplicate if "
                    "this is another statement",
                )
            ]
    return []


def _add_locked(
    data_dir: Path,
    path: Path,
    name: str,
    kind: str,
    values: Mapping[str, Any],
    today: datetime.date | None,
    allow_duplicate: bool = False,
) -> Added:
    """``add_record`` while holding the data folder's lock: read, check, write, report."""
    display = display_path(path)
    try:
        snap = snapshot(path, DEFAULT_LIMITS.max_file_bytes, display)
    except Refused as exc:
        problem = _refusal_problem(exc, display)
        raise DataError([problem], f"{display} cannot be used; nothing was written") from None
    except OSError:
        raise DataError(
            load_file(path, display, name=name).problems,
            f"{display} cannot be read; nothing was written",
        ) from None
    old = load_bytes(snap.raw, display, name, spans=True)
    if old.data is None or any(p.is_error for p in old.problems):
        raise DataError(old.problems, f"{display} has errors; fix them before adding a record")
    text, bom = _split_bom(snap.raw, old)
    items = old.data.get(name)
    if items is not None and not isinstance(items, list):
        raise DataError(
            [
                Problem(
                    display,
                    *old.locate((name,)),
                    "schema",
                    Level.ERROR,
                    f"{name}: should be a list of records",
                )
            ],
            "nothing was written",
        )
    record = record_from(kind, values)
    layout = detect_layout(text, old, name)
    item_text = render_record(kind, record, layout)
    new, new_text = _with_record(old, text, name, record, item_text, layout)
    # the old text and data are let go (the new file shares the records) before they are typed
    del old, text, items
    too_big = file_size_problem(len((bom + new_text).encode("utf-8")), display)
    if too_big is not None:
        raise DataError(
            [too_big],
            f"the new {kind} was refused: with it the file would be over the size limit; "
            "nothing was written",
        )
    files = _with_file(data_dir, name, new)
    day = today or datetime.date.today()
    count = len(new.data[name])
    with gc_paused():  # typed once: each record's plain data let go as it is typed
        result = check_loaded(files, dataset_root(data_dir), day, release=True)
    del files
    line = new.locate((name, count - 1))[0]  # reads that record's lines alone
    errors = [p for p in result.problems if p.is_error]
    if not errors and kind == "statement" and not allow_duplicate:
        errors = _duplicates(result.dataset.statements, display, line)
        result = Validation(result.dataset, sorted([*result.problems, *errors], key=_position))
    if errors:
        known = validate(data_dir, day).problems  # the file on disk is unchanged (locked)
        seen = {_identity(p) for p in known if not p.is_error}  # errors refuse it: shown
        own = [p for p in result.problems if _identity(p) not in seen]
        others = len(result.problems) - len(own)
        more = (
            f"; {others} warning{'s' * (others != 1)} already on record not shown" if others else ""
        )
        raise DataError(
            own,
            f"the new {kind} was refused; nothing was written "
            f"({display} line numbers are as the file would be{more})",
        )
    own = [p for p in result.problems if p.path == display and p.line >= line]
    del result, new  # the typed records, before the new bytes are made
    written = _write_checked(path, (bom + new_text).encode("utf-8"), snap, display)
    shown = display if written == path else display_path(written)
    return Added(str(values["id"]), shown, line, own)


def _refusal_problem(exc: Refused, display: str) -> Problem:
    """A file ``snapshot`` would not read, as a problem (a file over the size limit worded as
    every reader words it)."""
    too_big = None if exc.size is None else file_size_problem(exc.size, display)
    return too_big or Problem(display, 1, 1, exc.rule, Level.ERROR, str(exc))


def _with_record(
    old: LoadedFile,
    text: str,
    name: str,
    record: dict[str, Any],
    item_text: str,
    layout: Layout,
) -> tuple[LoadedFile, str]:
    """The file read (``old``, its text ``text``) with the new record's lines appended: the file
    as it would be and its text. Read from ``old`` and the new lines where that shows the result
    (``LoadedFile.with_record_appended``), else read whole and compared with ``old``; where the
    file's end does not take an appended item, the whole file goes through ruamel's round trip.
    ``ExportAlignmentError`` when no way adds the record without rewriting other lines."""
    model = RECORD_MODELS[name]
    new_text, start, end = _appended(text, item_text)
    appended = old.with_record_appended(new_text, start, end)
    if appended is not None and _same_record(model, appended.data[name][-1], record):
        return appended, new_text
    display, old_items = old.path, old.data.get(name) or []
    new = load_text(new_text, display, name)
    if any(p.rule.startswith("limit-") for p in new.problems):  # one record too many, ...
        raise DataError(new.problems, "the new record was refused; nothing was written")
    new_items = new.data.get(name) if isinstance(new.data, dict) else None
    if isinstance(new_items, list) and _same_records(model, old_items, new_items, record):
        return new, new_text
    # the file's end does not take an appended item (an empty `name: []`, a trailing top-level
    # key): the whole file through ruamel's round trip instead (allowed only where it changes
    # no line but the one holding the list's key)
    key_line = old.key_positions.get((name,), (0, 0))[0]
    new_text = round_trip_append(text, name, item_text, layout)
    new_text = new_text.replace("\n", _newline(text)) if _newline(text) != "\n" else new_text
    new = load_text(new_text, display, name)
    new_items = new.data.get(name) if isinstance(new.data, dict) else None
    if (
        not isinstance(new_items, list)
        or not _same_records(model, old_items, new_items, record)
        or not _only_added_lines(text, new_text, {key_line})
    ):
        raise ExportAlignmentError(
            f"cannot add the record to {display} without rewriting other lines of it "
            "(its end does not take a new list item); nothing was written. Move the "
            f"'{name}:' list to the end of the file, or add the record by hand"
        )
    return new, new_text


# --- setting a field on existing sources -------------------------------------------------------


@dataclass(frozen=True)
class FieldInsert:
    """A new ``field: value`` line for the mapping at ``keypath`` (a source), placed after the
    line of its ``after`` key."""

    keypath: tuple[Any, ...]
    after: str
    field: str
    value: str


@dataclass(frozen=True)
class Inserted:
    """What ``insert_fields`` wrote, and what it left (with why)."""

    path: str
    written: list[FieldInsert]
    skipped: list[tuple[FieldInsert, str]]


def _insert_line(
    lines: list[str], loaded: LoadedFile, edit: FieldInsert, newline: str
) -> tuple[int, str] | str:
    """Where the new line goes (0-based index) and its text, or why it cannot be placed."""
    key = (*edit.keypath, edit.after)
    if (*edit.keypath, edit.field) in loaded.positions:
        return f"{edit.field} is there already"
    if key not in loaded.key_positions or key not in loaded.positions:
        return f"no {edit.after} to place it after"
    key_line, key_col = loaded.key_positions[key]
    value_line, value_col = loaded.positions[key]
    if key_line != value_line:
        return f"the {edit.after} value does not stand on its key's line"
    shown = lines[value_line - 1][value_col - 1 :].rstrip("\r\n").rstrip()
    value = loaded.data
    for part in key:
        value = value[part]
    if shown not in (str(value), f'"{value}"', f"'{value}'"):
        return f"the {edit.after} value spans more than its line"
    if "{" in lines[key_line - 1][: key_col - 1]:
        return "the source is written in flow style"
    text = " " * (key_col - 1) + f"{edit.field}: {json.dumps(edit.value)}" + newline
    return value_line, text


def insert_fields(
    data_dir: Path, name: str, edits: list[FieldInsert], today: datetime.date | None = None
) -> Inserted:
    """Add a field line to existing records' sources in ``data/<name>.yaml`` (``sources check
    --write-archive``), with ``add``'s guarantees: the file is read and written under the data
    folder's lock, every other line is kept byte for byte, the whole dataset with the change is
    validated first (any error: ``DataError``, nothing written), and the write is atomic (a
    killed writer leaves the old file whole)."""
    path = data_dir / f"{name}.yaml"
    with locked(target_of(path).parent):
        display = display_path(path)
        limit = DEFAULT_LIMITS.max_file_bytes
        try:
            snap = snapshot(path, limit, display)
        except (Refused, OSError) as exc:
            raise ExportAlignmentError(
                f"{display} cannot be read ({exc}); nothing was written"
            ) from None
        old = load_bytes(snap.raw, display, name)
        if old.data is None or any(p.is_error for p in old.problems):
            raise DataError(old.problems, f"{display} has errors; fix them first")
        text, bom = _split_bom(snap.raw, old)
        newline = _newline(text)
        lines = text.splitlines(keepends=True)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        placed, skipped = [], []
        for edit in edits:
            where = _insert_line(lines, old, edit, newline)
            if isinstance(where, str):
                skipped.append((edit, where))
            else:
                placed.append((where, edit))
        if not placed:
            return Inserted(display, [], skipped)
        for (index, line_text), _ in sorted(placed, key=lambda p: p[0][0], reverse=True):
            lines.insert(index, line_text)
        new_text = "".join(lines)
        new = load_text(new_text, display, name)
        result = check_loaded(
            _with_file(data_dir, name, new), dataset_root(data_dir), today or datetime.date.today()
        )
        if any(p.is_error for p in result.problems):
            raise DataError(
                result.problems,
                f"the change to {display} was refused; nothing was written "
                "(line numbers are as the file would be)",
            )
        _write_checked(path, (bom + new_text).encode("utf-8"), snap, display)
        return Inserted(display, [edit for _, edit in placed], skipped)


__all__ = [
    "FIELDS",
    "KINDS",
    "Added",
    "EditConflict",
    "FieldInsert",
    "Inserted",
    "FieldSpec",
    "Layout",
    "add_record",
    "current",
    "detect_layout",
    "insert_fields",
    "missing",
    "normalise",
    "record_from",
    "reference_choices",
    "reference_names",
    "render_record",
    "suggest_id",
]
