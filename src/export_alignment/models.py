"""Typed records: actors, control measures and statements, and the vocabularies they use.

Every vocabulary is defined once here, with the definition a curator reads in ``--help``, the
docs and the JSON Schemas. The models know nothing of files: where a record came from is kept in
``origin`` by whoever built it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from export_alignment.dates import PartialDate

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=100)]
Text = Annotated[str, Field(min_length=1)]


class ActorKind(StrEnum):
    STATE = "state"
    BLOC = "bloc"
    AGENCY = "agency"
    PERSON = "person"
    COMPANY = "company"
    MEDIA = "media"


class Role(StrEnum):
    INITIATOR = "initiator"
    ALLY = "ally"
    TARGET = "target"
    OTHER = "other"


ROLES = {
    Role.INITIATOR: "the state whose controls others are asked to match (the US)",
    Role.ALLY: "a state asked to align its own controls",
    Role.TARGET: "the state the controls are aimed at",
    Role.OTHER: "any other state or bloc",
}


class ControlKind(StrEnum):
    RULE = "rule"
    REGULATION = "regulation"
    ORDINANCE = "ordinance"
    LAW = "law"
    LICENCE_POLICY = "licence-policy"
    ENTITY_LISTING = "entity-listing"


class Signal(StrEnum):
    RAISED = "raised"
    TALKS = "talks"
    AGREEMENT = "agreement"
    ANNOUNCEMENT = "announcement"
    ADOPTION = "adoption"
    ENTRY_INTO_FORCE = "entry_into_force"
    ENFORCEMENT = "enforcement"
    RESERVATION = "reservation"
    REFUSAL = "refusal"


SIGNALS = {
    Signal.RAISED: "the initiator pressed the ally to align",
    Signal.TALKS: "the ally is in talks or reviewing (either side may say so)",
    Signal.AGREEMENT: "an agreement in principle to align",
    Signal.ANNOUNCEMENT: "the ally announced its own measures (a draft ordinance, a letter to "
    "parliament)",
    Signal.ADOPTION: "the ally's legal text was published",
    Signal.ENTRY_INTO_FORCE: "the ally's measures took effect",
    Signal.ENFORCEMENT: "the ally enforced its measures (a licence refused or revoked)",
    Signal.RESERVATION: "the ally voiced a reservation (will not copy the rules, wants changes)",
    Signal.REFUSAL: "the ally declined to align",
}


class Stance(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Tier(StrEnum):
    OFFICIAL_TEXT = "official_text"
    ON_RECORD = "on_record"
    ANONYMOUS = "anonymous"


TIERS = {
    Tier.OFFICIAL_TEXT: "the legal or government text itself; can move a stage",
    Tier.ON_RECORD: "a named official, directly or as reported; can move a stage",
    Tier.ANONYMOUS: "unnamed sources; never moves a stage, shown as an unconfirmed report",
}


class SourceKind(StrEnum):
    GOVERNMENT = "government"
    GAZETTE = "gazette"
    LEGISLATURE = "legislature"
    NEWS_AGENCY = "news-agency"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    TRADE_PRESS = "trade-press"
    LAW_FIRM = "law-firm"
    THINK_TANK = "think-tank"
    COPY = "copy"


SOURCE_KINDS = {
    SourceKind.GOVERNMENT: "a government, ministry or agency site (press release, notice)",
    SourceKind.GAZETTE: "the official journal or register that publishes legal texts",
    SourceKind.LEGISLATURE: "a parliament's or congress's own site (letters, debates, bills)",
    SourceKind.NEWS_AGENCY: "a wire service (Reuters, AP, Bloomberg, Kyodo, Jiji)",
    SourceKind.NEWSPAPER: "a newspaper or news site reporting in its own name",
    SourceKind.BROADCASTER: "a radio or television broadcaster's site",
    SourceKind.TRADE_PRESS: "a specialist trade or industry publication",
    SourceKind.LAW_FIRM: "a law firm's summary or client note",
    SourceKind.THINK_TANK: "a think tank or research institute",
    SourceKind.COPY: "a republished or reworded copy of another outlet's report (name it in "
    "`copy_of`)",
}

OFFICIAL_KINDS = frozenset({SourceKind.GOVERNMENT, SourceKind.GAZETTE, SourceKind.LEGISLATURE})
"""Source kinds that can carry a legal text first-hand."""

TIER_RANK = {Tier.OFFICIAL_TEXT: 2, Tier.ON_RECORD: 1, Tier.ANONYMOUS: 0}
"""Tiers by weight, for picking a statement's best source."""


