"""Cross-file rules over the whole dataset, and ``validate``: files -> records -> problems.

Each rule is a small function registered in ``RULES`` under its kebab-case id; its docstring says
what it checks and shows one passing and one failing example. Rules run over every file at once,
after every file has been loaded and typed.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby, repeat
from pathlib import Path

from export_alignment.dates import PartialDate
from export_alignment.escape import is_web_address
from export_alignment.loader import (
    DEFAULT_LIMITS,
    Limits,
    LoadedFile,
    gc_paused,
    load_dataset_files,
)
from export_alignment.models import (
    OFFICIAL_KINDS,
    Actor,
    ActorKind,
    Control,
    Dataset,
    Role,
    SourceKind,
    Statement,
    Tier,
)
from export_alignment.problems import Level, Problem, capped
from export_alignment.records import build_records, build_section, keypath_text
from export_alignment.rules import register as catalogue_register
from export_alignment.shape import (
    DATA_FILES,
    MEASURE_DATES,
    REFERENCES,
    Record,
    Target,
    all_records,
    kind_of,
    references,
)

MAX_SUGGESTED = 1_000
"""Distinct dangling ids per run that get a "did you mean" (each is a search over every id)."""


@dataclass
class Context:
    """What a rule sees: the typed dataset, where each record stands, and the run's settings."""

    dataset: Dataset
    files: dict[str, LoadedFile]
    today: date
    root: Path
    raw_ids: set[str] = field(default_factory=set)
    """Ids of records that exist in the files but failed their schema (no reference to them is
    reported as dangling)."""
    _documents: dict[str, str | None] = field(default_factory=dict)
    _resolved: dict[str, Path | str] = field(default_factory=dict)
    _close: dict[str, CloseIds] = field(default_factory=dict)
    _suggested: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def problem(
        self,
        record,
        suffix: tuple,
        rule: str,
        message: str,
        level: Level = Level.ERROR,
        key: bool = False,
    ) -> Problem:
        origin = record.origin
        loaded = self.files.get(origin.path)
        line, col = loaded.locate(origin.keypath + suffix, key=key) if loaded else (1, 1)
        return Problem(origin.path, line, col, rule, level, message)

    def close_ids(self, ref: str, target: Target) -> list[str]:
        """Up to three ids that the reference could name (records of ``target``'s kind) close
        to ``ref``, closest first; the index over them is built once per kind and run. Each
        search visits every candidate, so only the first ``MAX_SUGGESTED`` distinct words get
        one (a hostile file of dangling references would otherwise cost a search each); a
        repeated word is answered from the first search."""
        key = (target.name, ref)
        if key in self._suggested:
            return self._suggested[key]
        if len(self._suggested) >= MAX_SUGGESTED:
            return []
        index = self._close.get(target.name)
        if index is None:
            index = self._close[target.name] = CloseIds(set(target.choices(self.dataset)))
        close = self._suggested[key] = index.close(ref, n=3, cutoff=0.6)
        return close

    def resolve(self, relative: str) -> Path | str:
        """``resolve_document`` once per path and run (many records cite the same document)."""
        if relative not in self._resolved:
            self._resolved[relative] = resolve_document(self.root, relative)
        return self._resolved[relative]

    def document_text(self, relative: str) -> str | None:
        """The archived document's text, normalised as quotes are (None when unreadable)."""
        if relative not in self._documents:
            resolved = self.resolve(relative)
            text = None
            if isinstance(resolved, Path):
                try:
                    with open(resolved, "rb") as f:  # the limit again: the file may have grown
                        raw = f.read(MAX_DOCUMENT_BYTES + 1)
                    if len(raw) <= MAX_DOCUMENT_BYTES:
                        text = normalise_quote(raw.decode("utf-8", errors="replace"))
                except OSError:
                    text = None
            self._documents[relative] = text
        return self._documents[relative]


