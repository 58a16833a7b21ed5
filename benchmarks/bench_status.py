"""Cold ``export-alignment status`` on the shipped data against importing its libraries.

    python benchmarks/bench_status.py [--repeats 10] [--data data]

The baseline is ``python -c "import typer, rich.table, pydantic, ruamel.yaml"``: the least any
command built on these libraries can cost. The third command is the typer peer
(``typer_peer.py status --data DIR``): a do-nothing typer app declaring a ``status`` command with
our status's options (names and annotation types), which prints one line: what typer itself costs
(import, click tree, option parsing) before any work. All three run as fresh subprocesses,
interleaved (A B C A B C ...). Printed: the three medians, the ratio status / imports (the
target's), and status / peer and peer / imports. Target (issue 16): status / imports at most 1.5
(issue 3 asked 2.0); the peer alone is above it, so the target cannot be met while status parses
its options through typer.

Until the ``status`` command exists, the script times ``validate`` on the same data instead and
says so: status loads and validates the record before scoring it, so validate is its floor.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import check_exit, run, tool  # noqa: E402

BASELINE = "import typer, rich.table, pydantic, ruamel.yaml"
TARGET = 1.5


def has_command(exe: str, name: str) -> bool:
    done = subprocess.run([exe, name, "--help"], capture_output=True, text=True)
    return done.returncode == 0


def interleaved(commands: list[list[str]], repeats: int, warmup: int) -> list[list[float]]:
    """Wall seconds of each command's timed runs, the commands run in turn (A B C A B C ...)."""
    times: list[list[float]] = [[] for _ in commands]
    for i in range(warmup + repeats):
        for cmd, runs in zip(commands, times, strict=True):
            seconds, _ = run(cmd)
            if i >= warmup:
                runs.append(seconds)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", "-r", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--data",
        type=Path,
        default=HERE.parent / "data",
        help="data folder (default: the repository's shipped record)",
    )
    args = parser.parse_args(argv)

    ours = tool("export-alignment")
    command = "status"
    if not has_command(ours, "status"):
        command = "validate"
        print(
            "note: this build has no 'status' command yet; timing 'validate' on the same data "
            "instead (status validates the record before scoring it, so this is its floor). "
            "Rerun once 'status' exists."
        )
    a = [ours, command, "--data", str(args.data)]
    b = [sys.executable, "-c", BASELINE]
    c = [sys.executable, str(HERE / "typer_peer.py"), "status", "--data", str(args.data)]
    labels = [f"export-alignment {command}", "imports (baseline)", "typer peer"]
    for label, cmd in zip(labels, (a, b, c), strict=True):
        _, done = run(cmd)
        if not check_exit(label, done, 0):
            return 1
    print(
        f"python {sys.version.split()[0]}; {args.repeats} runs each (+{args.warmup} warm-up), "
        "interleaved"
    )
    times = interleaved([a, b, c], args.repeats, args.warmup)
    ma, mb, mc = (statistics.median(t) for t in times)
    for label, runs, median in zip(labels, times, (ma, mb, mc), strict=True):
        listed = ", ".join(f"{t:.2f}" for t in runs)
        print(f"  {label:<28} median {median:6.3f} s  (runs: {listed})")
    ratio = ma / mb
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(
        f"  ratio {command} / imports: {ratio:.2f} (target <= {TARGET}: {verdict})"
        + ("" if command == "status" else " [fallback: validate, not status]")
    )
    print(f"  ratio {command} / typer peer: {ma / mc:.2f}")
    print(f"  ratio typer peer / imports: {mc / mb:.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
