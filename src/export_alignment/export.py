"""The record and its stages as tables: JSON, CSV (one file per table) and a SQLite database.

The same tables in every format (``TABLES``; the layout is documented in ``docs/export.md``):

* ``actors``, ``scope_items``, ``controls`` (and their ``lifecycle``), ``statements``,
  ``sources``: the record, one row per record or cited source; ``statement_sources`` links
  statements to their sources, with each source's tier, kind and ``copy_of``.
* ``stages``: each ally's stage changes per (initiator control, scope item), one row per (ally,
  control, scope item, date of change), as ``timeline`` narrowed to that pair reports them.
* ``status``: each ally's stage and coverage on each initiator control in the record as of the
  date (live or not); ``item_status``: its headline stage on each item of the live controls;
  ``headlines``: its headline stage and coverage (what ``status --json`` says).

The SQLite file is built with sqlite-utils: primary and foreign keys, and full-text search on
statement summaries and quotes, so ``datasette FILE`` is a usable browser at once. List fields
are JSON arrays in JSON and SQLite; the CSV files are written by the one CSV writer
(``views.table``: ``; ``-separated lists, a leading ``'`` on a cell a spreadsheet would read as a
formula).

Every file is written through the one atomic writer (``atomic.write_atomic``): a temporary file
in the target's folder, renamed over it; the database is first built in a private temporary
folder.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from export_alignment.atomic import write_atomic
from export_alignment.errors import OutputNotWritable, UnknownFormat
from export_alignment.views.publication import Publication
from export_alignment.views.table import csv_text

if TYPE_CHECKING:
    import sqlite_utils

    from export_alignment.models import Dataset
    from export_alignment.question import Question

Row = dict[str, Any]
"""One table row: column name -> value (text, a number, a boolean, a list of text, or None)."""

FORMATS = ("json", "csv", "sqlite")
FORMAT_VERSION = "export-alignment-tables/2"

# name -> (columns {name: type}, primary key, foreign keys [(column, table, column)])
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...], list[tuple[str, str, str]]]] = {
    "actors": (
        {
            "id": str,
            "name": str,
            "kind": str,
            "role": str,
            "represents": str,
            "members": list,
            "title": str,
            "notes": str,
            "reviewed": str,
            "reviewed_note": str,
        },
        ("id",),
        [("represents", "actors", "id")],
    ),
    "scope_items": (
        {"id": str, "name": str, "description": str},
        ("id",),
        [],
    ),
    "sources": (
        {
            "id": str,
            "publisher": str,
            "title": str,
            "url": str,
            "document": str,
            "citation": str,
            "published": str,
            "tier": str,
            "kind": str,
            "copy_of": str,
            "notes": str,
        },
        ("id",),
        [],
    ),
    "controls": (
        {
            "id": str,
            "label": str,
            "title": str,
            "issuer": str,
            "kind": str,
            "target": str,
            "scope": list,
            "announced": str,
            "published": str,
            "effective": str,
            "date_note": str,
            "aligns_with": list,
            "initiator": bool,
            "live": bool,
            "status": str,
            "source": str,
            "notes": str,
        },
        ("id",),
        [("issuer", "actors", "id"), ("target", "actors", "id"), ("source", "sources", "id")],
    ),
    "lifecycle": (
        {
            "control": str,
            "event": str,
            "date": str,
            "until": str,
            "summary": str,
            "source": str,
        },
        ("control", "event", "date"),
        [("control", "controls", "id"), ("source", "sources", "id")],
    ),
    "statements": (
        {
            "id": str,
            "date": str,
            "counts_from": str,
            "date_note": str,
            "speaker": str,
            "about": list,
            "controls": list,
            "scope": list,
            "signal": str,
            "stance": str,
            "tier": str,
            "summary": str,
            "quote": str,
            "event": str,
            "notes": str,
        },
        ("id",),
        [("speaker", "actors", "id")],
    ),
    "statement_sources": (
        {
            "statement": str,
            "source": str,
            "position": int,
            "tier": str,
            "kind": str,
            "copy_of": str,
        },
        ("statement", "source"),
        [("statement", "statements", "id"), ("source", "sources", "id")],
    ),
    "stages": (
        {
            "ally": str,
            "control": str,
            "scope_item": str,
            "date": str,
            "recorded": str,
            "from_stage": str,
            "to_stage": str,
            "evidence": str,
        },
        ("ally", "control", "scope_item", "date"),
        [
            ("ally", "actors", "id"),
            ("control", "controls", "id"),
            ("scope_item", "scope_items", "id"),
        ],
    ),
    "status": (
        {
            "ally": str,
            "control": str,
            "stage": str,
            "since": str,
            "flags": list,
            "evidence": int,
            "decisive": str,
            "live": bool,
            "control_status": str,
            "in_force_on": int,
            "items": int,
            "missing": list,
            "via": list,
            "ahead": bool,
            "verdict": str,
            "furthest": str,
            "verdict_since": str,
        },
        ("ally", "control"),
        [("ally", "actors", "id"), ("control", "controls", "id")],
    ),
    "item_status": (
        {"ally": str, "scope_item": str, "stage": str, "since": str},
        ("ally", "scope_item"),
        [("ally", "actors", "id"), ("scope_item", "scope_items", "id")],
    ),
    "headlines": (
        {
            "ally": str,
            "stage": str,
            "since": str,
            "flags": list,
            "in_force_on": int,
            "items": int,
            "missing": list,
            "via": list,
            "reviewed": str,
            "decisive": str,
            "name": str,
            "verdict": str,
            "furthest": str,
            "verdict_since": str,
            "verdict_words": str,
        },
        ("ally",),
        [("ally", "actors", "id")],
    ),
}


FULL_TEXT: dict[str, tuple[str, ...]] = {
    "statements": ("summary", "quote"),
    "controls": ("title", "notes"),
    "lifecycle": ("summary",),
    "scope_items": ("name", "description"),
}
"""The SQLite file's full-text indexes (FTS5, kept in step by triggers)."""


