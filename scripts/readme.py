"""Regenerate (or, with --check, verify) the documentation generated from code: in README.md a
short ``status`` sample and the vocabulary a reader needs (stages, flags, roles); in ``docs/`` the
command reference (from ``--help``), the rules and limits (from the rule catalogue), the record's
vocabulary (signals, tiers, source kinds, lifecycle events), a brief's opening and the module map
(one line per module, from its docstring).

    python scripts/readme.py          # rewrite the generated sections in place
    python scripts/readme.py --check  # exit 1 when a generated section is out of date
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

import typer
import typer.main
from typer.testing import CliRunner

from export_alignment import checks  # noqa: F401  (registers the cross-file rules)
from export_alignment.cli.app import GROUPS as _GROUPS
from export_alignment.cli.app import app
from export_alignment.loader import DEFAULT_LIMITS, LIMIT_RULES
from export_alignment.models import LIFECYCLE, SIGNALS, SOURCE_KINDS, TIERS
from export_alignment.rules import CATALOGUE, EXAMPLE_LIMITS
from export_alignment.scoring import (
    CONTROL_STATUSES,
    FLAGS,
    ROLES,
    SIGNAL_STAGE,
    STAGE_GLYPH,
    STAGES,
    VERDICTS,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "export_alignment"
WIDTH = 100
_ROOT = typer.main.get_command(app)
_GROUP_NAMES = list(_GROUPS)
COMMANDS = [  # from the click tree: the app and a group build their commands on first use
    name
    for name in _ROOT.list_commands(typer.Context(_ROOT))  # type: ignore[attr-defined]
    if name not in _GROUP_NAMES
]
GROUPS = {
    g.name: g.list_commands(typer.Context(g))
    for g in (_ROOT.get_command(typer.Context(_ROOT), n) for n in _GROUP_NAMES)  # type: ignore[attr-defined]
}


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(
        app,
        [*args, "--help"],
        env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"},
        prog_name="export-alignment",
        terminal_width=WIDTH,
    )
    if result.exit_code != 0:
        raise SystemExit(f"--help failed for {args}: {result.output}")
    return result.output.rstrip()


def commands() -> str:
    parts = ["```text", "$ export-alignment --help", _help([]), "```"]
    for name in [*COMMANDS, *GROUPS]:
        parts += [
            "",
            f"### `export-alignment {name}`",
            "",
            "```text",
            f"$ export-alignment {name} --help",
            _help([name]),
            "```",
        ]
        for sub in GROUPS.get(name, []):
            parts += [
                "",
                "```text",
                f"$ export-alignment {name} {sub} --help",
                _help([name, sub]),
                "```",
            ]
    return "\n".join(parts)


def vocabulary() -> str:
    """What a reader of the answer needs first: the stages, the verdicts and the flags."""
    stage_of = {s: [str(sig) for sig, st in SIGNAL_STAGE.items() if st is s] for s in STAGES}
    lines = ["| stage | glyph | meaning | signals that support it |", "|---|---|---|---|"]
    for stage, meaning in STAGES.items():
        signals = ", ".join(stage_of[stage]) or "—"
        lines.append(f"| `{stage}` | {STAGE_GLYPH[stage]} | {meaning} | {signals} |")
    lines += ["", "| verdict | meaning |", "|---|---|"]
    lines += [f"| `{v}` | {m} |" for v, m in VERDICTS.items()]
    lines += ["", "| flag | meaning |", "|---|---|"]
    lines += [f"| `{f}` | {m} |" for f, m in FLAGS.items()]
    return "\n".join(lines)


def reading_vocabulary() -> str:
    """What each piece of evidence does, and what a control's status says."""
    lines = ["| evidence role | meaning |", "|---|---|"]
    lines += [f"| `{r}` | {m} |" for r, m in ROLES.items()]
    lines += ["", "| control status | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {m} |" for k, m in CONTROL_STATUSES.items()]
    return "\n".join(lines)


def record_vocabulary() -> str:
    """What a curator writes: signals, tiers, source kinds and lifecycle events."""
    lines = ["| signal | meaning |", "|---|---|"]
    lines += [f"| `{s}` | {m} |" for s, m in SIGNALS.items()]
    lines += ["", "| tier | meaning |", "|---|---|"]
    lines += [f"| `{t}` | {m} |" for t, m in TIERS.items()]
    lines += ["", "| source kind | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {m.replace('`', '')} |" for k, m in SOURCE_KINDS.items()]
    lines += ["", "| lifecycle event | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {m.replace('`', '')} |" for k, m in LIFECYCLE.items()]
    return "\n".join(lines)


def limits() -> str:
    lines = ["| limit | default | rule id |", "|---|---|---|"]
    for name, (rule, what) in LIMIT_RULES.items():
        lines.append(f"| {what} | {getattr(DEFAULT_LIMITS, name):,} | `{rule}` |")
    return "\n".join(lines)


RULE_STAGES = {
    "file": "Reading a file",
    "schema": "Typing a record",
    "dataset": "Across the files",
}


