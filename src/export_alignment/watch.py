"""The watch list and its inbox: what the public record printed since the last look that the
record does not cite yet.

``data/watch.yaml`` names the places to look (``WatchSource``): a Federal Register documents
search (agencies, document types, publication date from the last run) or an Atom/RSS feed, each
with the ally or initiator it concerns and optional keywords. ``run_watch`` fetches each through
``web.Client`` (a failure is that source's error, the others carry on), drops what the record
already cites (``Cited``: by address, Federal Register document number, citation or title) and
returns an ``Inbox``, newest first, each item with a draft ``add`` command. Nothing is written to
the record.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Self
from urllib.parse import urlencode, urlsplit

from pydantic import Field, ValidationError, model_validator
from typing_extensions import TypedDict

from export_alignment.dates import PartialDate
from export_alignment.loader import LoadedFile, display_path, load_file
from export_alignment.models import ControlSource, Dataset, Slug, StatementSource, Text, _Record
from export_alignment.problems import Level, Problem
from export_alignment.shape import Record, all_records
from export_alignment.web import Client, FetchError, Response

WATCH_FILE = "watch"
"""``data/watch.yaml``: a mapping ``watch: [...]`` of sources."""

FEDERAL_REGISTER_API = "https://www.federalregister.gov/api/v1/documents.json"
FR_FIELDS = (
    "document_number",
    "citation",
    "title",
    "type",
    "publication_date",
    "effective_on",
    "html_url",
    "abstract",
)
"""The fields asked of the Federal Register for each document."""
MAX_PAGES = 20
PER_PAGE = 100
FEED_MAX_ENTRIES = 500


class WatchKind(StrEnum):
    FEDERAL_REGISTER = "federal-register"
    FEED = "feed"


WATCH_KINDS = {
    WatchKind.FEDERAL_REGISTER: "a Federal Register documents search (its public JSON API)",
    WatchKind.FEED: "an Atom or RSS feed (an official journal's or a ministry's news)",
}


class WatchSource(_Record):
    """One place to look for new evidence."""

    id: Slug
    name: Text
    kind: WatchKind = Field(
        description="; ".join(f"{k.value}: {v}" for k, v in WATCH_KINDS.items())
    )
    concerns: Slug = Field(description="the ally or initiator the source is about (an actor id)")
    url: Text | None = Field(
        None, description="a feed's address; for the Federal Register, another API address"
    )
    agencies: list[Text] = Field(
        default_factory=list,
        description="Federal Register agency slugs, e.g. industry-and-security-bureau",
    )
    types: list[Text] = Field(
        default_factory=list, description="Federal Register document types: RULE, PRORULE, NOTICE"
    )
    keywords: list[Text] = Field(
        default_factory=list,
        description="keep only items whose title or summary holds one of these (any case)",
    )
    since: PartialDate | None = Field(
        None, description="look back to this date on the first run (later runs: from the last)"
    )
    notes: Text | None = None

    @model_validator(mode="after")
    def _needs(self) -> Self:
        if self.kind is WatchKind.FEED and self.url is None:
            raise ValueError("a feed needs its url")
        if self.kind is WatchKind.FEDERAL_REGISTER and not self.agencies:
            raise ValueError("a Federal Register source names its agencies")
        if self.url is not None and urlsplit(self.url).scheme.lower() not in ("http", "https"):
            raise ValueError("url must be an http:// or https:// address")
        return self


@dataclass(frozen=True)
class WatchList:
    sources: list[WatchSource]
    problems: list[Problem]
    path: str


def load_watch_list(path: Path, dataset: Dataset | None = None) -> WatchList:
    """The watch list's sources, each problem located at its file:line:col (a source with an
    error is left out; ``concerns`` must name an actor of the dataset when one is given)."""
    shown = display_path(path)
    loaded: LoadedFile = load_file(path, shown, name=WATCH_FILE)
    if loaded.data is None:
        return WatchList([], loaded.problems, shown)
    problems = list(loaded.problems)
    items = loaded.data.get(WATCH_FILE) if isinstance(loaded.data, dict) else None
    if not isinstance(items, list):
        line, col = loaded.locate(())
        message = f"the file should hold a mapping '{WATCH_FILE}: [...]' of sources"
        return WatchList([], [Problem(shown, line, col, "schema", Level.ERROR, message)], shown)
    from export_alignment.records import schema_problems

    actors = {a.id for a in dataset.actors} if dataset is not None else None
    sources, seen = [], set()
    for i, item in enumerate(items):
        try:
            source = WatchSource.model_validate(item)
        except ValidationError as exc:
            problems.extend(schema_problems(exc, WatchSource, loaded, (WATCH_FILE, i)))
            continue
        if source.id in seen:
            line, col = loaded.locate((WATCH_FILE, i, "id"))
            problems.append(
                Problem(shown, line, col, "duplicate-id", Level.ERROR, f"id {source.id!r} twice")
            )
            continue
        if actors is not None and source.concerns not in actors:
            line, col = loaded.locate((WATCH_FILE, i, "concerns"))
            message = f"concerns: {source.concerns!r} is not an actor of the record"
            problems.append(Problem(shown, line, col, "dangling-reference", Level.ERROR, message))
            continue
        seen.add(source.id)
        sources.append(source)
    return WatchList(sources, sorted(problems, key=lambda p: (p.line, p.column)), shown)


# --- what the record cites ---------------------------------------------------------------------

_DOC_NUMBER = re.compile(r"(?<![\d-])((?:19|20)\d{2}-\d{5})(?![\d])")
_CITATION = re.compile(r"\b(\d{1,3})\s*F\.?\s*R\.?\s*(\d{1,6})\b")


def url_key(url: str) -> str:
    """An address as the record and a feed may both write it: no scheme, no ``www.``, no
    fragment, no trailing slash, host in lower case."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


