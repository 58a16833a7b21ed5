"""``watch``: the inbox of what watched sources printed that the record does not cite, fetched from
a local server replaying responses recorded in the Federal Register API's and the feed formats'
documented shapes (tests/recorded/); never the real network."""

from __future__ import annotations

import json
import shlex
import shutil
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from export_alignment.checks import validate
from world import RECORDED, REPO, run
from world.replay import Answer, ReplayServer

ROOT = REPO
DATA = ROOT / "data"
FR_FOLDER = RECORDED / "federal-register"

FR_SOURCE = """\
  - id: federal-register-bis
    name: Federal Register, Bureau of Industry and Security
    kind: federal-register
    concerns: us
    url: {base}/api/v1/documents.json
    agencies: [industry-and-security-bureau]
    types: [RULE, PRORULE, NOTICE]
"""


def feed_source(ident: str, url: str, concerns: str = "nl") -> str:
    return f"""\
  - id: {ident}
    name: Feed {ident}
    kind: feed
    concerns: {concerns}
    url: {url}
"""


def watch_list(tmp_path: Path, *sources: str) -> Path:
    path = tmp_path / "watch.yaml"
    path.write_text("watch:\n" + "".join(sources), encoding="utf-8")
    return path


def watch(tmp_path: Path, listed: Path, *args: object, code: int, env: dict | None = None):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), **(env or {})}
    return run(
        "watch",
        "--data",
        DATA,
        "--list",
        listed,
        "--since",
        "2024-01-01",
        *args,
        code=code,
        env=env,
    )


def rss(*items: tuple[str, str, str], title: str = "Ministry news") -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{day}</pubDate></item>"
        for t, link, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link><description>news</description>"
        f"{entries}</channel></rss>"
    )


GOOD_FEED = rss(
    (
        "Export controls on quantum items widened",
        "https://example.org/news/quantum",
        "Tue, 14 Jan 2025 10:00:00 GMT",
    ),
    ("Old news", "https://example.org/news/old", "Mon, 02 Jan 2023 10:00:00 GMT"),
)


def test_a_federal_register_page_lists_only_what_the_shipped_record_does_not_cite(tmp_path):
    before = {p.name: p.read_bytes() for p in DATA.iterdir()}
    with ReplayServer() as server:
        server.replay_recorded(FR_FOLDER)
        listed = watch_list(tmp_path, FR_SOURCE.format(base=server.base))
        result = watch(tmp_path, listed, "--json", code=1)
        requests = server.requests
    out = json.loads(result.stdout)
    numbers = [item["document_number"] for item in out["items"]]
    # 2025-19001 (page 1) and 2024-28270 (page 2) are cited by the shipped record; the other
    # two are not, and come newest first; the second one is from the second page
    assert numbers == ["2024-30723", "2024-10280"]
    assert out["items"][0]["citation"] == "89 FR 105448"
    assert out["items"][0]["effective"] == "2024-12-27"
    assert out["sources"] == [
        {
            "id": "federal-register-bis",
            "name": "Federal Register, Bureau of Industry and Security",
            "since": "2024-01-01",
            "seen": 4,
            "new": 2,
            "error": None,
        }
    ]
    assert [p for p, _ in requests if "page=2" in p], "the second page was asked for"
    query = requests[0][0]
    for part in (
        "conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau",
        "conditions%5Bpublication_date%5D%5Bgte%5D=2024-01-01",
        "fields%5B%5D=document_number",
    ):
        assert part in query
    assert requests[0][1]["user-agent"].startswith("export-alignment/")
    draft = out["items"][0]["add_command"]
    assert draft.startswith("export-alignment add control --issuer us ")
    assert "--citation '89 FR 105448 (FR doc 2024-30723)'" in draft
    assert {p.name: p.read_bytes() for p in DATA.iterdir()} == before  # a draft, never written


def test_the_offline_replay_gives_the_same_inbox_as_the_server(tmp_path):
    result = run(
        "watch",
        "--data",
        DATA,
        "--offline",
        FR_FOLDER,
        "--since",
        "2024-01-01",
        "--json",
        "--source",
        "federal-register-bis",
        code=1,
    )
    numbers = [item["document_number"] for item in json.loads(result.stdout)["items"]]
    assert numbers == ["2024-30723", "2024-10280"]


def test_nothing_new_exits_0(tmp_path):
    with ReplayServer() as server:
        url = server.route("/feed.xml", Answer(200, rss(), {"Content-Type": "application/rss+xml"}))
        listed = watch_list(tmp_path, feed_source("empty", url))
        result = watch(tmp_path, listed, code=0)
    assert "0 new items from 1 source" in result.output


