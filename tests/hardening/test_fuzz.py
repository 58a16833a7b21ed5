"""Fuzzing every command with mutated copies of the shipped record.

Each example copies the shipped ``data/`` and ``seeds/`` (already committed in a git repository,
so ``diff`` compares against the unmutated record at HEAD), mutates the data files (byte flips,
deleted and duplicated lines, swapped value types, truncation, random Unicode with control and
bidi characters, huge strings, deep nesting, anchors and aliases) and runs every command on the
result. The property: exit 0, 1 or 2; no traceback; every problem located; JSON parses; no ESC,
BEL or C1 control in any output; and ``add`` never changes a file it refused.

The default run is small and derandomised (a few seconds). The long run is marked ``slow`` and
runs only with ``--run-slow`` (or ``-m slow``); ``FUZZ_EXAMPLES`` sets its size::

    FUZZ_EXAMPLES=3000 python -m pytest tests/test_fuzz.py --run-slow
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

import world
from world import REPO, run_process

FILES = ("actors", "controls", "statements")
TODAY = date.today().isoformat()
"""The reports judge the record as of the real today, so validation must too (a fixed date
would find the newest shipped evidence in the future)."""

FUZZ_ENV = {"COLUMNS": "120"}

FAST = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROBLEM_LINE = re.compile(r"^.+:(\d+):(\d+): (error|warning) [a-z0-9-]+(, [a-z0-9-]+)? .*$")
LEAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Never in any output: C0 controls but tab and newline (ESC, BEL, CR...), DEL, C1 (CSI 0x9b),
bidirectional overrides and isolates."""


def git(root: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Fuzz",
            "-c",
            "user.email=fuzz@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The shipped record in a git repository whose HEAD is the unmutated data."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "seeds", root / "seeds")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "shipped record")
    return root


# --- mutations ----------------------------------------------------------------------------------

HOSTILE_SNIPPETS = [
    "\x1b[31m",
    "\x1b]8;;http://evil\x07",
    "\x1b]0;title\x07",
    "\x9b2J",
    "\x07",
    "\u202e",
    "\u200f",
    "\u2066",
    "\x85",
    "\u2028",
    "[bold red]x[/]",
    "[link=http://evil]y[/link]",
    "<script>alert(1)</script>",
    "| a | b |",
    "# h",
    "> q",
    "`x`",
    "javascript:alert(1)",
    "../../etc/passwd",
    "%0A::error::x",
    "\r\n",
    "\t",
    "\x00",
    "\ufeff",
    "\udcff",
]
VALUE_SWAPS = [
    "[]",
    "{}",
    "0",
    "-1",
    "1e400",
    "0x1F",
    "0o17",
    ".nan",
    "-.inf",
    "true",
    "null",
    "~",
    "''",
    "[a, b]",
    "{x: 1}",
    "[[[[x]]]]",
    '"2023-02-30"',
    '"0000-01"',
    "'0000'",
    "2023",
    "99999",
    "!!str 5",
    "!!int x",
    "!!binary aGVsbG8=",
    "!!timestamp 2023-01-01",
    "!!set {a}",
    "*nowhere",
    "&a x",
    "<<",
    "? x",
    "|\n  block",
    ">-\n  folded",
    "'2023-01-13\n'",
    '"\\e[2J"',
    '"\\x9b\\u202e\\a"',
    '"seeds/../seeds/000_ad66c9f837e24f7c.txt"',
    '"/etc/passwd"',
    '"javascript:alert(1)"',
    "us",
    "jp",
    "nl",
    "cn",
    "ally",
    "initiator",
    "anonymous",
    "official_text",
    "refusal",
    "reservation",
    "agreement",
    "in_force",
    '"2023"',
    "2022-10",
]

unicode_text = st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf")), max_size=40
)


