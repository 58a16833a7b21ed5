"""Cold ``export-alignment validate`` against ``check-jsonschema`` and the parser's own floor.

    python benchmarks/bench_validate.py [--repeats 5] [--sizes 1000 10000] [--out benchmarks/out]

For each dataset (1,000 and 10,000 statements by default, valid and with scattered errors) three
commands run as fresh subprocesses, interleaved (A B C A B C ...), so all see the same machine
load: A ``export-alignment validate``; B ``check-jsonschema``; C the libyaml event walk of the
same three data files (``python benchmarks/walk.py DIR``: every event made, nothing built), the
least any reader of these files through libyaml can cost. Printed: each median wall time and
peak memory (RSS), and the ratios A / B and A / C. Targets (issue 16): A / C <= 2.5 and
A / B <= 0.15, at 10,000 and 100,000 statements; peak memory of A at 100,000 <= 400 MB.

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
import os
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


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped by wait4
    return time.perf_counter() - start, usage.ru_maxrss / 1024


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
    parser.add_argument(
        "--valid-only", action="store_true", help="skip the datasets with planted errors"
    )
    parser.add_argument(
        "--skip-check-jsonschema",
        action="store_true",
        help="time validate against the event walk only (check-jsonschema takes minutes at 100k)",
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
        for errors in (False,) if args.valid_only else (False, True):
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
            c = [sys.executable, str(HERE / "walk.py"), str(data)]
            commands = {"validate": a, "check-jsonschema": b, "event walk": c}
            if args.skip_check_jsonschema:
                del commands["check-jsonschema"]
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
            for i in range(args.warmup + args.repeats):
                for name, cmd in commands.items():
                    result = measure(cmd)
                    if i >= args.warmup:
                        runs[name].append(result)
            med = {n: statistics.median(t for t, _ in r) for n, r in runs.items()}
            rss = {n: statistics.median(m for _, m in r) for n, r in runs.items()}
            for name, r in runs.items():
                print(
                    f"  {name:<18} median {med[name]:7.3f} s  peak {rss[name]:7.1f} MB  "
                    f"(runs: {', '.join(f'{t:.2f}' for t, _ in r)})"
                )
            vs_walk = med["validate"] / med["event walk"]
            vs_cj = med["validate"] / med["check-jsonschema"] if "check-jsonschema" in med else None
            print(
                f"  ratio validate / event walk: {vs_walk:.2f}"
                + ("" if vs_cj is None else f"; validate / check-jsonschema: {vs_cj:.3f}")
            )
            rows.append((label, med, rss, vs_walk, vs_cj, size))

    print(
        "\nsummary (targets from 10,000 statements: validate / walk <= 2.5, validate / "
        "check-jsonschema <= 0.15; peak of validate at 100,000 <= 400 MB)"
    )
    print(
        f"  {'dataset':<32} {'ours':>8} {'walk':>8} {'check-js':>9} {'/walk':>6} {'/cj':>6} "
        f"{'MB':>6}"
    )
    missed = False
    for label, med, rss, vs_walk, vs_cj, size in rows:
        miss = size >= 10000 and (
            vs_walk > 2.5
            or (vs_cj is not None and vs_cj > 0.15)
            or (size >= 100000 and rss["validate"] > 400)
        )
        missed = missed or miss
        cj = med.get("check-jsonschema")
        print(
            f"  {label:<32} {med['validate']:7.3f}s {med['event walk']:7.3f}s "
            + (f"{cj:8.3f}s" if cj is not None else f"{'-':>9}")
            + f" {vs_walk:6.2f} "
            + (f"{vs_cj:6.3f}" if vs_cj is not None else f"{'-':>6}")
            + f" {rss['validate']:6.0f}"
            + ("" if size < 10000 else ("  MISSED" if miss else "  ok"))
        )
    return 1 if missed or not healthy else 0


if __name__ == "__main__":
    sys.exit(main())
