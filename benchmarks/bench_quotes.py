"""Quote checking against one large archived document: 200 statements, each quoting a different
one-word fragment that occurs inside the document's words a million times but never as a whole
word (the costliest quote to refute), all citing one document of 16 MB (the size limit).

    python benchmarks/bench_quotes.py [--src SRC] [--megabytes 16] [--quotes 200]

Times ``validate --format json`` in a fresh process (``--src`` puts another checkout's ``src``
first on the path: the "before" figure) and prints seconds and peak memory (the child's maximum
resident set). The dataset is made by ``generate.py`` in a temporary folder.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = ["the", "minister", "said", "talks", "on", "export", "controls", "were", "going", "well"]


def fragments(count: int) -> list[str]:
    """Distinct pieces of the document's words that cut each word at both ends."""
    out = []
    for word in WORDS:
        for i, j in itertools.combinations(range(1, len(word)), 2):
            out.append(word[i:j])
    out = [f for f in dict.fromkeys(out) if len(f) >= 1 and f not in WORDS]
    while len(out) < count:  # pairs of fragments, still inside words
        out += [a + b for a, b in itertools.product(out[:20], out[:20]) if a + b not in out]
    return out[:count]


def dataset(out: Path, megabytes: int, quotes: int) -> Path:
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(out), "--statements", str(quotes)],
        check=True,
        capture_output=True,
    )
    line = " ".join(WORDS) + ".\n"
    (out / "seeds" / "big.txt").write_text(line * (megabytes * 1024 * 1024 // len(line)))
    data = out / "data"
    lines = (data / "statements.yaml").read_text(encoding="utf-8").splitlines()
    quoted, skip_deeper, new = iter(fragments(quotes)), None, []
    for text in lines:
        indent = len(text) - len(text.lstrip())
        if skip_deeper is not None and text.strip() and indent > skip_deeper:
            continue  # the rest of a folded quote
        skip_deeper = None
        stripped = text.strip()
        if stripped.startswith(("quote:", "document:")):
            skip_deeper = indent
            continue
        new.append(text)
        if stripped.startswith("stance:"):
            new.append(" " * indent + f"quote: {next(quoted)}")
        elif stripped == "source:":
            new.append(" " * (indent + 2) + "document: seeds/big.txt")
    (data / "statements.yaml").write_text("\n".join(new) + "\n", encoding="utf-8")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src")
    parser.add_argument("--megabytes", type=int, default=16)
    parser.add_argument("--quotes", type=int, default=200)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    with tempfile.TemporaryDirectory() as tmp:
        data = dataset(Path(tmp), args.megabytes, args.quotes)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "export_alignment", "validate", "--data", str(data), "-f"]
            + ["json"],
            capture_output=True,
            env=env,
        )
        took = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    problems = json.loads(done.stdout)["problems"]
    refuted = [p for p in problems if p["rule"] == "quote-not-in-document"]
    print(
        f"{args.quotes} quotes, {args.megabytes} MB document: {took:.2f} s, peak {peak:.0f} MB, "
        f"exit {done.returncode}, {len(refuted)} quote-not-in-document problems listed"
    )


if __name__ == "__main__":
    main()
