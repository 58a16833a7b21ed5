"""One answer everywhere: the shipped record, scored at ten dates, gives the same row for each ally
and each (ally, control) through every output that shows it: ``status --json``, ``status --format
csv``, ``explain --format json``, the export as JSON, CSV and SQLite, the site's ally and control
pages and the brief's table. The sources are one set in the brief's notes, the site's sources page
and the export's ``sources`` table. (The style of ``test_one_loading_path``: one input, every way
out, compared.)"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

import world
from world import REPO, run

ROOT = REPO
DATA = ROOT / "data"
DATES = [
    "2022-12-31",
    "2023-06-30",
    "2023-12-31",
    "2024-06-30",
    "2024-12-31",
    "2025-06-30",
    "2025-12-31",
    "2026-06-30",
    "2026-11-28",
    "2026-12-07",
]
ALLIES = ["jp", "nl", "de", "kr", "tw", "uk", "fr", "eu"]

Row = tuple  # (stage, since, flags, in_force, items, evidence, verdict); None where an output
# omits it; an output that does not show the verdict yet gives the first six


def _ok(*args: object) -> str:
    return run(*args, "--data", DATA, code=0).stdout


def _flags(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [f for f in re.split(r"[;,]\s*|\s+", value) if f]
    return tuple(sorted({str(f).replace(" ", "_") for f in value}))


def _human(day: str) -> str:
    """A date as the site and the brief write it (``23 July 2023``, ``July 2023``) back in the
    record's form."""
    for fmt, out in (("%d %B %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(day.strip(), fmt).strftime(out)
        except ValueError:
            continue
    return day


def _coverage(words: str) -> tuple[int, int] | tuple[None, None]:
    """Coverage as the outputs say it: ``in force on 4 of 11 items``, or the verdict's ``partly
    in force: 4 of 11 items`` / ``committed: none of 3 items in force``."""
    m = re.search(r"in force on (\d+) of (\d+) item", words) or re.search(
        r"in force: (\d+) of (\d+) item", words
    )
    if m:
        return int(m[1]), int(m[2])
    m = re.search(r": none of (\d+) items? in force", words)
    return (0, int(m[1])) if m else (None, None)


# --- each output's rows -------------------------------------------------------------------------


def status_json(day: str) -> dict:
    doc = json.loads(_ok("status", "--json", "--as-of", day))
    rows = {}
    for a in doc["allies"]:
        for key, r in [((a["id"], None), a), *(((a["id"], c["id"]), c) for c in a["controls"])]:
            cov = r["coverage"]
            rows[key] = (
                r["stage"],
                r["since"],
                _flags(r["flags"]),
                cov["in_force"],
                cov["total"],
                len(r["evidence"]),
                r["verdict"],
            )
            assert r.get("evidence_count", len(r["evidence"])) == len(r["evidence"])
            assert r["furthest"] == r["stage"]
    return rows


def status_csv(day: str) -> dict:
    rows = {}
    for r in csv.DictReader(io.StringIO(_ok("status", "--format", "csv", "--as-of", day))):
        rows[(r["ally"], r["control"] or None)] = (
            r["stage"],
            r["since"] or None,
            _flags(r["flags"]),
            int(r["in_force"]),
            int(r["items"]),
            int(r["evidence"]),
            r["verdict"],
        )
    return rows


def explain_json(day: str) -> dict:
    rows = {}
    for ally in ALLIES:
        a = json.loads(_ok("explain", ally, "--format", "json", "--as-of", day))["ally"]
        rows[(ally, None)] = (
            a["stage"],
            a["since"],
            _flags(f["flag"] for f in a["flags"]),
            a["coverage"]["in_force"],
            a["coverage"]["total"],
            None,
            a["verdict"],
        )
        for c in a["controls"]:
            rows[(ally, c["id"])] = (
                c["stage"],
                c["since"],
                _flags(c["flags"]) if "flags" in c else None,  # (added with the views layer)
                c["coverage"]["in_force"],
                c["coverage"]["total"],
                len({e["id"] for e in c["evidence"]}),
                c["verdict"],
            )
    return rows


def _table_rows(status: list[dict], headlines: list[dict], parse=lambda v: v) -> dict:
    rows = {}
    for r in status:
        rows[(r["ally"], r["control"])] = (
            r["stage"],
            r["since"] or None,
            _flags(parse(r["flags"])),
            int(r["in_force_on"]),
            int(r["items"]),
            int(r["evidence"]),
        )
    for r in headlines:
        rows[(r["ally"], None)] = (
            r["stage"],
            r["since"] or None,
            _flags(parse(r["flags"])),
            int(r["in_force_on"]),
            int(r["items"]),
            None,
        )
    return rows


def export_json(day: str) -> dict:
    doc = json.loads(_ok("export", "-f", "json", "-o", "-", "--as-of", day))
    return _table_rows(doc["status"], doc["headlines"])


def export_csv(day: str, out: Path) -> dict:
    _ok("export", "-f", "csv", "-o", out, "--as-of", day)

    def read(name):
        return list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text("utf-8"))))

    return _table_rows(read("status"), read("headlines"))


