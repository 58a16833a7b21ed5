"""Fetching pages politely and safely: the one HTTP client ``watch`` and ``sources check`` use.

What it promises:

- only ``http`` and ``https`` addresses are fetched, and a redirect to any other scheme (``file:``,
  ``ftp:``, ``javascript:``) is refused, not followed; at most ``MAX_REDIRECTS`` hops;
- every request names the tool (``User-Agent: export-alignment/VERSION``) and has connect and read
  timeouts; a body larger than ``max_bytes`` is refused while it is read (a ``Content-Length`` over
  the cap before a byte is read), so a hostile server costs at most that much memory;
- 429 and 503 are retried (``retries`` times) after the wait ``Retry-After`` asks for, capped at
  ``max_wait`` seconds, else after a doubling back-off; a refused connection is retried the same
  way, a timeout is not (a slow server stays slow);
- with a ``Cache``, a page fetched before is asked for conditionally (``If-None-Match`` /
  ``If-Modified-Since``) and a 304 answer is served from the cache;
- with ``offline``, nothing is fetched: answers come from a folder of saved responses
  (``responses.json``, see ``Replay``), which is what the tests and a reviewer use.

Every failure is a ``FetchError`` naming the address and saying what went wrong in words, for the
caller to report per source while it carries on with the others.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from export_alignment import __version__

USER_AGENT = f"export-alignment/{__version__} (record curation; python-httpx)"
MAX_REDIRECTS = 5
SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class WebLimits:
    """How long to wait and how much to take from one server."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    retries: int = 2
    """Further attempts after a 429, a 503 or a refused connection."""
    max_wait: float = 60.0
    """The longest wait between attempts, whatever ``Retry-After`` asks."""
    backoff: float = 1.0
    """The first wait when the server names none; it doubles on each attempt."""


class FetchError(Exception):
    """One address could not be fetched; ``kind`` is ``network`` (no answer: refused, timed out,
    DNS), ``http`` (an error status), ``refused`` (we would not follow or read it) or ``offline``
    (no saved response). The message is words for a person."""

    def __init__(
        self,
        url: str,
        message: str,
        kind: str = "network",
        status: int | None = None,
        connect_failed: bool = False,
    ):
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.kind = kind
        self.status = status
        self.connect_failed = connect_failed
        """No connection at all (refused, DNS) after every retry."""


@dataclass(frozen=True)
class Response:
    """A page as fetched: the last address in its redirect chain and what it answered."""

    url: str
    """The address asked for."""
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    final_url: str = ""
    redirects: tuple[tuple[int, str], ...] = ()
    """Each hop: the status that redirected and the address it led to."""
    from_cache: bool = False

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def check_scheme(url: str) -> None:
    """Refuse (``FetchError``) an address that is not http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        shown = parts.scheme or "no scheme"
        raise FetchError(url, f"only http(s) addresses are fetched, not {shown}", "refused")


def normal_url(url: str) -> str:
    """An address as a key: scheme and host lower-cased, query parameters sorted, no fragment."""
    parts = urlsplit(url.strip())
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    return None


# --- the cache ---------------------------------------------------------------------------------


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/export-alignment``, else ``~/.cache/export-alignment``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "export-alignment"


def _strings(value: object) -> dict[str, str] | None:
    """``value`` when it is a JSON object of strings (as the cache writes them), else None."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value


