"""The YAML reader: one file's text to plain data with positions.

YAML events (from libyaml) are turned into dicts, lists and scalars here (no tag is ever
constructed into an object), every limit is enforced while reading, so a hostile file costs
little, and a file yields its data or its problems, never an exception. A ``LoadedFile`` keeps
what it needs to find each value's 1-based line and column later, on demand: a problem in one
record reads that record's lines again, not the file.

The module is long (about 1,000 lines) for one reason: the fast path (``_Reader.read_fast``), the
general path and the reading of one record's lines (positions on demand, a record appended by
``add``) read the same events and must agree on every value, limit and position, so they stand
side by side.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, cast

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from export_alignment.problems import Level, Problem
from export_alignment.yamlevents import (
    ANCHOR,
    END,
    IMPLICIT,
    START,
    STYLE,
    TAG,
    VALUE,
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    events,
)

KeyPath = tuple[Any, ...]
"""Where a value stands in a file's data: keys and list indexes from the top (``("statements", 3,
"source", "url")``)."""

Positions = dict[KeyPath, tuple[int, int]]
"""(line, column), 1-based, by key path."""


def keypath_text(loc: KeyPath) -> str:
    """A key path as a reader writes it: ``lifecycle[0].date``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Limits:
    """Bounds on what one data file may hold; generous for real records, cheap for hostile ones."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 5_000_000
    """Nodes in a file, counting every alias as the size of what it stands for."""
    max_scalar_chars: int = 100_000
    max_records: int = 200_000


DEFAULT_LIMITS = Limits()

LIMIT_RULES = {
    "max_file_bytes": ("limit-file-size", "bytes in one data file"),
    "max_depth": ("limit-depth", "levels of nesting in one file"),
    "max_nodes": (
        "limit-nodes, limit-aliases",
        "values in one file, each alias counted as the values it stands for",
    ),
    "max_scalar_chars": ("limit-string", "characters in one text value"),
    "max_records": ("limit-records", "records in one file"),
}
"""Each limit's rule id and what it bounds (shown in the README)."""


def file_size_problem(size: int, path: str, limits: Limits = DEFAULT_LIMITS) -> Problem | None:
    """The one file-size check, made by every reader of a data file before its bytes are read
    where the size is known first (``validate`` and the reporting commands from disk, ``diff``
    from a git revision, ``add`` before and after its edit): None within the limit, else the
    problem, worded the same wherever the file came from."""
    if size <= limits.max_file_bytes:
        return None
    return Problem(
        path,
        1,
        1,
        "limit-file-size",
        Level.ERROR,
        f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,}",
    )