def tables(pub: Publication) -> dict[str, list[Row]]:
    """Every table's rows, in a stable order."""

    def s(value: object) -> str | None:
        return None if value is None else str(value)

    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    for a in pub.actors:
        out["actors"].append(
            {
                "id": a.id,
                "name": a.name,
                "kind": str(a.kind),
                "role": s(a.role),
                "represents": a.represents,
                "members": list(a.members),
                "title": a.title,
                "notes": a.notes,
                "reviewed": s(a.reviewed),
                "reviewed_note": a.reviewed_note,
            }
        )
    for item in pub.scope_items:
        out["scope_items"].append(
            {"id": item.id, "name": item.name, "description": item.description}
        )
    for src in pub.sources:
        out["sources"].append(
            {
                "id": src.id,
                "publisher": src.publisher,
                "title": src.title,
                "url": src.url,
                "document": src.document,
                "citation": src.citation,
                "published": src.published,
                "tier": src.tier,
                "kind": src.kind,
                "copy_of": src.copy_of,
                "notes": src.notes,
            }
        )
    for c in pub.controls:
        out["controls"].append(
            {
                "id": c.id,
                "label": c.label,
                "title": c.title,
                "issuer": c.issuer,
                "kind": c.kind,
                "target": c.target,
                "scope": list(c.scope),
                "announced": c.announced,
                "published": c.published,
                "effective": c.effective,
                "date_note": c.date_note,
                "aligns_with": list(c.aligns_with),
                "initiator": c.initiator,
                "live": c.live,
                "status": c.status or None,
                "source": c.source.id,
                "notes": c.notes,
            }
        )
        for life in c.lifecycle:
            out["lifecycle"].append(
                {
                    "control": c.id,
                    "event": life.event,
                    "date": life.date,
                    "until": life.until,
                    "summary": life.summary,
                    "source": life.source.id if life.source else None,
                }
            )
    for st in pub.statements:
        out["statements"].append(
            {
                "id": st.id,
                "date": st.date,
                "counts_from": st.counts_from.isoformat(),
                "date_note": st.date_note,
                "speaker": st.speaker,
                "about": list(st.about),
                "controls": list(st.controls),
                "scope": list(st.scope),
                "signal": st.signal,
                "stance": st.stance,
                "tier": st.tier,
                "summary": st.summary,
                "quote": st.quote,
                "event": st.event,
                "notes": st.notes,
            }
        )
        seen: set[str] = set()
        for n, src in enumerate(st.sources, 1):
            if src.id in seen:
                continue
            seen.add(src.id)
            out["statement_sources"].append(
                {
                    "statement": st.id,
                    "source": src.id,
                    "position": n,
                    "tier": src.tier,
                    "kind": src.kind,
                    "copy_of": src.copy_of,
                }
            )
    for ally in pub.allies:
        for (control, scope_item), steps in ally.item_bands.items():
            for step in steps:
                out["stages"].append(
                    {
                        "ally": ally.id,
                        "control": control,
                        "scope_item": scope_item,
                        "date": step.date.isoformat(),
                        "recorded": step.recorded,
                        "from_stage": step.before,
                        "to_stage": step.stage,
                        "evidence": step.evidence,
                    }
                )
        for cell in ally.cells:
            cov = cell.coverage
            out["status"].append(
                {
                    "ally": ally.id,
                    "control": cell.control,
                    "stage": cell.stage,
                    "since": cell.since,
                    "flags": sorted({f.name for f in cell.flags}),
                    "evidence": cell.evidence,
                    "decisive": cell.decisive,
                    "live": cell.live,
                    "control_status": cell.status,
                    "in_force_on": cov.in_force if cov else None,
                    "items": cov.total if cov else None,
                    "missing": list(cov.missing) if cov else [],
                    "via": list(cell.via),
                    "ahead": cell.ahead,
                    "verdict": cell.verdict,
                    "furthest": cell.furthest,
                    "verdict_since": cell.verdict_since,
                }
            )
        for ic in ally.scope:
            out["item_status"].append(
                {"ally": ally.id, "scope_item": ic.item, "stage": ic.stage, "since": ic.since}
            )
        out["headlines"].append(
            {
                "ally": ally.id,
                "stage": ally.stage,
                "since": ally.since,
                "flags": sorted({f.name for f in ally.flags}),
                "in_force_on": ally.coverage.in_force,
                "items": ally.coverage.total,
                "missing": list(ally.coverage.missing),
                "via": list(ally.via),
                "reviewed": ally.reviewed,
                "decisive": ally.decisive.id if ally.decisive else None,
                "name": ally.name,
                "verdict": ally.verdict,
                "furthest": ally.furthest,
                "verdict_since": ally.verdict_since,
                "verdict_words": ally.headline,
            }
        )
    return out


