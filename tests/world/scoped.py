"""The world with a scope vocabulary: US rules by scope item (chips, equipment, memory, servicing),
lifecycle events, a bloc, ally measures aligned item by item and statements with several sources;
validated at ``TODAY``. For the tests of coverage, live controls, blocs, ``ahead`` and source
kinds, and of what the site, feed and exports show of them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from export_alignment.checks import validate
from export_alignment.models import Dataset
from export_alignment.scoring import Evaluator
from world.baseline import STATES
from world.records import US_OFFICIAL, WIRE
from world.runners import run

TODAY = date(2026, 11, 28)
CHIPS, SME, HBM, SERVICING = (
    "advanced-computing-chips",
    "semiconductor-manufacturing-equipment",
    "high-bandwidth-memory",
    "equipment-servicing",
)
VOCABULARY = [
    {"id": i, "name": i.replace("-", " "), "description": f"the {i} item"}
    for i in (CHIPS, SME, HBM, SERVICING, "quantum-technology")
]

ACTORS = [
    *STATES,
    {"id": "eu", "name": "European Union", "kind": "bloc", "role": "other", "members": ["nl"]},
    US_OFFICIAL,
    {
        "id": "jp-minister",
        "name": "Taro Example",
        "kind": "person",
        "title": "Trade Minister",
        "represents": "jp",
    },
    WIRE,
]


def rule(cid: str, scope: list[str], first: str = "2022-10-07", **extra) -> dict:
    record = {
        "id": cid,
        "issuer": "us",
        "title": f"US rule {cid}",
        "kind": "rule",
        "target": "cn",
        "scope": scope,
        "announced": first,
        "effective": first,
        "source": {"citation": f"FR {cid}", "title": f"US rule {cid}", "kind": "gazette"},
    }
    record.update(extra)
    return record


def event(kind: str, day: str, **extra) -> dict:
    return {
        "event": kind,
        "date": day,
        "summary": f"{kind} on {day}",
        "source": {"url": f"https://example.gov/{kind}", "title": kind, "kind": "government"},
        **extra,
    }


def measure(mid: str, issuer: str, aligns: list[str], scope: list[str], **dates) -> dict:
    return {
        "id": mid,
        "issuer": issuer,
        "title": f"Measure {mid}",
        "kind": "regulation",
        "target": "cn",
        "scope": scope,
        "aligns_with": aligns,
        "source": {"url": f"https://example.gov/{mid}", "title": mid, "kind": "gazette"},
        **dates,
    }


def source(tier: str = "on_record", day: str = "2023-01-10", **extra) -> dict:
    return {
        "url": f"https://example.org/{tier}/{day}",
        "publisher": "Example",
        "published": day,
        "tier": tier,
        **extra,
    }


def said(sid: str, day: str, signal: str, tier: str = "on_record", **extra) -> dict:
    record = {
        "id": sid,
        "date": day,
        "speaker": "wire" if tier == "anonymous" else "jp-minister",
        "about": ["jp"],
        "controls": ["c1"],
        "signal": signal,
        "stance": "neutral",
        "summary": f"{signal} on {day}",
        "source": source(tier, day),
    }
    record.update(extra)
    if "sources" in extra:
        del record["source"]
    return record


def write(root: Path, controls: list[dict], statements=(), actors=None, vocabulary=True) -> Path:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    files = {
        "actors": {"actors": actors if actors is not None else ACTORS},
        "controls": {"controls": controls} | ({"scope_items": VOCABULARY} if vocabulary else {}),
        "statements": {"statements": list(statements)},
    }
    for name, body in files.items():
        (data / f"{name}.yaml").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return data


def load(data: Path) -> Dataset:
    result = validate(data, TODAY)
    assert not [p for p in result.problems if p.is_error], result.problems
    return result.dataset


def problems(data: Path) -> list[tuple[str, str]]:
    return [(p.rule, str(p.level)) for p in validate(data, TODAY).problems]


def ally(ds: Dataset, day: str, who: str = "jp", **kw):
    return Evaluator(ds).ally(ds.actor(who), date.fromisoformat(day), **kw)


def items(score) -> dict[str, str]:
    return {i.item: str(i.stage) for i in score.items}


LIFECYCLE_CONTROLS = [
    rule("c1", [CHIPS]),
    rule(
        "c2",
        [SME],
        first="2024-01-01",
        lifecycle=[
            event("suspended", "2025-11-10", until="2026-11-10"),
        ],
    ),
    rule("c3", [HBM], first="2024-01-01", lifecycle=[event("rescinded", "2025-05-13")]),
    rule("c4", [SERVICING], first="2024-01-01", lifecycle=[event("relaxed", "2026-01-15")]),
]


def cli(*args: object, code: int = 0):
    """The CLI (``world.run``) without colour and 200 columns wide; exit ``code`` (0 unless
    told)."""
    return run(*args, env={"NO_COLOR": "1", "COLUMNS": "200"}, code=code)
