"""The reader reads libyaml's events as tuples built in the parser's namespace while it reads
(``yamlevents``). Those tuples must say exactly what ruamel's event objects say, the parser must
get ruamel's classes back however a reading ends, and a parser that cannot take the builders
must read the same data and problems the slower way."""

from __future__ import annotations

import threading
from pathlib import Path

import _ruamel_yaml
import pytest
from ruamel.yaml import events as ruamel_events
from ruamel.yaml.error import YAMLError

from export_alignment import yamlevents
from export_alignment.reader import DEFAULT_LIMITS, Limits, _read, parse_text, wrapped_spans

ROOT = Path(__file__).resolve().parents[2]

DOCUMENTS = {
    "block": "statements:\n  - id: a\n    n: 3\n    on: 2024-01-02\n",
    "flow": "{a: [1, 'two', \"three\", ~], b: {c: d}}\n",
    "tags": "--- !!map\na: !!str 5\nb: !!int '7'\nc: !local x\nd: ! plain\n",
    "anchors": "base: &b {x: 1}\nother: *b\nlist: &l [1, 2]\nagain: *l\nword: &w hi\nw2: *w\n",
    "styles": "a: |\n  one\n  two\nb: >\n  folded\n  text\nc: 'single'\nd: \"dq\"\ne: plain\n",
    "markers": "%YAML 1.2\n---\na: 1\n...\n",
    "documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "nested": "a:\n  - - - [x]\n  - {k: [v, {w: z}]}\n",
    "keys": "? complex\n: value\n[a]: b\n",
    "wrapped": "a: this is a plain text\n  written over lines\nb: >-\n  x\n  y\n",
}


def _ruamel_tuples(text: str) -> list[tuple[object, ...]]:
    parser = _ruamel_yaml.CParser(text)
    out = []
    while True:
        event = parser.get_event()
        out.append(yamlevents.as_tuple(event))
        if type(event) is ruamel_events.StreamEndEvent:
            return out[1:]  # without the stream's start, as ``events`` gives them


def _built_tuples(text: str) -> list[tuple[object, ...]]:
    out = []
    with yamlevents.events(text) as get_event:
        while True:
            event = get_event()
            out.append(event)
            if event[0] is ruamel_events.StreamEndEvent:
                return out


def _marks(events: list[tuple[object, ...]]) -> list[object]:
    return [
        (e[: yamlevents.START], e[yamlevents.IMPLICIT])
        + tuple(
            (m.line, m.column, m.index)  # type: ignore[attr-defined]
            for m in (e[yamlevents.START], e[yamlevents.END])
        )
        for e in events
    ]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_built_events_say_what_ruamels_event_objects_say(name):
    text = DOCUMENTS[name]
    assert _marks(_built_tuples(text)) == _marks(_ruamel_tuples(text))


def test_the_builders_are_used_while_reading_and_the_classes_put_back_after():
    with yamlevents.events("a: 1\n") as get_event:
        assert type(get_event()) is tuple
        assert _ruamel_yaml.ScalarEvent is not ruamel_events.ScalarEvent
    for name in ("ScalarEvent", "MappingStartEvent", "StreamEndEvent", "AliasEvent"):
        assert getattr(_ruamel_yaml, name) is getattr(ruamel_events, name)


def test_the_classes_are_put_back_when_a_reading_fails_midway():
    with pytest.raises(YAMLError), yamlevents.events("a: [1, 2\nb: }\n") as get_event:
        while get_event()[0] is not ruamel_events.StreamEndEvent:
            pass
    assert _ruamel_yaml.ScalarEvent is ruamel_events.ScalarEvent
    loaded = parse_text("a: [1, 2\nb: }\n", "x.yaml")
    assert [p.rule for p in loaded.problems] == ["yaml-syntax"]
    assert _ruamel_yaml.MappingStartEvent is ruamel_events.MappingStartEvent


def test_a_reading_cut_short_elsewhere_is_mended_by_the_next_one(monkeypatch):
    monkeypatch.setattr(_ruamel_yaml, "ScalarEvent", yamlevents._BUILDERS["ScalarEvent"])
    monkeypatch.setattr(_ruamel_yaml, "AliasEvent", yamlevents._BUILDERS["AliasEvent"])
    assert parse_text("a: [1, b]\n", "x.yaml").data == {"a": [1, "b"]}
    assert _ruamel_yaml.ScalarEvent is ruamel_events.ScalarEvent
    assert _ruamel_yaml.AliasEvent is ruamel_events.AliasEvent