def _yaml_quoted(text: str) -> str:
    """Any text as a YAML double-quoted scalar (control characters as escapes)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code == 0xFEFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def mutate(draw, text: str) -> str:
    """One mutation of a data file's text (``draw`` from ``st.composite``)."""
    lines = text.split("\n")
    kind = draw(
        st.sampled_from(
            [
                "flip",
                "delete",
                "duplicate",
                "swap",
                "truncate",
                "unicode",
                "raw-unicode",
                "huge",
                "nest",
                "alias",
                "indent",
            ]
        )
    )
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    value_line = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)( .*)?$")
    keyed = [n for n, line in enumerate(lines) if value_line.match(line)]
    if kind == "flip":
        raw = bytearray(text.encode("utf-8", "surrogateescape"))
        for _ in range(draw(st.integers(1, 4))):
            if raw:
                k = draw(st.integers(0, len(raw) - 1))
                raw[k] ^= draw(st.integers(1, 255))
        return raw.decode("utf-8", "surrogateescape")
    if kind == "delete":
        n = draw(st.integers(1, 5))
        del lines[i : i + n]
    elif kind == "duplicate":
        lines[i:i] = lines[i : i + draw(st.integers(1, 20))]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    elif kind == "indent":
        lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
    elif keyed:
        n = draw(st.sampled_from(keyed))
        key = value_line.match(lines[n]).group(1)
        if kind == "swap":
            value = draw(st.sampled_from(VALUE_SWAPS))
        elif kind == "unicode":
            parts = draw(
                st.lists(
                    st.one_of(unicode_text, st.sampled_from(HOSTILE_SNIPPETS)),
                    min_size=1,
                    max_size=5,
                )
            )
            value = _yaml_quoted("".join(parts))
        elif kind == "raw-unicode":  # unescaped: the parser must refuse or take it as text
            value = draw(st.sampled_from(HOSTILE_SNIPPETS)) + draw(unicode_text)
        elif kind == "huge":
            value = "x" * draw(st.sampled_from([5_000, 99_999, 100_001, 300_000]))
        elif kind == "nest":
            depth = draw(st.integers(1, 200))
            value = "[" * depth + "x" + "]" * depth
        else:  # alias: anchor one value, refer to it (or to nothing) elsewhere
            m = draw(st.sampled_from(keyed))
            anchored = lines[m]
            lines[m] = (
                anchored
                if value_line.match(anchored).group(2) is None
                else value_line.match(anchored).group(1)
                + " &a"
                + value_line.match(anchored).group(2)
            )
            value = draw(
                st.sampled_from(["*a", "*a", "*b", "&a *a", "[*a, *a, *a, *a, *a, *a, *a, *a]"])
            )
        lines[n] = f"{key} {value}"
    return "\n".join(lines)


@st.composite
def mutated_files(draw, template: Path) -> dict[str, str]:
    files = {
        name: (template / "data" / f"{name}.yaml").read_text(encoding="utf-8") for name in FILES
    }
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(FILES))
        files[name] = mutate(draw, files[name])
    return files


ADD_TEXT = st.one_of(
    st.sampled_from(
        [
            "Kishida said Japan was studying it.",
            *HOSTILE_SNIPPETS,
            "null",
            "- x",
            "a: b",
            "#c",
            "'q'",
            "*a",
            "&a",
            "!!str x",
            "",
            " ",
            "2023-01-13",
        ]
    ),
    unicode_text.filter(lambda s: "\x00" not in s),
)


@st.composite
def add_options(draw) -> list[str]:
    """``add statement`` options: a valid statement with some fields fuzzed."""
    fields = {
        "--speaker": "fumio-kishida",
        "--date": "2023-01-13",
        "--about": "jp",
        "--controls": "us-2022-10-advanced-computing-sme",
        "--signal": "talks",
        "--stance": "neutral",
        "--summary": "Kishida said Japan was studying the question.",
        "--url": "https://example.org/report",
        "--publisher": "Example News",
        "--published": "2023-01-14",
        "--tier": "on_record",
    }
    for option in draw(
        st.lists(
            st.sampled_from(
                [*fields, "--id", "--quote", "--date-note", "--document", "--event", "--title"]
            ),
            max_size=3,
            unique=True,
        )
    ):
        fields[option] = draw(ADD_TEXT)
    args = ["add", "statement"]
    for option, value in fields.items():
        args += [option, value]
    return args


# --- the property -------------------------------------------------------------------------------


def _outputs(result) -> list[str]:
    return [result.stdout, result.stderr]


