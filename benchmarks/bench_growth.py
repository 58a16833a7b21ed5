"""How every command grows with the record: time and peak memory at 1,000, 10,000 and 100,000
statements of the real record's shape (``generate.py``, as ``bench_hardening.py`` prepares it),
and the exponent per 10x (log10 of the ratio between two sizes a decade apart: 1.0 is linear).

    python benchmarks/bench_growth.py [--sizes 1000 10000 100000] [--repeats 1] [--out DIR]
        [--only validate status ...]

Each run is a fresh ``python -m export_alignment`` process; its CPU seconds (user + system) and
peak memory (RSS) come from ``wait4``, the wall seconds from a monotonic clock. CPU seconds are
what the exponent is taken from: on a shared machine they move less than wall time. The
median of ``--repeats`` runs is printed. ``add`` appends one statement to a fresh copy of the
statements file (the copy is made before the clock starts); ``diff`` compares the working tree
(one statement added) with the commit of the generated record. The answer cache is off
(``EXPORT_ALIGNMENT_NO_CACHE=1``): the table is about the work. Output: a Markdown table for
``benchmarks/README.md``; an exponent above 1.15 per decade is marked ``!``.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_hardening import generate  # noqa: E402

AS_OF = "2026-06-01"
ADDED = [
    "--id",
    "s-growth-added",
    "--date",
    "2024-04-18",
    "--speaker",
    "SPEAKER",
    "--about",
    "tw",
    "--controls",
    "us-2022-10-package-1",
    "--signal",
    "talks",
    "--stance",
    "neutral",
    "--summary",
    "Taiwan said it is reviewing the rules.",
    "--url",
    "https://news.example.com/2024/04/growth",
    "--publisher",
    "Nikkei Asia",
    "--published",
    "2024-04-18",
    "--tier",
    "on_record",
    "--kind",
    "newspaper",
]


def commands(data: Path, scratch: Path) -> dict[str, tuple[list[str], Callable[[], None]]]:
    """Each command's arguments and what to prepare before its clock starts."""
    d = ["--data", str(data)]
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    statements = data / "statements.yaml"
    pristine = data.parent / "statements.yaml.committed"

    def fresh_statements() -> None:
        shutil.copyfile(pristine, statements)

    def one_added() -> None:
        fresh_statements()
        subprocess.run(
            [sys.executable, "-m", "export_alignment", "add", "statement", *d, *added],
            check=True,
            capture_output=True,
        )

    def clear(path: Path) -> Callable[[], None]:
        def go() -> None:
            fresh_statements()
            shutil.rmtree(path, ignore_errors=True)

        return go

    speaker = next(
        line.split(":", 1)[1].strip()
        for line in pristine.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("speaker:")
    )
    added = [speaker if a == "SPEAKER" else a for a in ADDED]
    at = ["--as-of", AS_OF]
    return {
        "validate": (["validate", *d], fresh_statements),
        "status": (["status", *d, *at], fresh_statements),
        "explain": (["explain", "jp", *d, *at], fresh_statements),
        "timeline": (["timeline", *d], fresh_statements),
        "brief": (["brief", *d, *at], fresh_statements),
        "site": (["site", "-o", str(scratch / "site"), *d, *at], clear(scratch / "site")),
        "export json": (
            ["export", "-f", "json", "-o", str(scratch / "x.json"), *d, *at],
            clear(scratch / "x.json"),
        ),
        "export csv": (
            ["export", "-f", "csv", "-o", str(scratch / "csv"), *d, *at],
            clear(scratch / "csv"),
        ),
        "export sqlite": (
            ["export", "-f", "sqlite", "-o", str(scratch / "x.sqlite"), *d, *at],
            clear(scratch / "x.sqlite"),
        ),
        "diff": (["diff", "HEAD", *d, *at], one_added),
        "add": (["add", "statement", *d, *added], fresh_statements),
        "list": (["list", "statements", *d], fresh_statements),
        "_": ([], nothing),
    }


def measure(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak RSS (MB) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "export_alignment", *args],
        cwd=cwd,
        env={**os.environ, "EXPORT_ALIGNMENT_NO_CACHE": "1"},  # the work, not the answer cache
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed ({proc.returncode}): {err.decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def prepare(out: Path, size: int) -> Path:
    """The generated record at ``size`` in its own git repository (for ``diff``)."""
    root = out / f"growth-{size}"
    data = root / "data"
    if not (root / "statements.yaml.committed").exists():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, size)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "data", "seeds"], check=True)
        subprocess.run([*git, "commit", "-qm", "generated"], check=True)
        shutil.copyfile(data / "statements.yaml", root / "statements.yaml.committed")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--only", nargs="*", help="these commands only")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[int, tuple[float, float, float]]] = {}
    for size in args.sizes:
        data = prepare(args.out, size)
        scratch = args.out / f"growth-{size}-scratch"
        scratch.mkdir(exist_ok=True)
        for name, (cmd, before) in commands(data, scratch).items():
            if name == "_" or (args.only and name not in args.only):
                continue
            runs = []
            for _ in range(args.repeats):
                before()
                runs.append(measure(cmd, data.parent))
            cpu = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            peak = statistics.median(r[2] for r in runs)
            results.setdefault(name, {})[size] = (cpu, wall, peak)
            print(f"{name:14} {size:>7,}  cpu {cpu:8.2f} s  wall {wall:8.2f} s  {peak:7.0f} MB")
            sys.stdout.flush()
        shutil.copyfile(data.parent / "statements.yaml.committed", data / "statements.yaml")
    sizes = args.sizes
    head = " | ".join(f"{s:,}: cpu s / MB" for s in sizes)
    steps = [f"x10 {a:,}->{b:,}" for a, b in zip(sizes, sizes[1:], strict=False)]
    print(f"\n| command | {head} | " + " | ".join(steps) + " |")
    print("|---" * (1 + len(sizes) + len(steps)) + "|")
    for name, by_size in results.items():
        cells = [
            f"{by_size[s][0]:.2f} / {by_size[s][2]:.0f}" if s in by_size else "-" for s in sizes
        ]
        exps = []
        for a, b in zip(sizes, sizes[1:], strict=False):
            if a in by_size and b in by_size:
                decades = math.log10(b / a)
                t = math.log10(by_size[b][0] / by_size[a][0]) / decades
                m = math.log10(by_size[b][2] / by_size[a][2]) / decades
                mark = " !" if t > 1.15 else ""
                exps.append(f"time {t:.2f}{mark}, memory {m:.2f}")
            else:
                exps.append("-")
        print(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(exps) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
