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
    if done.returncode not in (0, 1):
        sys.exit(f"{args[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return took


def generate(out: Path, statements: int) -> Path:
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(out), "--statements", str(statements)],
        check=True,
        capture_output=True,
    )
    return out / "data"


def quoted_document_dataset(out: Path, megabytes: int = 10, quotes: int = 20) -> Path:
    """A small dataset whose quotes all point at one archived document of ``megabytes``."""
    data = generate(out, 40)
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
    text = (data / "statements.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    out_lines, done = [], 0
    for line in lines:
        if line.strip().startswith("quote:") or line.strip().startswith("document:"):
            continue
        out_lines.append(line)
        if line.strip().startswith("source:") and done < quotes:
            indent = line[: len(line) - len(line.lstrip())]
            out_lines.append(f"{indent}  document: seeds/big.txt")
            out_lines.insert(len(out_lines) - 2, f"{indent}quote: {marker}")
            done += 1
    (data / "statements.yaml").write_text("\n".join(out_lines) + "\n", encoding="utf-8")
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
        print(f"validate with 20 quotes in a 10 MB archived document: {took:.2f} s")


if __name__ == "__main__":
    main()