def rules() -> str:
    """Every rule of the catalogue with its level, what it checks and its two examples."""
    limits = ", ".join(f"`{k}` {v:,}" for k, v in EXAMPLE_LIMITS.items())
    lines = [
        f"{len(CATALOGUE)} rules. Each example changes the small valid dataset the tests start "
        'from (`statements[0].date: ...` sets one field, `statements.yaml: "..."` replaces a '
        "file's text, `absent` removes); the examples run in the tests, with the limits "
        f"{limits}.",
    ]
    for stage, title in RULE_STAGES.items():
        lines += ["", f"### {title}", ""]
        for info in CATALOGUE.values():
            if info.stage != stage:
                continue
            lines.append(f"- `{info.id}` ({info.level}): {info.summary}")
            for line in info.doc.splitlines():
                head, _, rest = line.strip().partition(": ")
                if head in ("Passes", "Fails"):
                    lines.append(f"  - {head.lower()}: {rest}")
    return "\n".join(lines)


EXCERPT_AS_OF = "2023-01-25"


def brief_excerpt() -> str:
    """The opening of a real brief on the shipped record: title, summary and table."""
    out = _help_free(["brief", "--as-of", EXCERPT_AS_OF])
    head = out.split("\n## ", 1)[0].rstrip()
    return "\n".join(
        [
            f"`export-alignment brief --as-of {EXCERPT_AS_OF}` opens with (raw "
            "Markdown, as it is pasted into GitHub or a wiki):",
            "",
            "````markdown",
            head,
            "…",
            "````",
        ]
    )


STATUS_SAMPLE = ["status", "--as-of", EXCERPT_AS_OF, "--ally", "jp,nl"]


def status_sample() -> str:
    """A short ``status`` on the shipped record, as a terminal 100 columns wide shows it: the
    title and the table (the decisive evidence and the legend under it are left out)."""
    lines = _help_free(STATUS_SAMPLE).rstrip().splitlines()
    rule = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    end = lines.index("", rule) if "" in lines[rule:] else len(lines)
    out = [*lines[:end], "  (then each ally's decisive evidence and the words used, explained)"]
    return "\n".join(["```text", f"$ export-alignment {' '.join(STATUS_SAMPLE)}", *out, "```"])


def module_map() -> str:
    """One line per module of the package, from the first line of its docstring, by folder."""
    lines = ["| module | what it holds | lines |", "|---|---|---|"]
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        first = " ".join(doc.split("\n\n", 1)[0].split()) or "—"
        first = first.replace("|", "\\|")
        lines.append(f"| `{rel}` | {first} | {len(text.splitlines()):,} |")
    return "\n".join(lines)


WATCH_SAMPLE = [
    "watch",
    "--offline",
    "tests/recorded/federal-register",
    "--since",
    "2024-01-01",
    "--data",
    "data",
]


def watch_sample() -> str:
    """``watch`` on the recorded Federal Register search (two pages, two of its four documents
    cited by the shipped record): the inbox it prints (exit 1: there is something to act on)."""
    root = ROOT
    args = [str(root / a) if a.startswith(("tests/", "data")) else a for a in WATCH_SAMPLE]
    out = _help_free(args, codes=(1,)).rstrip().split("\n")
    starts = [i for i, line in enumerate(out) if re.match(r"\d{4}-\d{2}-\d{2} ", line)]
    if len(starts) > 1:  # the first item whole; the others elided
        tail = [line for line in out[starts[-1] :] if not line.startswith((" ", "\t"))][1:]
        out = [*out[: starts[1]], "…", *tail]
    return "\n".join(
        [
            f"`export-alignment {' '.join(WATCH_SAMPLE)}` prints (exit 1: new items to act on):",
            "",
            "```text",
            "\n".join(out),
            "```",
        ]
    )


def _help_free(args: list[str], codes: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(
        app, args, env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"}, prog_name="export-alignment"
    )
    if result.exit_code not in codes:
        raise SystemExit(f"{args} failed: {result.output}")
    return result.stdout


FILES: dict[str, dict[str, Callable[[], str]]] = {
    "README.md": {"status": status_sample, "vocabulary": vocabulary, "watch": watch_sample},
    "docs/cli-reference.md": {"commands": commands},
    "docs/rules.md": {"limits": limits, "rules": rules},
    "docs/record.md": {"record-vocabulary": record_vocabulary},
    "docs/scoring.md": {"reading-vocabulary": reading_vocabulary},
    "docs/brief.md": {"brief": brief_excerpt},
    "docs/architecture.md": {"modules": module_map},
}
"""Each generated file and the sections in it, each between ``<!-- NAME:start -->`` and
``<!-- NAME:end -->``; everything outside the markers is written by hand."""


def render(name: str, text: str) -> str:
    for section, make in FILES[name].items():
        pattern = re.compile(rf"(<!-- {section}:start -->\n).*?(<!-- {section}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{name} has no <!-- {section}:start/end --> markers")
        body = make().rstrip() + "\n"
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    stale = []
    for name in FILES:
        path = ROOT / name
        current = path.read_text(encoding="utf-8")
        wanted = render(name, current)
        if wanted == current:
            continue
        if "--check" in argv:
            stale.append(name)
        else:
            path.write_text(wanted, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}: run python scripts/readme.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
