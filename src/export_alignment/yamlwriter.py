"""Writing YAML the way a data file already does: its layout (indentation, flow or block lists,
line width) detected from the file, and a new record rendered in it with ruamel.yaml.

ruamel's round-trip machinery is imported in the functions that write, not at module level: the
CLI imports this module for every command, and start-up time matters.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from export_alignment.reader import LoadedFile, wrapped_spans

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
    mapping, sequence, offset, flow = None, None, None, None
    items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
    if not isinstance(items, list):
        items = []
    # each path asked for is one the data holds, so ``locate`` finds it exactly; it reads only
    # the records asked about (the whole file's positions cost as much as reading it again)
    if items:
        root_key = loaded.locate((name,), key=True)
        first = loaded.locate((name, 0))
        before = (_line(text, first[0]) or "")[: first[1] - 1]
        if before.strip() == "-":  # the item's first key stands on its dash's line
            dash = before.index("-") + 1
            offset = dash - root_key[1]
            sequence = first[1] - root_key[1]
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        for field, value in item.items():
            path = (name, i, field)
            if mapping is None and isinstance(value, dict) and value:
                parent = loaded.locate(path, key=True)
                child = loaded.locate(path + (next(iter(value)),), key=True)
                if child[0] > parent[0]:
                    mapping = child[1] - parent[1]
            if flow is None and isinstance(value, list) and value:
                flow = _char_at(text, loaded.locate(path)) == "["
        if mapping is not None and flow is not None:
            break
    default = Layout()
    return Layout(
        mapping=mapping or default.mapping,
        sequence=sequence or default.sequence,
        offset=offset if offset is not None else default.offset,
        flow_lists=bool(flow),
        width=_wrapped_width(text, loaded.wrapped_spans) or default.width,
    )


def _line(text: str, number: int) -> str | None:
    """Line ``number`` (1-based, as ``str.splitlines`` counts) of ``text``; None past its end."""
    return next(_lines_numbered(text, [number - 1]), None) if number > 0 else None


def _char_at(text: str, where: tuple[int, int]) -> str:
    number, col = where
    line = _line(text, number)
    if line is not None and 0 < col <= len(line):
        return line[col - 1]
    return ""


def _wrapped_width(text: str, spans: list[tuple[int, int]] | None = None) -> int | None:
    """The longest line of any text the file wraps over several lines (folded, plain or quoted;
    literal ``|`` blocks keep their own lines and say nothing about width). ``spans`` are those
    texts' lines when the file's one reading noted them (``parse_text(..., spans=True)``); else
    the file's events are walked here."""
    if spans is None:
        spans = wrapped_spans(text)
        if spans is None:  # the file's own problems are reported by the loader
            return None
    wanted = sorted({n for first, last in spans for n in range(first, last + 1)})
    widest = 0
    for line in _lines_numbered(text, wanted):
        widest = max(widest, len(line.rstrip()))
    return widest or None


_CHUNK = 1 << 20
"""Characters of text split into lines at a time (``_lines_numbered``)."""


def _lines_numbered(text: str, wanted: list[int]) -> Iterator[str]:
    """The lines of ``text`` (as ``str.splitlines`` numbers them, from 0) whose numbers are in
    ``wanted`` (sorted), one piece of the text split at a time: a large file is never held as a
    list of all its lines. A piece ends just after a ``\\n``, so no line break is cut in two."""
    index, base, pos, size = 0, 0, 0, len(text)
    while pos < size and index < len(wanted):
        cut = text.find("\n", min(pos + _CHUNK, size))
        end = size if cut < 0 else cut + 1
        lines = text[pos:end].splitlines()
        while index < len(wanted) and wanted[index] < base + len(lines):
            yield lines[wanted[index] - base]
            index += 1
        base, pos = base + len(lines), end


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
    folded.fold_pos = _greedy_folds(text, column, width)
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
    date_paths: frozenset[tuple[Any, ...]],
    value: Any,
    path: tuple[Any, ...],
    column: int,
    layout: Layout,
) -> Any:
    from ruamel.yaml.comments import (
        CommentedMap,
        CommentedSeq,
    )

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _node(date_paths, v, path + (k,), column + layout.mapping, layout)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_quoted_if_needed(v) for v in value)
        if layout.flow_lists:
            seq.fa.set_flow_style()
        return seq
    if path in date_paths:
        return _date_value(value)
    return _wrap(value, column, layout.width)


def _quoted_if_needed(value: str) -> str:
    """Text holding line breaks, tabs or other unprintable characters goes double-quoted, where
    YAML escapes them (ruamel's single-quoted style would write a raw NEL or line separator)."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
    )

    return value if value.isprintable() else DoubleQuotedScalarString(value)


def render_record(
    name: str, record: Mapping[str, Any], layout: Layout, date_paths: frozenset[tuple[Any, ...]]
) -> str:
    """The record's text as an item of the top-level list of the file ``name`` (``  - id: ...``),
    in the file's layout, the fields at ``date_paths`` written as dates; it ends with a
    newline."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    # a field's own keys stand at `sequence`; the text of a folded block one mapping further
    item = CommentedMap()
    for k, v in record.items():
        item[k] = _node(date_paths, v, (k,), layout.sequence + layout.mapping, layout)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.width = 1_000_000  # folded texts carry their own folds; nothing else is wrapped
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump({name: [item]}, out)
    text = out.getvalue()
    return text.split("\n", 1)[1]  # drop the "<name>:" line; the file has its own


def round_trip_append(text: str, name: str, item_text: str, layout: Layout) -> str:
    """The whole file rewritten through ruamel's round trip with the rendered item appended to its
    list (for a file whose end does not take an appended item: ``name: []``, a trailing key)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedSeq

    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.width = layout.width
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    doc = yaml.load(text)
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