# --- the three formats --------------------------------------------------------------------------


def to_json(pub: Publication, rows: dict[str, list[Row]] | None = None) -> bytes:
    """The JSON download; ``rows`` is ``tables(pub)`` when the caller has it already."""
    from export_alignment.escape import dumps

    doc = {"format": FORMAT_VERSION, "as_of": pub.as_of.isoformat(), **(rows or tables(pub))}
    return (dumps(doc) + "\n").encode("utf-8")


def to_csv(pub: Publication, rows: dict[str, list[Row]] | None = None) -> dict[str, bytes]:
    """One CSV file per table, UTF-8, header row first."""
    return {
        f"{name}.csv": csv_text(list(TABLES[name][0]), table_rows).encode("utf-8")
        for name, table_rows in (rows or tables(pub)).items()
    }


def write_sqlite(pub: Publication, path: Path, rows: dict[str, list[Row]] | None = None) -> None:
    """Build the database at ``path`` (a new file; the caller renames it into place)."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    # A private file, renamed into place only when complete: no journal or sync needed while
    # building it (each table's transaction would otherwise wait for the disk).
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    rows = rows or tables(pub)
    for name, (columns, pk, fks) in TABLES.items():
        types = {c: (str if t is list else t) for c, t in columns.items()}
        outside = [fk for fk in fks if fk[1] != name]
        table = db.table(name)
        table.create(types, pk=pk[0] if len(pk) == 1 else pk, foreign_keys=outside)
        _insert(db, name, columns, rows[name])
        for column, other, other_column in fks:
            if other == name:
                table.add_foreign_key(column, other, other_column)
    for name, searched in FULL_TEXT.items():
        db.table(name).enable_fts(list(searched), create_triggers=True)
    for name, (_, _, fks) in TABLES.items():
        for column, _, _ in fks:
            db.table(name).create_index([column], if_not_exists=True)
    db.conn.commit()
    db.close()


_BATCH = 100
_MAX_VARIABLES = 999


_LIST_TEXT = json.JSONEncoder(ensure_ascii=False).encode
"""A list cell's text in the database: its JSON (``json.dumps(value, ensure_ascii=False)``)."""


