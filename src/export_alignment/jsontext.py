"""Indented JSON text, the very bytes ``json.dumps(value, indent=2, ensure_ascii=False)`` writes,
made by the standard library's C encoder.

Python's C encoder does not indent; with ``indent`` set, ``json.dumps`` runs its pure-Python
encoder, value by value. Here every container whose members are all plain values (strings,
numbers, booleans, null) is written by the C encoder in one call, its item separator carrying
the newline and indentation of its depth; a container holding containers is written the same
way with those replaced by ``null``, then each ``null`` swapped for the container's own text.
Keys, numbers and strings are all written by ``json``'s own encoder, so the text is byte for
byte the same (a test compares both on edge cases and on generated values).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

_CONTAINERS = (dict, list, tuple)


@lru_cache(maxsize=64)
def _flat(inner: str) -> Callable[[object], str]:
    """The C encoder for a container of plain values whose members start at ``inner``."""
    separators = ("," + inner, ": ")
    if c_make_encoder is None:  # a Python without the C accelerator: the same text, slower
        return json.JSONEncoder(ensure_ascii=False, separators=separators).encode
    key_separator, item_separator = separators[1], separators[0]
    chunks = c_make_encoder(
        None,
        _unencodable,
        encode_basestring,
        None,
        key_separator,
        item_separator,
        False,
        False,
        True,
    )  # (markers, default, encoder, indent, separators, sort_keys, skipkeys, allow_nan)
    return lambda value: "".join(chunks(value, 0))


def _unencodable(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _text(value: object, newline: str, step: str) -> str:
    """``value``'s JSON; ``newline`` is a newline and the value's own indentation.

    A container is written by the C encoder with its containers replaced by ``null``; as the
    item separator holds a newline, which no encoded string or number does, splitting the text
    there gives one piece per member, and each replaced member's ``null`` is then swapped for
    that container's own text, one level deeper."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + step
        nested = [i for i, v in enumerate(value.values()) if isinstance(v, _CONTAINERS)]
        if not nested:
            return "{" + inner + _flat(inner)(value)[1:-1] + newline + "}"
        members = list(value.values())
        flat: object = {k: (None if isinstance(v, _CONTAINERS) else v) for k, v in value.items()}
        open_, close = "{", "}"
    elif isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + step
        nested = [i for i, v in enumerate(value) if isinstance(v, _CONTAINERS)]
        if not nested:
            return "[" + inner + _flat(inner)(list(value))[1:-1] + newline + "]"
        members = list(value)
        flat = [None if isinstance(v, _CONTAINERS) else v for v in value]
        open_, close = "[", "]"
    else:
        return json.dumps(value, ensure_ascii=False)
    separator = "," + inner
    pieces = _flat(inner)(flat)[1:-1].split(separator)
    for i in nested:
        pieces[i] = pieces[i][: -len("null")] + _text(members[i], inner, step)
    return open_ + inner + separator.join(pieces) + newline + close


def indented(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``, faster: the same text."""
    return _text(value, "\n", " " * indent)