def citation_keys(text: str) -> set[str]:
    """``90 FR 42321`` in every spelling (``90 F.R. 42321``) as ``90 FR 42321``."""
    return {f"{vol} FR {page}" for vol, page in _CITATION.findall(text)}


def doc_numbers(text: str) -> set[str]:
    return set(_DOC_NUMBER.findall(text))


@dataclass
class Cited:
    """Everything the record's sources name, as keys an item is matched by."""

    urls: set[str] = field(default_factory=set)
    doc_numbers: set[str] = field(default_factory=set)
    citations: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, dataset: Dataset) -> Cited:
        cited = cls()
        for record in all_records(dataset):
            for source in _sources(record):
                url = getattr(source, "url", None)
                if url:
                    cited.urls.add(url_key(url))
                    cited.doc_numbers |= doc_numbers(url)
                citation = getattr(source, "citation", None)
                if citation:
                    cited.citations |= citation_keys(citation)
                    cited.doc_numbers |= doc_numbers(citation)
                title = getattr(source, "title", None)
                if title:
                    cited.titles.add(title_key(title))
        return cited

    def match(self, item: InboxItem) -> str | None:
        """Why the record already has the item (``url``, ``document number``, ``citation``,
        ``title``), or None."""
        if item.url and url_key(item.url) in self.urls:
            return "url"
        if item.document_number and item.document_number in self.doc_numbers:
            return "document number"
        if item.citation and citation_keys(item.citation) & self.citations:
            return "citation"
        if item.title and title_key(item.title) in self.titles:
            return "title"
        return None


def _sources(record: Record) -> Iterator[StatementSource | ControlSource]:
    cited = getattr(record, "cited", None)
    if cited is not None:
        yield from cited
    source = getattr(record, "source", None)
    if source is not None and cited is None:
        yield source
    for event in getattr(record, "lifecycle", ()) or ():
        yield event.source


# --- the inbox ---------------------------------------------------------------------------------


class InboxItemJson(TypedDict):
    """One item in ``watch --json``."""

    source: str
    concerns: str
    title: str
    url: str | None
    published: str | None
    type: str | None
    document_number: str | None
    citation: str | None
    effective: str | None
    summary: str | None
    add_command: str


@dataclass(frozen=True)
class InboxItem:
    """Something a watched source printed that the record does not cite."""

    source: str
    """The watch source's id."""
    concerns: str
    title: str
    url: str | None
    published: date | None
    kind: str | None = None
    """The Federal Register's document type (Rule, Notice, ...) or None for a feed entry."""
    document_number: str | None = None
    citation: str | None = None
    effective: date | None = None
    summary: str | None = None
    add_args: tuple[str, ...] = ()
    """The draft ``add`` command's arguments (after ``export-alignment``)."""

    @property
    def add_command(self) -> str:
        """The draft as one shell command line."""
        return "export-alignment " + " ".join(shlex.quote(a) for a in self.add_args)

    def add_command_lines(self) -> list[str]:
        """The draft as shell lines, one option and its value a line (continued with ``\\``)."""
        words = [shlex.quote(a) for a in self.add_args]
        lines, i = ["export-alignment " + " ".join(words[:2])], 2
        while i < len(words):
            take = 2 if i + 1 < len(words) and not self.add_args[i + 1].startswith("--") else 1
            lines.append("  " + " ".join(words[i : i + take]))
            i += take
        return [line + " \\" for line in lines[:-1]] + lines[-1:]

    def as_dict(self) -> InboxItemJson:
        return {
            "source": self.source,
            "concerns": self.concerns,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "type": self.kind,
            "document_number": self.document_number,
            "citation": self.citation,
            "effective": self.effective.isoformat() if self.effective else None,
            "summary": self.summary,
            "add_command": self.add_command,
        }