def export_sqlite(day: str, out: Path) -> dict:
    _ok("export", "-f", "sqlite", "-o", out, "--as-of", day)
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    try:
        status = [dict(r) for r in db.execute("select * from status")]
        headlines = [dict(r) for r in db.execute("select * from headlines")]
    finally:
        db.close()
    return _table_rows(status, headlines, json.loads)


class _Rows(HTMLParser):
    """The rows of one table (by class) of a site page: each row's attributes and its cells'
    text, the ``datetime`` of its times and the words of its flags."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.inside = False
        self.rows: list[dict] = []
        self.flag = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and self.table_class in (a.get("class") or "").split():
            self.inside = True
        elif not self.inside:
            return
        elif tag == "tr" and ("data-control" in a or "data-ally" in a):
            self.rows.append({"attrs": a, "cells": [], "times": [], "flags": []})
        elif self.rows and tag in ("td", "th"):
            self.rows[-1]["cells"].append("")
        elif self.rows and tag == "time" and a.get("class") == "verdict-since":
            return  # the verdict's since; the row's since is the stage's
        elif self.rows and tag == "time" and not self.rows[-1]["times"]:
            self.rows[-1]["times"].append(a.get("datetime"))
        elif self.rows and tag == "span" and a.get("class") == "flag":
            self.flag = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        if tag == "span":
            self.flag = False

    def handle_data(self, data):
        if self.inside and self.rows and self.rows[-1]["cells"]:
            self.rows[-1]["cells"][-1] += data
            if self.flag:
                self.rows[-1]["flags"].append(data)


def _page_rows(path: Path, table_class: str) -> list[dict]:
    parser = _Rows(table_class)
    parser.feed(path.read_text("utf-8"))
    return parser.rows


def site_pages(day: str, out: Path) -> tuple[dict, dict]:
    """The ally pages' per-control rows, and the control pages' rows (the question asked of
    that control alone, as ``status --control``)."""
    _ok("site", "-o", out, "--as-of", day)
    allies, controls = {}, {}
    for ally in ALLIES:
        for r in _page_rows(out / "allies" / f"{ally}.html", "per-control"):
            stage_cell, flags_cell, evidence_cell = r["cells"][1], r["cells"][3], r["cells"][4]
            allies[(ally, r["attrs"]["data-control"])] = (
                r["attrs"]["data-stage"],
                r["times"][0] if r["times"] else None,
                _flags(r["flags"]),
                *_coverage(stage_cell),
                int(evidence_cell),
            )
            assert flags_cell.strip() == "none" or r["flags"]
    for page in sorted((out / "controls").glob("*.html")):
        for r in _page_rows(page, "allies-on-control"):
            controls[(r["attrs"]["data-ally"], page.stem)] = (
                r["attrs"]["data-stage"],
                r["times"][0] if r["times"] else None,
                _flags(r["flags"]),
                *_coverage(r["cells"][1]),
                int(r["cells"][-1]),
            )
    return allies, controls


def _verdict(words: str) -> tuple[str, int, int] | None:
    """A verdict as the brief says it (``partly in force: 4 of 11 items``) back in the JSON's
    terms: the verdict, items in force, items."""
    from export_alignment.views.values import VERDICT_WORDS

    head, _, coverage = words.partition(": ")
    by_words = {w: str(v) for v, w in VERDICT_WORDS.items()}
    if head not in by_words:
        return None
    m = re.search(r"(\d+|none) of (\d+) item", coverage)
    if not m:
        return (by_words[head], 0, 0)
    return (by_words[head], 0 if m[1] == "none" else int(m[1]), int(m[2]))


def brief_table(day: str) -> dict:
    """The brief's table: one row per ally (name, verdict with coverage, since the verdict,
    flags, latest evidence, furthest stage since)."""
    names = {r["id"]: r["name"] for r in json.loads(_ok("list", "allies", "--json"))["allies"]}
    by_name = {v: k for k, v in names.items()}
    rows = {}
    for line in _ok("brief", "--as-of", day).splitlines():
        cells = [c.strip().replace("\\", "") for c in line.strip("|").split(" | ")]
        if len(cells) == 6 and cells[0] in by_name:
            flags = () if cells[3] in ("—", "-", "", "none") else _flags(cells[3])
            verdict = _verdict(cells[1])
            assert verdict is not None, cells[1]
            stage, _, since = cells[5].partition(" since ")
            rows[(by_name[cells[0]], None)] = (
                stage,
                _human(since) if since else None,
                flags,
                verdict[1],
                verdict[2],
                None,
                verdict[0],
            )
    return rows


def _agree(name_a: str, a: dict, name_b: str, b: dict) -> None:
    """Every row both outputs show is the same row (a None is a value that output omits)."""
    shared = sorted(set(a) & set(b), key=str)
    assert shared, f"{name_a} and {name_b} share no rows"
    differ = []
    for key in shared:
        x, y = a[key], b[key]
        n = max(len(x), len(y))
        x, y = x + (None,) * (n - len(x)), y + (None,) * (n - len(y))
        if any(u is not None and v is not None and u != v for u, v in zip(x, y, strict=True)):
            differ.append((key, x, y))
    assert not differ, f"{name_a} vs {name_b}: {len(differ)} rows differ, e.g. {differ[:3]}"


@pytest.mark.parametrize("day", DATES)
def test_every_output_gives_the_same_row_for_each_ally_and_control(day, tmp_path):
    truth = status_json(day)
    site_allies, site_controls = site_pages(day, tmp_path / "site")
    outputs = {
        "status --format csv": status_csv(day),
        "explain --format json": explain_json(day),
        "export json": export_json(day),
        "export csv": export_csv(day, tmp_path / "csv"),
        "export sqlite": export_sqlite(day, tmp_path / "db.sqlite"),
        "site ally pages": site_allies,
        "brief": brief_table(day),
    }
    for name, rows in outputs.items():
        _agree("status --json", truth, name, rows)
    # every (ally, control) row of status is in each complete output
    pairs = {k for k in truth if k[1] is not None}
    for name in ("status --format csv", "export json", "export csv", "export sqlite"):
        assert pairs <= set(outputs[name]), name
    assert {k for k in truth if k[1] is None} <= set(outputs["brief"])
    # a control page answers the question asked of that control alone
    for control in {k[1] for k in site_controls}:
        alone = json.loads(_ok("status", "--json", "--as-of", day, "--control", control))
        rows = {
            (a["id"], control): (
                a["stage"],
                a["since"],
                _flags(a["flags"]),
                a["coverage"]["in_force"],
                a["coverage"]["total"],
                len(a["evidence"]),
            )
            for a in alone["allies"]
        }
        _agree(f"status --control {control}", rows, "its control page", site_controls)


# --- sources --------------------------------------------------------------------------------------


def _identity(url: str | None, document: str | None) -> str:
    return url or f"document:{document}"


class _Sources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.entries = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if (a.get("id") or "").startswith("src-"):
            self.entries += 1


def test_the_brief_the_site_and_the_export_cite_the_same_sources(tmp_path):
    day = DATES[-1]
    tables = json.loads(_ok("export", "-f", "json", "-o", "-", "--as-of", day))
    exported = [_identity(s["url"], s["document"]) for s in tables["sources"]]
    assert len(exported) == len(set(exported)), "a source is listed twice in the export"
    _ok("site", "-o", tmp_path / "site", "--as-of", day)
    page = _Sources()
    page.feed((tmp_path / "site" / "sources.html").read_text("utf-8"))
    assert page.entries == len(exported)
    brief = _ok("brief", "--as-of", day)
    notes = re.findall(r"^\[\^\d+\]: .*$", brief, re.MULTILINE)
    linked = re.findall(r"\]\((https?://[^)\s]+)\)", "\n".join(notes))
    urls = {unquote(s["url"]) for s in tables["sources"] if s["url"]}
    assert len(notes) == len(set(notes))
    missing = [u for u in linked if unquote(u.replace("&amp;", "&")) not in urls]
    assert not missing, missing[:3]
    assert len(notes) <= len(exported)


# --- why an ally is stale -------------------------------------------------------------------------


def test_every_output_gives_scorings_reason_for_stale_the_review_date_included(tmp_path):
    """Old evidence, a recent review: stale is measured from the review (scoring's rule), and
    the brief, status and the site say so, not the age of the newest evidence."""
    actors = [
        {**a, "reviewed": "2024-06-30"} if a["id"] == "jp" else a for a in world.ACTOR_RECORDS
    ]
    data = world.write_dataset(
        tmp_path / "record",
        statements=[world.statement("talks", "2023-01-13", "talks")],
        actors=actors,
    )
    day = ["--as-of", "2025-12-31", "--data", data]
    status = json.loads(run("status", "--json", "--ally", "jp", *day, code=0).stdout)
    assert "stale" in status["allies"][0]["flags"]
    explained = json.loads(run("explain", "jp", "--format", "json", *day, code=0).stdout)
    [reason] = [f["reason"] for f in explained["ally"]["flags"] if f["flag"] == "stale"]
    assert reason.startswith("last review (2024-06-30) is 549 days old")
    brief = run("brief", "--ally", "jp", *day, code=0).stdout
    assert "last review of the record was on 30 June 2024, 549 days before" in brief
    summary = run("brief", "--summary", "--ally", "jp", *day, code=0).stdout
    assert "- Japan: The record was last reviewed on 30 June 2024." in summary  # its caveat
    assert "newest evidence is from 13 January 2023, 1,083" not in brief
    run("site", "-o", tmp_path / "site", *day, code=0)
    page = (tmp_path / "site" / "allies" / "jp.html").read_text("utf-8")
    assert "last review (2024-06-30) is 549 days old" in page


# --- what a partial date means in an option -------------------------------------------------------


def test_a_partial_since_starts_on_the_first_day_of_its_period_in_every_command(tmp_path):
    data = world.write_dataset(
        tmp_path / "record", statements=[world.statement("talks", "2023-01-13", "talks")]
    )
    listed = run("list", "statements", "--since", "2023-01", "--json", "--data", data, code=0)
    assert [s["id"] for s in json.loads(listed.stdout)["statements"]] == ["talks"]
    brief = run(
        "brief", "--since", "2023-01", "--as-of", "2023-06-30", "--data", data, code=0
    ).stdout
    assert "## What changed since 1 January 2023" in brief
    assert "New evidence, 13 January 2023" in brief
    # a whole day is that day, included, in both
    brief = run(
        "brief", "--since", "2023-01-13", "--as-of", "2023-06-30", "--data", data, code=0
    ).stdout
    assert "New evidence, 13 January 2023" in brief
    for command in ("list", "brief"):
        assert "first day" in run(command, "--help", code=0).stdout


def _scored_verdicts(day: str) -> dict:
    """Scoring's verdict per ally (key (ally, None)) and per (ally, control)."""
    from datetime import date

    from export_alignment.scoring import Evaluator

    scores = Evaluator(world.load(DATA, date.today())).score(world.asked(day))
    out: dict = {}
    for a in scores.allies:
        out[(a.ally.id, None)] = (str(a.verdict), str(a.furthest))
        for p in a.controls:
            out[(a.ally.id, p.control.id)] = (str(p.verdict), str(p.furthest))
    return out


@pytest.mark.parametrize("day", ["2023-12-31", "2025-06-30", "2026-12-07"])
def test_the_site_the_export_and_sqlite_give_scorings_verdict(day, tmp_path):
    truth = _scored_verdicts(day)
    doc = json.loads(_ok("export", "-f", "json", "-o", "-", "--as-of", day))
    exported = {(h["ally"], None): (h["verdict"], h["furthest"]) for h in doc["headlines"]}
    exported |= {(s["ally"], s["control"]): (s["verdict"], s["furthest"]) for s in doc["status"]}
    assert exported == truth
    _ok("export", "-f", "sqlite", "-o", tmp_path / "db.sqlite", "--as-of", day)
    db = sqlite3.connect(tmp_path / "db.sqlite")
    try:
        stored = {
            (a, None): (v, f)
            for a, v, f in db.execute("select ally, verdict, furthest from headlines")
        }
        stored |= {
            (a, c): (v, f)
            for a, c, v, f in db.execute("select ally, control, verdict, furthest from status")
        }
        names = dict(db.execute("select ally, name from headlines"))
    finally:
        db.close()
    assert stored == truth
    assert names["jp"] == "Japan"
    _ok("site", "-o", tmp_path / "site", "--as-of", day)
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    shown = dict(re.findall(r'<tr data-ally="([a-z]+)" data-verdict="([a-z_]+)"', index))
    assert shown == {a: v for (a, c), (v, _f) in truth.items() if c is None}
    for ally in ALLIES:
        page = (tmp_path / "site" / "allies" / f"{ally}.html").read_text("utf-8")
        first = re.search(r'<p class="answer" data-verdict="([a-z_]+)"', page)
        assert first is not None and first.group(1) == truth[(ally, None)][0]
        cells = dict(
            re.findall(r'<tr data-control="([a-z0-9-]+)".*?data-verdict="([a-z_]+)"', page, re.S)
        )
        assert cells == {c: v for (a, c), (v, _f) in truth.items() if a == ally and c is not None}
        api = json.loads((tmp_path / "site" / "api" / "allies" / f"{ally}.json").read_text("utf-8"))
        assert (api["verdict"], api["furthest"]) == truth[(ally, None)]
