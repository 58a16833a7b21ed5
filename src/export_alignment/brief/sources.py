"""The brief's sources: each source cited numbered once, in order of first reference."""

from __future__ import annotations

from export_alignment.brief.markdown import markdown_link, markdown_text
from export_alignment.brief.wording import TIER_WORDS, human_day
from export_alignment.dates import PartialDate
from export_alignment.models import Control, ControlSource, Statement, StatementSource, Tier
from export_alignment.views.values import source_identity


def source_key(
    record: Statement | Control, tier: Tier, s: StatementSource | ControlSource | None = None
) -> tuple[str, ...]:
    """One key per source (``views.values.source_identity``), so a page cited by several
    records, or by a control and a statement, is one note, as on the site's sources page."""
    cited = (s or record.best_source) if isinstance(record, Statement) else record.source
    return source_identity(cited)


def control_date(c: Control) -> PartialDate | None:
    return c.published or c.announced or c.effective


class Footnotes:
    """Sources numbered in order of first reference; each defined once."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, ...], int] = {}
        self._texts: list[str] = []

    def ref(self, record: Statement | Control, tier: Tier) -> str:
        """A note for each source the record cites (a statement may cite several)."""
        sources = record.cited if isinstance(record, Statement) else (None,)
        out = []
        for source in sources:
            key = source_key(record, tier, source)
            number = self._numbers.get(key)
            if number is None:
                self._texts.append(_source_text(record, tier, source))
                number = self._numbers[key] = len(self._texts)
            out.append(f"[^{number}]")
        return "".join(out)

    def definitions(self) -> list[str]:
        return [f"[^{i}]: {text}" for i, text in enumerate(self._texts, 1)]


def _where(url: str | None, document: str | None, title: str | None) -> str:
    if url is not None:
        return markdown_link(title or url, url)
    if document is not None:
        label = f"{markdown_text(title)}, " if title else ""
        return f"{label}archived document {markdown_text(document)}"
    return markdown_text(title) if title else ""


def _kind_words(s: StatementSource | ControlSource) -> str:
    if s.kind is None:
        return ""
    if s.copy_of:
        return f"kind: {markdown_text(s.kind)} of {markdown_text(s.copy_of)}"
    return f"kind: {markdown_text(s.kind)}"


def _source_text(
    record: Statement | Control, tier: Tier, source: StatementSource | None = None
) -> str:
    if isinstance(record, Statement):
        s = source or record.best_source
        parts = [
            markdown_text(s.publisher),
            human_day(s.published),
            f"tier: {TIER_WORDS[s.tier]}",
            _kind_words(s),
            _where(s.url, s.document, s.title),
        ]
    else:
        when = control_date(record)
        c = record.source
        parts = [
            markdown_text(c.publisher) if c.publisher else "publisher not recorded",
            human_day(when) if when else "date not recorded",
            f"tier: {TIER_WORDS[tier]}",
            _kind_words(c),
        ]
        if c.citation:
            parts.append(markdown_text(c.citation))
        parts.append(_where(c.url, c.document, c.title))
    return "; ".join(p for p in parts if p) + "."