Rule = Callable[[Context], Iterable[Problem]]
RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, needs_all_files: bool = False, level: Level = Level.ERROR
) -> Callable[[Rule], Rule]:
    """Register a rule (and its docstring in the rule catalogue). One that resolves references
    across files runs only when every file could be read (else everything in a broken file would
    be reported as missing); the others run whatever happened to the rest."""

    def register(fn: Rule) -> Rule:
        catalogue_register(rule_id, fn.__doc__, level, "dataset")
        RULES[rule_id] = fn
        fn.rule_id = rule_id  # type: ignore[attr-defined]
        fn.needs_all_files = needs_all_files  # type: ignore[attr-defined]
        return fn

    return register


@rule("duplicate-id")
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Ids are unique across all three files.

    Passes: ``statements[0].id: jp-talks``
    Fails: ``statements[0].id: jp`` (the id of the actor Japan)
    """
    seen: dict[str, Record] = {}
    for record in all_records(ctx.dataset):
        first = seen.setdefault(record.id, record)
        if first is not record and (o := first.origin) is not None:
            line, col = ctx.files[o.path].locate(o.keypath + ("id",))
            yield ctx.problem(
                record,
                ("id",),
                "duplicate-id",
                f"id {record.id!r} is already used by the {kind_of(first)} at "
                f"{o.path}:{line}:{col}",
            )


@rule("dangling-reference", needs_all_files=True)
def dangling_references(ctx: Context) -> Iterator[Problem]:
    """Every reference names a record that exists.

    Passes: ``statements[0].speaker: kurt-campbell``
    Fails: ``statements[0].speaker: kurt-cambell`` (no record has that id)
    """
    index = ctx.dataset._index()
    for record, suffix, ref, target in references(ctx.dataset):
        if ref not in index and ref not in ctx.raw_ids:
            yield ctx.problem(
                record,
                suffix,
                "dangling-reference",
                dangling_message(suffix[0], ref, target, ctx),
            )
    yield from _unbuilt_references(ctx)


def dangling_message(field_name: str, ref: str, target: Target, ctx: Context) -> str:
    """``speaker: no record has the id 'kurt-cambell'; did you mean 'kurt-campbell'?``: the
    closest ids of the kind the field names (as difflib ranks them), when some are close."""
    close = ctx.close_ids(ref, target)
    hint = ""
    if close:
        hint = "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"{field_name}: no record has the id {ref!r}{hint}"


class CloseIds:
    """``difflib.get_close_matches`` over one large, fixed set of ids, with the same answer for
    every word, but without scoring every id against every word.

    difflib scores an id only if its character-count bound (``quick_ratio``: the characters the
    two share, counted with multiplicity) reaches the cutoff. Here that count is taken for all
    ids at once, one byte per id, from how often each id holds each of the word's characters
    (kept per character once asked). The ids that reach the cutoff are then taken in order of
    their bound, stopping once it falls below the n-th best score so far: no id left can enter
    the top n, whose order (score, then id) is difflib's own. An id is scored by ``ratio`` only
    if a tighter bound, its longest common subsequence with the word, could still place it (the
    blocks ``ratio`` matches are one such subsequence)."""

    def __init__(self, ids: Iterable[str]):
        self.ids = sorted(ids, key=lambda text: (len(text), text))
        self.runs: list[tuple[int, int, int]] = []
        """(length, first, last + 1): the ids of each length, in ``ids``."""
        start = 0
        for length, same in groupby(self.ids, key=len):
            end = start + sum(1 for _ in same)
            self.runs.append((length, start, end))
            start = end
        self.alphabet = frozenset("".join(self.ids))
        """The characters some id holds: only these are counted (and kept, one byte per id)."""
        self._held: dict[str, bytes] = {}

    def held(self, char: str) -> bytes:
        """How often each id holds ``char`` (at most 255), one byte per id."""
        counts = self._held.get(char)
        if counts is None:
            try:
                counts = bytes(map(str.count, self.ids, repeat(char)))
            except ValueError:  # an id holding it more than 255 times
                counts = bytes(min(n, 255) for n in map(str.count, self.ids, repeat(char)))
            self._held[char] = counts
        return counts

    def close(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        size = len(word)
        if not word or size > 255 or cutoff <= 0:
            # an empty word scores 1.0 against an empty id, a cutoff of 0 takes every id, and a
            # count for a word this long may not fit a byte: difflib itself
            return difflib.get_close_matches(word, self.ids, n=n, cutoff=cutoff)
        ids = self.ids
        if not any(2.0 * min(size, length) / (size + length) >= cutoff for length, *_ in self.runs):
            return []  # no id has a length that could reach the cutoff (difflib's first test)
        # the characters each id shares with the word, with multiplicity: one byte per id,
        # summed as the digits of big integers (no sum exceeds the word's length, so no carry);
        # a character no id holds adds nothing (and so costs nothing, however many there are)
        total = 0
        for char, wanted in Counter(word).items():
            if char in self.alphabet:
                total += int.from_bytes(self.held(char).translate(_at_most(wanted)), "little")
        shared = total.to_bytes(len(ids), "little")
        bounds = []
        for length, start, end in self.runs:
            least = next(
                (k for k in range(1, min(size, length) + 1) if 2.0 * k / (size + length) >= cutoff),
                None,
            )
            if least is None:
                continue
            reaching = shared[start:end].translate(_at_least(least))
            at = reaching.find(1)
            while at != -1:
                bounds.append((2.0 * shared[start + at] / (size + length), start + at))
                at = reaching.find(1, at + 1)
        bounds.sort(reverse=True)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        masks: dict[str, int] = {}  # where each character stands in the word, as bits
        for j, char in enumerate(word):
            masks[char] = masks.get(char, 0) | 1 << j
        best: list[tuple[float, str]] = []  # the n best so far, the least first (a heap)
        for bound, i in bounds:
            floor = best[0][0] if len(best) == n else cutoff
            if bound < floor:
                break
            text = ids[i]
            if 2.0 * _common_subsequence(text, masks, size) / (size + len(text)) < floor:
                continue
            matcher.set_seq1(text)
            score = matcher.ratio()
            if score >= cutoff:
                if len(best) < n:
                    heapq.heappush(best, (score, text))
                else:
                    heapq.heappushpop(best, (score, text))
        return [text for _score, text in sorted(best, reverse=True)]


@functools.cache
def _at_most(m: int) -> bytes:
    """A ``bytes.translate`` table capping each byte at ``m``."""
    return bytes(min(v, m) for v in range(256))


@functools.cache
def _at_least(m: int) -> bytes:
    """A ``bytes.translate`` table giving 1 where a byte reaches ``m``, else 0."""
    return bytes(int(v >= m) for v in range(256))


def _common_subsequence(text: str, masks: dict[str, int], size: int) -> int:
    """The length of the longest common subsequence of ``text`` and a word of ``size``
    characters, given where each of the word's characters stands (bit-parallel, Hyyrö 2004)."""
    full = (1 << size) - 1
    row = full
    for char in text:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    return size - row.bit_count()


