"""Typed records: actors, control measures and statements, and the vocabularies they use.

Every vocabulary is defined once here, with the definition a curator reads in ``--help``, the
docs and the JSON Schemas. The models know nothing of files: where a record came from is kept in
``origin`` by whoever built it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

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


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record stands: its file (as shown to the user) and its key path in that file."""

    path: str
    keypath: tuple


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin | None:
        return self._origin


class Actor(_Record):
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
    notes: Text | None = None


class ControlSource(_Record):
    url: Text | None = Field(None, description="http(s) address of the official text")
    title: Text
    citation: Text | None = Field(None, description='an official citation such as "87 FR 62186"')
    document: Text | None = Field(None, description="an archived copy under seeds/")
    publisher: Text | None = None

    @model_validator(mode="after")
    def _somewhere(self):
        if self.url is None and self.document is None and self.citation is None:
            raise ValueError("a source needs a url, a citation or an archived document")
        return self


class Control(_Record):
    """A rule, regulation or ordinance. An ally's own measure lists the initiator controls it
    answers in ``aligns_with``."""

    id: Slug
    issuer: Slug = Field(description="the state or bloc that issued it")
    title: Text
    kind: ControlKind
    target: Slug = Field(description="the state or bloc it is aimed at (also when it names none)")
    scope: list[Slug] = Field(
        min_length=1,
        description="e.g. semiconductor-manufacturing-equipment, advanced-computing-chips",
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
    notes: Text | None = None

    @property
    def first_date(self) -> PartialDate | None:
        """The earliest of its dates: when the measure entered the record of events."""
        dates = [d for d in (self.announced, self.effective, self.published) if d is not None]
        return min(dates, key=lambda d: d.sort_key) if dates else None


class StatementSource(_Record):
    document: Text | None = Field(None, description="an archived document under seeds/")
    url: Text | None = None
    title: Text | None = None
    publisher: Text
    published: PartialDate
    tier: Tier = Field(description="; ".join(f"{k.value}: {v}" for k, v in TIERS.items()))
    notes: Text | None = None

    @model_validator(mode="after")
    def _somewhere(self):
        if self.url is None and self.document is None:
            raise ValueError("a source needs a url or an archived document")
        return self


class Statement(_Record):
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
    source: StatementSource
    notes: Text | None = None


class _File(_Record):
    """A whole data file; used for its JSON Schema only, so built on first use."""

    model_config = ConfigDict(defer_build=True)


class ActorsFile(_File):
    actors: list[Actor] = Field(default_factory=list)


class ControlsFile(_File):
    controls: list[Control] = Field(default_factory=list)


class StatementsFile(_File):
    statements: list[Statement] = Field(default_factory=list)


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

    def allies(self) -> list[Actor]:
        return [a for a in self.actors if a.role is Role.ALLY]

    def initiator_controls(self) -> list[Control]:
        return [
            c
            for c in self.controls
            if (issuer := self.actor(c.issuer)) is not None and issuer.role is Role.INITIATOR
        ]
