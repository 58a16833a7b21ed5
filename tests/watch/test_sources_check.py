"""``sources check``: every cited address fetched from a local server (a copy of the shipped record
whose addresses all point at it), each answer reported for what it is, the Internet Archive's
availability API (replayed in its documented shape) asked for a snapshot, and ``--write-archive``
recording it through the writer ``add`` uses."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from export_alignment import atomic
from export_alignment.checks import validate
from export_alignment.sources_check import cited_urls
from world import REPO, command, process_env, run
from world.replay import Answer, ReplayServer, local_copy

ROOT = REPO


def snapshot_answer(server: ReplayServer) -> Answer:
    """The availability API's answer (its documented shape) for any address: a snapshot."""
    body = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "url": "http://web.archive.org/web/20250101000000/https://example.org/page",
                "timestamp": "20250101000000",
                "status": "200",
            }
        }
    }
    return Answer(200, json.dumps(body), {"Content-Type": "application/json"})


def check(data: Path, server: ReplayServer, *args: object, code: int, env: dict | None = None):
    return run(
        "sources",
        "check",
        "--data",
        data,
        "--archive-api",
        server.url("/wayback/available"),
        "--delay",
        "0",
        "--per-host",
        "8",
        "--timeout",
        "3",
        *args,
        code=code,
        env={"XDG_CACHE_HOME": str(data.parent / "cache"), **(env or {})},
    )


def first_urls(data: Path, n: int) -> list[str]:
    return [c.url for c in cited_urls(validate(data).dataset)][:n]


def test_each_answer_is_reported_for_what_it_is(tmp_path):
    with ReplayServer(default=Answer(200, "page")) as server:
        data = local_copy(tmp_path, server.base)
        ok, moved, missing, gone, slow = first_urls(data, 5)
        path = lambda url: url[len(server.base) :]  # noqa: E731
        server.route(path(moved), Answer(301, "", {"Location": "{base}/new-home"}))
        server.route(path(missing), Answer(404, "no"))
        server.route(path(gone), Answer(410, "gone"))
        server.route(path(slow), Answer(200, "late", delay=6))
        server.route("/wayback/available", Answer(200, '{"archived_snapshots": {}}'))
        result = check(data, server, "--json", code=1)
    links = {r["url"]: r for r in json.loads(result.stdout)["links"]}
    assert links[ok]["verdict"] == "ok" and links[ok]["status"] == 200
    assert links[moved]["verdict"] == "redirect" and links[moved]["status"] == 301
    assert links[moved]["final_url"] == server.base + "/new-home"
    assert links[missing]["verdict"] == "gone" and links[missing]["status"] == 404
    assert links[gone]["verdict"] == "gone" and links[gone]["status"] == 410
    assert links[slow]["verdict"] == "timeout" and "timed out" in links[slow]["message"]
    assert all(r["snapshot"] is None for r in links.values())


def test_a_dead_link_is_shown_with_its_archived_copy(tmp_path):
    with ReplayServer(default=Answer(200, "page")) as server:
        data = local_copy(tmp_path, server.base)
        (missing,) = first_urls(data, 1)
        server.route(missing[len(server.base) :], Answer(404, "no"))
        server.route("/wayback/available", snapshot_answer(server))
        text = check(data, server, code=1)
        markdown = check(data, server, "--format", "markdown", code=1)
    assert f"gone 404  {missing}" in text.stdout
    assert (
        "archived copy: https://web.archive.org/web/20250101000000/https://example.org/page"
        in text.stdout
    )
    assert (
        "[archived copy](https://web.archive.org/web/20250101000000/https://example.org/page)"
        in markdown.stdout
    )


def test_a_changed_page_is_reported_on_the_next_check(tmp_path):
    with ReplayServer(default=Answer(200, "page")) as server:
        data = local_copy(tmp_path, server.base)
        (page,) = first_urls(data, 1)
        server.route(page[len(server.base) :], Answer(200, "first"), Answer(200, "second"))
        check(data, server, "--no-archive", code=0)
        result = check(data, server, "--no-archive", "--json", code=1)
    links = {r["url"]: r for r in json.loads(result.stdout)["links"]}
    assert links[page]["changed"] is True
    assert [u for u, r in links.items() if r["changed"]] == [page]


def test_write_archive_records_archive_url_and_the_record_stays_valid(tmp_path):
    with ReplayServer(default=Answer(200, "page")) as server:
        data = local_copy(tmp_path, server.base)
        before = {
            n: (data / f"{n}.yaml").read_text(encoding="utf-8") for n in ("controls", "statements")
        }
        server.route("/wayback/available", snapshot_answer(server))
        result = check(data, server, "--write-archive", code=0)
    snapshot = "https://web.archive.org/web/20250101000000/https://example.org/page"
    assert "archive_url written" in result.output
    run("validate", "--data", data, code=0)
    dataset = validate(data).dataset
    sources = [s for c in dataset.controls for s in [c.source]] + [
        s for st in dataset.statements for s in st.cited
    ]
    with_url = [s for s in sources if s.url]
    written = [s for s in with_url if s.archive_url == snapshot]
    # every source with an address got one, except the two written over several lines (said so)
    assert len(written) == len(with_url) - 2
    assert result.output.count("not written:") == 2
    for name, old in before.items():
        new = (data / f"{name}.yaml").read_text(encoding="utf-8")
        added = [line for line in new.splitlines() if "archive_url:" in line]
        assert [line for line in new.splitlines() if "archive_url:" not in line] == old.splitlines()
        assert all(line.strip() == f'archive_url: "{snapshot}"' for line in added)