def _unbuilt_references(ctx: Context) -> Iterator[Problem]:
    """References of the records that failed their schema (a bad date, say): checked from the
    raw data, so one run reports the dangling reference beside the schema problem."""
    index = ctx.dataset._index()
    for loaded in ctx.files.values():
        name = Path(loaded.path).stem
        items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
        if not isinstance(items, list):
            continue
        built = {
            r.origin.keypath[1]
            for r in getattr(ctx.dataset, name, [])
            if r.origin is not None and r.origin.path == loaded.path
        }
        for i, item in enumerate(items):
            if i in built or not isinstance(item, dict):
                continue
            for (file, field_name), target in REFERENCES.items():
                if file != name:
                    continue
                value = item.get(field_name)
                refs = (
                    [(j, v) for j, v in enumerate(value)]
                    if isinstance(value, list)
                    else [(None, value)]
                )
                for j, ref in refs:
                    if not isinstance(ref, str) or ref in index or ref in ctx.raw_ids:
                        continue
                    keypath = (name, i, field_name) + (() if j is None else (j,))
                    line, col = loaded.locate(keypath)
                    yield Problem(
                        loaded.path,
                        line,
                        col,
                        "dangling-reference",
                        Level.ERROR,
                        dangling_message(field_name, ref, target, ctx),
                    )


