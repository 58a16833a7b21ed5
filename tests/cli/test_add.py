"""``add``: a new record validated with the whole dataset, appended without touching the rest."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import world
from export_alignment import atomic, editing
from export_alignment.checks import validate
from export_alignment.cli import edit
from export_alignment.errors import DataError, ExportAlignmentError
from export_alignment.loader import load_file
from export_alignment.records import RECORD_MODELS
from world import LAYOUTS, NEW_STATEMENT, SEED, SEED_TEXT, new_statement_args, write_commented


def invoke(*args: str, **kwargs):
    return world.run(*args, **kwargs)


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())}


# --- generated records ------------------------------------------------------------------------

slugs = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}\Z")
days = st.dates(
    min_value=__import__("datetime").date(2020, 1, 1),
    max_value=__import__("datetime").date(2024, 12, 31),
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200)
words = st.lists(
    st.text("abcdefghij:#-'\"*&[]{}>|%@!,", min_size=1, max_size=12), min_size=1, max_size=40
).map(" ".join)
quotes = st.sampled_from(
    ["going well", "Japan would decide soon", "no automatic acceptance", "“going well”"]
)


@st.composite
def statements(draw, taken: set[str]):
    day = draw(days)
    precision = draw(st.sampled_from(["day", "month", "year"]))
    date_text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[
        precision
    ]
    published = draw(st.dates(min_value=day, max_value=__import__("datetime").date(2025, 6, 1)))
    values = {
        "id": draw(slugs.filter(lambda s: s not in taken)),
        "date": date_text,
        "speaker": draw(st.sampled_from(["taro-tanaka", "us", "jp", "nl"])),
        "about": draw(st.lists(st.sampled_from(["jp", "nl"]), min_size=1, max_size=2, unique=True)),
        "controls": ["us-rule"],
        "signal": draw(st.sampled_from(["raised", "talks", "agreement", "reservation"])),
        "stance": draw(st.sampled_from(["positive", "neutral", "negative"])),
        "summary": draw(st.one_of(texts, words)),
        "publisher": draw(st.one_of(texts, words)),
        "published": published.isoformat(),
        "tier": draw(st.sampled_from(["official_text", "on_record", "anonymous"])),
    }
    if precision != "day":
        values["date_note"] = draw(words)
    if draw(st.booleans()):
        values["document"] = SEED
        if draw(st.booleans()):
            values["quote"] = draw(quotes)
    else:
        values["url"] = "https://example.org/" + draw(slugs)
    for optional in ("notes", "source_notes", "event"):
        if draw(st.booleans()):
            values[optional] = draw(slugs if optional == "event" else st.one_of(texts, words))
    return values


@st.composite
def actors(draw, taken: set[str]):
    kind = draw(st.sampled_from(["person", "agency", "company", "media"]))
    values = {
        "id": draw(slugs.filter(lambda s: s not in taken)),
        "name": draw(st.one_of(texts, words)),
        "kind": kind,
    }
    if kind in ("person", "agency"):
        values["represents"] = draw(st.sampled_from(["jp", "nl", "us"]))
    if kind == "person":
        values["title"] = draw(st.one_of(texts, words))
    return values


FIXTURE_IDS = {"us", "jp", "nl", "cn", "taro-tanaka", "us-rule", "tanaka-2023-01-10"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layout=st.sampled_from(LAYOUTS),
    new=st.lists(
        st.one_of(
            statements(FIXTURE_IDS).map(lambda v: ("statement", v)),
            actors(FIXTURE_IDS).map(lambda v: ("actor", v)),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda kv: kv[1]["id"],
    ),
)
def test_add_keeps_everything_and_loads_back(layout, new):
    root = Path(tempfile.mkdtemp())
    try:
        data = write_commented(root, layout)
        for kind, values in new:
            name = editing.KINDS[kind]
            path = data / f"{name}.yaml"
            before_text = path.read_text(encoding="utf-8")
            before = validate(data).dataset
            added = editing.add_record(
                data, kind, values, today=__import__("datetime").date(2025, 6, 1)
            )
            after_text = path.read_text(encoding="utf-8")
            after = validate(data, __import__("datetime").date(2025, 6, 1))
            assert after.ok, after.problems
            records = getattr(after.dataset, name)
            # add then load returns the same record
            expected = RECORD_MODELS[name].model_validate(editing.record_from(kind, values))
            assert records[-1].model_dump() == expected.model_dump()
            assert added.id == values["id"] and added.line >= 1
            assert after_text.splitlines()[added.line - 1].lstrip().startswith("- id:")
            # every earlier record unchanged, in every file
            for file in editing.KINDS.values():
                old = [r.model_dump() for r in getattr(before, file)]
                now = [r.model_dump() for r in getattr(after.dataset, file)]
                assert now[: len(old)] == old
            # every comment still there, and the diff only adds lines
            assert after_text.startswith(before_text)
            for line in before_text.splitlines():
                if "#" in line:
                    assert line in after_text.splitlines()
            removed = [
                d
                for d in difflib.unified_diff(
                    before_text.splitlines(), after_text.splitlines(), lineterm=""
                )
                if d.startswith("-") and not d.startswith("---")
            ]
            assert removed == []
    finally:
        shutil.rmtree(root)


# --- layout -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout, expected",
    [
        ("default", editing.Layout(mapping=2, sequence=4, offset=2, flow_lists=True, width=80)),
        ("flush", editing.Layout(mapping=4, sequence=2, offset=0, flow_lists=False, width=80)),
    ],
)
def test_layout_is_detected_from_the_file(tmp_path, layout, expected):
    data = write_commented(tmp_path, layout)
    path = data / "statements.yaml"
    detected = editing.detect_layout(path.read_text(), load_file(path), "statements")
    assert detected == expected


def test_width_is_the_longest_wrapped_line(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    wrapped = "      Tanaka said the talks were going well and that the government would decide"
    text = path.read_text().replace(
        "      Tanaka said the talks were going well.", wrapped + "\n      soon."
    )
    path.write_text(text)
    assert editing.detect_layout(text, load_file(path), "statements").width == len(wrapped) == 80
    long_summary = " ".join(["word"] * 60)
    r = invoke("add", "statement", "--data", str(data), *new_statement_args(summary=long_summary))
    assert r.exit_code == 0, r.output
    new_lines = path.read_text().splitlines()[len(text.splitlines()) :]
    assert "    summary: >-" in new_lines
    assert max(len(line) for line in new_lines) <= 80
    assert max(len(line) for line in new_lines) > 70


# --- the command ----------------------------------------------------------------------------


def test_add_statement_suggests_an_id_and_prints_where(tmp_path):
    data = write_commented(tmp_path)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 0, r.output
    m = re.search(r"added statement (\S+) at (\S+):(\d+)", r.output)
    assert m and m.group(1) == "tanaka-2023-02-01"
    lines = (data / "statements.yaml").read_text().splitlines()
    assert lines[int(m.group(3)) - 1] == "  - id: tanaka-2023-02-01"
    # the same speaker, date and source again is refused, unless asked for
    before = snapshot(data)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 1, r.output
    assert "error duplicate-statement statement 'tanaka-2023-02-01' on record" in r.output
    assert "add --allow-duplicate if this is another statement" in " ".join(r.output.split())
    assert snapshot(data) == before
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT, "--allow-duplicate")
    assert r.exit_code == 0, r.output
    assert "added statement tanaka-2023-02-01-2 " in r.output


def test_a_refused_add_reports_its_own_problems_and_counts_the_known_ones(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.write_text(path.read_text().replace("date: 2023-01-10", "date: 2023-01", 1))
    known = invoke("validate", "--data", str(data), "--format", "json")
    assert known.exit_code == 0, known.output
    assert len(json.loads(known.stdout)["problems"]) == 1  # a warning already on record
    r = invoke(
        "add", "statement", "--data", str(data), "--id", "x", *new_statement_args(speaker="nobody")
    )
    assert r.exit_code == 1, r.output
    lines = [line for line in r.output.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert len(lines) == 1 and "error dangling-reference" in lines[0]
    assert "partial-date-note" not in r.output
    assert "1 warning already on record not shown" in " ".join(r.output.split())


def test_list_fields_take_commas_or_repeats(tmp_path):
    data = write_commented(tmp_path)
    r = invoke(
        "add", "statement", "--data", str(data), "--id", "both", *new_statement_args(about="jp, nl")
    )
    assert r.exit_code == 0, r.output
    r = invoke(
        "add",
        "statement",
        "--data",
        str(data),
        "--id",
        "both-again",
        *new_statement_args(about="jp"),
        "--about",
        "nl",
        "--allow-duplicate",
    )
    assert r.exit_code == 0, r.output
    statements = validate(data).dataset.statements
    assert [s.about for s in statements[-2:]] == [["jp", "nl"], ["jp", "nl"]]


def test_add_control_and_actor(tmp_path):
    data = write_commented(tmp_path)
    r = invoke(
        "add",
        "control",
        "--data",
        str(data),
        *world.add_control_args(published=None, source_title="METI announcement"),
    )
    assert r.exit_code == 0, r.output
    assert "added control jp-2023-03-31-ordinance " in r.output
    r = invoke(
        "add",
        "actor",
        "--data",
        str(data),
        "--name",
        "Ministry of Economy, Trade and Industry",
        "--kind",
        "agency",
        "--represents",
        "jp",
    )
    assert r.exit_code == 0, r.output
    assert "added actor ministry-of-economy-trade-and-industry " in r.output
    result = validate(data)
    assert result.ok, result.problems
    assert result.dataset.controls[-1].aligns_with == ["us-rule"]


def test_missing_required_fields_without_a_terminal_is_a_usage_error(tmp_path):
    data = write_commented(tmp_path)
    before = snapshot(data)
    r = invoke("add", "statement", "--data", str(data), "--date", "2023-02-01")
    assert r.exit_code == 2, r.output
    assert "--speaker" in r.output and "--tier" in r.output and "--date " not in r.output
    assert snapshot(data) == before


def test_missing_fields_are_prompted_for_on_a_terminal(tmp_path, monkeypatch):
    data = write_commented(tmp_path)
    asked = {}

    def answer(spec, choices, names=None):
        asked[spec.option] = choices
        return ["jp"] if spec.many else "talks"

    monkeypatch.setattr(edit, "_interactive", lambda: True)
    monkeypatch.setattr(edit, "_prompt_field", answer)
    monkeypatch.setattr("rich.prompt.Prompt.ask", lambda *a, default=None, **k: default)
    r = invoke(
        "add", "statement", "--data", str(data), *new_statement_args(about=None, signal=None)
    )
    assert r.exit_code == 0, r.output
    assert asked == {
        "--about": ["jp", "nl"],
        "--signal": [
            "raised",
            "talks",
            "agreement",
            "announcement",
            "adoption",
            "entry_into_force",
            "enforcement",
            "reservation",
            "refusal",
        ],
    }
    assert "added statement tanaka-2023-02-01 " in r.output


# --- refusals leave the file byte for byte -----------------------------------------------------


@pytest.mark.parametrize(
    "change, rule",
    [
        (("--signal", "maybe"), "schema"),
        (("--date", "2023-13-01"), "schema"),
        (("--speaker", "nobody"), "dangling-reference"),
        (("--about", "us"), "reference-kind"),
        (("--published", "2022-01-01"), "source-before-event"),
    ],
)
def test_a_refused_add_writes_nothing(tmp_path, change, rule):
    data = write_commented(tmp_path)
    before = snapshot(data)
    r = invoke(
        "add",
        "statement",
        "--data",
        str(data),
        "--id",
        "bad",
        *new_statement_args(**{change[0].lstrip("-"): change[1]}),
    )
    assert r.exit_code == 1, r.output
    assert rule in r.output
    # located in the new record, as the file would be
    m = re.search(r"statements\.yaml:(\d+):\d+: error " + rule, r.output)
    assert m and int(m.group(1)) > len(before["statements.yaml"].splitlines())
    assert snapshot(data) == before


def test_a_duplicate_id_is_refused(tmp_path):
    data = write_commented(tmp_path)
    before = snapshot(data)
    r = invoke("add", "statement", "--data", str(data), "--id", "jp", *NEW_STATEMENT)
    assert r.exit_code == 1, r.output
    assert "duplicate-id" in r.output
    assert snapshot(data) == before


def test_an_invalid_dataset_refuses_any_add(tmp_path):
    data = write_commented(tmp_path)
    path = data / "actors.yaml"
    path.write_text(path.read_text().replace("role: target", "role: enemy"))
    before = snapshot(data)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 1, r.output
    assert snapshot(data) == before


def test_a_file_changed_underneath_is_not_overwritten(tmp_path, monkeypatch):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    real = editing.check_loaded

    def meanwhile(*args, **kwargs):  # another editor saves while we validate
        path.write_text(path.read_text() + "# a comment saved by someone else\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(editing, "check_loaded", meanwhile)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 2, r.output  # a refused write
    assert "changed on disk" in r.output
    assert path.read_text().endswith("# a comment saved by someone else\n")
    assert "tanaka-2023-02-01" not in path.read_text()
    assert sorted(p.name for p in data.iterdir()) == [
        "actors.yaml",
        "controls.yaml",
        "statements.yaml",
    ]


class _Crash(Exception):
    pass


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_crash_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, where):
    data = write_commented(tmp_path)
    before = snapshot(data)
    if where == "write":
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, b):
                self.f.write(b[: len(b) // 2])
                raise _Crash("disk gone")

        monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    elif where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(_Crash()))
    else:
        monkeypatch.setattr(atomic.os, "replace", lambda a, b: (_ for _ in ()).throw(_Crash()))
    with pytest.raises(_Crash):
        editing.add_record(
            data,
            "statement",
            {"id": "x", **editing.normalise("statement", _as_params(NEW_STATEMENT))},
        )
    assert snapshot(data) == before  # the old file, whole; nothing else in the folder


def test_an_os_error_while_writing_is_reported_not_raised(tmp_path, monkeypatch):
    data = write_commented(tmp_path)
    before = snapshot(data)

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 2, r.output  # an output refusal, as for every command
    assert "No space left on device" in r.output and "nothing was written" in r.output
    assert snapshot(data) == before


def test_a_successful_write_keeps_the_file_mode(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.chmod(0o640)
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 0, r.output
    assert path.stat().st_mode & 0o777 == 0o640


def test_an_empty_list_is_filled_through_the_round_trip(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.write_text("# Statements.\nstatements: []  # none yet\n")
    r = invoke("add", "statement", "--data", str(data), *NEW_STATEMENT)
    assert r.exit_code == 0, r.output
    text = path.read_text()
    assert text.startswith("# Statements.\n")
    assert [s.id for s in validate(data).dataset.statements] == ["tanaka-2023-02-01"]


def test_a_seed_quote_is_checked_against_the_document(tmp_path):
    data = write_commented(tmp_path)
    assert "going well" in SEED_TEXT
    r = invoke(
        "add",
        "statement",
        "--data",
        str(data),
        *new_statement_args(url=None, document=SEED, quote="not printed anywhere"),
    )
    assert r.exit_code == 1, r.output
    assert "quote-not-in-document" in r.output


def _as_params(args: list[str]) -> dict:
    return {args[i].lstrip("-").replace("-", "_"): args[i + 1] for i in range(0, len(args), 2)}


def test_unknown_kind_is_a_usage_error(tmp_path):
    r = invoke("add", "treaty", "--data", str(write_commented(tmp_path)))
    assert r.exit_code == 2, r.output


def test_errors_are_export_alignment_errors():
    assert issubclass(editing.EditConflict, ExportAlignmentError)
    assert issubclass(DataError, ExportAlignmentError)


def test_a_year_only_date_with_another_mistake_reports_the_mistake(tmp_path):
    data = write_commented(tmp_path)
    before = snapshot(data)
    r = invoke(
        "add",
        "statement",
        "--data",
        str(data),
        *new_statement_args(date="2023", published="2023", stance="bogus"),
    )
    assert r.exit_code == 1, r.output
    assert "error schema stance:" in r.output
    assert "without changing other records" not in r.output
    assert snapshot(data) == before
