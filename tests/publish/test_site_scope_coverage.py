"""The site, feed and exports by scope item: scope items and coverage, controls
that stop binding, blocs (``via``) and ``ahead``, several sources per statement with their kind,
the review date, and per-item stage histories that are scoring's own transitions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest

from export_alignment.scoring import Evaluator
from export_alignment.views.publication import publish
from world import REPO, asked
from world.pages import parse
from world.scoped import ACTORS as BASE_ACTORS
from world.scoped import (
    CHIPS,
    HBM,
    SERVICING,
    SME,
    VOCABULARY,
    cli,
    event,
    load,
    measure,
    rule,
    said,
)
from world.scoped import write as write_record

AS_OF = "2026-11-28"

ACTORS = [{**a, "reviewed": "2026-06-01"} if a["id"] == "jp" else a for a in BASE_ACTORS]


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> Path:
    controls = [
        rule("c1", [CHIPS, SME]),
        rule("c2", [HBM], first="2024-01-01", lifecycle=[event("rescinded", "2025-05-13")]),
        rule("c3", [SERVICING], first="2024-06-01"),
        measure("jp-m", "jp", ["c1"], [SME], effective="2023-07-23"),
        measure("eu-m", "eu", ["c1"], [CHIPS], effective="2022-01-01"),
    ]
    statements = [
        said(
            "jp-talks",
            "2022-11-04",
            "talks",
            sources=[
                {
                    "url": "https://wire.example/jp-talks",
                    "publisher": "Example Wire",
                    "published": "2022-11-04",
                    "tier": "on_record",
                    "kind": "news-agency",
                },
                {
                    "url": "https://copies.example/jp-talks",
                    "publisher": "Copy Site",
                    "published": "2022-11-05",
                    "tier": "anonymous",
                    "kind": "copy",
                    "copy_of": "Example Wire",
                },
                {
                    "document": "seeds/archived-copy.txt",
                    "publisher": "Archive",
                    "published": "2022-11-06",
                    "tier": "anonymous",
                },
            ],
        ),
        said("jp-hbm", "2024-03-01", "talks", controls=["c2"]),
    ]
    root = tmp_path_factory.mktemp("second")
    data = write_record(root, controls, statements, actors=ACTORS)
    (root / "seeds" / "archived-copy.txt").write_text("An archived copy.\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def site(record, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    r = cli("site", "-o", out, "--data", record, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    return out


def status(record: Path) -> dict:
    return json.loads(cli("status", "--json", "--as-of", AS_OF, "--data", record).stdout)


def test_matrix_columns_are_the_live_controls_and_their_items(record, site):
    doc = status(record)
    page = parse(site / "index.html")
    heads = [a["data-control"] for t, a in page.elements if t == "th" and "data-control" in a]
    assert heads == ["c1", "c3"]  # c2 was rescinded: no column
    items = [a["data-item"] for t, a in page.elements if t == "th" and "data-item" in a]
    assert items == [CHIPS, SME, SERVICING]
    jp = next(a for a in doc["allies"] if a["id"] == "jp")
    assert f"in force on {jp['coverage']['in_force']} of 3 items" in page.text
    assert "Reviewed" in page.text and "1 June 2026" in page.text


def test_a_rescinded_control_keeps_its_page_and_its_row_marked(site):
    control = parse(site / "controls" / "c2.html")
    assert "rescinded: withdrawn by the initiator; it no longer binds or counts" in control.text
    assert [a["data-event"] for t, a in control.elements if "data-event" in a] == ["rescinded"]
    jp = parse(site / "allies" / "jp.html")
    rows = {
        a["data-control"]: a["data-live"] for t, a in jp.elements if t == "tr" and "data-live" in a
    }
    assert rows == {"c1": "yes", "c2": "no", "c3": "yes"}
    assert "it no longer binds or counts" in jp.text


def test_bloc_reach_and_ahead_are_shown_in_words(site):
    index = parse(site / "index.html")
    nl = parse(site / "allies" / "nl.html")
    assert "via eu" in nl.text and "ahead" in nl.text
    assert "its own date 1 January 2022" in nl.text
    assert "via eu" in index.text and "ahead" in index.text


def test_evidence_lists_every_source_with_its_tier_kind_and_copy(site):
    page = parse(site / "allies" / "jp.html")
    raw = (site / "allies" / "jp.html").read_text(encoding="utf-8")
    item = raw.split('id="ev-jp-talks-talks"', 1)[1].split("</ul>", 1)[0]
    assert item.count('<span class="source">') == 3
    assert "kind: news-agency" in item
    assert "kind: copy (copy of Example Wire)" in item
    assert "kind not recorded" in item and "archived copy seeds/archived-copy.txt" in item
    assert "https://wire.example/jp-talks" in page.links
    assert "https://copies.example/jp-talks" in page.links
    roles = [a["data-role"] for t, a in page.elements if t == "li" and "data-role" in a]
    assert "sets" in roles and "supports" in roles
    sources = parse(site / "sources.html")
    assert "copy: copy of Example Wire" in sources.text


def test_feed_flags_follow_the_review_date(record, site):
    """Stale evidence raises ``stale``; the review of 1 June 2026 clears it, as status says
    (in the curators' feed; the public feed carries no staleness)."""
    assert "stale" not in (site / "feed.xml").read_text("utf-8")
    feed = feedparser.parse((site / "feeds" / "curators.xml").read_bytes())
    jp = [
        (e.tags[0].term, e.updated[:10])
        for e in feed.entries
        if e.link.endswith("allies/jp.html") and "stale" in e.title
    ]
    assert ("flag-cleared", "2026-06-01") in jp
    assert ("flag-raised", "2026-06-01") not in jp
    assert "stale" not in next(a for a in status(record)["allies"] if a["id"] == "jp")["flags"]


def test_export_stages_per_item_are_scorings_transitions(record, tmp_path):
    out = tmp_path / "x.json"
    r = cli("export", "--format", "json", "-o", out, "--data", record, "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    ds = load(record)
    ev = Evaluator(ds)
    day = date.fromisoformat(AS_OF)
    expected = []
    for ally in ds.allies():
        for control in ev.initiator_controls:
            for item in control.scope:
                for t in ev.transitions(ally, day, control.id, item):
                    expected.append(
                        (ally.id, control.id, item, t.date.isoformat(), str(t.before), str(t.after))
                    )
    got = [
        (s["ally"], s["control"], s["scope_item"], s["date"], s["from_stage"], s["to_stage"])
        for s in doc["stages"]
    ]
    assert sorted(got) == sorted(expected) and got
    assert [i["id"] for i in doc["scope_items"]] == [v["id"] for v in VOCABULARY]
    links = [
        (s["position"], s["tier"], s["kind"], s["copy_of"])
        for s in doc["statement_sources"]
        if s["statement"] == "jp-talks"
    ]
    assert links == [
        (1, "on_record", "news-agency", None),
        (2, "anonymous", "copy", "Example Wire"),
        (3, "anonymous", None, None),
    ]
    headline = {h["ally"]: h for h in doc["headlines"]}
    for a in status(record)["allies"]:
        assert headline[a["id"]]["stage"] == a["stage"]
        assert headline[a["id"]]["in_force_on"] == a["coverage"]["in_force"]
        assert headline[a["id"]]["missing"] == a["coverage"]["missing"]
    lifecycle = [(x["control"], x["event"], x["date"]) for x in doc["lifecycle"]]
    assert lifecycle == [("c2", "rescinded", "2025-05-13")]


def _daily_flag_changes(dataset, as_of: date) -> set[tuple[str, str, str, str]]:
    """(ally, kind, day, flag) of every flag change, scoring each ally on every day."""
    ev = Evaluator(dataset)
    out = set()
    for ally in dataset.allies():
        last: set[str] = set()
        day = date(2021, 12, 31)
        while day <= as_of:
            flags = set(ev.ally(ally, day).flag_names)
            out |= {(ally.id, "flag-raised", day.isoformat(), f) for f in flags - last}
            out |= {(ally.id, "flag-cleared", day.isoformat(), f) for f in last - flags}
            last = flags
            day += timedelta(days=1)
    return out


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_flag_changes_are_those_of_a_replay_on_every_day(which, record):
    data = record if which == "fixture" else REPO / "data"
    as_of = date.fromisoformat(AS_OF)
    dataset = load(data)
    pub = publish(dataset, asked(as_of))
    got = {(c.ally, c.kind, c.date.isoformat(), c.flag) for c in pub.changes if not c.public}
    assert got == _daily_flag_changes(dataset, as_of)
