"""Where things are: the repository, the shipped record (``data/`` and ``seeds/``) and the tests'
committed files (snapshots, the expected site, recorded responses)."""

from __future__ import annotations

from pathlib import Path

from export_alignment.datadir import shipped_root

REPO = Path(__file__).resolve().parents[2]
"""The repository's root."""

TESTS = REPO / "tests"
SNAPSHOTS = TESTS / "snapshots"
EXPECTED = TESTS / "expected"
RECORDED = TESTS / "recorded"

SHIPPED = REPO / "data"
"""The shipped record's data folder in this checkout."""

SHIPPED_AS_OF = "2026-11-28"
"""The day the tests read the shipped record as of (every record date lies before it)."""


def shipped() -> str:
    """The shipped record's data folder as the package finds it (installed or this checkout)."""
    root = shipped_root()
    assert root is not None
    return str(root / "data")