def test_429_with_retry_after_is_retried_once_after_the_wait(tmp_path):
    with ReplayServer() as server:
        url = server.route(
            "/feed.xml",
            Answer(429, "slow down", {"Retry-After": "1"}),
            Answer(200, GOOD_FEED, {"Content-Type": "application/rss+xml"}),
        )
        listed = watch_list(tmp_path, feed_source("ministry", url))
        started = time.monotonic()
        result = watch(tmp_path, listed, "--json", code=1)
        took = time.monotonic() - started
        hits = server.hits("/feed.xml")
    assert len(hits) == 2
    assert took >= 1.0
    titles = [i["title"] for i in json.loads(result.stdout)["items"]]
    assert titles == ["Export controls on quantum items widened"]  # the 2023 item is too old


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 16}">\n'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + '<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
    '<rss version="2.0"><channel><title>t</title><item><title>&i; &x;</title>'
    "<link>https://example.org/x</link></item></channel></rss>"
)


def test_each_broken_source_is_named_with_its_reason_and_the_others_are_still_reported(tmp_path):
    with ReplayServer() as server:
        good = server.route("/good.xml", Answer(200, GOOD_FEED))
        slow = server.route("/slow.xml", Answer(200, GOOD_FEED, delay=5))
        error = server.route("/error.xml", Answer(500, "oops"))
        truncated = server.route("/truncated.xml", Answer(200, GOOD_FEED[: len(GOOD_FEED) // 2]))
        laughs = server.route("/laughs.xml", Answer(200, BILLION_LAUGHS))
        wide = BILLION_LAUGHS.replace('encoding="utf-8"', "").encode("utf-16")
        laughs16 = server.route("/laughs16.xml", Answer(200, wide))
        huge = server.route("/huge.xml", Answer(200, b"<rss>" + b" " * (6 * 1024 * 1024)))
        away = server.route("/away.xml", Answer(302, "", {"Location": "file:///etc/passwd"}))
        bad_json = server.route("/api/v1/documents.json", Answer(200, "{not json"))
        listed = watch_list(
            tmp_path,
            feed_source("good", good),
            feed_source("slow", slow),
            feed_source("error", error),
            feed_source("truncated", truncated),
            feed_source("laughs", laughs),
            feed_source("laughs16", laughs16),
            feed_source("huge", huge),
            feed_source("away", away),
            FR_SOURCE.format(base=server.base),
        )
        started = time.monotonic()
        result = watch(tmp_path, listed, "--timeout", "2", "--json", code=1)
        took = time.monotonic() - started
        text = watch(tmp_path, listed, "--timeout", "2", code=1)
    assert bad_json
    out = json.loads(result.stdout)
    errors = {s["id"]: s["error"] for s in out["sources"]}
    assert errors["good"] is None
    assert "timed out" in errors["slow"]
    assert "answered 500" in errors["error"]
    assert "not well-formed" in errors["truncated"] or "could not be read" in errors["truncated"]
    assert "declares XML entities" in errors["laughs"]
    assert "declares XML entities" in errors["laughs16"]
    assert "limit" in errors["huge"]
    assert "file: address, not followed" in errors["away"]
    assert "not valid JSON" in errors["federal-register-bis"]
    assert [i["title"] for i in out["items"]] == ["Export controls on quantum items widened"]
    assert took < 20
    assert "error: Feed laughs (laughs): the feed declares XML entities" in text.stdout
    assert "aaaaaaaa" not in text.output


def test_every_source_down_on_the_network_exits_3(tmp_path):
    with ReplayServer() as server:
        closed = server.url("/feed.xml")
    listed = watch_list(tmp_path, feed_source("down", closed), feed_source("also-down", closed))
    result = watch(tmp_path, listed, code=3)
    assert "could not connect" in result.stdout


def test_a_second_run_answered_304_uses_the_cache(tmp_path):
    with ReplayServer() as server:
        url = server.route(
            "/feed.xml",
            Answer(200, GOOD_FEED, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}),
            Answer(304, "", {"ETag": '"v1"'}, when_header=("If-None-Match", '"v1"')),
        )
        listed = watch_list(tmp_path, feed_source("ministry", url))
        first = watch(tmp_path, listed, "--json", code=1)
        second = watch(tmp_path, listed, "--json", code=1)
        hits = server.hits("/feed.xml")
    assert len(hits) == 2
    assert "if-none-match" not in hits[0]
    assert hits[1]["if-none-match"] == '"v1"'
    assert json.loads(first.stdout)["items"] == json.loads(second.stdout)["items"]
    assert list((tmp_path / "cache" / "export-alignment").glob("*.body"))


def test_the_last_run_is_remembered_and_the_next_run_starts_there(tmp_path):
    with ReplayServer() as server:
        server.route("/api/v1/documents.json", Answer(200, '{"count": 0, "results": []}'))
        listed = watch_list(tmp_path, FR_SOURCE.format(base=server.base))
        env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
        for day in ("2026-12-01", "2026-12-07"):
            run("watch", "--data", DATA, "--list", listed, "--today", day, env=env, code=0)
        starts = [p for p, _ in server.requests if "page=2" not in p]
    assert "gte%5D=2026-11-01" in starts[0]  # no since in the list: 30 days back
    assert "gte%5D=2026-12-01" in starts[1]  # the day of the last run


def test_feed_text_reaches_the_terminal_and_markdown_as_text_only(tmp_path):
    # a C1 CSI (allowed in XML 1.0, read by terminals as ESC [) and a right-to-left override
    hostile = rss(
        (
            "[bold]red[/bold] \u009b31m \u202eevil &lt;script&gt; `x`",
            "javascript:alert(1)",
            "Tue, 14 Jan 2025 10:00:00 GMT",
        ),
    )
    with ReplayServer() as server:
        url = server.route("/feed.xml", Answer(200, hostile))
        listed = watch_list(tmp_path, feed_source("hostile", url))
        text = watch(tmp_path, listed, code=1)
        markdown = watch(tmp_path, listed, "--format", "markdown", code=1)
    for out in (text.output, markdown.output):
        assert "\u009b" not in out and "\u202e" not in out
    assert "[bold]red[/bold]" in text.stdout  # printed as text, not rich markup
    assert "\\u202eevil <script>" in text.stdout  # the override shown as an escape
    assert "javascript:" not in text.stdout  # a link that is not http(s) is dropped
    tokens = MarkdownIt("commonmark").parse(markdown.stdout)
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    assert not [t for t in flat if t.type.startswith("html") or t.type == "link_open"]
    heading = next(
        tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h3"
    )
    assert "[bold]red[/bold]" in heading.content.replace("\\", "")
    fences = [t.content for t in tokens if t.type == "fence"]
    assert len(fences) == 1 and fences[0].startswith("export-alignment add statement ")


def test_a_bad_watch_list_is_reported_at_file_line_column(tmp_path):
    listed = watch_list(
        tmp_path,
        "  - id: x\n    name: X\n    kind: newsletter\n    concerns: nl\n",
        "  - id: y\n    name: Y\n    kind: feed\n    concerns: atlantis\n    url: https://e.org/f\n",
    )
    result = run("watch", "--data", DATA, "--list", listed, code=1)
    assert f"{listed}:4:11: error schema kind:" in result.output
    assert f"{listed}:9:15: error dangling-reference concerns: 'atlantis'" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--source", "nope"], "no watched source 'nope'"),
        (["--format", "html"], "--format must be one of text, markdown, json"),
        (["--offline", "/nonexistent"], "--offline: cannot read"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run("watch", "--data", DATA, *args, code=2)
    assert message in result.output


def test_the_shipped_watch_list_is_valid():
    from export_alignment.checks import validate
    from export_alignment.watch import load_watch_list

    listed = load_watch_list(DATA / "watch.yaml", validate(DATA).dataset)
    assert listed.problems == []
    assert [s.id for s in listed.sources] == ["federal-register-bis"]


def test_a_draft_add_command_completed_enters_the_item(tmp_path):
    result = run(
        "watch", "--data", DATA, "--offline", FR_FOLDER, "--since", "2024-01-01", "--json", code=1
    )
    draft = json.loads(result.stdout)["items"][0]["add_command"]
    placeholders = {"KIND": "rule", "TARGET": "cn", "SCOPE": "semiconductor-technology"}
    args = [placeholders.get(a, a) for a in shlex.split(draft)[1:]]
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    run(*args, "--data", data, "--today", "2026-12-07", code=0)
    entered = validate(data).dataset.controls[-1]
    assert entered.source.citation == "89 FR 105448 (FR doc 2024-30723)"
    assert str(entered.published) == "2024-12-27"
    again = run(
        "watch", "--data", data, "--offline", FR_FOLDER, "--since", "2024-01-01", "--json", code=1
    )
    assert [i["document_number"] for i in json.loads(again.stdout)["items"]] == ["2024-10280"]


def test_an_atom_feed_is_read_and_keywords_keep_only_the_items_that_name_one(tmp_path):
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry</title><id>urn:x</id>
<updated>2025-03-01T00:00:00Z</updated>
<entry><title>New export controls on chip equipment</title><id>urn:1</id>
<link href="https://example.org/news/chips"/><updated>2025-03-01T00:00:00Z</updated></entry>
<entry><title>Fisheries agreement signed</title><id>urn:2</id>
<link href="https://example.org/news/fish"/><updated>2025-02-01T00:00:00Z</updated></entry>
</feed>"""
    with ReplayServer() as server:
        url = server.route("/atom.xml", Answer(200, atom, {"Content-Type": "application/atom+xml"}))
        source = feed_source("ministry", url) + "    keywords: [export control, semiconductor]\n"
        result = watch(tmp_path, watch_list(tmp_path, source), "--json", code=1)
    items = json.loads(result.stdout)["items"]
    assert [(i["title"], i["url"], i["published"]) for i in items] == [
        ("New export controls on chip equipment", "https://example.org/news/chips", "2025-03-01")
    ]
    assert items[0]["add_command"].startswith("export-alignment add statement --date 2025-03-01 ")


def test_a_missing_watch_list_is_a_usage_error(tmp_path):
    result = run("watch", "--data", DATA, "--list", tmp_path / "none.yaml", code=2)
    assert "no watch list at" in result.output and "--list" in result.output
