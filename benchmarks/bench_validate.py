"""Cold ``export-alignment validate`` against ``check-jsonschema`` on the same statements.

    python benchmarks/bench_validate.py [--repeats 5] [--sizes 1000 10000] [--out benchmarks/out]

For each dataset (1,000 and 10,000 statements, valid and with scattered errors) the two commands
run as fresh subprocesses, interleaved (A B A B ...), so both see the same machine load. Printed:
each median wall time and the ratio ours / check-jsonschema. Target (issue 2): at most 0.5 on
10,000 statements.

The two do not do the same work. ``export-alignment validate`` reads all three files and the
archived documents, types every record, runs the cross-file rules (references, dates, quotes)
and reports line and column. ``check-jsonschema`` checks statements.yaml alone against our
exported schema (``export-alignment schema``), so it sees only the schema errors.

Before timing, each command's exit code is checked once per dataset: both must exit 0 on a valid
dataset and 1 on one with errors, so a benchmark never times a command that failed to run (or a
schema check-jsonschema refused to load).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def tool(name: str) -> str:
    """A console script from this interpreter's environment, else from PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: pip install -e '.[bench]'")
    return found


def ensure_dataset(folder: Path, size: int, errors: bool, seed: int, force: bool) -> None:
    """Generate the dataset unless the folder already holds this generator's output for it."""
    recipe = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]
    stamp_text = f"{recipe} statements={size} errors={errors} seed={seed}\n"
    stamp = folder / "generated-with.txt"
    if force or not stamp.exists() or stamp.read_text() != stamp_text:
        generate(folder, size, errors=errors, seed=seed)
        stamp.write_text(stamp_text)


def run(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, done


def first_lines(text: str, n: int = 6) -> str:
    lines = text.strip().splitlines()
    more = f"\n    ... ({len(lines) - n} more lines)" if len(lines) > n else ""
    return "\n".join("    " + line for line in lines[:n]) + more


def check_exit(label: str, done: subprocess.CompletedProcess, expected: int) -> bool:
    if done.returncode == expected:
        return True
    print(f"  !! {label} exited {done.returncode}, expected {expected}:")
    print(first_lines(done.stdout + done.stderr, 12))
    return False


def interleaved(a: list[str], b: list[str], repeats: int, warmup: int) -> tuple[list, list]:
    times_a, times_b = [], []
    for i in range(warmup + repeats):
        ta, _ = run(a)
        tb, _ = run(b)
        if i >= warmup:
            times_a.append(ta)
            times_b.append(tb)
    return times_a, times_b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", "-r", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each first")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "out",
        help="where datasets and the exported schema are written",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--regenerate", action="store_true", help="rewrite the datasets even when they exist"
    )
    args = parser.parse_args(argv)

    ours, theirs = tool("export-alignment"), tool("check-jsonschema")
    schemas = args.out / "schemas"
    done = subprocess.run([ours, "schema", "-o", str(schemas)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"export-alignment schema failed:\n{done.stdout}{done.stderr}")
    schema = schemas / "statements.schema.json"
    versions = subprocess.run([theirs, "--version"], capture_output=True, text=True).stdout
    print(
        f"python {sys.version.split()[0]}; {versions.strip()}; {args.repeats} runs each "
        f"(+{args.warmup} warm-up), interleaved"
    )

    rows = []
    healthy = True
    for size in args.sizes:
        for errors in (False, True):
            folder = args.out / f"s{size}{'-errors' if errors else ''}"
            ensure_dataset(folder, size, errors, args.seed, args.regenerate)
            data = folder / "data"
            a = [ours, "validate", "--data", str(data), "--format", "text"]
            b = [theirs, "--schemafile", str(schema), str(data / "statements.yaml")]
            label = f"{size:,} statements, {'with errors' if errors else 'valid'}"
            print(f"\n{label}")
            expected = 1 if errors else 0
            _, da = run(a)
            _, db = run(b)
            ok = check_exit("export-alignment validate", da, expected)
            ok = check_exit("check-jsonschema", db, expected) and ok
            if errors:
                ours_found = sum(1 for line in da.stdout.splitlines() if ": error " in line)
                theirs_found = sum(
                    1 for line in db.stdout.splitlines() if line.startswith("  ") and "::$" in line
                )
                print(
                    f"  problems reported: export-alignment {ours_found} (all files, with "
                    f"line:column), check-jsonschema {theirs_found} (statements.yaml, schema "
                    f"only, JSONPath)"
                )
            if not ok:
                healthy = False
                print("  skipped: a command did not run as expected")
                continue
            times_a, times_b = interleaved(a, b, args.repeats, args.warmup)
            ma, mb = statistics.median(times_a), statistics.median(times_b)
            print(
                f"  export-alignment validate  median {ma:7.3f} s  "
                f"(runs: {', '.join(f'{t:.2f}' for t in times_a)})"
            )
            print(
                f"  check-jsonschema           median {mb:7.3f} s  "
                f"(runs: {', '.join(f'{t:.2f}' for t in times_b)})"
            )
            print(f"  ratio ours / check-jsonschema: {ma / mb:.2f}")
            rows.append((label, ma, mb, ma / mb, size))

    print("\nsummary (target: ratio <= 0.50 on 10,000 statements)")
    print(f"  {'dataset':<32} {'ours':>8} {'check-js':>9} {'ratio':>6}")
    for label, ma, mb, ratio, size in rows:
        mark = "" if size < 10000 else ("  ok" if ratio <= 0.5 else "  MISSED")
        print(f"  {label:<32} {ma:7.3f}s {mb:8.3f}s {ratio:6.2f}{mark}")
    missed = any(size >= 10000 and ratio > 0.5 for _l, _a, _b, ratio, size in rows)
    return 1 if missed or not healthy else 0


if __name__ == "__main__":
    sys.exit(main())