@rule("reference-kind", needs_all_files=True)
def reference_kinds(ctx: Context) -> Iterator[Problem]:
    """A reference points at the right kind of record: ``about`` at allies, ``controls`` and
    ``aligns_with`` at initiator controls, ``speaker`` at an actor, ``issuer``, ``target`` and
    ``represents`` at states or blocs.

    Passes: ``statements[0].about: [nl]`` (a state with ``role: ally``)
    Fails: ``statements[0].about: [us]`` (the initiator)
    """
    index = ctx.dataset._index()
    for record, suffix, ref, target in references(ctx.dataset):
        named = index.get(ref)
        if named is not None and not target.accepts(named, ctx.dataset):
            yield ctx.problem(
                record,
                suffix,
                "reference-kind",
                f"{suffix[0]}: {ref!r} is a {_describe(named)}, not {target.what}",
            )


def _describe(record) -> str:
    if isinstance(record, Actor):
        return f"{record.kind} ({record.role})" if record.role else str(record.kind)
    return kind_of(record)


@rule("actor-fields")
def actor_fields(ctx: Context) -> Iterator[Problem]:
    """States and blocs carry a ``role``; agencies and persons name the state they speak for in
    ``represents``; persons carry their ``title``; only states and blocs have a role.

    Passes: ``actors[1].role: ally`` (Japan, a state)
    Fails: ``actors[1].role: absent``
    """
    for a in ctx.dataset.actors:
        if a.kind in (ActorKind.STATE, ActorKind.BLOC):
            if a.role is None:
                yield ctx.problem(
                    a,
                    (),
                    "actor-fields",
                    f"a {a.kind} needs a role (initiator, ally, target or other)",
                )
        elif a.role is not None:
            yield ctx.problem(
                a,
                ("role",),
                "actor-fields",
                f"only states and blocs have a role, not a {a.kind}",
                key=True,
            )
        if a.kind in (ActorKind.AGENCY, ActorKind.PERSON) and a.represents is None:
            yield ctx.problem(
                a, (), "actor-fields", f"a {a.kind} names the state it speaks for in 'represents'"
            )
        if a.kind is ActorKind.PERSON and a.title is None:
            yield ctx.problem(a, (), "actor-fields", "a person carries their 'title'")


@rule("date-order")
def control_date_order(ctx: Context) -> Iterator[Problem]:
    """A measure is not published or in effect before it was announced. Effective may precede
    published (US interim final rules take effect on announcement and are printed later).

    Passes: ``controls[0].effective: 2022-10-07`` (announced 2022-10-07, published 2022-10-13)
    Fails: ``controls[0].effective: 2022-10-01``
    """
    for c in ctx.dataset.controls:
        if c.announced is None:
            continue
        for name in MEASURE_DATES[1:]:
            value: PartialDate | None = getattr(c, name)
            if value is not None and value.certainly_before(c.announced):
                yield ctx.problem(
                    c, (name,), "date-order", f"{name} {value} is before announced {c.announced}"
                )


def _dated_fields(ctx: Context):
    for c in ctx.dataset.controls:
        for name in MEASURE_DATES:
            if (value := getattr(c, name)) is not None:
                yield c, (name,), value
        for i, event in enumerate(c.lifecycle):
            yield c, ("lifecycle", i, "date"), event.date
    for s in ctx.dataset.statements:
        yield s, ("date",), s.date
        for suffix, source in _statement_sources(s):
            yield s, (*suffix, "published"), source.published


def _statement_sources(s: Statement):
    """(key path, source) for each source of a statement, ``source`` or ``sources[i]``."""
    if s.source is not None:
        yield ("source",), s.source
    for i, source in enumerate(s.sources or ()):
        yield ("sources", i), source


def _sources(record):
    """(key path, source) for every source a control or statement cites."""
    if isinstance(record, Statement):
        yield from _statement_sources(record)
        return
    yield ("source",), record.source
    for i, event in enumerate(record.lifecycle):
        yield ("lifecycle", i, "source"), event.source


