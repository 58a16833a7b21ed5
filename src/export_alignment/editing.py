"""Adding a record to a data file safely: validated with the whole dataset, written in place.

``add_record`` builds the file as it would be with the new record appended, loads and checks that
text together with the other two files (the same checks as ``validate``), and only then writes.
The write appends the new record's text to the end of the file, so every existing line (comments,
key order, quoting, indentation) is kept byte for byte and the diff only adds lines. The record's
text is emitted by ruamel.yaml with the indentation and line width detected from the file itself.
It is atomic (a temporary file in the same folder, flushed and fsynced, then ``os.replace``) and
refused when the file changed on disk since it was read.

The fields a command line may set are derived from the models (``FIELDS``), so every field of a
record is an option named after it; a source's fields are named after the source field, with a
``source-`` prefix where the record has a field of the same name (``--source-notes``).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import io
import os
import re
import stat
import tempfile
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

# ruamel's round-trip machinery is imported in the functions that write, not here: the CLI
# imports this module for every command, and start-up time matters.
from export_alignment.checks import Validation, check_loaded, dataset_root, validate
from export_alignment.dates import PartialDate
from export_alignment.errors import DataError, ExportAlignmentError, UsageError
from export_alignment.loader import (
    DEFAULT_LIMITS,
    LoadedFile,
    display_path,
    load_dataset_files,
    load_file,
    parse_text,
)
from export_alignment.models import Dataset
from export_alignment.problems import Level, Problem
from export_alignment.records import RECORD_MODELS

KINDS: dict[str, str] = {"actor": "actors", "control": "controls", "statement": "statements"}
"""Record kind on the command line -> the data file (and top-level key) that holds it."""

REFERENCES: dict[tuple[str, str], str] = {
    ("statements", "speaker"): "actor",
    ("statements", "about"): "ally",
    ("statements", "controls"): "initiator-control",
    ("controls", "issuer"): "state-or-bloc",
    ("controls", "target"): "state-or-bloc",
    ("controls", "aligns_with"): "initiator-control",
    ("actors", "represents"): "state-or-bloc",
}
"""Fields that name another record, and what kind of record they must name."""


class EditConflict(ExportAlignmentError):
    """The file changed on disk between reading it and writing it; nothing was written."""


@dataclass(frozen=True)
class FieldSpec:
    """One field a command line may set."""

    option: str
    """The option, e.g. ``--date-note`` or ``--source-notes``."""
    path: tuple[str, ...]
    """Where the value goes in the record: ``("date_note",)``, ``("source", "notes")``."""
    required: bool
    many: bool
    """A list field: comma-separated values or the option repeated."""
    choices: tuple[str, ...] | None
    """The vocabulary, for fields that take one."""
    is_date: bool
    refers_to: str | None
    """``actor``, ``ally``, ``initiator-control`` or ``state-or-bloc`` for references."""
    help: str

    @property
    def param(self) -> str:
        """The option as a Python identifier (``date_note``, ``source_notes``)."""
        return self.option.lstrip("-").replace("-", "_")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and Annotated metadata, and whether it is a list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            inner, _ = _unwrap(typing.get_args(annotation)[0])
            return inner, True
        else:
            return annotation, False


def _specs(
    file: str,
    model: type[BaseModel],
    prefix: tuple[str, ...] = (),
    taken: frozenset[str] = frozenset(),
) -> list[FieldSpec]:
    out: list[FieldSpec] = []
    names = frozenset(model.model_fields)
    for name, info in model.model_fields.items():
        base, many = _unwrap(info.annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            if many:  # a list of records (sources, lifecycle) is written in the file, not here
                continue
            out.extend(_specs(file, base, prefix + (name,), names))
            continue
        option_name = name.replace("_", "-")
        if prefix and name in taken:
            option_name = f"{prefix[-1]}-{option_name}"
        choices = None
        if isinstance(base, type) and issubclass(base, enum.Enum):
            choices = tuple(str(m.value) for m in base)
        description = info.description or ""
        if many:
            description = (
                description + "; " if description else ""
            ) + "comma-separated, or repeat the option"
        out.append(
            FieldSpec(
                option=f"--{option_name}",
                path=prefix + (name,),
                required=info.is_required(),
                many=many,
                choices=choices,
                is_date=base is PartialDate,
                refers_to=None if prefix else REFERENCES.get((file, name)),
                help=description,
            )
        )
    return out


FIELDS: dict[str, list[FieldSpec]] = {
    kind: _specs(file, RECORD_MODELS[file]) for kind, file in KINDS.items()
}
"""Every settable field of each record kind, in the model's (and the file's) key order."""


def _file_for(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError(f"a record is one of {', '.join(KINDS)}, not {kind!r}")
    return KINDS[kind]


# --- values from the command line -----------------------------------------------------------


def normalise(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Option values by parameter name -> values by parameter name, absent ones dropped: list
    fields split on commas (``--about jp,nl`` is ``--about jp --about nl``)."""
    out: dict[str, Any] = {}
    _file_for(kind)
    for spec in FIELDS[kind]:
        value = raw.get(spec.param)
        if value is None:
            continue
        if spec.many:
            items = [value] if isinstance(value, str) else list(value)
            parts = [p.strip() for item in items for p in str(item).split(",")]
            parts = [p for p in parts if p]
            if parts:
                out[spec.param] = parts
        else:
            out[spec.param] = str(value)
    return out


