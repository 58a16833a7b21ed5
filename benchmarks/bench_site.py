"""Cold ``export-alignment site`` against ``export-alignment brief`` on the same data (issue 14).

    python benchmarks/bench_site.py [--repeats 5] [--sizes 1000 10000] [--regenerate]

For the shipped record and for synthetic records of 1,000 and 10,000 statements (made by
``generate.py``), times ``site -o DIR`` and ``brief -o FILE`` as fresh subprocesses, interleaved,
both as of one date, and prints the medians and the ratio site / brief. Both derive every ally's
stage and its transitions over time; the site also asks for the transitions per control, per scope
item and per pair (the charts and the ``stages`` table) and for the flags on each day one can
change (the feed), and renders every page and the downloads (JSON, CSV, SQLite). For the shipped
record it also prints the site's page count and total size. No target: the ratio is reported in
the note.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import check_exit, ensure_dataset, interleaved, run, tool  # noqa: E402


def site_size(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, files, total bytes) of a built site."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    pages = [p for p in files if p.suffix == ".html"]
    return len(pages), len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", "-r", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    ours = tool("export-alignment")
    cases = [("shipped record", HERE.parent / "data", "2026-11-28")]
    for size in args.sizes:
        folder = args.out / f"s{size}"
        ensure_dataset(folder, size, False, args.seed, args.regenerate)
        cases.append((f"{size:,} statements", folder / "data", "2025-06-01"))
    print(
        f"python {sys.version.split()[0]}; {args.repeats} runs each (+{args.warmup} warm-up), "
        "interleaved"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, data, as_of in cases:
            site_dir = Path(tmp) / f"site-{len(rows)}"
            brief_file = Path(tmp) / f"brief-{len(rows)}.md"
            a = [ours, "site", "-o", str(site_dir), "--data", str(data), "--as-of", as_of]
            b = [ours, "brief", "-o", str(brief_file), "--data", str(data), "--as-of", as_of]
            _, da = run(a)
            _, db = run(b)
            if not (check_exit("site", da, 0) and check_exit("brief", db, 0)):
                return 1
            times_a, times_b = interleaved(a, b, args.repeats, args.warmup)
            ma, mb = statistics.median(times_a), statistics.median(times_b)
            pages, files, size = site_size(site_dir)
            rows.append((label, ma, mb, pages, files, size, brief_file.stat().st_size))
            print(
                f"\n{label}: site {ma:.2f} s, brief {mb:.2f} s, ratio {ma / mb:.2f}; "
                f"site: {pages} pages, {files} files, {size / 1024:.0f} KiB "
                f"(brief {brief_file.stat().st_size / 1024:.0f} KiB)"
            )
    print("\n| data | site (s) | brief (s) | ratio | pages | files | site size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, ma, mb, pages, files, size, _ in rows:
        print(
            f"| {label} | {ma:.2f} | {mb:.2f} | {ma / mb:.2f} | {pages} | {files} | "
            f"{size / 1024:.0f} KiB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