@rule("future-date")
def future_dates(ctx: Context) -> Iterator[Problem]:
    """No date lies after today (``--today``, default: the real today).

    Passes: ``statements[0].date: 2023-01-13``
    Fails: ``controls[0].effective: 2099-01-01``
    """
    for record, suffix, value in _dated_fields(ctx):
        if value.earliest > ctx.today:
            yield ctx.problem(
                record,
                suffix,
                "future-date",
                f"{keypath_text(suffix)} {value} is after today ({ctx.today})",
            )


@rule("source-before-event")
def source_before_event(ctx: Context) -> Iterator[Problem]:
    """A source is not published before the event it reports.

    Passes: ``statements[0].source.published: 2023-01-17`` (the event: 2023-01-13)
    Fails: ``statements[0].source.published: 2023-01-02``
    """
    for s in ctx.dataset.statements:
        for suffix, source in _statement_sources(s):
            if source.published.certainly_before(s.date):
                yield ctx.problem(
                    s,
                    (*suffix, "published"),
                    "source-before-event",
                    f"the source ({source.published}) is published before the "
                    f"event it reports ({s.date})",
                )


_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Whitespace folded, typographic quotes and dashes made plain; nothing else changes."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)).strip()


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
                "quote-without-document",
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
            yield ctx.problem(s, ("quote",), "quote-not-in-document", "the quote is blank")
        elif not found[document, quote]:
            yield ctx.problem(
                s,
                ("quote",),
                "quote-not-in-document",
                f"the quote is not printed in {document}",
            )


def printed_in(quote: str, text: str) -> bool:
    """Whether the (normalised) quote stands in the (normalised) text as whole words: a
    fragment such as ``xtremely fruit`` of "extremely fruitful" does not count. One search
    through the text, in the regular-expression engine: however often the quote's letters
    occur inside other words, no occurrence costs a step of Python."""
    return _whole_words(quote).search(text) is not None


_ALNUM = r"[^\W_]"
"""A letter or digit (``str.isalnum``'s characters: ``\\w`` but ``_``)."""


def _whole_words(quote: str) -> re.Pattern[str]:
    """The quote as a pattern that matches it only where it does not cut a word: no letter or
    digit just before it when it starts with one, none just after it when it ends with one.
    The quote comes first (the look-behind checks the character before it afterwards), so the
    engine finds each candidate by its fast literal search."""
    literal = re.escape(quote)
    head = f"(?<!{_ALNUM}{literal})" if quote[:1].isalnum() else ""
    tail = f"(?!{_ALNUM})" if quote[-1:].isalnum() else ""
    return re.compile(literal + head + tail)


ARCHIVE = "seeds"
"""The folder of archived source documents, beside ``data/``."""

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""The largest archived document read to check quotes (an article or a gazette is far smaller);
a larger one is refused by ``document-path`` before it is read."""


def resolve_document(root: Path, relative: str) -> Path | str:
    """The archived document's path inside the dataset root, or why it is refused."""
    if "\x00" in relative:
        return "the path holds a NUL character"
    candidate = Path(relative)
    if (
        candidate.is_absolute()
        or relative.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", relative)
    ):
        return "an absolute path; write it relative to the dataset root (seeds/...)"
    if ".." in candidate.parts:
        return "the path leaves the dataset root ('..')"
    try:
        real_root = root.resolve()
        real = (root / candidate).resolve()
    except (OSError, RuntimeError):
        return "the path cannot be resolved"
    if real != real_root and real_root not in real.parents:
        return "the path leads outside the dataset root (through a link)"
    seeds = real_root / ARCHIVE
    if seeds not in real.parents:
        return f"archived documents live under {ARCHIVE}/"
    try:
        if not real.is_file():
            return "no such file in the dataset"
        size = real.stat().st_size
    except OSError:  # a name too long for the system, say
        return "no such file in the dataset"
    if size > MAX_DOCUMENT_BYTES:  # before a byte of it is read
        return f"a document of {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}"
    return real


