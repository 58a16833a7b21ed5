"""``export``: the record and its stages as JSON, CSV and SQLite, the same tables in each; keys,
full-text search and Datasette on the database; exit codes."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from export_alignment.export import TABLES
from world import REPO, run, statement, write_dataset
from world.hostile import AS_OF, HOSTILE, hostile_data

ROOT = REPO
SHIPPED_AS_OF = "2026-11-28"


def export(fmt: str, out: Path, data: Path = ROOT / "data", as_of: str = SHIPPED_AS_OF):
    return run("export", "--format", fmt, "-o", out, "--data", data, "--as-of", as_of)


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("db") / "data.db"
    r = export("sqlite", out)
    assert r.exit_code == 0, r.output
    return out


def status(as_of: str = SHIPPED_AS_OF) -> dict:
    r = run("status", "--json", "--as-of", as_of, "--data", ROOT / "data", code=0)
    return json.loads(r.stdout)


def test_json_has_every_table_and_agrees_with_status(tmp_path):
    r = export("json", tmp_path / "out.json")
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == SHIPPED_AS_OF and set(TABLES) <= set(doc)
    st = status()
    assert [(h["ally"], h["stage"], h["since"], h["flags"]) for h in doc["headlines"]] == [
        (a["id"], a["stage"], a["since"], a["flags"]) for a in st["allies"]
    ]
    assert [(s["ally"], s["control"], s["stage"], s["since"]) for s in doc["status"]] == [
        (a["id"], c["id"], c["stage"], c["since"]) for a in st["allies"] for c in a["controls"]
    ]
    ids = {s["id"] for s in doc["statements"]}
    assert {link["statement"] for link in doc["statement_sources"]} == ids
    assert isinstance(doc["controls"][0]["scope"], list)


def test_csv_writes_one_file_per_table_with_the_same_rows(tmp_path):
    r = export("csv", tmp_path / "csv")
    assert r.exit_code == 0, r.output
    export("json", tmp_path / "out.json")
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    for name, (columns, _, _) in TABLES.items():
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert list(rows[0]) == list(columns) if rows else True
        assert len(rows) == len(doc[name]), name


def test_csv_cells_never_start_a_formula(tmp_path):
    data = write_dataset(
        tmp_path / "r",
        [statement("jp-talks", "2023-01-13", "talks", summary='=HYPERLINK("http://evil")')],
    )
    r = export("csv", tmp_path / "csv", data, "2023-06-01")
    assert r.exit_code == 0, r.output
    with (tmp_path / "csv" / "statements.csv").open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    assert row["summary"] == '\'=HYPERLINK("http://evil")'


def test_sqlite_has_keys_and_full_text_search(shipped_db):
    db = sqlite3.connect(shipped_db)
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    assert set(TABLES) <= tables
    pk = [r[1] for r in db.execute("pragma table_info(stages)") if r[5]]
    assert pk == ["ally", "control", "scope_item", "date"]
    fks = {(r[3], r[2]) for r in db.execute("pragma foreign_key_list(statements)")}
    assert ("speaker", "actors") in fks
    fks = {(r[3], r[2]) for r in db.execute("pragma foreign_key_list(stages)")}
    assert fks == {("ally", "actors"), ("control", "controls"), ("scope_item", "scope_items")}
    assert db.execute("pragma foreign_key_check").fetchall() == []
    hits = db.execute(
        "select s.id from statements s join statements_fts f on f.rowid = s.rowid "
        "where statements_fts match 'Rutte'"
    ).fetchall()
    assert hits
    st = status()
    stages = dict(db.execute("select ally, stage from headlines").fetchall())
    assert stages == {a["id"]: a["stage"] for a in st["allies"]}


def test_sqlite_keeps_hostile_text_as_data(tmp_path):
    data = hostile_data(tmp_path / "record")
    r = export("sqlite", tmp_path / "h.db", data, AS_OF)
    assert r.exit_code == 0, r.output
    db = sqlite3.connect(tmp_path / "h.db")
    summary = db.execute("select summary from statements where id = 'jp-talks'").fetchone()[0]
    assert summary == f"Talks {HOSTILE}"


def test_export_usage_errors(tmp_path, shipped_db):
    r = export("xml", tmp_path / "x")
    assert r.exit_code == 2, r.output
    assert "--format must be one of json, csv, sqlite" in r.stderr
    (tmp_path / "folder").mkdir()
    r = export("json", tmp_path / "folder")
    assert r.exit_code == 2, r.output
    (tmp_path / "a-file").write_text("x", encoding="utf-8")  # missing folders are created
    r = export("json", tmp_path / "a-file" / "deeper" / "x.json")  # (issue 13); not under a file
    assert r.exit_code == 2, r.output
    assert "cannot" in r.stderr
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = export("csv", tmp_path / "file")
    assert r.exit_code == 2, r.output
    bad = write_dataset(tmp_path / "bad", [statement("x", "2023-01-13", "talks", speaker="nobody")])
    r = export("sqlite", tmp_path / "bad.db", bad, "2023-06-01")
    assert r.exit_code == 1, r.output
    assert not (tmp_path / "bad.db").exists()
    before = shipped_db.read_bytes()
    r = export("sqlite", shipped_db, bad, "2023-06-01")
    assert r.exit_code == 1 and shipped_db.read_bytes() == before  # nothing half-written


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def datasette(tmp_path: Path, *args: object):
    """A Datasette server on 127.0.0.1 for ``args`` (a database and options); yields a function
    that reads one of its JSON addresses."""
    port = _free_port()
    log = (tmp_path / "datasette.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            *map(str, args),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def get(path: str):
        url = f"http://127.0.0.1:{port}{path}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    return json.loads(resp.read())
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log.flush()
                    message = (tmp_path / "datasette.log").read_text(errors="replace")
                    raise AssertionError(f"datasette did not answer: {message}") from None
                time.sleep(0.2)

    try:
        yield get
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_datasette_serves_the_exported_database(shipped_db, tmp_path):
    with datasette(tmp_path, shipped_db) as get:
        rows = get(f"/{shipped_db.stem}/headlines.json?_shape=array")
    assert {r["ally"]: r["stage"] for r in rows} == {
        a["id"]: a["stage"] for a in status()["allies"]
    }


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    run("site", "-o", out, "--data", ROOT / "data", "--as-of", SHIPPED_AS_OF, code=0)
    return out


def test_datasette_serves_the_sites_database_with_its_metadata(shipped_site, tmp_path):
    downloads = shipped_site / "downloads"
    with datasette(
        tmp_path, downloads / "export-alignment.db", "-m", downloads / "metadata.json"
    ) as get:
        meta = get("/-/metadata.json")
        rows = get("/export-alignment/headlines.json?_shape=array")
    assert meta["title"] == "Alignment with US chip export controls"
    assert meta["license"] == "MIT License" and meta["license_url"].startswith("https://")
    tables = meta["databases"]["export-alignment"]["tables"]
    assert set(tables) == set(TABLES)
    assert "verdict" in tables["headlines"]["columns"]
    assert {r["ally"]: r["name"] for r in rows}["jp"] == "Japan"  # names in the headline table
    assert {r["verdict"] for r in rows} <= {
        "in_force",
        "largely_in_force",
        "partly_in_force",
        "committed",
        "negotiating",
        "raised",
        "none",
    }


def test_the_sites_downloads_are_a_valid_frictionless_data_package(shipped_site, tmp_path):
    package = shipped_site / "downloads" / "datapackage.json"
    doc = json.loads(package.read_text("utf-8"))
    assert doc["licenses"][0]["name"] == "MIT"
    assert {r["path"] for r in doc["resources"]} == {f"csv/{t}.csv" for t in TABLES}
    ok = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(package)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ok.returncode == 0, ok.stdout[-2000:] + ok.stderr[-2000:]
    assert json.loads(ok.stdout)["valid"] is True
    # the check can fail: a count that is not a number breaks the headlines' schema
    import shutil

    broken = tmp_path / "downloads"
    shutil.copytree(shipped_site / "downloads", broken)
    headlines = broken / "csv" / "headlines.csv"
    rows = list(csv.reader(io.StringIO(headlines.read_text("utf-8"))))
    rows[1][rows[0].index("in_force_on")] = "many"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    headlines.write_text(out.getvalue(), "utf-8")
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(broken / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode != 0 and json.loads(bad.stdout)["valid"] is False


def test_the_layout_document_names_every_table_and_column():
    doc = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in doc.splitlines()
        if line.startswith("| `")
    }
    for name, (columns, pk, fks) in TABLES.items():
        assert name in rows, name
        for column in columns:
            assert f"`{column}`" in rows[name], (name, column)
        for column in pk:
            assert f"**`{column}`**" in rows[name], (name, column)
        for column, other, other_column in fks:
            assert f"`{column}`" in rows[name] and f"→ {other}.{other_column}" in rows[name]
