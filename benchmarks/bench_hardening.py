"""Issue 15's costs: ``timeline`` and ``brief`` on 1,000 and 16,000 statements (F16), and quote
checking against a 10 MB archived document (F17).

    python benchmarks/bench_hardening.py [--src SRC] [--sizes 1000 16000] [--repeats 1]

Each run is a fresh ``python -m export_alignment`` process; ``--src`` puts another checkout's
``src`` first on the path (the "before" figures: ``--src ../old/src``). Printed: seconds per
command and size, the growth ratio from the smallest to the largest size, and the quote check's
seconds. Datasets come from ``generate.py`` (same seed, same bytes) in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(args: list[str], src: str | None) -> float:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "export_alignment", *args], capture_output=True, env=env
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{args[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return took


def generate(out: Path, statements: int) -> Path:
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(out), "--statements", str(statements)],
        check=True,
        capture_output=True,
    )
    _drop_scopeless_alignments(out / "data")
    return out / "data"


def _drop_scopeless_alignments(data: Path) -> None:
    """``generate.py`` predates scope items: some of its measures name, in ``aligns_with``, a US
    control that covers none of their items (``measure-scope`` errors, and a command that stops
    at validation would time nothing). Those references are dropped, so the data is valid."""
    done = subprocess.run(
        [sys.executable, "-m", "export_alignment", "validate", "--data", str(data), "-f", "json"],
        capture_output=True,
        text=True,
    )
    problems = json.loads(done.stdout)["problems"]
    bad = {p["line"] for p in problems if p["rule"] == "measure-scope"}
    path = data / "controls.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for n, line in enumerate(lines, 1) if n not in bad]
    for i, line in enumerate(kept):
        nxt = kept[i + 1] if i + 1 < len(kept) else ""
        if line.strip() == "aligns_with:" and not nxt.strip().startswith("- "):
            kept[i] = line + " []"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def quoted_document_dataset(out: Path, megabytes: int = 10, statements: int = 60) -> Path:
    """A small dataset whose quotes all point at one archived document of ``megabytes``."""
    data = generate(out, statements)
    words = [
        "the",
        "minister",
        "said",
        "talks",
        "on",
        "export",
        "controls",
        "were",
        "going",
        "well",
        "and",
        "would",
        "go",
        "on",
    ]
    body, n = [], 0
    while n < megabytes * 1024 * 1024:
        line = " ".join(words[(n + i) % len(words)] for i in range(12)) + ".\n"
        body.append(line)
        n += len(line)
    marker = "we will align our rules with those of our partners"
    body.insert(len(body) - 1, marker + ".\n")
    (out / "seeds" / "big.txt").write_text("".join(body), encoding="utf-8")
    lines = (data / "statements.yaml").read_text(encoding="utf-8").splitlines()
    out_lines: list[str] = []
    skip_deeper = None
    quoted = 0
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_deeper is not None and line.strip() and indent > skip_deeper:
            continue  # the rest of a folded quote
        skip_deeper = None
        stripped = line.strip()
        if stripped.startswith("quote:"):
            out_lines.append(" " * indent + f"quote: {marker}")
            skip_deeper = indent
            quoted += 1
        elif stripped.startswith(("document:", "- document:")):
            out_lines.append(line[: line.index("document:")] + "document: seeds/big.txt")
        else:
            out_lines.append(line)
    (data / "statements.yaml").write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    print(f"({quoted} quotes point at a {megabytes} MB document)")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", help="a checkout's src folder to time instead of this one")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 16000])
    parser.add_argument("--as-of", default="2026-06-01")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        timings: dict[str, dict[int, float]] = {"timeline": {}, "brief": {}}
        for size in args.sizes:
            data = generate(Path(tmp) / f"n{size}", size)
            for command in timings:
                took = run([command, "--data", str(data), "--as-of", args.as_of], args.src)
                timings[command][size] = took
                print(f"{command:9} {size:>6} statements: {took:7.2f} s", flush=True)
        small, large = min(args.sizes), max(args.sizes)
        for command, by_size in timings.items():
            ratio = by_size[large] / by_size[small]
            grew = large / small
            print(f"{command:9} growth {small}->{large}: x{ratio:.1f} (statements x{grew:.0f})")
        data = quoted_document_dataset(Path(tmp) / "quotes")
        took = run(["validate", "--data", str(data), "--format", "json"], args.src)
        print(f"validate, those quotes checked: {took:.2f} s")


if __name__ == "__main__":
    main()