@dataclass(frozen=True)
class SourceResult:
    """One watched source's run: items seen, items new, or its error."""

    id: str
    name: str
    seen: int = 0
    new: int = 0
    error: str | None = None
    network: bool = False
    """The error is the network's (no answer), not the answer's."""


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    sources: list[SourceResult]
    since: dict[str, str]
    """Each source's start date, as asked."""

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.error is not None]

    @property
    def all_network_failures(self) -> bool:
        return bool(self.sources) and all(s.error is not None and s.network for s in self.sources)


# --- fetching ----------------------------------------------------------------------------------


class SourceError(Exception):
    """A watched source's answer could not be used; the message says why in words."""


def federal_register_url(source: WatchSource, since: date) -> str:
    """The documents search for a source, newest first, the fields we use only."""
    params: list[tuple[str, str]] = [("conditions[agencies][]", a) for a in source.agencies]
    params += [("conditions[type][]", t) for t in source.types]
    params.append(("conditions[publication_date][gte]", since.isoformat()))
    params += [("fields[]", f) for f in FR_FIELDS]
    params += [("order", "newest"), ("per_page", str(PER_PAGE)), ("page", "1")]
    return f"{source.url or FEDERAL_REGISTER_API}?{urlencode(params)}"


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _json(response: Response) -> object:
    try:
        return response.json()
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(f"the answer is not valid JSON ({str(exc)[:120]})") from None


def _ok(response: Response) -> None:
    if response.status != 200:
        raise SourceError(f"the server answered {response.status}")


def federal_register_items(client: Client, source: WatchSource, since: date) -> list[InboxItem]:
    """Every document of the search, following ``next_page_url`` (at most ``MAX_PAGES``)."""
    url: str | None = federal_register_url(source, since)
    items: list[InboxItem] = []
    pages = 0
    while url and pages < MAX_PAGES:
        response = client.get(url)
        _ok(response)
        page = _json(response)
        if not isinstance(page, dict) or not isinstance(page.get("results", []), list):
            raise SourceError("the answer is not a Federal Register documents page")
        for doc in page.get("results", []):
            if not isinstance(doc, dict) or not _text(doc.get("title")):
                continue
            items.append(
                InboxItem(
                    source=source.id,
                    concerns=source.concerns,
                    title=_text(doc.get("title")) or "",
                    url=_text(doc.get("html_url")),
                    published=_day(doc.get("publication_date")),
                    kind=_text(doc.get("type")),
                    document_number=_text(doc.get("document_number")),
                    citation=_text(doc.get("citation")),
                    effective=_day(doc.get("effective_on")),
                    summary=_text(doc.get("abstract")),
                )
            )
        nxt = page.get("next_page_url")
        url = nxt if isinstance(nxt, str) and nxt else None
        pages += 1
    return items


_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _declares_entities(body: bytes) -> bool:
    """Whether the feed declares XML entities (only a DTD can): the billion-laughs and
    external-entity tricks start so. The head is searched as bytes and, when it holds NUL bytes,
    read in each UTF-16 and UTF-32 byte order too (the old feedparser hole, CVE-2012-2921, was
    an entity declaration in a non-ASCII encoding)."""
    head = body[:65536]
    if b"<!ENTITY" in head.upper():
        return True
    if b"\x00" not in head:
        return False
    return any("<!ENTITY" in head.decode(encoding, errors="ignore").upper() for encoding in _WIDE)


def feed_items(client: Client, source: WatchSource, since: date) -> list[InboxItem]:
    """A feed's entries published since ``since`` (undated entries are kept)."""
    import feedparser

    assert source.url is not None
    response = client.get(source.url)
    _ok(response)
    if _declares_entities(response.body):
        raise SourceError("the feed declares XML entities (a DTD); refused, nothing was expanded")
    parsed = feedparser.parse(
        response.body, sanitize_html=True, resolve_relative_uris=False, response_headers={}
    )
    if parsed.get("bozo") and not parsed.entries:
        exc = parsed.get("bozo_exception")
        raise SourceError(f"the feed could not be read ({str(exc)[:160] or 'not a feed'})")
    if parsed.get("bozo") and _malformed(parsed.get("bozo_exception")):
        raise SourceError(
            f"the feed is not well-formed XML ({str(parsed.get('bozo_exception'))[:160]}); "
            "it may be truncated"
        )
    items = []
    for entry in parsed.entries[:FEED_MAX_ENTRIES]:
        title = _text(entry.get("title"))
        link = _text(entry.get("link"))
        if link and urlsplit(link).scheme.lower() not in ("http", "https"):
            link = None
        if not title and not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if stamp else None
        if published is not None and published < since:
            continue
        items.append(
            InboxItem(
                source=source.id,
                concerns=source.concerns,
                title=title or link or "",
                url=link,
                published=published,
                summary=_text(_strip_tags(entry.get("summary") or "")),
            )
        )
    return items