def check_result(args: list[str], result) -> None:
    """What holds for every command on any data."""
    where = f"{args}: exit {result.exit_code}\n{result.output[-3000:]}"
    assert result.exit_code in (0, 1, 2), where
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        where,
        result.exception,
    )
    assert "Traceback" not in result.output, where
    for out in _outputs(result):
        leak = LEAKS.search(out)
        assert leak is None, (where, leak)
    if result.exit_code == 1 and args[0] != "add":
        # a refusal prints the problems the way validate does, each located, then one error line
        lines = result.stderr.splitlines() if args[0] != "validate" else []
        for line in lines[:-1]:
            assert PROBLEM_LINE.match(line), (where, line)


def check_validate(fmt: str, result) -> None:
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert doc["ok"] is (result.exit_code == 0)
        for p in doc["problems"]:
            assert p["path"] and p["line"] >= 1 and p["column"] >= 1, p
            assert p["level"] in ("error", "warning") and p["rule"] and p["message"], p
        assert any(p["level"] == "error" for p in doc["problems"]) is (result.exit_code == 1)
    elif fmt == "text":
        for line in result.stdout.splitlines():
            m = PROBLEM_LINE.match(line)
            assert m and int(m[1]) >= 1 and int(m[2]) >= 1, line
    else:
        lines = result.stdout.splitlines()
        notice = next((i for i, line in enumerate(lines) if line.startswith("::notice ")), None)
        for line in lines[:notice]:
            m = re.match(
                r"^::(error|warning) file=[^,:]+,line=(\d+),col=(\d+),title=[^,:]+::", line
            )
            assert m and int(m[2]) >= 1 and int(m[3]) >= 1, line
        for line in lines[notice + 1 :] if notice is not None else []:  # the rest, as text
            m = PROBLEM_LINE.match(line)
            assert m and int(m[1]) >= 1 and int(m[2]) >= 1, line


def invoke(args: list[str], data: Path):
    result = world.run(*args, "--data", data, env=FUZZ_ENV)
    check_result(args, result)
    return result