class LifecycleKind(StrEnum):
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    RESCINDED = "rescinded"
    RELAXED = "relaxed"
    NON_ENFORCEMENT = "non_enforcement"


LIFECYCLE = {
    LifecycleKind.SUSPENDED: "the initiator suspended the control (from `date`, until `until` "
    "when known); it does not bind meanwhile",
    LifecycleKind.RESUMED: "a suspended control binds again",
    LifecycleKind.RESCINDED: "the initiator withdrew the control; it no longer binds",
    LifecycleKind.RELAXED: "the initiator loosened the control; it still binds",
    LifecycleKind.NON_ENFORCEMENT: "the initiator said it will not enforce the control, pending "
    "its rescission; it does not bind (unless later `resumed`), and this is not a printed "
    "rescission",
}


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record stands: its file (as shown to the user) and its key path in that file."""

    path: str
    keypath: tuple[str | int, ...]


class _Record(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )
    """Built on first validation: a command that types no record pays nothing for it."""


class _Located(_Record):
    """A record of a data file (not a part of one): knows where it stands (``set_origin``).

    The origin lives in pydantic's private-state slot, set once after validation: declaring it
    a ``PrivateAttr`` would make pydantic initialise private state in Python on every
    validation, a third of the cost of typing a record. Parts (sources, lifecycle events) carry
    none."""

    @property
    def origin(self) -> Origin | None:
        private = self.__pydantic_private__
        return private.get("_origin") if private else None


def set_origin(record: _Located, origin: Origin) -> None:
    """Record where a typed record stands (once, by whoever built it from a file)."""
    object.__setattr__(record, "__pydantic_private__", {"_origin": origin})


class Actor(_Located):
    """A state, bloc, agency, person, company or publication."""

    id: Slug = Field(description="lowercase slug, unique across the three files")
    name: Text
    kind: ActorKind
    role: Role | None = Field(
        None,
        description="for states and blocs: "
        + "; ".join(f"{k.value}: {v}" for k, v in ROLES.items()),
    )
    represents: Slug | None = Field(
        None, description="the state or bloc an agency or person speaks for"
    )
    title: Text | None = Field(
        None, description="a person's title as of the statements that cite them"
    )
    members: list[Slug] = Field(
        default_factory=list,
        description="a bloc's member states; its measures reach each member ally",
    )
    reviewed: PartialDate | None = Field(
        None,
        description="an ally: the curator checked the public record for it up to this date; "
        "staleness counts from the later of this and the newest evidence",
    )
    reviewed_note: Text | None = Field(None, description="what was searched")
    notes: Text | None = None


class ControlSource(_Record):
    url: Text | None = Field(None, description="http(s) address of the official text")
    archive_url: Text | None = Field(
        None,
        description="an archived copy of the page (the Internet Archive's closest snapshot), "
        "as `sources check --write-archive` records it",
    )
    title: Text
    citation: Text | None = Field(None, description='an official citation such as "87 FR 62186"')
    document: Text | None = Field(None, description="an archived copy under seeds/")
    publisher: Text | None = None
    kind: SourceKind | None = Field(
        None,
        description="what kind of page it is: "
        + "; ".join(f"{k.value}: {v}" for k, v in SOURCE_KINDS.items()),
    )
    copy_of: Text | None = Field(None, description="the original outlet, when kind is copy")

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if self.url is None and self.document is None and self.citation is None:
            raise ValueError("a source needs a url, a citation or an archived document")
        _check_copy_of(self.kind, self.copy_of)
        return self


def _check_copy_of(kind: SourceKind | None, copy_of: str | None) -> None:
    if kind is SourceKind.COPY and copy_of is None:
        raise ValueError("a source of kind copy names the original outlet in copy_of")
    if copy_of is not None and kind is not SourceKind.COPY:
        raise ValueError("copy_of is only for a source of kind copy")


class LifecycleEvent(_Record):
    """A later event in an initiator control's life."""

    event: LifecycleKind = Field(
        description="; ".join(f"{k.value}: {v}" for k, v in LIFECYCLE.items())
    )
    date: PartialDate
    until: PartialDate | None = Field(
        None, description="suspended only: the day it binds again, when known"
    )
    date_note: Text | None = None
    summary: Text = Field(description="what happened, in the curator's own words")
    source: ControlSource

    @model_validator(mode="after")
    def _until_only_when_suspended(self) -> Self:
        if self.until is not None and self.event is not LifecycleKind.SUSPENDED:
            raise ValueError("until is only for a suspension")
        if self.until is not None and self.until.certainly_before(self.date):
            raise ValueError(f"until {self.until} is before the suspension ({self.date})")
        return self