@dataclass
class LoadedFile:
    """One file's plain data (None when it could not be read) and where each value stands.

    Positions are read on first use: a file whose values no problem points at (the common case)
    never pays for them. The first ``locate`` (or ``positions``) reads the text again, recording
    the 1-based line and column of every value and key by key path; the text is then dropped."""

    path: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    _positions: Positions | None = field(default=None, repr=False)
    _key_positions: Positions | None = field(default=None, repr=False)
    _source: tuple[str, Limits, str | None] | None = field(default=None, repr=False)
    """What to read positions from: the text, the limits and the records key."""
    _records: tuple[array[int], array[int], int] | None = field(default=None, repr=False)
    """Where each record's lines start in the text (index and 0-based line) and where the list
    ends: a problem in one record reads that record's lines again, not the file."""
    _record_positions: dict[int, tuple[Positions, Positions] | None] = field(
        default_factory=dict, repr=False
    )
    _top_keys: dict[str, Any] = field(default_factory=dict, repr=False)
    """Each top-level key's start mark from the one reading: a top-level key is located at no
    cost, however much the file holds under it or beside it."""
    _nodes: int = field(default=0, repr=False)
    """The values the reading counted (against ``Limits.max_nodes``)."""
    wrapped_spans: list[tuple[int, int]] | None = field(default=None, repr=False)
    """With ``parse_text(..., spans=True)``: the 0-based first and last line of each text value
    written over several lines (folded, plain or quoted; not literal ``|`` blocks), from the one
    reading; None when not asked for."""

    @property
    def text(self) -> str | None:
        """The text read (without a byte-order mark) while positions may still be read from it;
        None once they have all been read (or for a file that could not be read)."""
        return None if self._source is None else self._source[0]

    @property
    def positions(self) -> Positions:
        """Each value's (line, column) by key path."""
        if self._positions is None:
            self._read_positions()
        assert self._positions is not None
        return self._positions

    @property
    def key_positions(self) -> Positions:
        """Each mapping key's (line, column) by the key path of its value."""
        if self._key_positions is None:
            self._read_positions()
        assert self._key_positions is not None
        return self._key_positions

    def _locate_in_record(self, keypath: KeyPath, key: bool) -> tuple[int, int] | None:
        """``locate`` from the positions of the one record ``keypath`` lies in (None when it lies
        in none, or that record cannot be read on its own)."""
        assert self._source is not None
        records_key = self._source[2]
        if (
            self._records is None
            or len(keypath) < 2
            or keypath[0] != records_key
            or type(keypath[1]) is not int
        ):
            return None
        index = keypath[1]
        if index not in self._record_positions:
            self._record_positions[index] = self._read_record(index)
        found = self._record_positions[index]
        if found is None:
            return None
        positions, key_positions = found
        if key and keypath in key_positions:
            return key_positions[keypath]
        p = tuple(keypath)
        while len(p) >= 2:
            if p in positions:
                return positions[p]
            p = p[:-1]
        return None

    def _read_record(self, index: int) -> tuple[Positions, Positions] | None:
        """Read record ``index``'s lines as a document of their own (a one-item list, at the same
        columns) and shift its positions to the file's lines; None when the lines do not hold
        exactly that record (records sharing a line, an alias to an earlier record, ...)."""
        assert self._source is not None and self._records is not None
        text, limits, records_key = self._source
        starts, lines, end = self._records
        if not 0 <= index < len(starts):
            return None
        start = starts[index]
        stop = starts[index + 1] if index + 1 < len(starts) else end
        if stop <= start:
            return None
        reader, ok = _read(text[start:stop], self.path, limits, None, keep_positions=True)
        if not ok or not isinstance(reader.root, list) or len(reader.root) != 1:
            return None
        shift, base = lines[index], (records_key, index)
        positions = {
            base + p[1:]: (line + shift, col)
            for p, (line, col) in reader.positions.items()
            if p[:1] == (0,)
        }
        key_positions = {
            base + p[1:]: (line + shift, col) for p, (line, col) in reader.key_positions.items()
        }
        return positions, key_positions

    def _read_positions(self) -> None:
        self._positions, self._key_positions = {}, {}
        if self._source is not None:
            text, limits, records_key = self._source
            self._source = None
            reader = _read(text, self.path, limits, records_key, keep_positions=True)[0]
            self._positions, self._key_positions = reader.positions, reader.key_positions

    def with_record_appended(self, new_text: str, offset: int, end: int) -> LoadedFile | None:
        """This file as it reads with one more record, written at ``new_text[offset:end]``, after
        its last one: ``new_text`` is this file's text with those lines added after its records
        (and nothing else changed before the last record). Read from the last record's lines and
        the new ones alone (a two-item list at their columns), not the whole text again; the
        file's data is shared, not copied.

        None when that reading cannot prove the result equals reading ``new_text`` whole: the
        records list is not the file's last key, in block style, with every record a mapping or
        list starting its own line; the file had problems; the last record reads differently
        followed by the new one; the new lines are not exactly one more item of the list; or a
        limit would be reached. The caller then reads ``new_text`` whole."""
        if self._source is None or self._records is None or self.problems:
            return None
        text, limits, records_key = self._source
        data = self.data
        if not isinstance(data, dict) or records_key is None or not data:
            return None
        items = data.get(records_key)
        if list(data)[-1] != records_key or not isinstance(items, list) or not items:
            return None
        starts, lines, _ = self._records
        last = starts[-1]
        if (
            len(items) + 1 > limits.max_records
            or not last < offset < end <= len(new_text)
            or new_text[offset - 1] not in "\r\n"
            or not _same_start(new_text, text, last)
        ):
            return None
        # the list at the top of this document sits one level higher than in the file
        inner = replace(limits, max_depth=limits.max_depth - 1)
        reader, ok = _read(new_text[last:end], self.path, inner, None, keep_positions=False)
        pair = reader.root
        if (
            not ok
            or reader.out.problems
            or not isinstance(pair, list)
            or len(pair) != 2
            or pair[0] != items[-1]
            or self._nodes + reader.nodes > limits.max_nodes  # the last record counted twice:
        ):  # near the limit, the whole text is read and counted exactly
            return None
        out = LoadedFile(self.path, {**data, records_key: [*items, pair[1]]})
        out._source = (new_text, limits, records_key)
        out._top_keys = self._top_keys
        out._nodes = self._nodes + reader.nodes
        breaks = len(_EDITOR_BREAK.findall(new_text, last, offset))
        out._records = (
            array("q", [*starts, offset]),
            array("q", [*lines, lines[-1] + breaks]),
            end,
        )
        return out

    def locate(self, keypath: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at ``keypath`` (of its key with ``key=True``); a path that is
        not in the file (a missing field) falls back to its nearest parent that is."""
        if key and len(keypath) == 1 and keypath[0] in self._top_keys:
            mark = self._top_keys[keypath[0]]
            return mark.line + 1, mark.column + 1
        if self._positions is None and self._source is not None:
            found = self._locate_in_record(keypath, key)
            if found is not None:
                return found
        if key and keypath in self.key_positions:
            return self.key_positions[keypath]
        p = tuple(keypath)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
"""First characters with which a plain scalar may resolve to null, a boolean or a number (the
empty scalar is null too); any other plain scalar is text."""
_WORDS_NOT_TEXT = _NULL | _TRUE | _FALSE
"""The plain scalars starting with a letter that do not resolve to text: the only ones, since
no number (or infinity, NaN) starts with a letter."""
_DATE_SHAPED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
"""A plain ``YYYY-MM-DD``: text under the core schema (no number, null or boolean looks so)."""
_SHARED_MAX = 40
"""Texts up to this long are kept once however often they occur (see ``_Reader.read_fast``)."""
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))


def _plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar; dates stay strings."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        return float(value)
    if value.lower() in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value.lower()]
    return value


_TAG_TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool}


def _tagged(value: str, tag: str) -> Any:
    kind = tag[len(_CORE) :]
    if kind == "str":
        return value
    if kind == "null":
        return None
    if kind in ("map", "seq"):
        raise ValueError(f"tag '!!{kind}' does not fit a plain value")
    resolved: Any = _plain(value)
    expected = _TAG_TYPES[kind]
    if isinstance(resolved, bool) and kind != "bool" or not isinstance(resolved, expected):
        raise ValueError(f"{value!r} is not a valid !!{kind}")
    if kind == "float":
        return float(cast(float, resolved))  # an int or a float, by the check above
    return resolved


_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


def _line_col(text: str, index: int) -> tuple[int, int]:
    """A character index as editors count lines (LF, CRLF or CR ends a line) and columns."""
    index = max(0, min(index, len(text)))
    if "\r" not in text[:index]:  # LF only: counted in C
        return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
    line, start = 1, 0
    for m in _EDITOR_BREAK.finditer(text, 0, index):
        line, start = line + 1, m.end()
    return line, index - start + 1


_NOT_EDITOR_BREAKS = "\x85\u2028\u2029"
"""Characters libyaml counts as line breaks (YAML 1.1) that editors, git and GitHub do not."""


def _shield(text: str) -> tuple[str, dict[int, str] | None]:
    """The text with each of ``_NOT_EDITOR_BREAKS`` replaced by a private-use stand-in that is
    not in the text, so libyaml counts lines (and ends comments) as editors do; and the table
    that puts the originals back into values (None when the text holds none of them)."""
    if not any(c in text for c in _NOT_EDITOR_BREAKS):
        return text, None
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    stand_ins = dict(zip(_NOT_EDITOR_BREAKS, free, strict=False))
    if len(stand_ins) < len(_NOT_EDITOR_BREAKS):  # pragma: no cover - a text using every one
        return text, None
    restore = {ord(s): c for c, s in stand_ins.items()}
    return text.translate({ord(c): s for c, s in stand_ins.items()}), restore


def _printable(s: str) -> str:
    return s.encode("unicode_escape").decode("ascii") if not s.isprintable() else s


class _Frame:
    """An open mapping or sequence while its events are read."""

    __slots__ = (
        "container",
        "keypath",
        "is_mapping",
        "pending_key",
        "seen_keys",
        "anchor",
        "start",
        "mark",
        "is_records",
    )

    def __init__(
        self,
        is_mapping: bool,
        keypath: KeyPath | None,
        anchor: str | None,
        start: int,
        mark: Any,
        is_records: bool,
    ):
        self.container: Any = {} if is_mapping else []
        self.keypath = keypath
        """Its key path, kept only while positions are recorded."""
        self.is_mapping = is_mapping
        self.pending_key: Any = None
        """The key whose value comes next (mappings only); None while a key is awaited."""
        self.seen_keys: dict[str, Any] = {}
        """Each key's start mark, for the duplicate-key message."""
        self.anchor = anchor
        self.start = start
        """The node count when it opened: what an alias to it counts as."""
        self.mark = mark
        """Where it starts (for the record-count message)."""
        self.is_records = is_records
        """The file's list of records: its length is bounded by ``max_records``."""


class _Reader:
    """One file's YAML events turned into plain data, one small step per event kind. Any problem
    that makes the data unusable raises ``_Abort``. With ``keep_positions`` it also records every
    value's (and key's) position by key path; without, it builds the data alone (the common
    case: positions are read again only when a problem needs one, see ``LoadedFile``)."""

    __slots__ = (
        "out",
        "positions",
        "key_positions",
        "keep",
        "path",
        "limits",
        "max_nodes",
        "max_scalar",
        "anchors",
        "stack",
        "nodes",
        "root",
        "documents",
        "records_key",
        "max_records",
        "restore",
        "record_starts",
        "record_lines",
        "records_end",
        "records_count",
        "root_keys",
    )

    def __init__(
        self,
        path: str,
        limits: Limits,
        records_key: str | None = None,
        restore: dict[int, str] | None = None,
        keep_positions: bool = True,
    ):
        self.out = LoadedFile(path)
        self.positions: Positions = {}
        self.key_positions: Positions = {}
        self.keep = keep_positions
        self.path = path
        self.limits = limits
        self.max_nodes = limits.max_nodes
        self.max_scalar = limits.max_scalar_chars
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.root: Any = None
        self.documents = 0
        self.records_key = records_key
        """The top-level key of the file's records (``statements``), counted while read."""
        self.max_records = limits.max_records
        self.restore = restore
        """Set when the text was shielded (see ``_shield``): maps stand-ins back in values."""
        self.record_starts = array("q")
        """Where the line of each record (a collection in the records list) starts, as an index
        into the text; ``record_lines`` holds that line (0-based)."""
        self.record_lines = array("q")
        self.records_end = -1
        """Where the line that ends the records list starts; -1 until it has ended."""
        self.records_count = -1
        self.root_keys: dict[str, Any] = {}
        """The top-level keys' start marks (a file's root mapping), kept from the one reading so
        a problem about a top-level key is located without reading the file again."""

    def problem(self, rule: str, line: int, col: int, message: str) -> Problem:
        return Problem(self.path, line, col, rule, Level.ERROR, message)

    def abort(self, rule: str, mark: Any, message: str) -> _Abort:
        return _Abort(self.problem(rule, mark.line + 1, mark.column + 1, message))

    def read(self, get_event: Callable[[], Event]) -> None:
        """Consume every event; the hot path (scalars) is tested first."""
        if not self.keep and self.restore is None:
            self.read_fast(get_event)
            return
        node, close = self.node, self.close
        while True:
            event = get_event()
            kind = event[0]
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                node(event, kind)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                close(event)
            elif kind is AliasEvent:
                node(event, kind)
            elif kind is DocumentStartEvent:
                self.document(event)
            elif kind is StreamEndEvent:
                return

    def read_fast(self, get_event: Callable[[], Event]) -> None:
        """``read`` without positions: the common scalar (a key, or a plain text value) handled
        inline; anything else through ``node``, which holds every rule. Events are
        ``yamlevents.Event`` tuples, their fields read by number here: 1 value, 2 style, 3 tag,
        4 anchor, 5 start mark."""
        node, close = self.node, self.close
        stack = self.stack
        max_scalar, max_nodes = self.max_scalar, self.max_nodes
        max_depth = self.limits.max_depth
        # one string object for each short text repeated through the file (keys, ids, dates,
        # vocabulary words): the plain data and the typed records share it
        shared: dict[str, str] = {}
        share = shared.setdefault
        while True:
            event = get_event()
            kind = event[0]
            if kind is ScalarEvent and stack:
                top = stack[-1]
                if top.is_mapping and top.pending_key is None:
                    key = event[1]
                    if len(stack) > 1:  # a top-level key is there once: nothing to share
                        key = share(key, key)
                    seen = top.seen_keys
                    if key not in seen and event[3] is None:
                        seen[key] = event[5]
                        top.pending_key = key
                        continue
                else:
                    raw = event[1]
                    if (
                        event[3] is None
                        and event[4] is None
                        and len(raw) <= max_scalar
                        and self.nodes < max_nodes
                        and (
                            event[2]  # quoted or block: text as written
                            or (raw and raw[0] not in _MAYBE_NOT_TEXT)
                            or (raw[:1].isalpha() and raw not in _WORDS_NOT_TEXT)
                            or _DATE_SHAPED(raw)
                        )
                    ):
                        if len(raw) <= _SHARED_MAX:
                            raw = share(raw, raw)
                        self.nodes += 1
                        if top.is_mapping:
                            if top.pending_key.__class__ is not _Duplicate:
                                top.container[top.pending_key] = raw
                            top.pending_key = None
                        else:
                            self.attach(raw)
                        continue
                    if (  # a short decimal number, as common as a word (and as cheap)
                        not event[2]
                        and event[3] is None
                        and event[4] is None
                        and raw.isdigit()
                        and raw.isascii()
                        and len(raw) <= _SHARED_MAX
                        and self.nodes < max_nodes
                        and top.is_mapping
                        and top.pending_key.__class__ is not _Duplicate
                    ):
                        self.nodes += 1
                        top.container[top.pending_key] = int(raw)
                        top.pending_key = None
                        continue
                node(event, kind)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                # a collection as a value below the top (the records list opens there: ``open``),
                # untagged, unanchored and within the limits
                if 1 < len(stack) < max_depth:
                    top = stack[-1]
                    if (
                        (not top.is_mapping or top.pending_key is not None)
                        and event[3] is None
                        and event[4] is None
                        and self.nodes < max_nodes
                    ):
                        self.nodes += 1
                        mark = event[5]
                        if top.is_records:
                            self.record_starts.append(mark.index - mark.column)
                            self.record_lines.append(mark.line)
                        is_map = kind is MappingStartEvent
                        stack.append(_Frame(is_map, None, None, self.nodes, mark, False))
                        continue
                node(event, kind)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                close(event)
            elif kind is ScalarEvent or kind is AliasEvent:
                node(event, kind)
            elif kind is DocumentStartEvent:
                self.document(event)
            elif kind is StreamEndEvent:
                return

    def document(self, event: Event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.abort(
                "yaml-syntax",
                event[START],
                "a data file holds one YAML document; found another",
            )

    def close(self, event: Event) -> None:
        frame = self.stack.pop()
        if not self.stack and frame.is_mapping:
            self.root_keys = frame.seen_keys
        if frame.is_records:
            m = event[START]
            self.records_end = m.index - m.column
            self.records_count = len(frame.container)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.start)
        self.attach(frame.container)

    def attach(self, value: Any) -> None:
        """Put a finished value into its parent (or make it the document's root)."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.is_mapping:
            if top.pending_key.__class__ is not _Duplicate:
                top.container[top.pending_key] = value
            top.pending_key = None
        else:
            items = top.container
            items.append(value)
            if top.is_records and len(items) > self.max_records:
                raise self.abort(
                    "limit-records",
                    top.mark,
                    f"more than {self.max_records:,} records; the limit is {self.max_records:,}",
                )

    def node(self, event: Event, kind: type) -> None:
        """A scalar, alias or collection start: a key of the open mapping, or a value."""
        stack = self.stack
        top = stack[-1] if stack else None
        if top is not None and top.is_mapping and top.pending_key is None:
            self.key(top, event, kind)
            return
        self.nodes += 1
        if self.nodes > self.max_nodes:
            self.count(0, "limit-nodes", event[START])
        keypath: KeyPath | None = None
        if self.keep:
            if top is None:
                keypath = ()
            else:
                assert top.keypath is not None
                keypath = top.keypath + (
                    (top.pending_key,) if top.is_mapping else (len(top.container),)
                )
            m = event[START]
            self.positions[keypath] = (m.line + 1, m.column + 1)
        if kind is ScalarEvent:
            tag = event[TAG]
            raw = event[VALUE]
            if self.restore is not None:
                raw = raw.translate(self.restore)
            if (
                tag is None
                and not event[STYLE]
                and raw
                and raw[0] not in _MAYBE_NOT_TEXT
                and len(raw) <= self.max_scalar
            ):
                value = raw
            else:
                self.check_tag(tag, event)
                value = self.scalar(event, raw, tag)
            if event[ANCHOR] is not None:
                self.anchors[event[ANCHOR]] = (value, 1)
            self.attach(value)
        elif kind is AliasEvent:
            self.alias(event)
        else:
            tag = event[TAG]
            self.check_tag(tag, event)
            self.open(event, kind is MappingStartEvent, tag, keypath, top)

    def check_tag(self, tag: str | None, event: Event) -> None:
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            raise self.abort(
                "yaml-tag",
                event[START],
                f"tag {_printable(tag)!r} is not allowed in data files",
            )

    def key(self, top: _Frame, event: Event, kind: type) -> None:
        if kind is not ScalarEvent:
            raise self.abort("yaml-key", event[START], "mapping keys must be plain text")
        key = event[VALUE]
        if self.restore is not None:
            key = key.translate(self.restore)
        seen = top.seen_keys
        if key not in seen:
            seen[key] = event[START]
            if self.keep:
                assert top.keypath is not None
                m = event[START]
                self.key_positions[top.keypath + (key,)] = (m.line + 1, m.column + 1)
            top.pending_key = key
            return
        first, m = seen[key], event[START]
        self.out.problems.append(
            self.problem(
                "duplicate-key",
                m.line + 1,
                m.column + 1,
                f"duplicate key {_printable(key)!r} (first at line {first.line + 1}, "
                f"column {first.column + 1})",
            )
        )
        top.pending_key = _Duplicate(key)

    def count(self, size: int, rule: str, mark: Any) -> None:
        """Count nodes (an alias as what it stands for) against ``max_nodes``."""
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            if rule == "limit-nodes":
                message = (
                    f"more than {self.limits.max_nodes:,} values (aliases count as what they "
                    "stand for)"
                )
            else:
                message = f"aliases expand to more than {self.limits.max_nodes:,} values"
            raise self.abort(rule, mark, message)

    def alias(self, event: Event) -> None:
        if event[ANCHOR] not in self.anchors:
            raise self.abort(
                "yaml-alias",
                event[START],
                f"alias *{_printable(event[ANCHOR])} refers to no finished anchor",
            )
        value, size = self.anchors[event[ANCHOR]]
        self.count(size, "limit-aliases", event[START])
        self.attach(value)

    def scalar(self, event: Event, raw: str, tag: str | None) -> Any:
        """A scalar's value under the YAML 1.2 core schema (dates stay text)."""
        if len(raw) > self.max_scalar:
            raise self.abort(
                "limit-string",
                event[START],
                f"a text of {len(raw):,} characters; the limit is {self.limits.max_scalar_chars:,}",
            )
        if tag in _ALLOWED_TAGS:
            try:
                return _tagged(raw, tag)
            except ValueError as exc:
                raise self.abort("yaml-tag", event[START], str(exc)) from None
        if event[STYLE] or not event[IMPLICIT][0] or (raw and raw[0] not in _MAYBE_NOT_TEXT):
            return raw
        try:
            return _plain(raw)
        except ValueError:  # an integer longer than Python converts
            raise self.abort(
                "limit-number",
                event[START],
                f"a number of {len(raw):,} digits is too long to read",
            ) from None

    def open(
        self,
        event: Event,
        is_map: bool,
        tag: str | None,
        keypath: KeyPath | None,
        top: _Frame | None,
    ) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise self.abort(
                "limit-depth",
                event[START],
                f"nested deeper than {self.limits.max_depth} levels",
            )
        if tag is not None and tag != "!" and tag != _CORE + ("map" if is_map else "seq"):
            raise self.abort(
                "yaml-tag", event[START], f"tag {_printable(tag)!r} does not fit the node"
            )
        is_records = (
            not is_map
            and top is not None
            and len(self.stack) == 1
            and top.is_mapping
            and top.pending_key == self.records_key
            and self.records_key is not None
        )
        if top is not None and top.is_records:
            m = event[START]
            self.record_starts.append(m.index - m.column)
            self.record_lines.append(m.line)
        self.stack.append(
            _Frame(is_map, keypath, event[ANCHOR], self.nodes, event[START], is_records)
        )


def _syntax_problem(
    exc: YAMLError, text: str, restore: dict[int, str] | None
) -> tuple[int, int, str]:
    """Where a parser error stands and what it says."""
    if isinstance(exc, ReaderError):
        line, col = _line_col(text, exc.position if isinstance(exc.position, int) else 0)
        return line, col, _reader_message(exc)
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        return line, col, message.translate(restore) if restore else message
    return 1, 1, str(exc).splitlines()[0]


def parse_text(
    text: str,
    path: str,
    limits: Limits = DEFAULT_LIMITS,
    records_key: str | None = None,
    *,
    spans: bool = False,
) -> LoadedFile:
    """Parse one YAML document into plain data with positions; problems instead of exceptions.
    With ``records_key``, the list under that top-level key holds at most ``limits.max_records``
    items, counted while reading. With ``spans``, the lines of the texts written over several
    lines are noted too (``LoadedFile.wrapped_spans``: what ``add`` reads the file's width from),
    when the file's line breaks are the ones editors count."""
    reader, ok = _read(text, path, limits, records_key, keep_positions=False, spans=spans)
    out = reader.out
    out._source = (text, limits, records_key)
    if ok:
        out.data = reader.root
        out._nodes = reader.nodes
        out._top_keys = reader.root_keys
        starts = reader.record_starts
        if (
            reader.records_count == len(starts)
            and reader.records_end >= 0
            and all(a < b for a, b in zip(starts, starts[1:], strict=False))
            and (not starts or starts[-1] < reader.records_end)
        ):
            out._records = (starts, reader.record_lines, reader.records_end)
    return out


def _read(
    text: str,
    path: str,
    limits: Limits,
    records_key: str | None,
    keep_positions: bool,
    spans: bool = False,
) -> tuple[_Reader, bool]:
    """One reading of the text; whether it reached the end (else its problem is in ``out``)."""
    shielded, restore = _shield(text)
    reader = _Reader(path, limits, records_key, restore, keep_positions)
    out = reader.out
    try:
        with events(shielded) as get_event:
            if spans and restore is None:
                tap = SpanTap(get_event)
                out.wrapped_spans = tap.spans
                get_event = tap.get_event
            reader.read(get_event)
    except _Abort as abort:
        out.problems.append(abort.problem)
        return reader, False
    except YAMLError as exc:  # ReaderError and MarkedYAMLError included
        line, col, message = _syntax_problem(exc, text, restore)
        out.problems.append(reader.problem("yaml-syntax", line, col, message))
        return reader, False
    return reader, True


def _same_start(a: str, b: str, length: int, piece: int = 1 << 20) -> bool:
    """Whether ``a`` and ``b`` agree on their first ``length`` characters, compared a piece at a
    time (a large file's text is not copied whole to compare it)."""
    if len(a) < length or len(b) < length:
        return False
    ends = ((i, min(i + piece, length)) for i in range(0, length, piece))
    return all(a[i:j] == b[i:j] for i, j in ends)


class SpanTap:
    """Events (``yamlevents.events``) passed on unchanged, noting the lines of each text value
    written over several lines (a folded block's ``>`` line holds none of its text; a block ends
    at the start of the line after it; literal ``|`` blocks keep their own lines and are left
    out)."""

    __slots__ = ("next_event", "spans")

    def __init__(self, get_event: Callable[[], Event]):
        self.next_event = get_event
        self.spans: list[tuple[int, int]] = []

    def get_event(self) -> Event:
        event = self.next_event()
        if event[0] is ScalarEvent and event[STYLE] != "|":
            start, stop = event[START], event[END]
            if stop.line > start.line:
                first, last = start.line, stop.line
                if stop.column == 0:
                    last -= 1
                if event[STYLE] == ">":
                    first += 1
                if last > first:
                    self.spans.append((first, last))
        return event


def wrapped_spans(text: str) -> list[tuple[int, int]] | None:
    """The lines of each text value ``text`` writes over several lines, as ``SpanTap`` notes
    them; None when the text cannot be read as YAML (its problems are the loader's to report)."""
    try:
        with events(text) as get_event:
            tap = SpanTap(get_event)
            while tap.get_event()[0] is not StreamEndEvent:
                pass
    except YAMLError:
        return None
    return tap.spans


class _Duplicate:
    """A repeated key; its value is dropped (the first one stays) and the problem reported."""

    __slots__ = ("key",)

    def __init__(self, key: str):
        self.key = key


def _reader_message(exc: ReaderError) -> str:
    ch = exc.character
    if isinstance(ch, int):
        ch = f"#x{ch:04x}"
    return f"character {ch} is not allowed in YAML: {exc.reason}"


__all__ = [
    "DEFAULT_LIMITS",
    "LIMIT_RULES",
    "KeyPath",
    "Limits",
    "LoadedFile",
    "Positions",
    "SpanTap",
    "file_size_problem",
    "keypath_text",
    "parse_text",
    "wrapped_spans",
]
