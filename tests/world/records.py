"""The world record by record: the same states as the baseline, with a US control, an official of
each state and builders for statements and ally measures, for scoring, publication, export and
the site (``write_dataset``), written as JSON (which is YAML) so any text reaches the loader
exactly as given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from export_alignment import models
from export_alignment.checks import validate
from export_alignment.question import Question
from export_alignment.scoring import DEFAULT_STALE_DAYS
from world.baseline import STATES, json_file, write_files

# --- records: the same world built record by record, for scoring, publication, export, site ----
# ``write_dataset`` writes ``root/data/{actors,controls,statements}.yaml`` (with ``seeds/`` beside
# ``data/``) from a list of statement dicts and a list of ally measures; every other record is
# fixed: the baseline states, the US control ``us-c1`` (announced and effective 2022-10-07,
# published 2022-10-13) and a named official of each state. ``statement`` and ``measure`` build
# the records with sensible defaults, so a test shows only what matters to it. The files are
# written as JSON, which is YAML, so any text (markup, control characters) reaches the loader
# exactly as given.

RECORDS_TODAY = date(2026, 1, 1)
"""Validation's "today" for library-level tests (every record date lies before it)."""

US_C1 = "us-c1"

US_OFFICIAL = {
    "id": "us-official",
    "name": "Ann Example",
    "kind": "person",
    "title": "Under Secretary",
    "represents": "us",
}
WIRE = {"id": "wire", "name": "Example Wire", "kind": "media"}

ACTOR_RECORDS: list[dict] = [
    *STATES,
    US_OFFICIAL,
    {
        "id": "jp-minister",
        "name": "Taro Example",
        "kind": "person",
        "title": "Trade Minister of Japan",
        "represents": "jp",
    },
    {
        "id": "nl-minister",
        "name": "Lies Example",
        "kind": "person",
        "title": "Trade Minister of the Netherlands",
        "represents": "nl",
    },
    WIRE,
]


def initiator_control(
    control_id: str = US_C1,
    announced: str | None = "2022-10-07",
    published: str | None = "2022-10-13",
    effective: str | None = "2022-10-07",
    **extra,
) -> dict:
    """A US control (``aligns_with`` none); pass ``None`` to leave a date out."""
    record = {
        "id": control_id,
        "issuer": "us",
        "title": f"US rule {control_id}",
        "kind": "rule",
        "target": "cn",
        "scope": ["semiconductor-manufacturing-equipment"],
        "announced": announced,
        "published": published,
        "effective": effective,
        "source": {"citation": f"FR {control_id}", "title": f"US rule {control_id}"},
    }
    record.update(extra)
    return {k: v for k, v in record.items() if v is not None}


def measure(
    measure_id: str,
    issuer: str = "jp",
    *,
    announced: str | None = None,
    published: str | None = None,
    effective: str | None = None,
    aligns_with: list[str] | None = None,
    **extra,
) -> dict:
    """An ally's own measure answering ``aligns_with`` (default: the baseline US control)."""
    record = {
        "id": measure_id,
        "issuer": issuer,
        "title": f"Ordinance {measure_id}",
        "kind": "ordinance",
        "target": "cn",
        "scope": ["semiconductor-manufacturing-equipment"],
        "announced": announced,
        "published": published,
        "effective": effective,
        "aligns_with": aligns_with if aligns_with is not None else [US_C1],
        "source": {"url": f"https://example.org/{measure_id}", "title": f"Gazette {measure_id}"},
    }
    record.update(extra)
    if any(d is not None and len(d) < 10 for d in (announced, published, effective)):
        record.setdefault("date_note", "only the month or year is known")
    return {k: v for k, v in record.items() if v is not None}


SPEAKERS = {"jp": "jp-minister", "nl": "nl-minister"}


def statement(
    statement_id: str,
    day: str,
    signal: str,
    tier: str = "on_record",
    *,
    about: list[str] | None = None,
    controls: list[str] | None = None,
    speaker: str | None = None,
    summary: str | None = None,
    **extra,
) -> dict:
    """A statement about ``about`` (default Japan) on ``controls`` (default the US control).

    The speaker defaults to the ally's minister, or to the wire for anonymous reports.
    """
    about = about or ["jp"]
    if speaker is None:
        speaker = "wire" if tier == "anonymous" else SPEAKERS.get(about[0], "us-official")
    record = {
        "id": statement_id,
        "date": day,
        "speaker": speaker,
        "about": about,
        "controls": controls or [US_C1],
        "signal": signal,
        "stance": "neutral",
        "summary": summary or f"{signal} reported on {day}",
        "source": {
            "url": f"https://example.org/{statement_id}",
            "publisher": "Example",
            "published": day,
            "tier": tier,
        },
    }
    if len(day) < 10:
        record["date_note"] = "only the month or year is known"
    record.update(extra)
    return record


def write_dataset(
    root: Path,
    statements: list[dict] = (),
    measures: list[dict] = (),
    *,
    controls: list[dict] | None = None,
    actors: list[dict] | None = None,
    seeds: dict[str, str] | None = None,
    **dumps,
) -> Path:
    """Write a dataset under ``root`` and return its ``data/`` folder.

    ``controls`` replaces the initiator's controls (default: ``us-c1`` alone); ``measures`` are
    the allies' own; ``actors`` replaces the baseline actors; ``seeds`` are documents written in
    ``seeds/``; ``dumps`` are ``json.dumps`` options (default: an indent of 2).
    """
    initiator = controls if controls is not None else [initiator_control()]
    files = {
        "actors": actors if actors is not None else ACTOR_RECORDS,
        "controls": [*initiator, *measures],
        "statements": list(statements),
    }
    dumps = {"indent": 2, **dumps}
    texts = {name: json_file(name, records, **dumps) for name, records in files.items()}
    return write_files(root, dict(texts), seeds)


def load(data: Path, today: date = RECORDS_TODAY) -> models.Dataset:
    """The validated dataset; fails the test when the fixture itself is invalid."""
    result = validate(data, today)
    errors = [p for p in result.problems if p.is_error]
    assert not errors, errors
    return result.dataset


def asked(
    as_of: date | str,
    *allies: str,
    stale_days: int = DEFAULT_STALE_DAYS,
    control: str | None = None,
    scope: str | None = None,
) -> Question:
    """The question a library-level test asks (as the command line would build it): as of
    ``as_of`` (a date or YYYY-MM-DD), about ``allies`` by id (none: every ally), with the
    default staleness threshold unless given."""
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return Question(
        as_of=day, allies=allies or None, stale_days=stale_days, control=control, scope=scope
    )
