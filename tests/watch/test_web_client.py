"""The HTTP client ``watch`` and ``sources check`` share (``web.Client``): its politeness and its
refusals, against a local server; never the real network."""

from __future__ import annotations

import email.utils
import json
import time

import pytest

from export_alignment import web
from world.replay import Answer, ReplayServer


def client(tmp_path=None, **limits) -> tuple[web.Client, list[float]]:
    waits: list[float] = []
    cache = web.Cache(tmp_path / "cache") if tmp_path is not None else None
    return web.Client(web.WebLimits(**limits), cache=cache, sleep=waits.append), waits


def test_retry_after_is_honoured_but_capped():
    with ReplayServer() as server:
        url = server.route("/p", Answer(503, "", {"Retry-After": "3600"}), Answer(200, "ok"))
        c, waits = client(max_wait=2.0)
        with c:
            response = c.get(url)
    assert response.status == 200 and response.body == b"ok"
    assert waits == [2.0]


def test_retry_after_as_an_http_date():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= web.retry_after(when) <= 30
    assert web.retry_after("soon") is None


def test_429_without_retry_after_backs_off_and_gives_up_after_the_retries():
    with ReplayServer() as server:
        url = server.route("/p", Answer(429, "busy"))
        c, waits = client(retries=2, backoff=0.5)
        with c:
            response = c.get(url)
    assert response.status == 429
    assert waits == [0.5, 1.0]
    assert len(server.hits("/p")) == 3


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/x", "/relative"])
def test_only_http_addresses_are_fetched(address):
    c, _ = client()
    with c, pytest.raises(web.FetchError, match="only http"):
        c.get(address)


def test_a_redirect_loop_stops():
    with ReplayServer() as server:
        url = server.route("/loop", Answer(302, "", {"Location": "{base}/loop"}))
        c, _ = client()
        with c, pytest.raises(web.FetchError, match="more than 5 redirects"):
            c.get(url)


def test_a_body_over_the_cap_is_refused_whether_or_not_its_length_is_announced():
    with ReplayServer() as server:
        announced = server.route("/announced", Answer(200, b"x" * 5000))
        streamed = server.route("/streamed", Answer(200, b"x" * 5000, send_length=False))
        c, _ = client(max_bytes=100)
        with c:
            with pytest.raises(web.FetchError, match="5,000 bytes; the limit is 100"):
                c.get(announced)
            with pytest.raises(web.FetchError, match="larger than the limit of 100 bytes"):
                c.get(streamed)
            server.route("/small", Answer(200, b"x" * 100, send_length=False))
            assert c.get(server.url("/small")).body == b"x" * 100


@pytest.mark.parametrize(
    "kept",
    [
        lambda url: "{not json",
        lambda url: json.dumps({"url": web.normal_url(url), "headers": ["etag"]}),
        lambda url: json.dumps({"url": web.normal_url(url), "headers": {"etag": 1}}),
    ],
    ids=["not JSON", "headers not a mapping", "a header not a string"],
)
def test_an_unreadable_cache_entry_is_ignored(tmp_path, kept):
    with ReplayServer() as server:
        url = server.route("/p", Answer(200, "fresh", {"ETag": '"a"'}))
        c, _ = client(tmp_path)
        with c:
            c.get(url)
        for entry in (tmp_path / "cache").glob("*.json"):
            entry.write_text(kept(url), encoding="utf-8")
        c, _ = client(tmp_path)
        with c:
            assert c.get(url).body == b"fresh"
        assert "if-none-match" not in server.hits("/p")[1]


def test_every_request_names_the_tool():
    with ReplayServer() as server:
        url = server.route("/p", Answer(200, "ok"))
        c, _ = client()
        with c:
            c.get(url)
    agent = server.hits("/p")[0]["user-agent"]
    assert agent.startswith(f"export-alignment/{web.__version__} ")
