"""The JSON outputs' shapes as types: ``status --json``, ``explain --format json``, ``timeline
--json``, ``list --json`` and ``export --format json``. ``schema.output_schemas`` turns them into
the JSON Schemas published in ``schemas/output/``; a test holds every output of the shipped
record to them, so a key added in ``shapes`` without its type here fails."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict


class DatasetJson(TypedDict):
    """Which record was read (the CLI adds it): its folder and how it was found."""

    path: str
    found_by: str


class CoverageJson(TypedDict):
    in_force: int
    total: int
    missing: list[str]


class ItemJson(TypedDict):
    item: str
    stage: str
    since: str | None


class RoleJson(TypedDict):
    id: str
    signal: str
    role: str
    reason: str
    via: str | None
    ahead: bool
    items: list[str]


class EvidenceItemJson(TypedDict):
    """One piece of evidence on a row and what it does there (scoring's role)."""

    id: str
    signal: str
    date: str
    role: str | None
    reason: str | None
    effect: str | None
    via: str | None
    ahead: bool
    recorded: str | None
    items: list[str]


class LifecycleJson(TypedDict):
    event: str
    date: str
    until: str | None


class StatusControlJson(TypedDict):
    id: str
    stage: str
    since: str | None
    verdict: str
    """The verdict from the coverage of the row's items (scoring's ``Verdict``)."""
    verdict_since: str | None
    """The day the current verdict was first reached."""
    furthest: str
    """The furthest stage on any of the row's items (``stage`` is the same: the furthest stage)."""
    flags: list[str]
    evidence: list[str]
    live: bool
    status: str
    lifecycle: list[LifecycleJson]
    coverage: CoverageJson
    items: list[ItemJson]
    evidence_count: int
    via: list[str]
    ahead: bool
    evidence_items: list[EvidenceItemJson]


class StatusAllyJson(TypedDict):
    id: str
    name: str
    stage: str
    since: str | None
    verdict: str
    """The verdict from the coverage of the row's items (scoring's ``Verdict``)."""
    verdict_since: str | None
    """The day the current verdict was first reached."""
    furthest: str
    """The furthest stage on any of the row's items (``stage`` is the same: the furthest stage)."""
    flags: list[str]
    evidence: list[str]
    coverage: CoverageJson
    items: list[ItemJson]
    reviewed: str | None
    roles: list[RoleJson]
    controls: list[StatusControlJson]
    evidence_count: int
    via: list[str]
    ahead: bool
    evidence_items: list[EvidenceItemJson]


class StatusJson(TypedDict):
    """``status --json``."""

    as_of: str
    control: str | None
    scope: str | None
    allies: list[StatusAllyJson]
    dataset: NotRequired[DatasetJson]


class SourceJson(TypedDict):
    publisher: str | None
    title: str | None
    published: str | None
    tier: str | None
    url: str | None
    document: str | None
    citation: str | None


class ExplainEvidenceJson(TypedDict):
    id: str
    date: str
    tier: str
    signal: str
    stage: str | None
    counts: bool
    role: str | None
    speaker: str | None
    summary: str
    quote: str | None
    items: list[str]
    sources: list[SourceJson]
    reason: str | None
    effect: str | None
    via: str | None
    ahead: bool
    recorded: str | None
    date_note: str | None


class ExplainControlJson(TypedDict):
    id: str
    stage: str
    since: str | None
    verdict: str
    """The verdict from the coverage of the row's items (scoring's ``Verdict``)."""
    verdict_since: str | None
    """The day the current verdict was first reached."""
    furthest: str
    """The furthest stage on any of the row's items (``stage`` is the same: the furthest stage)."""
    live: bool
    status: str
    coverage: CoverageJson
    evidence: list[ExplainEvidenceJson]
    flags: list[str]
    evidence_count: int
    via: list[str]
    ahead: bool
    lifecycle: list[LifecycleJson]
    state: str


class FlagJson(TypedDict):
    flag: str
    reason: str
    shown_because: str | None
    """Why the flag is (still) shown (an unconfirmed report), or null."""
    until: str | None
    """The last day the flag can be shown unless answered sooner, or null."""


class ExplainAllyJson(TypedDict):
    id: str
    name: str
    stage: str
    since: str | None
    verdict: str
    """The verdict from the coverage of the row's items (scoring's ``Verdict``)."""
    verdict_since: str | None
    """The day the current verdict was first reached."""
    furthest: str
    """The furthest stage on any of the row's items (``stage`` is the same: the furthest stage)."""
    headline: str
    """The verdict with its coverage beside it, as every output says it."""
    flags: list[FlagJson]
    coverage: CoverageJson
    reviewed: str | None
    decisive: str | None
    next: str | None
    controls: list[ExplainControlJson]


class ExplainJson(TypedDict):
    """``explain --format json``."""

    as_of: str
    control: str | None
    scope: str | None
    ally: ExplainAllyJson
    dataset: NotRequired[DatasetJson]


class TimelineEventJson(TypedDict):
    control: str
    event: str
    date: str
    until: str | None
    summary: str | None


TransitionJson = TypedDict(  # "from" is a keyword in Python, a key in the JSON
    "TransitionJson",
    {
        "date": str,
        "counts_from": str,
        "from": str,
        "to": str,
        "evidence": str | None,
        "speaker": str | None,
        "summary": str | None,
    },
)


VerdictChangeJson = TypedDict(  # "from" is a keyword in Python, a key in the JSON
    "VerdictChangeJson",
    {"date": str, "counts_from": str, "from": str, "to": str, "in_force": int, "total": int},
)


class TimelineAllyJson(TypedDict):
    id: str
    name: str
    stage: str
    verdict: str
    """The verdict from the coverage of the row's items (scoring's ``Verdict``)."""
    verdict_since: str | None
    """The day the current verdict was first reached."""
    furthest: str
    """The furthest stage on any of the row's items (``stage`` is the same: the furthest stage)."""
    coverage: CoverageJson
    reviewed: str | None
    transitions: list[TransitionJson]
    verdicts: list[VerdictChangeJson]


class TimelineJson(TypedDict):
    """``timeline --json``."""

    as_of: str
    lifecycle: list[TimelineEventJson]
    allies: list[TimelineAllyJson]
    dataset: NotRequired[DatasetJson]


OUTPUTS = {"status": StatusJson, "explain": ExplainJson, "timeline": TimelineJson}
"""The outputs whose shapes are types here; ``list`` and ``export`` are described by their rows
(``listing.KINDS``, every value a string or null) and tables (``export.TABLES``)."""


# --- the site's static JSON API (``site``: api/index.json, api/allies/*, api/controls/*) ------


class ApiCoverageJson(TypedDict):
    in_force: int
    total: int
    missing: list[str]
    by_group: dict[str, int]
    """Items per group of stages: in_force, committed, talks, none."""


class ApiLinksJson(TypedDict):
    page: str
    feed: str
    api: str


class ApiAllyControlJson(TypedDict):
    control: str
    verdict: str
    verdict_words: str
    furthest: str
    since: str | None
    status: str
    in_force: int
    total: int


class ApiAllyJson(TypedDict):
    """``api/allies/<id>.json``."""

    format: str
    as_of: str
    id: str
    name: str
    verdict: str
    verdict_words: str
    verdict_since: str | None
    furthest: str
    stage: str
    since: str | None
    takeaway: str
    coverage: ApiCoverageJson
    flags: list[str]
    reviewed: str | None
    controls: list[ApiAllyControlJson]
    links: ApiLinksJson


class ApiScopeJson(TypedDict):
    id: str
    name: str


class ApiControlAllyJson(TypedDict):
    ally: str
    name: str
    verdict: str
    verdict_words: str
    furthest: str
    since: str | None


class ApiControlJson(TypedDict):
    """``api/controls/<id>.json``."""

    format: str
    as_of: str
    id: str
    label: str
    title: str
    issuer: str
    target: str
    status: str
    status_words: str
    live: bool
    scope: list[ApiScopeJson]
    allies: list[ApiControlAllyJson]
    links: ApiLinksJson


class ApiIndexAllyJson(TypedDict):
    id: str
    name: str
    verdict: str
    verdict_words: str
    api: str


class ApiIndexControlJson(TypedDict):
    id: str
    label: str
    status: str
    api: str


class ApiIndexJson(TypedDict):
    """``api/index.json``."""

    format: str
    as_of: str
    schema: str
    licence: str
    verdicts: dict[str, str]
    allies: list[ApiIndexAllyJson]
    controls: list[ApiIndexControlJson]


ApiJson = ApiIndexJson | ApiAllyJson | ApiControlJson
"""Any document of the site's JSON API (``api/schema.json``)."""