def test_an_interrupt_inside_a_reading_puts_the_classes_back():
    with pytest.raises(KeyboardInterrupt), yamlevents.events("a: [1, 2]\n") as get_event:
        get_event()
        raise KeyboardInterrupt
    assert _ruamel_yaml.ScalarEvent is ruamel_events.ScalarEvent
    assert not yamlevents._READING.locked()


def test_readings_in_several_threads_agree_and_leave_the_classes():
    text = "statements:\n" + "".join(f"  - id: a{i}\n    s: [1, {{b: 2}}]\n" for i in range(2000))
    expected = parse_text(text, "statements.yaml", records_key="statements").data
    results: list[object] = []

    def read() -> None:
        for _ in range(3):
            loaded = parse_text(text, "statements.yaml", records_key="statements")
            results.append((loaded.data == expected, loaded.problems))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(True, [])] * 12
    for name, cls in yamlevents._CLASSES.items():
        assert getattr(_ruamel_yaml, name) is cls


def _without_the_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlevents, "_SEAM", False)


HOSTILE = {
    "duplicate": "a: 1\na: 2\n",
    "bad tag": "a: !!python/object x\n",
    "alias before anchor": "a: *nope\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "control character": "a: \x07\n",
    "long number": "a: " + "9" * 5000 + "\n",
    "mapping key": "? [a]\n: b\n",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_parser_without_the_builders_reads_the_same_problems(name, monkeypatch):
    text = HOSTILE[name]
    fast = parse_text(text, "x.yaml")
    _without_the_builders(monkeypatch)
    slow = parse_text(text, "x.yaml")
    assert slow.problems == fast.problems and slow.data == fast.data
    assert fast.problems  # each of these is a problem the reader reports


@pytest.mark.parametrize("name", ["actors", "controls", "statements"])
def test_a_parser_without_the_builders_reads_the_shipped_record_the_same(name, monkeypatch):
    text = (ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    fast = parse_text(text, f"{name}.yaml", records_key=name, spans=True)
    fast_positions = fast.positions
    _without_the_builders(monkeypatch)
    slow = parse_text(text, f"{name}.yaml", records_key=name, spans=True)
    assert slow.data == fast.data and slow.problems == fast.problems == []
    assert slow.wrapped_spans == fast.wrapped_spans and fast.wrapped_spans
    assert slow.positions == fast_positions
    assert wrapped_spans(text) == fast.wrapped_spans


HEAD = "statements:\n  - id: a\n"

NESTED = {
    "records": HEAD + "    source: {url: u, tiers: [x, y]}\n    m: {k: [1, [2, {z: 3}]]}\n",
    "duplicate with a collection": HEAD + "    s: {x: 1}\n    s: [2, 3]\n    t: 4\n",
    "anchored collections": HEAD
    + "    s: &m {x: [1]}\n    t: *m\n    u: &l [a, {b: c}]\n    v: *l\n",
    "tagged collections": HEAD + "    s: !!map {x: 1}\n    t: !!seq [1]\n",
    "a wrongly tagged collection": HEAD + "    s: !!seq {x: 1}\n",
    "a collection as a key": HEAD + "    ? {x: 1}\n    : y\n",
    "deep": HEAD + "    s: [[[[[[x]]]]]]\n",
    "many values": HEAD + "    s: [[1, 2], [3, 4], [5, 6], {a: b, c: d}]\n",
    "two records": HEAD + "    s: [1]\n  - id: b\n    s: {t: [2]}\n",
}


@pytest.mark.parametrize("limits", [DEFAULT_LIMITS, Limits(max_depth=5, max_nodes=12)])
@pytest.mark.parametrize("name", list(NESTED))
def test_the_fast_reading_of_collections_equals_the_one_that_keeps_positions(name, limits):
    text = NESTED[name]
    fast = parse_text(text, "statements.yaml", limits, records_key="statements")
    general, ok = _read(text, "statements.yaml", limits, "statements", keep_positions=True)
    assert fast.problems == general.out.problems
    assert fast.data == (general.root if ok else None)