def missing(kind: str, values: Mapping[str, Any], *, with_id: bool = False) -> list[FieldSpec]:
    """The required fields not given (the id only with ``with_id``: it can be suggested)."""
    return [
        s
        for s in FIELDS[kind]
        if s.required and s.param not in values and (with_id or s.param != "id")
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def suggest_id(kind: str, values: Mapping[str, Any], taken: Iterable[str]) -> str | None:
    """An id for the new record, unique among ``taken``: a statement's from the speaker's last
    name part and the date (``kishida-2023-01-13`` for ``fumio-kishida`` on that day), a
    control's from the issuer and its first date, an actor's from its name. None when the
    fields it is made of are missing."""
    taken = set(taken)
    if kind == "statement":
        speaker, day = values.get("speaker"), values.get("date")
        if not speaker or not day:
            return None
        base = f"{_slug(speaker).rsplit('-', 1)[-1]}-{_slug(day)}"
    elif kind == "control":
        issuer = values.get("issuer")
        day = values.get("announced") or values.get("published") or values.get("effective")
        if not issuer:
            return None
        base = "-".join(
            p for p in (_slug(issuer), _slug(day or ""), _slug(values.get("kind") or "")) if p
        )
    else:
        base = _slug(values.get("name") or "")
    base = base[:90].strip("-")
    if not base:
        return None
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def reference_choices(spec: FieldSpec, dataset: Dataset) -> list[str]:
    """The ids a reference field may name in this dataset (for prompts and completion)."""
    if spec.refers_to == "actor":
        return [a.id for a in dataset.actors]
    if spec.refers_to == "ally":
        return [a.id for a in dataset.allies()]
    if spec.refers_to == "initiator-control":
        return [c.id for c in dataset.initiator_controls()]
    if spec.refers_to == "state-or-bloc":
        return [a.id for a in dataset.actors if a.role is not None or a.kind in ("state", "bloc")]
    return []


def current(data_dir: Path) -> Validation:
    """The dataset as it stands (valid records only; problems included), for prompts and ids."""
    return validate(data_dir)


def record_from(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The record as plain data, keys in the model's order, from values by parameter name."""
    record: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        if spec.param not in values:
            continue
        node = record
        for part in spec.path[:-1]:
            node = node.setdefault(part, {})
        node[spec.path[-1]] = values[spec.param]
    return record


# --- the file's layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How a data file is indented and wrapped, detected from its text."""

    mapping: int = 2
    """Columns a nested mapping's keys stand right of their parent key."""
    sequence: int = 4
    """Columns a block sequence item's content stands right of the parent key."""
    offset: int = 2
    """Columns the ``-`` of a block sequence item stands right of the parent key."""
    flow_lists: bool = False
    """Whether lists inside records are written ``[a, b]``."""
    width: int = 80
    """The longest line of a wrapped (multi-line folded, plain or quoted) text."""


def detect_layout(text: str, loaded: LoadedFile, name: str) -> Layout:
    """The file's indentation and width, read from where its values stand: the ``-`` and first key
    of the top-level list's items give ``offset`` and ``sequence``; a nested mapping (a
    ``source:``) gives ``mapping``; the first list inside a record says flow or block; the longest
    line inside a multi-line text gives ``width``. What the file does not show keeps the
    default."""
    pos, keys = loaded.positions, loaded.key_positions
    lines = text.splitlines()
    mapping, sequence, offset, flow = None, None, None, None
    root_key = keys.get((name,))
    items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
    if root_key and isinstance(items, list) and items and (name, 0) in pos:
        dash = pos[(name,)]
        first = pos[(name, 0)]
        if _char_at(lines, dash) == "-" and dash[0] == first[0]:
            offset = dash[1] - root_key[1]
            sequence = first[1] - root_key[1]
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        for field, value in item.items():
            path = (name, i, field)
            if mapping is None and isinstance(value, dict) and value:
                parent = keys.get(path)
                child = keys.get(path + (next(iter(value)),))
                if parent and child and child[0] > parent[0]:
                    mapping = child[1] - parent[1]
            if flow is None and isinstance(value, list) and value and path in pos:
                flow = _char_at(lines, pos[path]) == "["
        if mapping is not None and flow is not None:
            break
    default = Layout()
    return Layout(
        mapping=mapping or default.mapping,
        sequence=sequence or default.sequence,
        offset=offset if offset is not None else default.offset,
        flow_lists=bool(flow),
        width=_wrapped_width(text) or default.width,
    )


def _char_at(lines: list[str], where: tuple[int, int]) -> str:
    line, col = where
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _wrapped_width(text: str) -> int | None:
    """The longest line of any text the file wraps over several lines (folded, plain or quoted;
    literal ``|`` blocks keep their own lines and say nothing about width)."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover
        return None
    lines = text.splitlines()
    widest = 0
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            if kind == "StreamEndEvent":
                break
            if kind != "ScalarEvent" or event.style == "|":
                continue
            first, last = event.start_mark.line, event.end_mark.line
            if event.end_mark.column == 0:  # a block ends at the start of the next line
                last -= 1
            if event.style == ">":
                first += 1  # the line of the `>` indicator holds no text
            if last > first:  # two lines or more: the text was wrapped
                for n in range(first, min(last, len(lines) - 1) + 1):
                    widest = max(widest, len(lines[n].rstrip()))
    except Exception:  # the file's own problems are reported by the loader
        return None
    return widest or None


# --- the record's text ---------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FOLDABLE = re.compile(r"^\S+( \S+)+$")


def _date_value(value: str) -> Any:
    """A date field as the emitter should write it: a plain date, year or year-month (never
    quoted), or the text as given when it is not a date (validation reports it)."""
    if _DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    return value


def _wrap(text: str, column: int, width: int) -> Any:
    """Long single-spaced text as a folded block (``>-``) wrapped at the file's width."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
    )

    if not text.isprintable():
        return DoubleQuotedScalarString(text)
    if column + len(text) <= width or not _FOLDABLE.match(text):
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = _greedy_folds(text, column, width)  # type: ignore[attr-defined]
    return folded


def _greedy_folds(text: str, column: int, width: int) -> list[int]:
    words = text.split(" ")
    folds, index, used = [], 0, 0
    for n, word in enumerate(words):
        if n == 0:
            used = len(word)
        elif column + used + 1 + len(word) > width:
            folds.append(index - 1)  # the space before this word
            used = len(word)
        else:
            used += 1 + len(word)
        index += len(word) + 1
    return folds


def _node(
    spec_by_path: dict[tuple, FieldSpec], value: Any, path: tuple, column: int, layout: Layout
) -> Any:
    from ruamel.yaml.comments import (
        CommentedMap,
        CommentedSeq,
    )

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _node(spec_by_path, v, path + (k,), column + layout.mapping, layout)
        return out
    spec = spec_by_path.get(path)
    if isinstance(value, list):
        seq = CommentedSeq(_quoted_if_needed(v) for v in value)
        if layout.flow_lists:
            seq.fa.set_flow_style()
        return seq
    if spec is not None and spec.is_date:
        return _date_value(value)
    return _wrap(value, column, layout.width)


def _quoted_if_needed(value: str) -> str:
    """Text holding line breaks, tabs or other unprintable characters goes double-quoted, where
    YAML escapes them (ruamel's single-quoted style would write a raw NEL or line separator)."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
    )

    return value if value.isprintable() else DoubleQuotedScalarString(value)


def render_record(kind: str, record: Mapping[str, Any], layout: Layout) -> str:
    """The record's text as an item of the file's top-level list (``  - id: ...``), in the file's
    layout; it ends with a newline."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    name = KINDS[kind]
    spec_by_path = {s.path: s for s in FIELDS[kind]}
    # a field's own keys stand at `sequence`; the text of a folded block one mapping further
    item = CommentedMap()
    for k, v in record.items():
        item[k] = _node(spec_by_path, v, (k,), layout.sequence + layout.mapping, layout)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.width = 1_000_000  # folded texts carry their own folds; nothing else is wrapped
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump({name: [item]}, out)
    text = out.getvalue()
    return text.split("\n", 1)[1]  # drop the "<name>:" line; the file has its own


# --- adding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A file as read: its bytes and the stat values that say whether it changed since."""

    raw: bytes
    mtime_ns: int
    size: int
    inode: int


def _snapshot(path: Path) -> Snapshot:
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        raw = f.read()
    return Snapshot(raw, st.st_mtime_ns, st.st_size, st.st_ino)


def _unchanged(path: Path, snap: Snapshot) -> bool:
    try:
        st = os.stat(path)
        if (st.st_mtime_ns, st.st_size, st.st_ino) != (snap.mtime_ns, snap.size, snap.inode):
            return False
        return path.read_bytes() == snap.raw
    except OSError:
        return False


def write_atomic(path: Path, data: bytes, expected: Snapshot | None) -> None:
    """Replace ``path`` with ``data``: written to a temporary file in the same folder, flushed and
    fsynced, then renamed over the file. With ``expected``, refuses (``EditConflict``, nothing
    written) when the file no longer matches it just before the rename. A failure at any point
    leaves the old file and no temporary file behind."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:  # mkstemp makes the file 0600: keep the old file's mode, or the usual one
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        if expected is not None and not _unchanged(path, expected):
            raise EditConflict(
                f"{display_path(path)} changed on disk since it was read; nothing "
                "was written (run the command again)"
            )
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass(frozen=True)
class Added:
    """What ``add_record`` wrote."""

    id: str
    path: str
    """The file, as shown to the user."""
    line: int
    """The line of the new record's ``- id:``."""
    warnings: list[Problem]


def _decoded(path: Path, display: str, snap: Snapshot, name: str) -> tuple[str, str]:
    """The file's text and its byte-order mark ('' or '\\ufeff'), or a DataError."""
    try:
        text = snap.raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(
            load_file(path, display, name=name).problems,
            f"{display} cannot be read; nothing was written",
        ) from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return text[len(bom) :], bom


def _as_loaded(text: str, display: str, name: str) -> LoadedFile:
    loaded = parse_text(text, display, DEFAULT_LIMITS)
    if not loaded.problems and not isinstance(loaded.data, dict):
        line, col = loaded.positions.get((), (1, 1))
        loaded.problems.append(
            Problem(
                display,
                line,
                col,
                "file-not-mapping",
                Level.ERROR,
                f"the file should hold a mapping '{name}: [...]'",
            )
        )
        loaded.data = None
    return loaded


def _appended(text: str, record_text: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + record_text


def _same_records(model, old: list, new: list, record: dict) -> bool:
    """Whether ``new`` is ``old`` with ``record`` appended, as data and as typed records."""
    if len(new) != len(old) + 1 or new[:-1] != old:
        return False
    try:
        return model.model_validate(new[-1]) == model.model_validate(record)
    except Exception:  # invalid either way: validation will say why
        return _as_text(new[-1]) == _as_text(record)


def _as_text(value: Any) -> Any:
    """Plain data with every scalar as text: a year written ``2023`` reads back as the number
    2023, which is still the value the user gave."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return str(value)


def add_record(
    data_dir: Path, kind: str, values: Mapping[str, Any], today: datetime.date | None = None
) -> Added:
    """Append a new record to its data file, or raise without writing anything.

    ``values`` are option values by parameter name (see ``normalise``); the id must be among them.
    Raises ``DataError`` (with located problems, lines as the file would be) when the dataset with
    the new record has any error, ``EditConflict`` when the file changed on disk meanwhile."""
    name = _file_for(kind)
    if "id" not in values:
        raise UsageError("the new record needs an id (--id)")
    path = data_dir / f"{name}.yaml"
    display = display_path(path)
    try:
        snap = _snapshot(path)
    except OSError:
        raise DataError(
            load_file(path, display, name=name).problems,
            f"{display} cannot be read; nothing was written",
        ) from None
    text, bom = _decoded(path, display, snap, name)
    old = _as_loaded(text, display, name)
    if old.data is None or any(p.is_error for p in old.problems):
        raise DataError(old.problems, f"{display} has errors; fix them before adding a record")
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
    old_items = items or []
    record = record_from(kind, values)
    layout = detect_layout(text, old, name)
    model = RECORD_MODELS[name]
    new_text = _appended(text, render_record(kind, record, layout))
    new = _as_loaded(new_text, display, name)
    new_items = new.data.get(name) if isinstance(new.data, dict) else None
    if not isinstance(new_items, list) or not _same_records(model, old_items, new_items, record):
        # the file's end does not take an appended item (an empty `name: []`, a trailing
        # top-level key): write the whole file through ruamel's round trip instead
        new_text = _round_trip(text, name, kind, record, layout)
        new = _as_loaded(new_text, display, name)
        new_items = new.data.get(name) if isinstance(new.data, dict) else None
        if not isinstance(new_items, list) or not _same_records(
            model, old_items, new_items, record
        ):
            raise ExportAlignmentError(
                f"cannot add the record to {display} without changing "
                "other records; nothing was written"
            )
    files = load_dataset_files(data_dir)
    files[name] = new
    result = check_loaded(files, dataset_root(data_dir), today or datetime.date.today())
    errors = [p for p in result.problems if p.is_error]
    if errors:
        raise DataError(
            result.problems,
            f"the new {kind} was refused; nothing was written "
            f"({display} line numbers are as the file would be)",
        )
    try:
        write_atomic(path, (bom + new_text).encode("utf-8"), snap)
    except OSError as exc:
        raise ExportAlignmentError(
            f"cannot write {display} ({exc.strerror or exc}); nothing was written"
        ) from None
    line = new.positions.get((name, len(new_items) - 1), (1, 1))[0]
    own = [p for p in result.problems if p.path == display and p.line >= line]
    return Added(str(values["id"]), display, line, own)


def _round_trip(text: str, name: str, kind: str, record: Mapping[str, Any], layout: Layout) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedSeq

    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.width = layout.width
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    doc = yaml.load(text)
    item_text = render_record(kind, record, layout)
    item = yaml.load(f"{name}:\n{item_text}")[name][0]
    if doc.get(name) is None:
        doc[name] = CommentedSeq()
    seq = doc[name]
    if seq.fa.flow_style():
        seq.fa.set_block_style()
    seq.append(item)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


__all__ = [
    "FIELDS",
    "KINDS",
    "Added",
    "EditConflict",
    "FieldSpec",
    "Layout",
    "add_record",
    "current",
    "detect_layout",
    "missing",
    "normalise",
    "record_from",
    "reference_choices",
    "render_record",
    "suggest_id",
    "write_atomic",
]
