"""A local HTTP server on 127.0.0.1 (a thread of the test) that replays recorded responses: the
one server the watch and source-check tests, the workflow guide's test and the benchmark use.

A route is a path with its query (the query compared with its parameters in any order) and a
list of ``Answer``s served in turn (the last one repeats); a route given without a query
answers any query. ``{base}`` in a body becomes the
server's own address, so a recorded page's ``next_page_url`` leads back here, as does
``https://www.federalregister.gov`` in a body read from tests/recorded/. Every request is kept
(path, headers) for the tests to look at. Unknown paths get ``default`` (404 unless set)."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from world.shipped import REPO

FEDERAL_REGISTER = "https://www.federalregister.gov"


@dataclass
class Answer:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a timeout, or the benchmark's latency)."""
    when_header: tuple[str, str] | None = None
    """Served only when the request carries this header (name, value); else the next answer."""
    send_length: bool = True
    """False: no Content-Length; the body ends when the connection closes."""


def _key(path_and_query: str) -> str:
    parts = urlsplit(path_and_query)
    return parts.path + "?" + urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))


class ReplayServer:
    def __init__(self, default: Answer | None = None):
        self.routes: dict[str, list[Answer]] = {}
        self.served: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.default = default or Answer(404, b"not found")
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK wait per answer

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *answers: Answer) -> str:
        """Serve ``answers`` in turn at ``path`` (with its query); returns the full address."""
        self.routes[_key(path)] = list(answers)
        return self.url(path)

    def replay_recorded(self, folder: Path) -> None:
        """Serve a tests/recorded/ folder (its responses.json) at the same paths here."""
        for entry in json.loads((folder / "responses.json").read_text(encoding="utf-8")):
            parts = urlsplit(entry["url"])
            body = (folder / entry["body_file"]).read_bytes() if "body_file" in entry else b""
            self.route(
                parts.path + ("?" + parts.query if parts.query else ""),
                Answer(entry.get("status", 200), body, dict(entry.get("headers", {}))),
            )

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request made to ``path`` (query ignored when it has none)."""
        want = _key(path)
        return [
            h
            for p, h in self.requests
            if _key(p) == want or (("?" not in path) and urlsplit(p).path == path)
        ]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        key = _key(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append((handler.path, headers))
            answers = self.routes.get(key)
            if answers is None:  # a route given without a query answers any query
                key = urlsplit(handler.path).path + "?"
                answers = self.routes.get(key)
            if answers is None:
                answer = self.default
            else:
                start = self.served.get(key, 0)
                answer, index = answers[-1], len(answers) - 1
                for i in range(start, len(answers)):
                    cond = answers[i].when_header
                    if cond is None or headers.get(cond[0].lower()) == cond[1]:
                        answer, index = answers[i], i
                        break
                self.served[key] = min(index + 1, len(answers) - 1)
        if answer.delay:
            time.sleep(answer.delay)
        body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
        body = body.replace(b"{base}", self.base.encode()).replace(
            FEDERAL_REGISTER.encode(), self.base.encode()
        )
        try:
            handler.send_response(answer.status)
            sent = {k.lower() for k in answer.headers}
            for name, value in answer.headers.items():
                handler.send_header(name, value.replace("{base}", self.base))
            if not answer.send_length:
                handler.send_header("Connection", "close")
                handler.close_connection = True
            elif "content-length" not in sent:
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if answer.status != 304:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


_URL_VALUE = re.compile(r"(?m)^(\s*(?:- )?url: (?:>-\n\s+)?)https?://(\S+)")


def local_copy(tmp_path: Path, base: str) -> Path:
    """A copy of the shipped record (data/ and seeds/ under ``tmp_path/record``) with every source
    address moved to the local server at ``base`` (its path kept under /site/), so a check of it
    leaves this machine for nothing; returns its data folder."""
    from export_alignment.checks import validate
    from export_alignment.sources_check import cited_urls

    root = tmp_path / "record"
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "data").mkdir(parents=True)
    for name in ("actors", "controls", "statements"):
        text = (REPO / "data" / f"{name}.yaml").read_text(encoding="utf-8")
        text = _URL_VALUE.sub(lambda m: f"{m.group(1)}{base}/site/{m.group(2)}", text)
        (root / "data" / f"{name}.yaml").write_text(text, encoding="utf-8")
    dataset = validate(root / "data").dataset
    assert all(c.url.startswith(base) for c in cited_urls(dataset)), "no real address is left"
    return root / "data"
