"""Checking every address the record cites: dead links, redirects, pages that changed, and the
Internet Archive's closest snapshot of each.

``cited_urls`` lists each distinct address once with every place that cites it; ``check_links``
fetches them concurrently but politely (``Politeness``: at most ``per_host`` requests at once to
one host, ``delay`` seconds between their starts), compares each page's hash with the one kept
from the last run, and asks the Wayback Machine's availability API for its closest snapshot.
``archive_edits`` turns the snapshots found into ``archive_url`` lines for
``editing.insert_fields`` (the writer ``add`` uses); nothing here writes the record.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from typing_extensions import TypedDict

from export_alignment.models import Control, ControlSource, Dataset, Statement, StatementSource
from export_alignment.shape import Record, all_records
from export_alignment.web import Client, FetchError, Response, normal_url

if TYPE_CHECKING:
    from export_alignment.editing import FieldInsert

WAYBACK_API = "https://archive.org/wayback/available"


class Verdict(StrEnum):
    OK = "ok"
    REDIRECT = "redirect"
    GONE = "gone"
    ERROR = "error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"


VERDICTS = {
    Verdict.OK: "the page answered 200",
    Verdict.REDIRECT: "the address redirects elsewhere (update it to the final address)",
    Verdict.GONE: "the page is gone (404 or 410): cite the archived copy",
    Verdict.ERROR: "the server answered another error status",
    Verdict.TIMEOUT: "no answer in time",
    Verdict.UNREACHABLE: "no connection (refused, DNS)",
    Verdict.REFUSED: "not read: a redirect to another scheme, too many redirects or too large",
}
"""What each verdict means (the README and ``--help`` show these)."""

NETWORK = frozenset({Verdict.TIMEOUT, Verdict.UNREACHABLE})


@dataclass(frozen=True)
class Place:
    """Where a source with the address stands: its data file, the key path of the source
    mapping and the record's id."""

    file: str
    keypath: tuple[str | int, ...]
    record: str
    archive_url: str | None


@dataclass(frozen=True)
class CitedUrl:
    url: str
    places: tuple[Place, ...]


def _source_paths(
    record: Record,
) -> list[tuple[tuple[str | int, ...], StatementSource | ControlSource]]:
    """(key path within the record, source) for every source it cites: a statement's sources
    (or its one source), a control's source and its lifecycle events' (an actor cites none)."""
    out: list[tuple[tuple[str | int, ...], StatementSource | ControlSource]] = []
    if isinstance(record, Statement):
        if record.sources:
            out += [(("sources", i), s) for i, s in enumerate(record.sources)]
        elif record.source is not None:
            out.append((("source",), record.source))
    elif isinstance(record, Control):
        out.append((("source",), record.source))
        out += [(("lifecycle", i, "source"), e.source) for i, e in enumerate(record.lifecycle)]
    return out


def cited_urls(dataset: Dataset) -> list[CitedUrl]:
    """Each distinct address the record cites, in the record's order, with its places."""
    found: dict[str, list[Place]] = {}
    order: dict[str, str] = {}
    for record in all_records(dataset):
        origin = record.origin
        if origin is None:
            continue
        file = origin.keypath[0] if origin.keypath else ""
        for suffix, source in _source_paths(record):
            url = getattr(source, "url", None)
            if not url:
                continue
            key = normal_url(url)
            order.setdefault(key, url)
            found.setdefault(key, []).append(
                Place(str(file), (*origin.keypath, *suffix), record.id, source.archive_url)
            )
    return [CitedUrl(order[k], tuple(places)) for k, places in found.items()]


class LinkResultJson(TypedDict):
    """One address in ``sources check --json``."""

    url: str
    verdict: str
    status: int | None
    final_url: str | None
    changed: bool
    message: str
    archive_url: str | None
    snapshot: str | None
    snapshot_error: str | None
    cited_by: list[str]


@dataclass(frozen=True)
class LinkResult:
    url: str
    verdict: Verdict
    places: tuple[Place, ...]
    status: int | None = None
    final_url: str | None = None
    changed: bool = False
    """The page's content differs from the last run's (a 200 page seen before)."""
    message: str = ""
    snapshot: str | None = None
    """The Internet Archive's closest snapshot, when it has one."""
    snapshot_error: str | None = None
    content_hash: str | None = None

    @property
    def recorded_archive(self) -> str | None:
        return next((p.archive_url for p in self.places if p.archive_url), None)

    @property
    def to_act_on(self) -> bool:
        return self.verdict is not Verdict.OK or self.changed

    def as_dict(self) -> LinkResultJson:
        return {
            "url": self.url,
            "verdict": str(self.verdict),
            "status": self.status,
            "final_url": self.final_url,
            "changed": self.changed,
            "message": self.message,
            "archive_url": self.recorded_archive,
            "snapshot": self.snapshot,
            "snapshot_error": self.snapshot_error,
            "cited_by": sorted({p.record for p in self.places}),
        }


@dataclass(frozen=True)
class Politeness:
    workers: int = 8
    per_host: int = 2
    delay: float = 0.25
    """Seconds between the starts of two requests to one host."""