def _insert(
    db: sqlite_utils.Database, name: str, columns: dict[str, type], rows: list[Row]
) -> None:
    """Insert ``rows`` into table ``name`` (a list column's value becomes its JSON text) with
    one prepared statement, in the batches and transactions ``sqlite_utils``' ``insert_all``
    uses (at most 100 rows and 999 variables each), so the database file is byte for byte what
    it was."""
    names = list(columns)
    sql = (
        f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in names)}) "
        f"VALUES ({', '.join('?' * len(names))})"
    )
    lists = [i for i, c in enumerate(names) if columns[c] is list]
    values: list[tuple[object, ...]] = []
    for row in rows:
        cells = list(map(row.get, names))
        for i in lists:
            if isinstance(cells[i], list):
                cells[i] = _LIST_TEXT(cells[i])
        values.append(tuple(cells))
    batch = max(1, min(_BATCH, _MAX_VARIABLES // len(names)))
    for start in range(0, len(values), batch):
        with db.atomic():
            db.conn.executemany(sql, values[start : start + batch])


def to_sqlite(pub: Publication, rows: dict[str, list[Row]] | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.db"
        write_sqlite(pub, path, rows)
        return path.read_bytes()


def download_files(pub: Publication) -> dict[str, bytes]:
    """The site's downloads: the JSON, the CSV files and the database."""
    rows = tables(pub)  # built once for the three formats
    files = {
        "export-alignment.json": to_json(pub, rows),
        "export-alignment.db": to_sqlite(pub, rows),
    }
    for name, data in to_csv(pub, rows).items():
        files[f"csv/{name}"] = data
    return files


# --- writing ------------------------------------------------------------------------------------


def export(pub: Publication, fmt: str, out: Path) -> list[Path]:
    """Write ``pub`` as ``fmt`` to ``out`` (a file for json and sqlite, a folder for csv)."""
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS)
    try:
        if fmt == "csv":
            if out.exists() and not out.is_dir():
                raise OutputNotWritable(str(out), "exists and is not a folder")
            out.mkdir(parents=True, exist_ok=True)
            written = []
            for name, data in to_csv(pub).items():  # a planted symlink is replaced, not followed
                write_atomic(out / name, data, follow_symlinks=False)
                written.append(out / name)
            return written
        if out.is_dir():
            raise OutputNotWritable(str(out), "is a folder")
        # The database is built in a private temporary folder, then written through the one
        # atomic writer like every other file.
        write_atomic(out, to_json(pub) if fmt == "json" else to_sqlite(pub))
        return [out]
    except OSError as exc:
        raise OutputNotWritable(str(out), "cannot write to", str(exc.strerror or exc)) from None


def write_export(dataset: Dataset, fmt: str, out: Path, asked: Question) -> list[Path]:
    """Score ``dataset`` for the question ``asked`` (its day and staleness threshold; see
    ``publish``) and write it as ``fmt`` (the ``export`` command)."""
    from export_alignment.views.publication import publish

    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS)
    return export(publish(dataset, asked), fmt, out)