def _malformed(exc: object) -> bool:
    import xml.sax

    return isinstance(exc, xml.sax.SAXParseException)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", " ", text)


def _keep(item: InboxItem, keywords: list[str]) -> bool:
    if not keywords:
        return True
    text = f"{item.title} {item.summary or ''}".casefold()
    return any(k.casefold() in text for k in keywords)


FETCHERS: dict[WatchKind, Callable[[Client, WatchSource, date], list[InboxItem]]] = {
    WatchKind.FEDERAL_REGISTER: federal_register_items,
    WatchKind.FEED: feed_items,
}


# --- the draft add command ---------------------------------------------------------------------


def add_args(item: InboxItem, dataset: Dataset) -> tuple[str, ...]:
    """The ``add`` command that would enter the item: a draft with every field the item gives
    and an upper-case placeholder for each one the curator must decide (never run by ``watch``)."""
    concerns = dataset.actor(item.concerns)
    initiator = concerns is not None and concerns.role == "initiator"
    day = item.published.isoformat() if item.published else "DATE"
    if item.document_number or initiator:
        args = ["add", "control", "--issuer", item.concerns, "--title", item.title]
        args += ["--kind", "KIND", "--target", "TARGET", "--scope", "SCOPE"]
        args += ["--published", day]
        if item.effective:
            args += ["--effective", item.effective.isoformat()]
        if item.url:
            args += ["--url", item.url]
        args += ["--source-title", item.title]
        if item.citation:
            number = f" (FR doc {item.document_number})" if item.document_number else ""
            args += ["--citation", item.citation + number]
        if item.document_number:
            args += ["--publisher", "Federal Register", "--source-kind", "gazette"]
        else:
            args += ["--publisher", "PUBLISHER", "--source-kind", "KIND"]
    else:
        args = ["add", "statement", "--date", day, "--speaker", "SPEAKER"]
        args += ["--about", item.concerns, "--controls", "CONTROLS", "--signal", "SIGNAL"]
        args += ["--stance", "STANCE", "--summary", "SUMMARY IN YOUR OWN WORDS"]
        if item.url:
            args += ["--url", item.url]
        args += ["--title", item.title, "--publisher", "PUBLISHER", "--published", day]
        args += ["--tier", "TIER"]
    return tuple(args)


# --- running it --------------------------------------------------------------------------------


def default_since(source: WatchSource, state: Mapping[str, str], today: date) -> date:
    """Where a source's search starts: the day of its last successful run, else its own
    ``since``, else 30 days back."""
    last = _day(state.get(source.id))
    if last is not None:
        return last
    if source.since is not None:
        return source.since.earliest
    return date.fromordinal(today.toordinal() - 30)


def run_watch(
    client: Client,
    sources: Iterable[WatchSource],
    dataset: Dataset,
    since: Callable[[WatchSource], date],
    advance: Callable[[str], None] = lambda name: None,
) -> Inbox:
    """Fetch each source (an error is that source's, the others carry on), keep what the record
    does not cite, newest first."""
    cited = Cited.of(dataset)
    items: dict[tuple[str, str, str], InboxItem] = {}
    results, starts = [], {}
    for source in sources:
        start = since(source)
        starts[source.id] = start.isoformat()
        try:
            found = FETCHERS[source.kind](client, source, start)
        except FetchError as exc:
            results.append(
                SourceResult(
                    source.id, source.name, error=exc.reason, network=exc.kind == "network"
                )
            )
            advance(source.name)
            continue
        except SourceError as exc:
            results.append(SourceResult(source.id, source.name, error=str(exc)))
            advance(source.name)
            continue
        new = 0
        for item in found:
            if not _keep(item, source.keywords) or cited.match(item) is not None:
                continue
            key = (item.document_number or "", url_key(item.url or ""), title_key(item.title))
            if key not in items:
                items[key] = item
                new += 1
        results.append(SourceResult(source.id, source.name, seen=len(found), new=new))
        advance(source.name)
    ordered = sorted(
        (
            InboxItem(**{**item.__dict__, "add_args": add_args(item, dataset)})
            for item in items.values()
        ),
        key=lambda i: (i.published or date.min, i.document_number or "", i.title),
        reverse=True,
    )
    return Inbox(ordered, results, starts)


def finished_state(inbox: Inbox, state: Mapping[str, str], today: date) -> dict[str, str]:
    """The state to keep after a run: each source that answered is next read from today."""
    new = dict(state)
    for result in inbox.sources:
        if result.error is None:
            new[result.id] = today.isoformat()
    new["_updated"] = datetime.now(UTC).isoformat(timespec="seconds")
    return new
