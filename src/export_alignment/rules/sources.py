"""What a record cites: web addresses, official texts for official evidence, originals beside
copies (``url-scheme``, ``official-text-source``, ``lone-copy-source``), and the walk over a
record's sources the other families share."""

from __future__ import annotations

from collections.abc import Iterator

from export_alignment.escape import is_web_address
from export_alignment.models import (
    OFFICIAL_KINDS,
    Control,
    ControlSource,
    SourceKind,
    Statement,
    StatementSource,
    Tier,
)
from export_alignment.problems import Level, Problem
from export_alignment.reader import KeyPath
from export_alignment.rules.context import Context, rule


def statement_sources(s: Statement) -> Iterator[tuple[KeyPath, StatementSource]]:
    """(key path, source) for each source of a statement, ``source`` or ``sources[i]``."""
    if s.source is not None:
        yield ("source",), s.source
    for i, source in enumerate(s.sources or ()):
        yield ("sources", i), source


def sources_of(
    record: Control | Statement,
) -> Iterator[tuple[KeyPath, ControlSource | StatementSource]]:
    """(key path, source) for every source a control or statement cites."""
    if isinstance(record, Statement):
        yield from statement_sources(record)
        return
    yield ("source",), record.source
    for i, event in enumerate(record.lifecycle):
        yield ("lifecycle", i, "source"), event.source


@rule("url-scheme")
def url_schemes(ctx: Context) -> Iterator[Problem]:
    """Every URL (a source's ``url`` and ``archive_url``) is an http(s) address with a host and
    no spaces.

    Passes: ``controls[0].source.url: https://www.federalregister.gov/d/2022-21658``
    Fails: ``controls[0].source.url: javascript:alert(1)``
    """
    records: list[Control | Statement] = [*ctx.dataset.controls, *ctx.dataset.statements]
    for record in records:
        for suffix, source in sources_of(record):
            for name in ("url", "archive_url"):
                url = getattr(source, name)
                if url is not None and not is_web_address(url):
                    yield ctx.problem(
                        record,
                        (*suffix, name),
                        f"source.{name} must be an http:// or https:// address",
                    )


@rule("official-text-source", level=Level.WARNING)
def official_text_source(ctx: Context) -> Iterator[Problem]:
    """(warning) Evidence of tier official_text (a statement, or an ally's own measure) cites
    the text where it is published: at least one source of kind government, gazette or
    legislature. A source without a ``kind`` is not judged.

    Passes: ``statements[0].source.tier: official_text`` ``statements[0].source.kind: gazette``
    Fails: ``statements[0].source.tier: official_text`` ``statements[0].source.kind: law-firm``
    """
    for s in ctx.dataset.statements:
        if s.tier is not Tier.OFFICIAL_TEXT:
            continue
        kinds = [src.kind for src in s.cited]
        if None not in kinds and not OFFICIAL_KINDS & set(kinds):
            suffix = ("source",) if s.source is not None else ("sources",)
            yield ctx.problem(
                s,
                suffix,
                "official_text evidence cites no government, gazette or legislature page "
                f"({', '.join(str(k) for k in kinds)}); cite the original where it exists",
                key=True,
            )
    for c in ctx.dataset.controls:
        kind = c.source.kind
        if c.aligns_with and kind is not None and kind not in OFFICIAL_KINDS:
            yield ctx.problem(
                c,
                ("source", "kind"),
                f"an ally's measure (official_text evidence) is cited through a {kind} page; "
                "cite the original where it exists",
            )


@rule("lone-copy-source", level=Level.WARNING)
def lone_copy_source(ctx: Context) -> Iterator[Problem]:
    """(warning) A statement whose only source is a ``copy`` (a republished or reworded report)
    should also cite the original where it exists.

    Passes: ``statements[0].source.kind: news-agency``
    Fails: ``statements[0].source.kind: copy`` ``statements[0].source.copy_of: Reuters``
    """
    for s in ctx.dataset.statements:
        cited = s.cited
        if len(cited) == 1 and cited[0].kind is SourceKind.COPY:
            suffix = ("source", "kind") if s.source is not None else ("sources", 0, "kind")
            yield ctx.problem(
                s,
                suffix,
                f"the only source is a copy of {cited[0].copy_of}; cite the original where it "
                "exists",
            )
