"""Quotes checked against archived documents under ``seeds/`` (``quote-without-document``,
``quote-not-in-document``, ``document-path``)."""

from __future__ import annotations

from collections.abc import Iterator

from export_alignment.models import (
    Control,
    Statement,
)
from export_alignment.problems import Problem
from export_alignment.rules.archive import normalise_quote, printed_in
from export_alignment.rules.context import Context, rule
from export_alignment.rules.sources import sources_of


@rule("quote-without-document")
def quote_without_document(ctx: Context) -> Iterator[Problem]:
    """A quote needs an archived ``document`` to check it against.

    Passes: ``statements[0].quote: extremely fruitful`` (with a ``source.document``)
    Fails: ``statements[0].source.document: absent`` ``statements[0].source.url: https://example.org/a``
    """
    for s in ctx.dataset.statements:
        if s.quote is not None and _quoted_document(s) is None:
            yield ctx.problem(
                s,
                ("quote",),
                "a quote needs source.document: an archived copy in seeds/ that prints it",
            )


def _quoted_document(s: Statement) -> str | None:
    """The archived document a quote is checked against: the first source that has one."""
    return next((src.document for src in s.cited if src.document is not None), None)


@rule("quote-not-in-document")
def quote_not_in_document(ctx: Context) -> Iterator[Problem]:
    """A quote appears in its archived document, exactly but for whitespace and typographic
    quotes and dashes.

    Passes: ``statements[0].quote: extremely  fruitful`` (the document prints “extremely fruitful”)
    Fails: ``statements[0].quote: very productive`` (the document does not print those words)
    """
    normalised: dict[str, str] = {}  # a quote text is often quoted again
    found: dict[tuple[str, str], bool] = {}  # each (document, quote) is looked for once
    for s in ctx.dataset.statements:
        if s.quote is None or (document := _quoted_document(s)) is None:
            continue
        text = ctx.document_text(document)
        if text is None:
            continue  # reported by document-path
        quote = normalised.get(s.quote)
        if quote is None:
            quote = normalised[s.quote] = normalise_quote(s.quote)
        if quote and (document, quote) not in found:
            found[document, quote] = printed_in(quote, text)
        if not quote:
            yield ctx.problem(s, ("quote",), "the quote is blank")
        elif not found[document, quote]:
            yield ctx.problem(
                s,
                ("quote",),
                f"the quote is not printed in {document}",
            )


@rule("document-path")
def document_paths(ctx: Context) -> Iterator[Problem]:
    """An archived ``document`` is a file under ``seeds/`` in the dataset root: relative, no
    ``..``, no link leading out, and it exists.

    Passes: ``statements[0].source.document: seeds/article.txt``
    Fails: ``statements[0].source.document: ../../etc/passwd``
    """
    records: list[Control | Statement] = [*ctx.dataset.controls, *ctx.dataset.statements]
    for record in records:
        for suffix, source in sources_of(record):
            doc = source.document
            if doc is None:
                continue
            resolved = ctx.resolve(doc)
            if isinstance(resolved, str):
                yield ctx.problem(record, (*suffix, "document"), f"document {doc!r}: {resolved}")
