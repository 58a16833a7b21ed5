"""``site --base-url``: a feed that names its own address and links absolutely, and an address
that is not a plain http(s) folder refused before anything is written."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from world import REPO, run

ROOT = REPO
AS_OF = "2026-11-28"


def build(out: Path, *extra: str, code: int = 0):
    return run("site", "-o", out, "--data", ROOT / "data", "--as-of", AS_OF, *extra, code=code)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("base")
    build(root / "plain")
    build(root / "published", "--base-url", "https://example.org/alignment")
    return root / "plain", root / "published"


def test_the_feed_names_itself_and_links_absolutely(sites):
    plain, published = sites
    feed = feedparser.parse((published / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "https://example.org/alignment/feed.xml"
    assert links["alternate"] == "https://example.org/alignment/index.html"
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("https://example.org/alignment/allies/")
        page = entry.link.removeprefix("https://example.org/alignment/")
        assert (published / page).is_file()
    same = feedparser.parse((plain / "feed.xml").read_bytes())
    assert [e.id for e in same.entries] == [e.id for e in feed.entries]  # ids do not move
    assert "self" not in {link.rel for link in same.feed.links}


def test_only_the_feed_changes(sites):
    plain, published = sites
    differing = [
        p.relative_to(plain).as_posix()
        for p in sorted(plain.rglob("*"))
        if p.is_file() and p.read_bytes() != (published / p.relative_to(plain)).read_bytes()
    ]
    feeds = [d for d in differing if d.endswith(".xml")]
    assert "feed.xml" in feeds and "feeds/curators.xml" in feeds
    assert "calendar.ics" in differing  # each event links its page
    pages = [d for d in differing if d.endswith(".html")]
    assert set(differing) == {*feeds, *pages, "calendar.ics"}
    for name in pages:  # the pages stay relative (they work from file:// too): only the link
        # preview tags and the citation name the public address
        before = (plain / name).read_text("utf-8").splitlines()
        after = (published / name).read_text("utf-8").splitlines()
        changed = [line for line in after if line not in before]
        assert changed and all(
            "og:" in line or "twitter:" in line or 'class="citation"' in line for line in changed
        ), (name, changed)


@pytest.mark.parametrize(
    "url,says",
    [
        ("ftp://example.org/", "absolute http(s) address"),
        ("example.org/alignment", "absolute http(s) address"),
        ("javascript:alert(1)", "absolute http(s) address"),
        ("https://example.org/?page=1", "query or fragment"),
        ("https://example.org/#top", "query or fragment"),
        ("https://user:secret@example.org/", "user name or password"),
        ("https://example.org:port/", "not a valid address"),
        ("https://exa mple.org/", "spaces or control characters"),
        ("https://example.org/\x1b[31m", "spaces or control characters"),
        ("https://exämple.org/", "ASCII (xn--) form"),
        ("https://example.org/a%zz/", "does not start an escape"),
        ("https://example.org/site/index.html", "names a page"),
    ],
)
def test_a_bad_address_is_refused_before_writing(tmp_path, url, says):
    result = build(tmp_path / "site", "--base-url", url, code=2)
    assert "--base-url" in result.stderr and says in result.stderr
    assert "\x1b" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_ally_pages_carry_a_link_preview_with_an_absolute_image_only_given_the_address(sites):
    plain, published = sites
    page = (published / "allies" / "jp.html").read_text("utf-8")
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert image is not None and image.group(1) == "https://example.org/alignment/previews/jp.svg"
    assert (published / "previews" / "jp.svg").is_file()
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    description = re.search(r'<meta property="og:description" content="([^"]+)">', page)
    assert description is not None and description.group(1).startswith("Japan: partly in force")
    bare = (plain / "allies" / "jp.html").read_text("utf-8")
    assert "og:image" not in bare and "og:title" in bare  # no relative og:image, ever
    assert '<meta name="twitter:card" content="summary">' in bare
    svg = (published / "previews" / "jp.svg").read_text("utf-8")
    assert "Japan" in svg and "partly in force" in svg