def tally(what: str) -> None:
    """Count an outcome in hypothesis's statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(what)


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file()}


REPORTS = (
    ["status"],
    ["status", "--json"],
    ["explain", "jp"],
    ["timeline"],
    ["timeline", "--json"],
    ["brief", "--as-of", TODAY],
    ["brief", "--as-of", TODAY, "--since", "2023-01-01"],
    ["diff", "--format", "text"],
    ["diff", "--format", "markdown"],
    ["diff", "--format", "json"],
)
"""Every reporting command (``diff`` against HEAD, the unmutated record)."""


def check_site(root: Path, valid: bool) -> None:
    """The site and its feed from the mutated record: built, then rebuilt over a planted symlink
    (the feed pointing outside); the feed is well-formed XML each time, nothing outside the
    site folder changes, and a refused or failed build leaves no site behind."""
    data, out, outside = root / "data", root / "site", root / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    r = invoke(["site", "-o", str(out), "--as-of", TODAY], data)
    tally(f"site exit {r.exit_code}")
    assert r.exit_code in ((0, 2) if valid else (1, 2)), r.output[-2000:]
    if r.exit_code != 0:
        assert not out.exists(), r.output[-2000:]
        return
    ElementTree.fromstring((out / "feed.xml").read_bytes())
    (out / "feed.xml").unlink()
    (out / "feed.xml").symlink_to(outside)
    r = invoke(["site", "-o", str(out), "--as-of", TODAY], data)
    assert r.exit_code == 0, r.output[-2000:]
    assert outside.read_text(encoding="utf-8") == "keep\n"
    assert not (out / "feed.xml").is_symlink()
    ElementTree.fromstring((out / "feed.xml").read_bytes())


def run_everything(
    root: Path,
    add_args: list[str],
    real_process: bool = False,
    formats=("json", "text", "github"),
    reports=REPORTS,
    site: bool = True,
) -> None:
    data = root / "data"
    for fmt in formats:
        r = invoke(["validate", "--format", fmt, "--today", TODAY], data)
        check_validate(fmt, r)
        if fmt == "json":
            valid = r.exit_code == 0
            tally(f"validate exit {r.exit_code}")
    for args in reports:
        r = invoke(args, data)
        assert r.exit_code in ((0, 2) if valid else (1, 2)), (args, r.output[-2000:])
        if r.exit_code == 0 and ("--json" in args or args[-1] == "json"):
            json.loads(r.stdout)
    if site:
        check_site(root, valid)
    before = snapshot(data)
    r = invoke([*add_args, "--today", TODAY], data)
    after = snapshot(data)
    tally(f"add exit {r.exit_code}")
    if r.exit_code != 0:
        assert after == before, f"add exited {r.exit_code} but changed a file:\n{r.output}"
    else:
        changed = [name for name in before if before[name] != after.get(name)]
        assert changed == ["statements.yaml"] and set(after) == set(before), changed
    if real_process:
        for args in (["validate", "--format", "text"], ["status"], ["brief"]):
            p = run_process(*args, "--data", data, env={"NO_COLOR": "1"})
            out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
            assert p.returncode in (0, 1, 2), out
            assert "Traceback" not in out and LEAKS.search(out) is None, out


def _fuzz_once(template: Path, data_draw, real_process: bool, every_command: bool) -> None:
    """One mutated record through the commands: all of them in the long run; in the quick run
    validate (JSON and one other format), three reporting commands drawn at random, and add."""
    files = data_draw.draw(mutated_files(template), label="files")
    add_args = data_draw.draw(add_options(), label="add")
    formats, reports, site = ("json", "text", "github"), REPORTS, True
    if not every_command:
        site = data_draw.draw(st.integers(0, 3).map(lambda n: n == 0), label="site")
        formats = ("json", data_draw.draw(st.sampled_from(["text", "github"]), label="format"))
        reports = data_draw.draw(
            st.lists(st.sampled_from(REPORTS), min_size=3, max_size=3, unique_by=tuple),
            label="reports",
        )
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp) / "record"
        shutil.copytree(template, root, symlinks=True)
        for name, text in files.items():
            (root / "data" / f"{name}.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
        run_everything(root, add_args, real_process, formats, reports, site)


@FAST
@given(data_draw=st.data())
def test_every_command_survives_a_mutated_record(template, data_draw):
    _fuzz_once(template, data_draw, real_process=False, every_command=False)


@pytest.mark.slow
@SLOW
@given(data_draw=st.data(), real_process=st.integers(0, 49).map(lambda n: n == 0))
def test_every_command_survives_a_mutated_record_long_run(template, data_draw, real_process):
    _fuzz_once(template, data_draw, real_process, every_command=True)


def test_a_mutated_record_in_a_real_process(template, tmp_path):
    """The installed entry point too, on a record with a hostile line and a broken one."""
    root = tmp_path / "record"
    shutil.copytree(template, root, symlinks=True)
    path = root / "data" / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("stance: neutral", 'stance: "\\e]0;title\\a\\x9b2J[bold]x[/]"', 1)
    path.write_text(text + "  - id: [\n", encoding="utf-8")
    run_everything(root, ["add", "statement", "--speaker", "fumio-kishida"], real_process=True)


# --- what the fuzzing found ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ['"0000-01"', '"0000"', "0000-01", '"2023\\n"', '"\\uff12\\uff10\\uff12\\uff13-01-13"']
)
@pytest.mark.parametrize(
    "command", [["validate", "--format", "text", "--today", "2025-01-01"], ["status"], ["brief"]]
)
def test_a_date_in_year_0_or_not_in_ascii_digits_is_a_located_error(
    make_dataset, monkeypatch, value, command
):
    """A partial date in year 0 passed the schema, then crashed every command (ValueError from
    ``datetime.date``); a trailing newline or non-ASCII digits passed as a date."""
    from world import STATEMENTS, replace_once

    ds = make_dataset(statements=replace_once(STATEMENTS, "date: 2023-01-13", f"date: {value}"))
    monkeypatch.chdir(ds.root)
    r = world.run(*command, "--data", "data", env=FUZZ_ENV)
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    out = r.stdout if command[0] == "validate" else r.stderr
    assert out.startswith("data/statements.yaml:3:11: error schema date: "), out
