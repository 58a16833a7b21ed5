"""The static site and its Atom feed: pages, links, safety with a hostile record, the feed
against ``timeline``, determinism and rebuilds, and the command's exit codes. The browser tests
are in ``test_site_browser.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from export_alignment.site import MANIFEST, web_url
from world import REPO, run, statement, write_dataset
from world.hostile import AS_OF, EVIL_URL, hostile_data
from world.pages import ELEMENTS, pages, parse

ROOT = REPO
SHIPPED_AS_OF = "2026-11-28"


def cli(*args) -> object:
    return run(*args, env={"COLUMNS": "200"})


def build(data: Path | None, out: Path, as_of: str) -> Path:
    args = ["site", "-o", out, "--as-of", as_of]
    if data is not None:
        args += ["--data", data]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    return build(ROOT / "data", tmp_path_factory.mktemp("shipped") / "site", SHIPPED_AS_OF)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return build(hostile_data(root / "record"), root / "site", AS_OF)


def status(data: Path, as_of: str) -> dict:
    result = cli("status", "--json", "--as-of", as_of, "--data", data)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def timeline(data: Path, as_of: str) -> dict:
    result = cli("timeline", "--json", "--as-of", as_of, "--data", data)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- pages --------------------------------------------------------------------------------------


def test_shipped_site_has_every_page(shipped_site):
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    names = {p.relative_to(shipped_site).as_posix() for p in pages(shipped_site)}
    expected = {"index.html", "sources.html"}
    expected |= {f"allies/{a['id']}.html" for a in doc["allies"]}
    expected |= {f"controls/{c['id']}.html" for c in doc["allies"][0]["controls"]}
    assert names == expected
    for extra in (
        "feed.xml",
        "style.css",
        "downloads/export-alignment.json",
        "downloads/export-alignment.db",
        "downloads/csv/stages.csv",
    ):
        assert (shipped_site / extra).is_file(), extra


@pytest.mark.parametrize("which", ["shipped_site", "hostile_site"])
def test_every_internal_link_resolves_and_nothing_loads_from_elsewhere(which, request):
    site = request.getfixturevalue(which)
    for path in pages(site):
        page = parse(path)
        ids = {a["id"] for _, a in page.elements if "id" in a}
        for tag, attrs in page.elements:
            assert "src" not in attrs, (path, tag, attrs)  # no image, script or frame at all
            if tag == "link":
                assert not re.match(r"^[a-z]+:", attrs["href"]), attrs  # stylesheet, feed: local
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), href
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), (path, href)
            if parts.fragment:
                target_ids = (
                    ids
                    if target == path
                    else {a["id"] for _, a in parse(target).elements if "id" in a}
                )
                assert parts.fragment in target_ids, (path, href)


def test_index_matrix_agrees_with_status(shipped_site):
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    page = parse(shipped_site / "index.html")
    rows = [a for t, a in page.elements if t == "tr" and "data-ally" in a]
    ids = [a["id"] for a in doc["allies"]]
    # the answer first, then by control, then by scope item
    assert [r["data-ally"] for r in rows] == ids + ids + ids
    cells = page.with_class("td", "cell")
    expected = [
        (c["id"], c["stage"], c["since"] or "")
        for a in doc["allies"]
        for c in a["controls"]
        if c["live"]
    ]
    assert [(c["data-control"], c["data-stage"], c["data-since"]) for c in cells] == expected
    headlines = page.with_class("td", "headline")
    assert [
        (h["data-stage"], h["data-since"], int(h["data-in-force"]), int(h["data-total"]))
        for h in headlines
    ] == [
        (a["stage"], a["since"] or "", a["coverage"]["in_force"], a["coverage"]["total"])
        for a in doc["allies"]
    ]
    items = page.with_class("td", "item")
    assert [(i["data-item"], i["data-stage"], i["data-since"]) for i in items] == [
        (i["item"], i["stage"], i["since"] or "") for a in doc["allies"] for i in a["items"]
    ]
    heads = page.with_class("td", "headline")
    assert [(h["data-stage"], h["data-since"]) for h in heads] == [
        (a["stage"], a["since"] or "") for a in doc["allies"]
    ]
    assert "as of 28 November 2026" in page.text
    assert "in force" in page.text and "●" in page.text  # word and glyph, not colour alone
    for words in ("partial", "stale"):
        assert words in page.text


def test_ally_page_has_chart_bands_text_alternative_and_sources(shipped_site):
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    jp = next(a for a in doc["allies"] if a["id"] == "jp")
    page = parse(shipped_site / "allies" / "jp.html")
    bands = page.with_class("g", "band")
    by_control = [b["data-control"] for b in bands if "data-control" in b]
    by_item = [b["data-item"] for b in bands if "data-item" in b]
    assert by_control == [c["id"] for c in jp["controls"]]
    assert by_item == [i["item"] for i in jp["items"]]
    assert len(bands) == len(by_control) + len(by_item)
    svgs = [a for t, a in page.elements if t == "svg" and "bar" not in a.get("class", "")]
    assert [s["aria-labelledby"] for s in svgs] == [
        "chart-title-control chart-desc-control",
        "chart-title-item chart-desc-item",
    ]
    assert all(s["role"] == "img" for s in svgs)
    covered = jp["coverage"]["in_force"]
    assert covered and f"in force on {covered} of" in page.text
    assert "The chart as text" in page.text
    ticks = page.with_class("g", "tick")
    assert len(ticks) >= 4  # one per 1 January from 2022 to 2026
    assert "sets the stage" in page.text and "tier: official text" in page.text
    roles = {a["data-role"] for t, a in page.elements if t == "li" and "data-role" in a}
    assert roles == {r["role"] for r in jp["roles"]}
    assert "kind: government" in page.text
    assert "What would move it" in page.text and "partial" in page.text
    assert any(h.startswith("https://") for h in page.links)


@pytest.mark.parametrize(
    "control", ["us-2022-10-advanced-computing-sme", "us-2025-01-ai-diffusion"]
)
def test_control_page_says_where_each_ally_stands(shipped_site, control):
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    page = parse(shipped_site / "controls" / f"{control}.html")
    rows = [a for t, a in page.elements if t == "tr" and "data-ally" in a]
    on = [(a["id"], next(c for c in a["controls"] if c["id"] == control)) for a in doc["allies"]]
    assert [(r["data-ally"], r["data-stage"]) for r in rows] == [
        (ally, c["stage"]) for ally, c in on
    ]
    items = [
        (a["data-item"], a["data-stage"])
        for t, a in page.elements
        if t == "td" and "data-item" in a
    ]
    assert items == [(i["item"], i["stage"]) for _, c in on for i in c["items"]]
    events = [a["data-event"] for t, a in page.elements if t == "li" and "data-event" in a]
    assert events == [e["event"] for e in on[0][1]["lifecycle"]]
    assert "Later life" in page.text
    if not on[0][1]["live"]:
        # a status in words, never a bare ``non_enforcement`` or ``unknown``
        from export_alignment.views.values import STATUS_WORDS

        assert STATUS_WORDS[on[0][1]["status"]] in page.text
        assert "count" in STATUS_WORDS[on[0][1]["status"]]
        assert "non_enforcement" not in page.text


# --- the hostile record -------------------------------------------------------------------------


def test_hostile_record_injects_no_element_attribute_or_scheme(hostile_site):
    for path in pages(hostile_site):
        page = parse(path)
        for tag, attrs in page.elements:
            assert tag in ELEMENTS, (path, tag)
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            for key in ("href", "src", "action", "xlink:href"):
                value = attrs.get(key)
                if value is not None:
                    assert not re.match(r"^\s*(javascript|data|vbscript|file):", value, re.I)
        raw = path.read_text(encoding="utf-8")
        assert "<script" not in raw.lower() and "<img" not in raw.lower()
        assert "\x1b" not in raw and "\u202e" not in raw and "\x07" not in raw
    jp = parse(hostile_site / "allies" / "jp.html").text
    assert "<script>alert(1)</script>" in jp  # shown as the text it is
    assert "[bold red]x[/]" in jp and "\\x1b[31mred" in jp and "\\u202e" in jp
    assert "javascript:alert(1)" in jp


def test_hostile_address_is_encoded_inside_its_attribute(hostile_site):
    page = parse(hostile_site / "allies" / "nl.html")
    hrefs = [h for h in page.links if h.startswith("https://example.org/x")]
    assert hrefs == [web_url(EVIL_URL)]
    assert '"' not in hrefs[0] and "<" not in hrefs[0]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " https://x.org",
        "data:text/html,x",
        "//evil.org/x",
        "https://a.org@evil.org/",
        "https://x.org/\x1b",
        "vbscript:x",
        "/relative",
    ],
)
def test_only_web_addresses_become_links(url):
    assert web_url(url) is None


def test_web_address_is_percent_encoded():
    assert web_url('https://x.org/a"<>é') == "https://x.org/a%22%3C%3E%C3%A9"
    assert web_url("https://x.org/a b") is None  # the url-scheme rule's test: no white space
    assert web_url("https://x.org/a?b=1&c=(2)") == "https://x.org/a?b=1&c=(2)"


# --- the feed -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "which,data,as_of",
    [
        ("shipped_site", ROOT / "data", SHIPPED_AS_OF),
        ("hostile_site", None, AS_OF),
    ],
)
def test_feed_has_one_entry_per_timeline_transition(which, data, as_of, request):
    site = request.getfixturevalue(which)
    if data is None:
        data = site.parent / "record" / "data"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    stage_entries = [e for e in feed.entries if e.tags[0].term == "stage"]
    expected = [
        (a["id"], t["counts_from"], t["from"], t["to"])
        for a in timeline(data, as_of)["allies"]
        for t in a["transitions"]
    ]
    got = []
    for e in stage_entries:
        ally = e.link.rsplit("/", 1)[-1].removesuffix(".html")
        after = re.search(r"furthest stage (.+)$", e.title).group(1)
        before = re.search(r"moved from (.+?) on ", e.summary).group(1)
        got.append((ally, e.updated[:10], before, after))
    words = [(a, d, b.replace("_", " "), t.replace("_", " ")) for a, d, b, t in expected]
    assert sorted(got) == sorted(words)
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) and all(i.startswith("urn:uuid:") for i in ids)
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    kinds = {e.tags[0].term for e in feed.entries}
    assert kinds <= {"verdict", "stage", "coverage"}  # no flag or staleness entries
    assert "verdict" in kinds
    for e in feed.entries:
        assert e.title not in e.summary  # the summary says what the title does not
    curators = feedparser.parse((site / "feeds" / "curators.xml").read_bytes())
    assert not curators.bozo
    assert {e.tags[0].term for e in curators.entries} <= {"flag-raised", "flag-cleared"}


def test_every_public_feed_entry_links_its_source(shipped_site):
    feeds = [shipped_site / "feed.xml", *sorted((shipped_site / "feeds").rglob("*.xml"))]
    feeds = [f for f in feeds if f.name != "curators.xml"]
    assert len(feeds) == 1 + 8 + 6  # the global feed, one per ally, one per control
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        for e in feed.entries:
            related = [link.href for link in e.links if link.rel == "related"]
            assert related and related[0].startswith(("https://", "http://")), (path, e.title)
    jp = feedparser.parse((shipped_site / "feeds" / "allies" / "jp.xml").read_bytes())
    assert jp.entries and all(e.title.startswith("Japan") for e in jp.entries)
    assert any(
        re.fullmatch(r"Japan: partly in force: \d+ of \d+ items", e.title) for e in jp.entries
    )


def test_feed_ids_stay_when_the_record_grows(tmp_path):
    base = [
        statement("jp-raised", "2022-11-01", "raised", speaker="us-official"),
        statement("jp-talks", "2023-01-13", "talks"),
    ]
    data = write_dataset(tmp_path / "r", base)
    before = feedparser.parse((build(data, tmp_path / "a", "2023-06-01") / "feed.xml").read_bytes())
    write_dataset(tmp_path / "r", [*base, statement("jp-agreed", "2023-03-01", "agreement")])
    after = feedparser.parse((build(data, tmp_path / "b", "2023-06-01") / "feed.xml").read_bytes())
    old = {e.id: e.title for e in before.entries}
    new = {e.id: e.title for e in after.entries}
    assert set(old) <= set(new) and all(new[i] == t for i, t in old.items())
    added = [new[i] for i in set(new) - set(old)]
    assert "Japan: furthest stage agreed" in added
    assert after.entries[0].title.startswith("Japan: committed")


# --- building -----------------------------------------------------------------------------------


def test_build_is_deterministic_and_a_rebuild_removes_old_pages(tmp_path):
    data = write_dataset(tmp_path / "r", [statement("jp-talks", "2023-01-13", "talks")])
    site = build(data, tmp_path / "site", "2023-06-01")
    first = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    build(data, site, "2023-06-01")
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == first
    assert "allies/jp.html" in (site / MANIFEST).read_text(encoding="utf-8").splitlines()
    (site / "allies" / "gone.html").write_text("not ours", encoding="utf-8")  # not in manifest
    actors = [
        a
        for a in json.loads((data / "actors.yaml").read_text())["actors"]
        if "nl" not in (a["id"], a.get("represents"))
    ]
    write_dataset(tmp_path / "r", [statement("jp-talks", "2023-01-13", "talks")], actors=actors)
    build(data, site, "2023-06-01")
    assert not (site / "allies" / "nl.html").exists()
    assert (site / "allies" / "gone.html").exists()  # never deletes what it did not write
    assert not list(site.rglob("*.tmp"))


def test_site_refuses_a_folder_it_did_not_build(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    r = cli("site", "-o", tmp_path / "mine", "--data", ROOT / "data", "--as-of", SHIPPED_AS_OF)
    assert r.exit_code == 2, r.output
    assert "not empty" in r.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_site_usage_and_data_errors(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = cli("site", "-o", tmp_path / "file", "--data", ROOT / "data")
    assert r.exit_code == 2, r.output
    r = cli("site", "-o", tmp_path / "s", "--data", ROOT / "data", "--as-of", "2023-02-30")
    assert r.exit_code == 2, r.output
    assert "--as-of" in r.stderr
    bad = write_dataset(tmp_path / "bad", [statement("x", "2023-01-13", "talks", speaker="nobody")])
    r = cli("site", "-o", tmp_path / "s2", "--data", bad)
    assert r.exit_code == 1, r.output
    assert not (tmp_path / "s2").exists()
    r = cli("site", "--data", ROOT / "data")
    assert r.exit_code == 2, r.output


def test_feed_flag_changes_replay_to_the_current_flags(shipped_site):
    """Applying every entry of the curators' feed, oldest first, gives each ally the flags
    ``status`` reports."""
    feed = feedparser.parse((shipped_site / "feeds" / "curators.xml").read_bytes())
    flags: dict[str, set[str]] = {}
    for e in reversed(feed.entries):
        kind = e.tags[0].term
        ally = e.link.rsplit("/", 1)[-1].removesuffix(".html")
        name = re.search(r"flagged ([a-z ]+?)(?::|$)", e.title).group(1).replace(" ", "_")
        if kind == "flag-raised":
            assert name not in flags.setdefault(ally, set()), e.title
            flags[ally].add(name)
        else:
            assert kind == "flag-cleared" and name in flags.get(ally, set()), e.title
            flags[ally].discard(name)
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    assert {a: sorted(f) for a, f in flags.items() if f} == {
        a["id"]: a["flags"] for a in doc["allies"] if a["flags"]
    }


# --- what a reader can reuse: citation, API, calendar ------------------------------------------


def test_every_page_says_its_licence_and_how_to_cite_it(shipped_site):
    for path in pages(shipped_site):
        text = path.read_text("utf-8")
        assert 'rel="license noopener noreferrer">MIT License</a>' in text, path
        cite = re.search(r'<p class="citation">(.*?)</p>', text, re.S)
        assert cite is not None, path
        assert "Record as of 28 November 2026, record version " in cite.group(1)
    cff = (ROOT / "CITATION.cff").read_text("utf-8")
    assert "cff-version: 1.2.0" in cff and "license: MIT" in cff


def test_reader_pages_use_names_and_keep_curation_behind_a_disclosure(shipped_site):
    control = parse(shipped_site / "controls" / "us-2022-10-advanced-computing-sme.html")
    assert "Aimed at China" in control.text.replace("\n", " ").replace("  ", " ")
    sources = (shipped_site / "sources.html").read_text("utf-8")
    assert "<code>jp-" not in sources  # records named, not ids
    jp = (shipped_site / "allies" / "jp.html").read_text("utf-8")
    assert "<summary>How this was checked</summary>" in jp
    before_details = jp.split("<details", 1)[0]
    assert "Record id" not in before_details


def test_what_would_move_it_names_every_item_not_in_force(shipped_site):
    doc = status(ROOT / "data", SHIPPED_AS_OF)
    for ally in doc["allies"]:
        html = (shipped_site / "allies" / f"{ally['id']}.html").read_text("utf-8")
        block = re.search(r'<ul class="not-in-force">(.*?)</ul>', html, re.S)
        missing = ally["coverage"]["missing"]
        listed = re.findall(r'<li data-item="([a-z0-9-]+)">', block.group(1)) if block else []
        assert listed == missing
        assert ("must come into force" in html) == bool(missing)


def test_the_json_api_follows_its_schema_and_agrees_with_the_pages(shipped_site):
    import jsonschema

    schema = json.loads((shipped_site / "api" / "schema.json").read_text("utf-8"))
    index = json.loads((shipped_site / "api" / "index.json").read_text("utf-8"))
    jsonschema.validate(index, schema)
    assert [a["id"] for a in index["allies"]] == ["jp", "nl", "de", "kr", "tw", "uk", "fr", "eu"]
    for entry in index["allies"] + index["controls"]:
        doc = json.loads((shipped_site / entry["api"]).read_text("utf-8"))
        jsonschema.validate(doc, schema)
        assert (shipped_site / doc["links"]["page"]).is_file()
        assert (shipped_site / doc["links"]["feed"]).is_file()
    jp = json.loads((shipped_site / "api" / "allies" / "jp.json").read_text("utf-8"))
    assert jp["verdict_words"] == "partly in force: 5 of 11 items"
    assert sum(jp["coverage"]["by_group"].values()) == jp["coverage"]["total"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**jp, "verdict": 3}, schema)


def test_the_calendar_lists_dates_ahead_as_all_day_events(tmp_path):
    data = write_dataset(tmp_path / "r", [statement("jp-talks", "2023-01-13", "talks")])
    actors = json.loads((data / "actors.yaml").read_text())["actors"]
    for a in actors:
        if a["id"] == "jp":
            a["reviewed"] = "2023-05-01"
    write_dataset(tmp_path / "r", [statement("jp-talks", "2023-01-13", "talks")], actors=actors)
    site = build(data, tmp_path / "site", "2023-06-01")
    ics = (site / "calendar.ics").read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    events = ics.split("BEGIN:VEVENT")[1:]
    review = [e for e in events if "record review due" in e]
    assert len(review) == 1
    assert "DTSTART;VALUE=DATE:" in review[0]
    assert "UID:review-jp@export-alignment" in review[0]
    # nothing in the past: the as-of day is 1 June 2023
    starts = re.findall(r"DTSTART;VALUE=DATE:(\d{8})", ics)
    assert starts and all(s > "20230601" for s in starts)


def test_each_chart_downloads_as_svg_with_its_legend_and_as_csv(shipped_site):
    import csv
    import io
    import xml.etree.ElementTree as ET

    svg_ns = "{http://www.w3.org/2000/svg}"
    for ally in ("jp", "tw"):
        page = (shipped_site / "allies" / f"{ally}.html").read_text("utf-8")
        for by in ("control", "item"):
            stem = f"downloads/charts/{ally}-by-{by}"
            assert f'href="../{stem}.svg" download' in page
            root = ET.parse(shipped_site / f"{stem}.svg").getroot()
            legend = root.find(f"{svg_ns}g[@class='legend']")
            assert legend is not None
            words = [t.text for t in legend.iter(f"{svg_ns}text")]
            assert words == [
                "none",
                "raised",
                "negotiating",
                "agreed",
                "announced",
                "adopted",
                "in force",
                "not binding",
            ]
            rows = list(csv.DictReader(io.StringIO((shipped_site / f"{stem}.csv").read_text())))
            bands = {b.get(f"data-{by}") for b in root.iter(f"{svg_ns}g") if b.get(f"data-{by}")}
            assert rows and {r["band"] for r in rows} <= bands