@rule("document-path")
def document_paths(ctx: Context) -> Iterator[Problem]:
    """An archived ``document`` is a file under ``seeds/`` in the dataset root: relative, no
    ``..``, no link leading out, and it exists.

    Passes: ``statements[0].source.document: seeds/article.txt``
    Fails: ``statements[0].source.document: ../../etc/passwd``
    """
    for record in (*ctx.dataset.controls, *ctx.dataset.statements):
        for suffix, source in _sources(record):
            doc = source.document
            if doc is None:
                continue
            resolved = ctx.resolve(doc)
            if isinstance(resolved, str):
                yield ctx.problem(
                    record, (*suffix, "document"), "document-path", f"document {doc!r}: {resolved}"
                )


@rule("url-scheme")
def url_schemes(ctx: Context) -> Iterator[Problem]:
    """Every URL (a source's ``url`` and ``archive_url``) is an http(s) address with a host and
    no spaces.

    Passes: ``controls[0].source.url: https://www.federalregister.gov/d/2022-21658``
    Fails: ``controls[0].source.url: javascript:alert(1)``
    """
    for record in (*ctx.dataset.controls, *ctx.dataset.statements):
        for suffix, source in _sources(record):
            for name in ("url", "archive_url"):
                url = getattr(source, name)
                if url is not None and not is_web_address(url):
                    yield ctx.problem(
                        record,
                        (*suffix, name),
                        "url-scheme",
                        f"source.{name} must be an http:// or https:// address",
                    )


@rule("partial-date-note", level=Level.WARNING)
def partial_date_notes(ctx: Context) -> Iterator[Problem]:
    """A date known only to the month or year says how it was arrived at in ``date_note``.

    Passes: ``statements[0].date: 2022-11`` ``statements[0].date_note: the report gives no day``
    Fails: ``statements[0].date: 2022-11``
    """
    for s in ctx.dataset.statements:
        if s.date.is_partial and s.date_note is None:
            yield ctx.problem(
                s,
                ("date",),
                "partial-date-note",
                f"date {s.date} is partial; say how it was arrived at in date_note",
                level=Level.WARNING,
            )
    for c in ctx.dataset.controls:
        for name in MEASURE_DATES:
            value = getattr(c, name)
            if value is not None and value.is_partial and c.date_note is None:
                yield ctx.problem(
                    c,
                    (name,),
                    "partial-date-note",
                    f"{name} {value} is partial; say how it was arrived at in date_note",
                    level=Level.WARNING,
                )


@rule("scope-item")
def scope_items(ctx: Context) -> Iterator[Problem]:
    """Every ``scope`` slug of a control or statement is an id in the ``scope_items``
    vocabulary of controls.yaml (checked when the file declares a vocabulary).

    Passes: ``controls.scope_items: [{id: advanced-computing-chips, name: Chips, description:
    Advanced chips}]``
    Fails: the same vocabulary and a misspelt slug: ``controls.scope_items: [{id:
    advanced-computing-chips, name: Chips, description: Advanced chips}]``
    ``controls[0].scope: [advanced-computing-chip]``
    """
    known = {i.id for i in ctx.dataset.scope_items}
    if not known:
        return
    records: list[Control | Statement] = [*ctx.dataset.controls, *ctx.dataset.statements]
    for record in records:
        for i, item in enumerate(record.scope or ()):
            if item not in known:
                yield ctx.problem(
                    record,
                    ("scope", i),
                    "scope-item",
                    f"scope: {item!r} is not in scope_items (controls.yaml)",
                )


def _initiator_scope(ctx: Context, control_ids: Iterable[str]) -> set[str] | None:
    """The items of the named controls, or None when one of them does not resolve."""
    items: set[str] = set()
    for cid in control_ids:
        control = ctx.dataset.control(cid)
        if control is None:
            return None
        items.update(control.scope)
    return items


@rule("statement-scope", needs_all_files=True)
def statement_scope(ctx: Context) -> Iterator[Problem]:
    """A statement's ``scope`` names only items that the controls it concerns cover.

    Passes: ``statements[0].scope: [advanced-computing-chips]`` (the rule covers it)
    Fails: ``statements[0].scope: [equipment-servicing]`` (the rule does not cover it)
    """
    for s in ctx.dataset.statements:
        covered = _initiator_scope(ctx, s.controls)
        if covered is None or s.scope is None:
            continue
        for i, item in enumerate(s.scope):
            if item not in covered:
                yield ctx.problem(
                    s,
                    ("scope", i),
                    "statement-scope",
                    f"scope: {item!r} is not covered by the controls the statement concerns "
                    f"({', '.join(s.controls)})",
                )


