"""What a cross-file rule sees and how it is declared: the ``Context`` (the typed dataset, where
each record stands, the run's settings) and ``@rule``.

A rule says its identity once, in ``@rule``: while it runs, the context stamps its id and its
catalogue level on every problem it reports (as yamllint's linter does), so a rule's body only
says where and what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from export_alignment.loader import LoadedFile
from export_alignment.models import Dataset, Origin
from export_alignment.problems import Level, Problem
from export_alignment.reader import KeyPath
from export_alignment.rules.archive import read_document, resolve_document
from export_alignment.rules.catalogue import CATALOGUE, RuleInfo
from export_alignment.rules.did_you_mean import CLOSE_CUTOFF, MOST_SUGGESTIONS, CloseIds
from export_alignment.shape import Target

MAX_SUGGESTED = 1_000
"""Distinct dangling ids per run that get a "did you mean" (each is a search over every id)."""


class Located(Protocol):
    """A record of a data file: it knows where it stands."""

    @property
    def origin(self) -> Origin | None: ...


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
    _running: RuleInfo | None = None
    _documents: dict[str, str | None] = field(default_factory=dict)
    _resolved: dict[str, Path | str] = field(default_factory=dict)
    _close: dict[str, CloseIds] = field(default_factory=dict)
    _suggested: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def run(self, rule: DatasetRule) -> list[Problem]:
        """Every problem the rule finds, each stamped with its id and catalogue level."""
        self._running = CATALOGUE[rule.id]
        try:
            return list(rule.check(self))
        finally:
            self._running = None

    def problem(self, record: Located, suffix: KeyPath, message: str, key: bool = False) -> Problem:
        """A problem of the running rule at ``suffix`` inside ``record`` (at the key itself,
        not its value, with ``key``)."""
        origin = record.origin
        assert origin is not None  # every record a rule sees was built from a file
        loaded = self.files.get(origin.path)
        line, col = loaded.locate(origin.keypath + suffix, key=key) if loaded else (1, 1)
        return self._stamped(origin.path, line, col, message)

    def problem_in(self, loaded: LoadedFile, keypath: KeyPath, message: str) -> Problem:
        """A problem of the running rule at a key path of a file's plain data (a record that
        failed its schema has no typed record to point at)."""
        line, col = loaded.locate(keypath)
        return self._stamped(loaded.path, line, col, message)

    def _stamped(self, path: str, line: int, col: int, message: str) -> Problem:
        running = self._running
        if running is None:
            raise RuntimeError("a problem reported outside a running rule")
        return Problem(path, line, col, running.id, running.level, message)

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
        close = self._suggested[key] = index.close(ref, n=MOST_SUGGESTIONS, cutoff=CLOSE_CUTOFF)
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
            text = read_document(resolved) if isinstance(resolved, Path) else None
            self._documents[relative] = text
        return self._documents[relative]


Check = Callable[[Context], Iterable[Problem]]


@dataclass(frozen=True)
class DatasetRule:
    """A cross-file rule: its id, the level it reports at, and its check (whose docstring is
    its catalogue entry). One that resolves references across files runs only when every file
    could be read (else everything in a broken file would be reported as missing); the others
    run whatever happened to the rest."""

    id: str
    level: Level
    needs_all_files: bool
    check: Check

    @property
    def doc(self) -> str | None:
        return self.check.__doc__


def rule(
    rule_id: str, needs_all_files: bool = False, level: Level = Level.ERROR
) -> Callable[[Check], DatasetRule]:
    """Declare a cross-file rule; the pipeline (``checks``) registers it in the catalogue."""

    def declare(check: Check) -> DatasetRule:
        return DatasetRule(rule_id, level, needs_all_files, check)

    return declare