class _Hosts:
    """Per-host gates: a semaphore of ``per_host`` and the time the next request may start.
    A host that refused the connection through all its retries is taken as down for the rest
    of the run: its other addresses fail at once with the same reason, rather than each waiting
    out the retries again (a dead host cited 50 times would otherwise cost 50 back-offs)."""

    def __init__(self, polite: Politeness):
        self.polite = polite
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._down: dict[str, str] = {}

    def _host(self, url: str) -> str:
        return urlsplit(url).netloc.lower()

    def fetch(self, client: Client, url: str) -> Response:
        host = self._host(url)
        with self._lock:
            gate = self._gates.setdefault(host, threading.Semaphore(self.polite.per_host))
        with gate:
            with self._lock:
                down = self._down.get(host)
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                if down is None:
                    self._next[host] = start + self.polite.delay
            if down is not None:
                raise FetchError(url, f"{down}; the host refused every attempt earlier in this run")
            if start > now:
                time.sleep(start - now)
            try:
                return client.get(url, conditional=False)
            except FetchError as exc:
                if exc.connect_failed and urlsplit(exc.url).netloc.lower() == host:
                    with self._lock:
                        self._down.setdefault(host, exc.reason)
                raise


@dataclass
class LinkReport:
    results: list[LinkResult]
    hashes: dict[str, str] = field(default_factory=dict)
    """Each 200 page's content hash, to keep for the next run."""

    @property
    def all_network_failures(self) -> bool:
        return bool(self.results) and all(r.verdict in NETWORK for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {str(v): 0 for v in Verdict}
        for r in self.results:
            out[str(r.verdict)] += 1
        out["changed"] = sum(r.changed for r in self.results)
        return out


def _check(
    client: Client, hosts: _Hosts, cited: CitedUrl, previous: Mapping[str, str]
) -> LinkResult:
    url = cited.url
    try:
        response = hosts.fetch(client, url)
    except FetchError as exc:
        if exc.kind == "refused":
            verdict = Verdict.REFUSED
        elif "timed out" in exc.reason:
            verdict = Verdict.TIMEOUT
        else:
            verdict = Verdict.UNREACHABLE
        return LinkResult(url, verdict, cited.places, message=exc.reason)
    final = response.final_url if response.redirects else None
    if response.status in (404, 410):
        return LinkResult(
            url,
            Verdict.GONE,
            cited.places,
            response.status,
            final,
            message=f"the server answered {response.status}",
        )
    if response.status != 200:
        return LinkResult(
            url,
            Verdict.ERROR,
            cited.places,
            response.status,
            final,
            message=f"the server answered {response.status}",
        )
    digest = hashlib.sha256(response.body).hexdigest()
    before = previous.get(normal_url(url))
    changed = before is not None and before != digest
    if response.redirects:
        first = response.redirects[0][0]
        return LinkResult(
            url,
            Verdict.REDIRECT,
            cited.places,
            first,
            final,
            changed,
            f"redirects ({first}) to {final}",
            content_hash=digest,
        )
    return LinkResult(
        url,
        Verdict.OK,
        cited.places,
        200,
        None,
        changed,
        "the page changed since the last check" if changed else "",
        content_hash=digest,
    )


def wayback_url(url: str, api: str = WAYBACK_API) -> str:
    return f"{api}?{urlencode({'url': url})}"


def closest_snapshot(
    client: Client, hosts: _Hosts, url: str, api: str
) -> tuple[str | None, str | None]:
    """The availability API's closest snapshot of ``url`` (an https address), or why not."""
    try:
        response = hosts.fetch(client, wayback_url(url, api))
    except FetchError as exc:
        return None, exc.reason
    if response.status != 200:
        return None, f"the archive answered {response.status}"
    try:
        data = response.json()
    except (UnicodeDecodeError, ValueError):
        return None, "the archive's answer is not valid JSON"
    closest = (
        (data.get("archived_snapshots") or {}).get("closest") if isinstance(data, dict) else None
    )
    if not isinstance(closest, dict) or not closest.get("available"):
        return None, None
    snapshot = closest.get("url")
    if not isinstance(snapshot, str) or not snapshot.isprintable() or " " in snapshot:
        return None, "the archive's answer has no usable address"
    parts = urlsplit(snapshot)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None, "the archive's answer is not an http(s) address"
    if parts.netloc.lower() in ("web.archive.org", "archive.org") and parts.scheme == "http":
        snapshot = "https" + snapshot[4:]
    return snapshot, None


def check_links(
    client: Client,
    urls: list[CitedUrl],
    previous: Mapping[str, str],
    polite: Politeness = Politeness(),
    archive_api: str | None = WAYBACK_API,
    advance: Callable[[str], None] = lambda url: None,
) -> LinkReport:
    """Every address checked (and looked up in the archive unless ``archive_api`` is None),
    results in the order given."""
    hosts = _Hosts(polite)

    def one(cited: CitedUrl) -> LinkResult:
        result = _check(client, hosts, cited, previous)
        if archive_api is not None:
            snapshot, error = closest_snapshot(client, hosts, cited.url, archive_api)
            result = replace(result, snapshot=snapshot, snapshot_error=error)
        advance(cited.url)
        return result

    with ThreadPoolExecutor(max_workers=max(1, polite.workers)) as pool:
        results = list(pool.map(one, urls))
    hashes = dict(previous)
    for r in results:
        if r.content_hash is not None:
            hashes[normal_url(r.url)] = r.content_hash
    return LinkReport(results, hashes)


def archive_edits(report: LinkReport) -> dict[str, list[FieldInsert]]:
    """``archive_url`` lines to add, by data file: every source citing an address the archive
    has a snapshot of and that records none yet."""
    from export_alignment.editing import FieldInsert

    edits: dict[str, list[FieldInsert]] = {}
    for r in report.results:
        if r.snapshot is None:
            continue
        for place in r.places:
            if place.archive_url is None:
                edits.setdefault(place.file, []).append(
                    FieldInsert(place.keypath, "url", "archive_url", r.snapshot)
                )
    return edits
