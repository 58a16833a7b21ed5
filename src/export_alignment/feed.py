"""Atom feeds (RFC 4287), newest first: the public feed of every ally's verdict, stage and
coverage changes, one per ally and one per control beside it, and a curators' feed of flags
(staleness among them). Each public entry links the source of the evidence that made it.

Each entry's id is a ``urn:uuid:`` derived from the change itself (ally, kind, date, stages or
flag), so rebuilding the site never makes an old change look new to a feed reader. Entry times
are the day the change counts from, at midnight UTC; the feed's ``updated`` is its newest entry's
(or the as-of date when there is none), never the clock, so two builds of one record are byte for
byte the same.

The XML is written by ElementTree (escaping ``<``, ``&`` and quotes); record text is first made
one line with control and bidi characters shown as escapes, which also keeps the document
well-formed (XML 1.0 forbids most control characters even escaped). Links point into the site:
relative to the feed, or, given the site's public address (``site --base-url``), absolute, with
the feed's own address as its ``rel="self"`` link (RFC 4287 section 4.2.7.2).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date

from export_alignment.escape import xml_text
from export_alignment.views.publication import Publication
from export_alignment.views.publication_model import (
    FEED_NAMESPACE,
    LICENCE_WORDS,
    Ally,
    Change,
    ControlInfo,
    Source,
)
from export_alignment.webtext import text, web_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, 'export-alignment feed')}"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if value is not None:
        el.text = xml_text(value)
    return el


def atom(pub: Publication, base: str | None = None) -> str:
    """The public feed (``feed.xml``): every ally's verdict, stage and coverage changes."""
    return document(
        pub,
        [c for c in pub.changes if c.public],
        "Alignment with US chip export controls: verdict, stage and coverage changes",
        "feed.xml",
        "index.html",
        base,
    )


def curators_feed(pub: Publication, base: str | None = None) -> str:
    """The curators' feed (``feeds/curators.xml``): flags raised and cleared, staleness among
    them: housekeeping a reader of the public feed does not need."""
    return document(
        pub,
        [c for c in pub.changes if not c.public],
        "Alignment record, for curators: flags raised and cleared",
        "feeds/curators.xml",
        "index.html",
        base,
    )


def ally_feed(pub: Publication, ally: Ally, base: str | None = None) -> str:
    """One ally's feed: its verdict, stage and coverage changes, overall and per control."""
    return document(
        pub,
        [c for c in ally.changes if c.public],
        f"{ally.name}: alignment with US chip export controls",
        ally.feed_url,
        ally.url,
        base,
    )


def control_feed(pub: Publication, control: ControlInfo, base: str | None = None) -> str:
    """One control's feed: each ally's verdict and stage changes on it."""
    return document(
        pub,
        pub.control_changes(control.id),
        f"{control.label}: each ally's alignment",
        control.feed_url,
        control.url,
        base,
    )


def document(
    pub: Publication,
    changes: list[Change],
    title: str,
    path: str,
    alternate: str,
    base: str | None = None,
) -> str:
    """An Atom document of ``changes`` (newest first), written at ``path`` in the site; links
    are relative to it, or absolute under ``base`` (``site.public_base``)."""
    ET.register_namespace("", ATOM)
    at = base or "../" * path.count("/")
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", FEED_ID if path == "feed.xml" else _feed_id(path))
    _sub(root, "title", title)
    _sub(root, "subtitle", f"Derived from the record as of {pub.as_of.isoformat()}")
    newest = changes[0].date if changes else pub.as_of
    _sub(root, "updated", _stamp(newest))
    author = _sub(root, "author")
    _sub(author, "name", "export-alignment")
    _sub(root, "link", rel="alternate", type="text/html", href=f"{at}{alternate}")
    if base:
        _sub(root, "link", rel="self", type="application/atom+xml", href=f"{at}{path}")
    _sub(root, "rights", LICENCE_WORDS)
    _sub(root, "generator", "export-alignment")
    for change in changes:
        entry = _sub(root, "entry")
        _sub(entry, "id", change.id)
        _sub(entry, "title", text(change.text))
        _sub(entry, "updated", _stamp(change.date))
        _sub(entry, "published", _stamp(change.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{at}{change.url}")
        src = change.source
        href = web_url(src.url) if src is not None else None
        if href and src is not None:
            _sub(entry, "link", rel="related", type="text/html", href=href, title=_named(src))
        _sub(entry, "category", term=change.kind)
        summary = text(change.summary)
        if src is not None:
            summary += f" Source: {text(_named(src))}."
        _sub(entry, "summary", summary, type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _named(src: Source) -> str:
    parts = [src.title or src.citation or src.document or "source", src.publisher]
    return ", ".join(p for p in parts if p)


def _feed_id(path: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, 'export-alignment feed ' + path)}"