class ScopeItem(_Located):
    """One kind of item a control can cover (the vocabulary of ``scope`` slugs)."""

    id: Slug
    name: Text
    description: Text = Field(description="one line")


class Control(_Located):
    """A rule, regulation or ordinance. An ally's own measure lists the initiator controls it
    answers in ``aligns_with``."""

    id: Slug
    issuer: Slug = Field(description="the state or bloc that issued it")
    title: Text
    kind: ControlKind
    target: Slug = Field(description="the state or bloc it is aimed at (also when it names none)")
    scope: list[Slug] = Field(
        min_length=1,
        description="scope item ids from `scope_items`, e.g. "
        "semiconductor-manufacturing-equipment, advanced-computing-chips",
    )
    announced: PartialDate | None = None
    published: PartialDate | None = None
    effective: PartialDate | None = Field(
        None, description="may precede `published` (interim final rules), never `announced`"
    )
    date_note: Text | None = Field(
        None, description="how an inferred or partial date was arrived at"
    )
    aligns_with: list[Slug] = Field(
        default_factory=list, description="initiator control ids this measure answers"
    )
    source: ControlSource
    lifecycle: list[LifecycleEvent] = Field(
        default_factory=list,
        description="an initiator control's later life: suspended, resumed, rescinded, relaxed, "
        "non_enforcement",
    )
    notes: Text | None = None

    @property
    def first_date(self) -> PartialDate | None:
        """The earliest of its dates: when the measure entered the record of events (the first
        given of those tied)."""
        first = None
        for d in (self.announced, self.effective, self.published):
            if d is not None and (first is None or d.sort_key < first.sort_key):
                first = d
        return first

    @property
    def open_suspensions(self) -> list[LifecycleEvent]:
        """Suspensions with an ``until`` and no other lifecycle event dated on or after it: from
        that day the record does not say whether the control binds again (scoring's status
        ``unknown``)."""
        return [
            e
            for e in self.lifecycle
            if e.event is LifecycleKind.SUSPENDED
            and e.until is not None
            and not any(o is not e and o.date.latest >= e.until.latest for o in self.lifecycle)
        ]


class StatementSource(_Record):
    document: Text | None = Field(None, description="an archived document under seeds/")
    url: Text | None = None
    archive_url: Text | None = Field(
        None,
        description="an archived copy of the page (the Internet Archive's closest snapshot), "
        "as `sources check --write-archive` records it",
    )
    title: Text | None = None
    publisher: Text
    published: PartialDate
    tier: Tier = Field(description="; ".join(f"{k.value}: {v}" for k, v in TIERS.items()))
    kind: SourceKind | None = Field(
        None,
        description="what kind of page it is: "
        + "; ".join(f"{k.value}: {v}" for k, v in SOURCE_KINDS.items()),
    )
    copy_of: Text | None = Field(None, description="the original outlet, when kind is copy")
    notes: Text | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if self.url is None and self.document is None:
            raise ValueError("a source needs a url or an archived document")
        _check_copy_of(self.kind, self.copy_of)
        return self


