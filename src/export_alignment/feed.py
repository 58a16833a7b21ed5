"""An Atom feed (RFC 4287) of every ally's stage and flag changes, newest first.

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
from export_alignment.site import page_name, text
from export_alignment.views.publication import FEED_NAMESPACE, Publication

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
    """The feed; ``base`` is the site's public address ending in ``/`` (``site.public_base``)."""
    ET.register_namespace("", ATOM)
    at = base or ""
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", FEED_ID)
    _sub(root, "title", "Alignment with US chip export controls: stage and flag changes")
    _sub(
        root,
        "subtitle",
        f"Each ally's stage and flags derived from the record as of {pub.as_of.isoformat()}",
    )
    newest = pub.changes[0].date if pub.changes else pub.as_of
    _sub(root, "updated", _stamp(newest))
    author = _sub(root, "author")
    _sub(author, "name", "export-alignment")
    _sub(root, "link", rel="alternate", type="text/html", href=f"{at}index.html")
    if base:
        _sub(root, "link", rel="self", type="application/atom+xml", href=f"{at}feed.xml")
    _sub(root, "generator", "export-alignment")
    for change in pub.changes:
        entry = _sub(root, "entry")
        _sub(entry, "id", change.id)
        _sub(entry, "title", text(change.text))
        _sub(entry, "updated", _stamp(change.date))
        _sub(entry, "published", _stamp(change.date))
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{at}allies/{page_name(change.ally)}",
        )
        _sub(entry, "category", term=change.kind)
        summary = text(change.text)
        if change.evidence:
            summary += f" Set by {text(change.evidence)}."
        _sub(entry, "summary", summary, type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
