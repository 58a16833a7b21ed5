"""``sources check`` on 150 cited addresses answered by local servers after 50 ms each: concurrent
(8 workers, at most 2 at once to one host) against one request at a time (issue 25).

    python benchmarks/bench_sources_check.py [--urls 150] [--latency 0.05] [--repeats 3]
    python benchmarks/bench_sources_check.py --one concurrent   # one run, for an outside timer
    python benchmarks/bench_sources_check.py --one serial

The addresses are spread over five loopback hosts (127.0.0.1 to 127.0.0.5, one threaded server
each, nothing leaves the machine), 30 an address each, so the per-host limit binds as it does on
the real record (many addresses on a few hosts). No archive lookups, no cache, no delay between
requests to a host (``--delay 0``): the figures are the fetching alone. Each run builds its own
servers and record in a temporary folder, then runs the command in-process; printed: the seconds
of each run of the command, the medians and the ratio serial / concurrent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOSTS = [f"127.0.0.{i}" for i in range(1, 6)]
MODES = {
    "concurrent": ["--workers", "8", "--per-host", "2"],
    "serial": ["--workers", "1", "--per-host", "1"],
}


def serve(latency: float) -> list[ThreadingHTTPServer]:
    class Slow(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            time.sleep(latency)
            body = f"page {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    servers = []
    for host in HOSTS:
        server = ThreadingHTTPServer((host, 0), Slow)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def write_record(root: Path, urls: list[str]) -> Path:
    data = root / "data"
    data.mkdir(parents=True)
    (data / "actors.yaml").write_text(
        "actors:\n"
        "  - {id: us, name: United States, kind: state, role: initiator}\n"
        "  - {id: jp, name: Japan, kind: state, role: ally}\n"
        "  - {id: cn, name: China, kind: state, role: target}\n"
        "  - {id: minister, name: A Minister, kind: person, represents: jp, title: Minister}\n",
        encoding="utf-8",
    )
    (data / "controls.yaml").write_text(
        "controls:\n"
        "  - id: us-rule\n    issuer: us\n    title: A rule\n    kind: rule\n    target: cn\n"
        "    scope: [advanced-computing-chips]\n    announced: 2022-10-07\n"
        "    source:\n      title: A rule\n      citation: 87 FR 62186\n",
        encoding="utf-8",
    )
    lines = ["statements:"]
    for i, url in enumerate(urls):
        lines += [
            f"  - id: s{i}",
            "    date: 2023-01-13",
            "    speaker: minister",
            "    about: [jp]",
            "    controls: [us-rule]",
            "    signal: talks",
            "    stance: neutral",
            f"    summary: Statement {i}.",
            "    source:",
            f"      url: {url}",
            "      publisher: A paper",
            "      published: 2023-01-14",
            "      tier: on_record",
        ]
    (data / "statements.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def one_run(mode: str, count: int, latency: float) -> float:
    """Seconds the command took, servers and record built first (not timed)."""
    from typer.testing import CliRunner

    from export_alignment.cli.app import app

    servers = serve(latency)
    try:
        urls = [
            f"http://{HOSTS[i % len(HOSTS)]}:{servers[i % len(HOSTS)].server_address[1]}/p/{i}"
            for i in range(count)
        ]
        with tempfile.TemporaryDirectory() as folder:
            data = write_record(Path(folder), urls)
            args = ["sources", "check", "--data", str(data), "--no-archive", "--no-cache"]
            args += ["--delay", "0", "--today", "2026-12-07", *MODES[mode]]
            start = time.perf_counter()
            result = CliRunner().invoke(app, args)
            took = time.perf_counter() - start
            if result.exit_code != 0 or f"{count} ok" not in result.output:
                sys.exit(f"{mode} failed ({result.exit_code}): {result.output[-500:]}")
            return took
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=150)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", choices=list(MODES))
    args = parser.parse_args()
    if args.one:
        print(f"{args.one}: {one_run(args.one, args.urls, args.latency):.2f} s")
        return 0
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    for _ in range(args.repeats):
        for mode in MODES:  # interleaved: both see the same load
            times[mode].append(one_run(mode, args.urls, args.latency))
    for mode, runs in times.items():
        shown = ", ".join(f"{t:.2f}" for t in runs)
        print(f"{mode:>10}: median {statistics.median(runs):.2f} s ({shown})")
    ratio = statistics.median(times["serial"]) / statistics.median(times["concurrent"])
    print(f"serial / concurrent: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
