"""libyaml's events as plain tuples: what the YAML reader reads, built at the parser's own cost.

ruamel's libyaml parser (``_ruamel_yaml.CParser``) builds each event by calling the event classes
it imported from ``ruamel.yaml.events``; each is a Python class whose ``__init__`` runs three
levels deep, and on a 10,000-statement record building them is about a third of the reading.
The reader needs six values of an event, not an object, so while it reads, ``events`` puts small
functions in the parser's namespace under those class names; each returns a tuple::

    (kind, value, style, tag, anchor, start_mark, end_mark, implicit)

``kind`` is the ``ruamel.yaml.events`` class the event would have been (so dispatch reads
``event[0] is ScalarEvent``); fields an event kind lacks are None. The names are put back when the
reading ends, however it ends (ruamel's classes, whatever the reading found there), so every
other use of the parser in the process sees ruamel's classes. One reading at a time puts them
there (a lock); a reading in another thread, or inside another, reads the slower way. Where the
parser does not look its event classes up by those names (another version of
``ruamel.yaml.clib``), each event is turned into the same tuple after it is made: slower, and the
same values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ruamel.yaml import events as ruamel_events
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

try:  # the libyaml parser, fast and position-keeping
    import _ruamel_yaml
    from _ruamel_yaml import CParser as EventParser
except ImportError:  # pragma: no cover - pure-Python fallback where the C extension is missing
    _ruamel_yaml = None
    EventParser = None

Event = tuple[Any, ...]
"""``(kind, value, style, tag, anchor, start_mark, end_mark, implicit)``."""

KIND, VALUE, STYLE, TAG, ANCHOR, START, END, IMPLICIT = range(8)
"""Where each field stands in an ``Event`` (hot loops write the numbers themselves)."""


# The builders take the arguments the parser passes each class (all positional, in the class's
# order); defaults cover the ones a version might leave out.


def _scalar(
    anchor: Any, tag: Any, implicit: Any, value: Any, start: Any = None, end: Any = None,
    style: Any = None, *_: Any,
) -> Event:  # fmt: skip
    return (ScalarEvent, value, style, tag, anchor, start, end, implicit)


def _mapping_start(
    anchor: Any, tag: Any, implicit: Any, start: Any = None, end: Any = None, *_: Any
) -> Event:
    return (MappingStartEvent, None, None, tag, anchor, start, end, implicit)


def _sequence_start(
    anchor: Any, tag: Any, implicit: Any, start: Any = None, end: Any = None, *_: Any
) -> Event:
    return (SequenceStartEvent, None, None, tag, anchor, start, end, implicit)


def _mapping_end(start: Any = None, end: Any = None, *_: Any) -> Event:
    return (MappingEndEvent, None, None, None, None, start, end, None)


def _sequence_end(start: Any = None, end: Any = None, *_: Any) -> Event:
    return (SequenceEndEvent, None, None, None, None, start, end, None)


def _alias(anchor: Any, start: Any = None, end: Any = None, *_: Any) -> Event:
    return (AliasEvent, None, None, None, anchor, start, end, None)


def _marks_only(kind: type) -> Callable[..., Event]:
    def build(start: Any = None, end: Any = None, *_: Any) -> Event:
        return (kind, None, None, None, None, start, end, None)

    return build


_BUILDERS: dict[str, Callable[..., Event]] = {
    "ScalarEvent": _scalar,
    "MappingStartEvent": _mapping_start,
    "SequenceStartEvent": _sequence_start,
    "MappingEndEvent": _mapping_end,
    "SequenceEndEvent": _sequence_end,
    "AliasEvent": _alias,
    "DocumentStartEvent": _marks_only(DocumentStartEvent),
    "DocumentEndEvent": _marks_only(DocumentEndEvent),
    "StreamStartEvent": _marks_only(StreamStartEvent),
    "StreamEndEvent": _marks_only(StreamEndEvent),
}

_KINDS = {
    ScalarEvent,
    MappingStartEvent,
    SequenceStartEvent,
    MappingEndEvent,
    SequenceEndEvent,
    AliasEvent,
    DocumentStartEvent,
    DocumentEndEvent,
    StreamStartEvent,
    StreamEndEvent,
}


def as_tuple(event: Any) -> Event:
    """One of ruamel's event objects as the tuple the builders make."""
    kind = type(event)
    for base in kind.__mro__:  # a subclass reads as the kind it extends
        if base in _KINDS:
            kind = base
            break
    tag = getattr(event, "ctag", None)
    return (
        kind,
        getattr(event, "value", None),
        getattr(event, "style", None) if kind is ScalarEvent else None,
        None if tag is None else str(tag),
        getattr(event, "anchor", None),
        event.start_mark,
        event.end_mark,
        getattr(event, "implicit", None),
    )


_CLASSES: dict[str, Any] = {name: getattr(ruamel_events, name) for name in _BUILDERS}
"""What the parser's namespace holds under those names when nobody is reading: the classes it
imported from ``ruamel.yaml.events``. Put back from here, never from what a reading found there,
so a reading cut short (another thread's, an interrupt's) is mended by the next one."""

_SEAM = _ruamel_yaml is not None and all(
    getattr(_ruamel_yaml, name, None) is cls for name, cls in _CLASSES.items()
)
"""Whether the parser looks its event classes up by those names (else every event is turned
into a tuple after it is made)."""

_READING = threading.Lock()
"""Held by the one reading whose builders stand in the namespace; a reading that finds it held
(another thread's, or one inside another) reads the slower way, and takes the tuples the other
reading's builders make as they come."""


@contextmanager
def events(text: str) -> Iterator[Callable[[], Event]]:
    """``text``'s events, one tuple per call of what this yields, the stream's start already read
    (the reader has no use for it). Parser errors are raised from those calls, as ruamel raises
    them.

    While the builders stand in the parser's namespace, any other use of ruamel's libyaml parser
    in the process (ruamel's own C loader in another thread) would get tuples too; nothing in
    this package does that, and the names are put back as soon as the reading ends."""
    if EventParser is None or _ruamel_yaml is None:  # pragma: no cover
        raise RuntimeError("ruamel.yaml.clib is required")
    parser = EventParser(text)
    names = vars(_ruamel_yaml)
    owner = False
    try:
        owner = _SEAM and _READING.acquire(blocking=False)
        if owner:
            names.update(_BUILDERS)  # one dictionary update: no interrupt lands halfway
        first = parser.get_event()
        if owner and type(first) is tuple:
            yield parser.get_event
        else:
            yield _converting(parser.get_event)
    finally:
        if owner:
            try:
                names.update(_CLASSES)
            finally:
                _READING.release()


def _converting(get_event: Callable[[], Any]) -> Callable[[], Event]:
    """Events as tuples, whether the parser made objects or (another reading's builders
    standing) tuples already."""

    def next_event() -> Event:
        event = get_event()
        return event if type(event) is tuple else as_tuple(event)

    return next_event


__all__ = [  # the event kinds too: what ``Event[KIND]`` is compared with
    "ANCHOR",
    "END",
    "IMPLICIT",
    "KIND",
    "START",
    "STYLE",
    "TAG",
    "VALUE",
    "AliasEvent",
    "DocumentEndEvent",
    "DocumentStartEvent",
    "MappingEndEvent",
    "MappingStartEvent",
    "ScalarEvent",
    "SequenceEndEvent",
    "SequenceStartEvent",
    "StreamEndEvent",
    "StreamStartEvent",
    "Event",
    "EventParser",
    "as_tuple",
    "events",
]