def test_a_sigkill_during_the_archive_write_leaves_the_file_whole(tmp_path):
    with ReplayServer(default=Answer(200, "page")) as server:
        data = local_copy(tmp_path, server.base)
        before = (data / "controls.yaml").read_bytes()
        server.route("/wayback/available", snapshot_answer(server))
        proc = subprocess.Popen(
            command(
                "sources",
                "check",
                "--data",
                data,
                "--archive-api",
                server.url("/wayback/available"),
                "--delay",
                "0",
                "--per-host",
                "8",
                "--write-archive",
                "--no-cache",  # the page-hash state is written atomically too, and would wait
            ),
            env=process_env({atomic.DELAY_ENV: "30", "XDG_CACHE_HOME": str(tmp_path / "cache")}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not list(data.glob(".*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(data.glob(".*.tmp")), "the write began"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert (data / "controls.yaml").read_bytes() == before
    run("validate", "--data", data, code=0)


def test_every_address_down_on_the_network_exits_3(tmp_path):
    with ReplayServer() as server:
        data = local_copy(tmp_path, server.base)
        api = server.url("/wayback/available")
    result = run(
        "sources",
        "check",
        "--data",
        data,
        "--archive-api",
        api,
        "--delay",
        "0",
        "--per-host",
        "16",
        "--workers",
        "64",
        "--no-cache",
        code=3,
    )
    assert "unreachable" in result.output


def test_usage_errors_exit_2(tmp_path):
    result = run("sources", "check", "--write-archive", "--no-archive", code=2)
    assert "--write-archive needs the archive" in result.output
    result = run("sources", "check", "--format", "html", code=2)
    assert "--format must be one of" in result.output


def test_the_site_shows_the_archived_copy_beside_the_link(tmp_path):
    from export_alignment.editing import FieldInsert, insert_fields

    with ReplayServer() as server:
        data = local_copy(tmp_path, server.base)
    snapshot = "https://web.archive.org/web/20250101000000/https://example.org/page"
    done = insert_fields(
        data, "controls", [FieldInsert(("controls", 0, "source"), "url", "archive_url", snapshot)]
    )
    assert len(done.written) == 1 and not done.skipped
    site = tmp_path / "site"
    run("site", "-o", site, "--data", data, "--as-of", "2026-11-28", code=0)
    page = (site / "sources.html").read_text(encoding="utf-8")
    assert f'<a href="{snapshot}" rel="noopener noreferrer nofollow">archived copy' in page


def test_an_archive_url_that_is_not_http_is_refused_by_validate(tmp_path):
    with ReplayServer() as server:
        data = local_copy(tmp_path, server.base)
    path = data / "controls.yaml"
    text = path.read_text(encoding="utf-8")
    url_line = next(line for line in text.splitlines() if line.strip().startswith("url: "))
    indent = url_line[: len(url_line) - len(url_line.lstrip())]
    line_no = text.splitlines().index(url_line) + 2
    path.write_text(
        text.replace(url_line, f"{url_line}\n{indent}archive_url: javascript:alert(1)", 1),
        encoding="utf-8",
    )
    result = run("validate", "--data", data, "--format", "text", code=1)
    assert f"controls.yaml:{line_no}:{len(indent) + 14}: error url-scheme" in result.output


def test_offline_replays_saved_answers_for_the_pages_and_the_archive(dataset, tmp_path):
    page = "https://www.federalregister.gov/d/2022-21658"  # the world's one cited address
    saved = tmp_path / "saved"
    saved.mkdir()
    lookup = "https://archive.org/wayback/available?url=" + page.replace(":", "%3A").replace(
        "/", "%2F"
    )
    (saved / "snapshot.json").write_text(
        json.dumps(
            {
                "archived_snapshots": {
                    "closest": {
                        "available": True,
                        "status": "200",
                        "url": f"http://web.archive.org/web/20221013000000/{page}",
                        "timestamp": "20221013000000",
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    (saved / "responses.json").write_text(
        json.dumps(
            [
                {"url": page, "status": 410, "body": "gone"},
                {"url": lookup, "status": 200, "body_file": "snapshot.json"},
            ]
        ),
        encoding="utf-8",
    )
    result = run("sources", "check", "--data", dataset.data, "--offline", saved, code=1)
    assert f"gone 410  {page}" in result.stdout
    assert f"archived copy: https://web.archive.org/web/20221013000000/{page}" in result.stdout


def test_a_host_that_refused_every_attempt_is_not_asked_again_in_the_run():
    import socket

    from export_alignment.sources_check import CitedUrl, Politeness, Verdict, check_links
    from export_alignment.web import Client, WebLimits

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    urls = [CitedUrl(f"http://127.0.0.1:{port}/page-{i}", ()) for i in range(5)]
    with Client(WebLimits(retries=2, backoff=1.0), sleep=waits.append) as client:
        report = check_links(client, urls, {}, Politeness(1, 1, 0.0), archive_api=None)
    # the first address waited out both retries (1 s, 2 s); the other four did not wait again
    assert waits == [1.0, 2.0]
    assert [r.verdict for r in report.results] == [Verdict.UNREACHABLE] * 5
    assert report.all_network_failures
    assert all("refused every attempt earlier" in r.message for r in report.results[1:])
    assert "could not connect" in report.results[4].message
