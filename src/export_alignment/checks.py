"""The pipeline: ``validate`` loads a data folder, types its records and runs every cross-file
rule over the whole dataset, after every file has been loaded and typed.

The rules live in ``rules/``, one module per family; ``RULES`` registers them here, in the order
they run and the catalogue lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from export_alignment.loader import (
    DEFAULT_LIMITS,
    Limits,
    LoadedFile,
    gc_paused,
    load_dataset_files,
)
from export_alignment.models import Dataset
from export_alignment.problems import Level, Problem, capped
from export_alignment.records import build_records, build_section
from export_alignment.rules import actors, dates, documents, lifecycle, references, scope, sources
from export_alignment.rules.archive import MAX_DOCUMENT_BYTES, normalise_quote, printed_in
from export_alignment.rules.catalogue import register
from export_alignment.rules.context import Context, DatasetRule
from export_alignment.rules.did_you_mean import CloseIds
from export_alignment.shape import DATA_FILES

RULES: dict[str, DatasetRule] = {}
"""Every cross-file rule by id, in the order they run (and the catalogue lists them)."""

for _rule in (
    references.duplicate_ids,
    references.dangling_references,
    references.reference_kinds,
    actors.actor_fields,
    dates.control_date_order,
    dates.future_dates,
    dates.source_before_event,
    documents.quote_without_document,
    documents.quote_not_in_document,
    documents.document_paths,
    sources.url_schemes,
    dates.partial_date_notes,
    scope.scope_items,
    scope.statement_scope,
    scope.measure_scope,
    actors.actor_scope_fields,
    lifecycle.lifecycle_initiator,
    lifecycle.suspension_end_unknown,
    sources.official_text_source,
    sources.lone_copy_source,
):
    register(_rule.id, _rule.doc, _rule.level, "dataset")
    RULES[_rule.id] = _rule


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
    data_dir: Path,
    today: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    warnings: bool = True,
) -> Validation:
    """Load, type and check a data folder; every problem found, sorted by position. With
    ``warnings=False`` (a command that only needs to know the record is valid), the rules that
    warn run only when there are errors to show them beside: a valid record's warnings, which
    no such command shows, are not looked for (nor their lines read)."""
    with gc_paused():
        files = load_dataset_files(data_dir, limits)
        root, day = dataset_root(data_dir), today or date.today()
        return check_loaded(files, root, day, release=True, warnings=warnings)


def check_loaded(
    files: dict[str, LoadedFile],
    root: Path,
    today: date,
    release: bool = False,
    warnings: bool = True,
) -> Validation:
    """Type the loaded files and run every rule over the whole dataset. With ``release``, each
    record's plain data is dropped once typed (for callers that read only the typed records).
    With ``warnings=False``, the warning rules run only when an error was found (``validate``)."""
    problems: list[Problem] = []
    typed: dict[str, list[Any]] = {}
    raw_ids: set[str] = set()
    for name in DATA_FILES:
        loaded = files[name]
        problems.extend(loaded.problems)
        items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
        if isinstance(items, list):  # at most ``Limits.max_records``: counted while read
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
    runnable = [r for r in RULES.values() if complete or not r.needs_all_files]
    for dataset_rule in runnable:
        if dataset_rule.level is not Level.WARNING:
            problems.extend(ctx.run(dataset_rule))
    if warnings or any(p.is_error for p in problems):
        for dataset_rule in runnable:
            if dataset_rule.level is Level.WARNING:
                problems.extend(ctx.run(dataset_rule))
    problems = capped(problems)
    problems.sort()
    return Validation(dataset, problems)


__all__ = [
    "MAX_DOCUMENT_BYTES",
    "RULES",
    "CloseIds",
    "Validation",
    "check_loaded",
    "dataset_root",
    "normalise_quote",
    "printed_in",
    "validate",
]