@rule("measure-scope", needs_all_files=True)
def measure_scope(ctx: Context) -> Iterator[Problem]:
    """An ally's measure shares at least one scope item with each control in its
    ``aligns_with`` (it counts for the items in common only).

    Passes: ``controls[1]: {id: jp-rule, issuer: jp, title: Ordinance, kind: ordinance, target:
    cn, scope: [advanced-computing-chips], effective: 2023-07-23, aligns_with: [us-rule], source:
    {title: Ordinance, citation: METI ordinance 25}}``
    Fails: the same measure on quantum technology alone: ``controls[1]: {id: jp-rule, issuer: jp,
    title: Ordinance, kind: ordinance, target: cn, scope: [quantum-technology], effective:
    2023-07-23, aligns_with: [us-rule], source: {title: Ordinance, citation: METI ordinance 25}}``
    """
    initiators = {c.id: c for c in ctx.dataset.initiator_controls()}
    for c in ctx.dataset.controls:
        for i, ref in enumerate(c.aligns_with):
            target = initiators.get(ref)
            if target is not None and not set(c.scope) & set(target.scope):
                yield ctx.problem(
                    c,
                    ("aligns_with", i),
                    "measure-scope",
                    f"aligns_with: {ref!r} covers none of this measure's scope items "
                    f"({', '.join(c.scope)})",
                )


@rule("actor-scope-fields")
def actor_scope_fields(ctx: Context) -> Iterator[Problem]:
    """Only a bloc lists ``members``; only an ally carries ``reviewed`` and ``reviewed_note``.

    Passes: an ally reviewed: ``actors[1].reviewed: 2024-12-01``
    Fails: a state listing members: ``actors[1].members: [nl]``
    """
    for a in ctx.dataset.actors:
        if a.members and a.kind is not ActorKind.BLOC:
            yield ctx.problem(
                a,
                ("members",),
                "actor-scope-fields",
                f"only a bloc lists members, not a {a.kind}",
                key=True,
            )
        for name in ("reviewed", "reviewed_note"):
            if getattr(a, name) is not None and a.role is not Role.ALLY:
                yield ctx.problem(
                    a,
                    (name,),
                    "actor-scope-fields",
                    f"only an ally carries {name}",
                    key=True,
                )


@rule("lifecycle-initiator", needs_all_files=True)
def lifecycle_initiator(ctx: Context) -> Iterator[Problem]:
    """Only an initiator control records a ``lifecycle`` (allies are measured against the
    initiator's rules as they change), and no event predates the control.

    Passes: ``controls[0].lifecycle: [{event: rescinded, date: 2024-05-13, summary: Withdrawn,
    source: {title: Notice, citation: 89 FR 1}}]``
    Fails: the same event dated before the rule: ``controls[0].lifecycle: [{event: rescinded,
    date: 2021-12-01, summary: Withdrawn, source: {title: Notice, citation: 89 FR 1}}]``
    """
    initiators = {c.id for c in ctx.dataset.initiator_controls()}
    for c in ctx.dataset.controls:
        if c.lifecycle and c.id not in initiators:
            yield ctx.problem(
                c,
                ("lifecycle",),
                "lifecycle-initiator",
                "only an initiator control records a lifecycle",
                key=True,
            )
        start = c.first_date
        for i, event in enumerate(c.lifecycle):
            if start is not None and event.date.certainly_before(start):
                yield ctx.problem(
                    c,
                    ("lifecycle", i, "date"),
                    "lifecycle-initiator",
                    f"{event.event} on {event.date} is before the control's first date ({start})",
                )