class Cache:
    """Pages fetched before, one JSON file of validators and one file of bytes per address
    (named by a hash of it), and small named state files (the last run, page hashes). Written
    atomically; a file that cannot be read or parsed is treated as absent."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _key(self, url: str) -> str:
        return hashlib.sha256(normal_url(url).encode("utf-8")).hexdigest()[:32]

    def _write(self, name: str, data: bytes) -> None:
        from export_alignment.atomic import write_atomic
        from export_alignment.errors import ExportAlignmentError

        with contextlib.suppress(OSError, ExportAlignmentError):  # a cache is optional
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / name, data)

    def get(self, url: str) -> tuple[dict[str, str], bytes] | None:
        """The validators kept for ``url`` (``etag``, ``last-modified``) and its body, or None
        when nothing usable is kept."""
        key = self._key(url)
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            body = (self.folder / f"{key}.body").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != normal_url(url):
            return None
        validators = _strings(meta.get("headers", {}))
        return None if validators is None else (validators, body)

    def put(self, url: str, response: Response) -> None:
        validators = {
            k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers
        }
        if not validators or response.status != 200:
            return
        key = self._key(url)
        self._write(f"{key}.body", response.body)
        meta = {"url": normal_url(url), "status": response.status, "headers": validators}
        self._write(f"{key}.json", json.dumps(meta).encode("utf-8"))

    def state(self, name: str) -> dict[str, str]:
        """A named state file (``watch-state``: each source's last run; ``pages``: each page's
        hash), empty when absent, unreadable or not a JSON object of strings."""
        try:
            value = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return _strings(value) or {}

    def save_state(self, name: str, value: Mapping[str, str]) -> None:
        self._write(f"{name}.json", json.dumps(value, indent=1, sort_keys=True).encode("utf-8"))


# --- offline replay ------------------------------------------------------------------------------


class Replay:
    """Saved responses: ``DIR/responses.json`` is a list of ``{"url", "status", "headers",
    "body_file"}`` (``body_file`` relative to DIR, or ``"body"`` as text); an address is matched
    with its query parameters in any order."""

    def __init__(self, folder: Path):
        self.folder = folder
        manifest = folder / "responses.json"
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ValueError(f"cannot read {manifest} ({exc.strerror})") from None
        except ValueError as exc:
            raise ValueError(f"{manifest} is not valid JSON ({exc})") from None
        if not isinstance(entries, list):
            raise ValueError(f"{manifest} should hold a list of saved responses")
        self.entries: dict[str, dict[str, Any]] = {}  # JSON as written, read as needed
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                self.entries[normal_url(entry["url"])] = entry

    def get(self, url: str) -> Response:
        entry = self.entries.get(normal_url(url))
        if entry is None:
            raise FetchError(url, f"no saved response in {self.folder}", "offline")
        if "body_file" in entry:
            try:
                body = (self.folder / str(entry["body_file"])).read_bytes()
            except OSError as exc:
                raise FetchError(
                    url, f"saved body unreadable ({exc.strerror})", "offline"
                ) from None
        else:
            body = str(entry.get("body", "")).encode("utf-8")
        headers = {str(k).lower(): str(v) for k, v in dict(entry.get("headers") or {}).items()}
        return Response(url, int(entry.get("status", 200)), body, headers, url)


# --- the client ----------------------------------------------------------------------------------


class Client:
    """One HTTP client for a run (thread-safe: ``sources check`` shares it between workers)."""

    def __init__(
        self,
        limits: WebLimits = WebLimits(),
        cache: Cache | None = None,
        offline: Replay | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.limits = limits
        self.cache = cache
        self.offline = offline
        self.sleep = sleep
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(
                limits.read_timeout, connect=limits.connect_timeout, pool=limits.read_timeout
            ),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, conditional: bool = True) -> Response:
        """The page at ``url``, redirects followed (to http(s) only); ``FetchError`` on failure.
        An error status (4xx, 5xx) is returned, not raised: callers say what it means. With
        ``conditional`` (and a cache) the page is asked for with the cached validators and
        cached; without, it is fetched afresh and not cached (``sources check``, whose workers
        share the client)."""
        check_scheme(url)
        if self.offline is not None:
            return self.offline.get(url)
        cached = self.cache.get(url) if (self.cache is not None and conditional) else None
        current, hops = url, []
        for _ in range(MAX_REDIRECTS + 1):
            headers = {}
            if cached is not None and current == url:
                validators = cached[0]
                if "etag" in validators:
                    headers["If-None-Match"] = validators["etag"]
                if "last-modified" in validators:
                    headers["If-Modified-Since"] = validators["last-modified"]
            status, got, body = self._attempts(current, headers)
            if status in (301, 302, 303, 307, 308) and "location" in got:
                target = urljoin(current, got["location"])
                scheme = urlsplit(target).scheme.lower()
                if scheme not in SCHEMES:
                    raise FetchError(
                        url,
                        f"redirected to a {scheme or 'relative'}: address, not followed",
                        "refused",
                    )
                hops.append((status, target))
                current = target
                continue
            if status == 304 and cached is not None:
                validators, body = cached
                return Response(url, 200, body, validators, current, (), True)
            response = Response(url, status, body, got, current, tuple(hops))
            if self.cache is not None and conditional and not hops:
                self.cache.put(url, response)
            return response
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", "refused")

    def _attempts(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One request with its retries: status, headers (lower-cased) and body."""
        limits = self.limits
        for attempt in range(limits.retries + 1):
            last = attempt == limits.retries
            try:
                status, got, body = self._once(url, headers)
            except httpx.ConnectError as exc:
                if last:
                    raise FetchError(
                        url, f"could not connect ({_reason(exc)})", connect_failed=True
                    ) from None
                self.sleep(min(limits.max_wait, limits.backoff * 2**attempt))
                continue
            if status in (429, 503) and not last:
                asked = retry_after(got.get("retry-after"))
                wait = limits.backoff * 2**attempt if asked is None else asked
                self.sleep(min(limits.max_wait, wait))
                continue
            return status, got, body
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        cap = self.limits.max_bytes
        try:
            with self._http.stream("GET", url, headers=headers) as r:
                got = {k.lower(): v for k, v in r.headers.items()}
                length = got.get("content-length", "")
                if length.isdigit() and int(length) > cap:
                    raise FetchError(
                        url, f"the answer is {int(length):,} bytes; the limit is {cap:,}", "refused"
                    )
                return r.status_code, got, b"".join(_capped(r.iter_bytes(), url, cap))
        except httpx.TimeoutException as exc:
            kind = (
                "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for an answer"
            )
            raise FetchError(url, f"timed out {kind}") from None
        except httpx.ConnectError:
            raise
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, f"the connection failed ({_reason(exc)})") from None


def _capped(chunks: Iterator[bytes], url: str, cap: int) -> Iterator[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > cap:
            raise FetchError(
                url, f"the answer is larger than the limit of {cap:,} bytes", "refused"
            )
        yield chunk


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