class Statement(_Located):
    """Something an actor said or did on a date, as a source reports it."""

    id: Slug
    date: PartialDate
    date_note: Text | None = Field(
        None, description="how an inferred or partial date was arrived at"
    )
    speaker: Slug
    about: list[Slug] = Field(min_length=1, description="the allies it concerns")
    controls: list[Slug] = Field(min_length=1, description="the initiator controls it concerns")
    signal: Signal = Field(description="; ".join(f"{k.value}: {v}" for k, v in SIGNALS.items()))
    stance: Stance
    summary: Text = Field(description="what was said or done, in the curator's own words")
    quote: Text | None = Field(
        None, description="the exact words, as the archived `document` prints them"
    )
    event: Slug | None = Field(
        None,
        description="statements sharing an event id report one event through different sources",
    )
    scope: list[Slug] | None = Field(
        None,
        min_length=1,
        description="the scope items it concerns (default: every item of its controls)",
    )
    sources: list[StatementSource] | None = Field(
        None, min_length=1, description="several sources reporting it (instead of `source`)"
    )
    source: StatementSource | None = Field(
        None, validate_default=True, description="its one source (or give `sources`)"
    )
    notes: Text | None = None

    @field_validator("source", mode="after")
    @classmethod
    def _one_way_to_cite(
        cls, value: StatementSource | None, info: ValidationInfo
    ) -> StatementSource | None:
        given = info.data.get("sources", ())  # absent: `sources` failed and is reported
        if value is None and given is None:
            raise PydanticCustomError("missing", "Field required")
        if value is not None and given:
            raise ValueError("give either `source` (one) or `sources` (a list), not both")
        return value

    @property
    def cited(self) -> tuple[StatementSource, ...]:
        """Every source, in the order given."""
        return (self.source,) if self.source is not None else tuple(self.sources or ())

    @property
    def best_source(self) -> StatementSource:
        """The source of the highest tier (the first given on a tie)."""
        return max(self.cited, key=lambda s: TIER_RANK[s.tier])

    @property
    def tier(self) -> Tier:
        """The statement's tier: its best source's."""
        return self.best_source.tier


class _File(_Record):
    """A whole data file; used for its JSON Schema only, so built on first use."""

    model_config = ConfigDict(defer_build=True)


class ActorsFile(_File):
    actors: list[Actor] = Field(default_factory=list)


class ControlsFile(_File):
    scope_items: list[ScopeItem] = Field(
        default_factory=list, description="the vocabulary of scope items controls cover"
    )
    controls: list[Control] = Field(default_factory=list)


class StatementsFile(_File):
    statements: list[Statement] = Field(default_factory=list)


FILE_SECTIONS: dict[str, dict[str, type[_Record]]] = {"controls": {"scope_items": ScopeItem}}
"""Top-level lists a data file may hold beside its records (the scope item vocabulary)."""

FILE_MODELS: dict[str, type[_Record]] = {
    "actors": ActorsFile,
    "controls": ControlsFile,
    "statements": StatementsFile,
}


@dataclass
class Dataset:
    """The whole record, typed. Records that failed validation are absent."""

    actors: list[Actor]
    controls: list[Control]
    statements: list[Statement]
    root: object = None
    """The dataset's root folder (where ``seeds/`` lives), for resolving archived documents."""
    scope_items: list[ScopeItem] = field(default_factory=list)
    """The scope item vocabulary (``scope_items`` in controls.yaml)."""

    def actor(self, actor_id: str) -> Actor | None:
        found = self._index().get(actor_id)
        return found if isinstance(found, Actor) else None

    def control(self, control_id: str) -> Control | None:
        found = self._index().get(control_id)
        return found if isinstance(found, Control) else None

    def _index(self) -> dict[str, Actor | Control | Statement]:
        cached: dict[str, Actor | Control | Statement] | None = getattr(self, "_by_id", None)
        if cached is None:
            cached = {}
            records: list[Actor | Control | Statement] = [
                *self.actors,
                *self.controls,
                *self.statements,
            ]
            for record in records:
                cached.setdefault(record.id, record)
            self._by_id = cached
        return cached

    def scope_item(self, item_id: str) -> ScopeItem | None:
        return next((i for i in self.scope_items if i.id == item_id), None)

    def allies(self) -> list[Actor]:
        return [a for a in self.actors if a.role is Role.ALLY]

    def initiator_controls(self) -> list[Control]:
        return [
            c
            for c in self.controls
            if (issuer := self.actor(c.issuer)) is not None and issuer.role is Role.INITIATOR
        ]