@rule("suspension-end-unknown", level=Level.WARNING)
def suspension_end_unknown(ctx: Context) -> Iterator[Problem]:
    """(warning) A suspension whose ``until`` has passed (by today) with no lifecycle event
    recorded on or after it: the record does not say whether the control binds again, so
    scoring counts it as ``unknown`` (not live) from that day. Look for what happened and record
    it (``resumed``, ``relaxed``, ``rescinded``, ``non_enforcement``, a new ``suspended``).

    Passes: ``controls[0].lifecycle: [{event: suspended, date: 2024-06-01, until: 2025-06-01,
    summary: Paused for a year, source: {title: Notice, citation: 89 FR 1}}]``
    Fails: the year ended before today: ``controls[0].lifecycle: [{event: suspended,
    date: 2023-06-01, until: 2024-06-01, summary: Paused for a year, source: {title: Notice,
    citation: 89 FR 1}}]``
    """
    for c in ctx.dataset.initiator_controls():
        for e in c.open_suspensions:
            assert e.until is not None
            if e.until.latest <= ctx.today:
                yield ctx.problem(
                    c,
                    ("lifecycle", c.lifecycle.index(e), "until"),
                    "suspension-end-unknown",
                    f"the suspension ran until {e.until} and no later event is recorded: the "
                    f"record does not say whether {c.id} binds again (scored as unknown)",
                    Level.WARNING,
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
                "official-text-source",
                "official_text evidence cites no government, gazette or legislature page "
                f"({', '.join(str(k) for k in kinds)}); cite the original where it exists",
                level=Level.WARNING,
                key=True,
            )
    for c in ctx.dataset.controls:
        kind = c.source.kind
        if c.aligns_with and kind is not None and kind not in OFFICIAL_KINDS:
            yield ctx.problem(
                c,
                ("source", "kind"),
                "official-text-source",
                f"an ally's measure (official_text evidence) is cited through a {kind} page; "
                "cite the original where it exists",
                level=Level.WARNING,
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
                "lone-copy-source",
                f"the only source is a copy of {cited[0].copy_of}; cite the original where it "
                "exists",
                level=Level.WARNING,
            )


@dataclass
class Validation:
    """The outcome of validating a data folder."""

    dataset: Dataset
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def dataset_root(data_dir: Path) -> Path:
    """The folder holding ``data/`` (where ``seeds/`` lives)."""
    return Path(os.path.abspath(data_dir)).parent


def validate(
    data_dir: Path, today: date | None = None, limits: Limits = DEFAULT_LIMITS
) -> Validation:
    """Load, type and check a data folder; every problem found, sorted by position."""
    with gc_paused():
        files = load_dataset_files(data_dir, limits)
        return check_loaded(
            files, dataset_root(data_dir), today or date.today(), limits, release=True
        )


def check_loaded(
    files: dict[str, LoadedFile],
    root: Path,
    today: date,
    limits: Limits = DEFAULT_LIMITS,
    release: bool = False,
) -> Validation:
    """Type the loaded files and run every rule over the whole dataset. With ``release``, each
    record's plain data is dropped once typed (for callers that read only the typed records)."""
    problems: list[Problem] = []
    typed: dict[str, list] = {}
    raw_ids: set[str] = set()
    for name in DATA_FILES:
        loaded = files[name]
        problems.extend(loaded.problems)
        items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
        if isinstance(items, list):
            if len(items) > limits.max_records:
                problems.append(
                    Problem(
                        loaded.path,
                        *loaded.locate((name,)),
                        "limit-records",
                        Level.ERROR,
                        f"{len(items):,} records; the limit is {limits.max_records:,}",
                    )
                )
            raw_ids.update(
                i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)
            )
        records, found = build_records(name, loaded, release=release)
        problems.extend(found)
        typed[name] = records
    scope_items, found = build_section("controls", "scope_items", files["controls"])
    problems.extend(found)
    dataset = Dataset(
        typed["actors"], typed["controls"], typed["statements"], root=root, scope_items=scope_items
    )
    complete = all(files[name].data is not None for name in DATA_FILES)
    ctx = Context(dataset, {f.path: f for f in files.values()}, today, root, raw_ids)
    for check in RULES.values():
        if complete or not check.needs_all_files:  # type: ignore[attr-defined]
            problems.extend(check(ctx))
    problems = capped(problems)
    problems.sort()
    return Validation(dataset, problems)
