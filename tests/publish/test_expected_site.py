"""The site of a tiny record, compared file by file with the committed expected site
(``tests/expected/site/``): a change to any page, the feed or a download shows up here the day it
is made, as a diff to read. After a deliberate change, regenerate the expected site with

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_expected_site.py

and commit the difference with the change that made it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from world import EXPECTED, initiator_control, measure, run, statement, write_dataset

EXPECTED = EXPECTED / "site"
AS_OF = "2024-06-30"


def tiny_record(root: Path) -> Path:
    """One initiator control, Japan's own measure answering it (announced, published, in force),
    talks on record, an anonymous report and a reservation: every role and a flag."""
    return write_dataset(
        root,
        statements=[
            statement("talks", "2023-01-13", "talks"),
            statement("report", "2023-02-01", "agreement", tier="anonymous"),
            statement("doubts", "2024-03-01", "reservation"),
        ],
        measures=[
            measure(
                "jp-ordinance",
                announced="2023-03-31",
                published="2023-05-23",
                effective="2023-07-23",
            )
        ],
        controls=[initiator_control()],
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_site_of_a_tiny_record_is_the_expected_site(tmp_path):
    data = tiny_record(tmp_path / "record")
    out = tmp_path / "site"
    run("site", "-o", out, "--as-of", AS_OF, "--data", data, code=0)
    built = _files(out)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
    assert EXPECTED.is_dir(), "no expected site; run with UPDATE_SNAPSHOTS=1"
    expected = _files(EXPECTED)
    assert sorted(built) == sorted(expected)
    for name, data_bytes in expected.items():
        if name.endswith(".db"):
            continue  # compared through its tables, below
        assert built[name].decode("utf-8") == data_bytes.decode("utf-8"), name


def test_the_expected_database_holds_the_expected_tables(tmp_path):
    import sqlite3

    data = tiny_record(tmp_path / "record")
    out = tmp_path / "site"
    run("site", "-o", out, "--as-of", AS_OF, "--data", data, code=0)
    dumps = []
    for site in (out, EXPECTED):
        con = sqlite3.connect(site / "downloads" / "export-alignment.db")
        try:
            dumps.append(list(con.iterdump()))
        finally:
            con.close()
    assert dumps[0] == dumps[1]
