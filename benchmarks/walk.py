"""The parse floor: walk the libyaml events of a data folder's three files, building nothing.

    python benchmarks/walk.py DIR

Reads each ``DIR/{actors,controls,statements}.yaml`` as ``export-alignment`` does (bytes, then
UTF-8 text) and asks ruamel's libyaml parser for every event, as the loader does; it keeps
nothing. ``bench_validate.py`` times ``validate`` against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _ruamel_yaml import CParser
from ruamel.yaml.events import StreamEndEvent


def walk(path: Path) -> int:
    parser = CParser(path.read_bytes().decode("utf-8"))
    count = 0
    while True:
        event = parser.get_event()
        count += 1
        if type(event) is StreamEndEvent:
            return count


def main() -> int:
    folder = Path(sys.argv[1])
    total = sum(walk(folder / f"{name}.yaml") for name in ("actors", "controls", "statements"))
    print(f"{total:,} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
