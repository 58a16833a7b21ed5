"""What an edit changes: the record at a git revision against the working tree, scored alike.

``compare`` reads the three data files at a revision with ``git show REV:./<file>`` (run in the
data folder, no shell), types and checks them (all rules but those that read archived documents,
which belong to the working tree), scores both datasets as of one date and reports the stage and
flag changes per ally and per control, and the records added, removed and changed, by id.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from export_alignment.checks import Validation, check_loaded, dataset_root
from export_alignment.errors import UsageError
from export_alignment.guards import require_valid
from export_alignment.loader import LoadedFile, file_size_problem, load_bytes
from export_alignment.models import Dataset
from export_alignment.problems import Level, Problem
from export_alignment.question import Question
from export_alignment.scoring import DEFAULT_STALE_DAYS, Scores, score
from export_alignment.shape import DATA_FILES
from export_alignment.views.changes import StageState, stage_state

WORKING_TREE_ONLY_RULES = frozenset({"document-path", "quote-not-in-document"})
"""Rules that read archived documents from the working tree; not run on an old revision."""

GIT_TIMEOUT = 60


@dataclass(frozen=True)
class StageChange:
    """One ally's (or one ally-control pair's) state before and after; None where absent."""

    id: str
    name: str
    before: StageState | None
    after: StageState | None

    @property
    def stage_changed(self) -> bool:
        return (self.before and self.before.stage) != (self.after and self.after.stage)

    @property
    def headline_changed(self) -> bool:
        """The verdict or its coverage changed (whether or not the stage did)."""
        return (self.before and self.before.headline) != (self.after and self.after.headline)

    @property
    def flags_added(self) -> list[str]:
        old = set(self.before.flags) if self.before else set()
        return sorted(set(self.after.flags if self.after else ()) - old)

    @property
    def flags_removed(self) -> list[str]:
        new = set(self.after.flags) if self.after else set()
        return sorted(set(self.before.flags if self.before else ()) - new)


@dataclass(frozen=True)
class AllyChange:
    ally: StageChange
    controls: list[StageChange]
    """Only the controls whose state changed."""


@dataclass(frozen=True)
class RecordChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class Comparison:
    """The working tree against a revision, as of one date."""

    rev: str
    commit: str
    as_of: date
    allies: list[AllyChange]
    """Allies whose headline or any per-control stage, since or flags changed."""
    records: dict[str, RecordChanges]
    """By file (``actors``, ``controls``, ``statements``)."""
    old_problems: list[Problem]
    """Errors found in the data at the revision (its stages are then drawn from its valid
    records only)."""
    to: str | None = None
    """The second revision, when two are compared (None: the working tree)."""
    to_commit: str | None = None

    @property
    def stage_changes(self) -> int:
        return sum(1 for a in self.allies if a.ally.stage_changed)

    def as_dict(self) -> dict[str, Any]:
        """The documented ``diff --format json`` shape::

            {"rev": str, "commit": str, "as_of": "YYYY-MM-DD",
             "allies": [{"id", "name", "before": state | null, "after": state | null,
                         "stage_changed": bool, "flags_added": [str], "flags_removed": [str],
                         "controls": [{"id", "name", "before", "after", "stage_changed",
                                       "flags_added", "flags_removed"}]}],
             "records": {"actors" | "controls" | "statements":
                         {"added": [id], "removed": [id], "changed": [id]}},
             "old_errors": int, "old_problems": [problem]}

        where a state is ``{"stage": str, "since": str | null, "flags": [str]}`` and ``before``
        is null for an ally that is new in the working tree (``after`` null: removed). Only
        allies with a change are listed; ``controls`` lists only the changed pairs. Added since:
        each state's ``coverage``, ``verdict`` and ``headline`` (the verdict with its coverage,
        in words), each change's ``headline_changed`` (the verdict or coverage changed, with or
        without the stage), ``to``: the second revision compared, or null for the working
        tree, and ``old_problems``: the revision's errors, each as ``validate --format json``
        gives a problem."""
        return {
            "rev": self.rev,
            "commit": self.commit,
            "to": self.to,
            "as_of": self.as_of.isoformat(),
            "allies": [
                {**_change_dict(a.ally), "controls": [_change_dict(c) for c in a.controls]}
                for a in self.allies
            ],
            "records": {
                name: {"added": r.added, "removed": r.removed, "changed": r.changed}
                for name, r in self.records.items()
            },
            "old_errors": sum(1 for p in self.old_problems if p.is_error),
            "old_problems": [p.as_dict() for p in self.old_problems],
        }


def _change_dict(c: StageChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "before": c.before.as_dict() if c.before else None,
        "after": c.after.as_dict() if c.after else None,
        "stage_changed": c.stage_changed,
        "headline_changed": c.headline_changed,
        "flags_added": c.flags_added,
        "flags_removed": c.flags_removed,
    }


# --- git ---------------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise UsageError("git is not installed (diff reads the record at a git revision)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git did not answer within {GIT_TIMEOUT} seconds") from None


def resolve_revision(data_dir: Path, rev: str) -> str:
    """The commit a revision names, or a UsageError (not a repository, unknown revision)."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\x00\n\r"):
        raise UsageError(f"{rev!r} is not a git revision")
    inside = _git(["rev-parse", "--is-inside-work-tree"], data_dir)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise UsageError(
            f"{data_dir} is not inside a git working tree (diff compares with a git revision)"
        )
    found = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], data_dir)
    if found.returncode != 0:
        raise UsageError(f"unknown git revision {rev!r}")
    return found.stdout.decode("ascii", "replace").strip()


class _Oversized(bytes):
    """A file at a revision too large to read, by its size."""

    size: int

    def __new__(cls, size: int) -> _Oversized:
        out = super().__new__(cls)
        out.size = size
        return out


def read_at(data_dir: Path, commit: str, name: str) -> bytes | None:
    """A data file's bytes at a commit; None when the file is not in that commit. A file over
    the size limit is not read: an empty stand-in carries its size, and is refused by it
    (``limit-file-size``)."""
    size = _git(["cat-file", "-s", f"{commit}:./{name}.yaml"], data_dir)
    if size.returncode != 0:
        return None
    if file_size_problem(int(size.stdout.strip() or 0), name) is not None:
        return _Oversized(int(size.stdout.strip()))
    shown = _git(["show", f"{commit}:./{name}.yaml"], data_dir)
    if shown.returncode != 0:
        return None
    return shown.stdout


def load_revision(data_dir: Path, commit: str, short: str) -> dict[str, LoadedFile]:
    """The three data files at a commit, loaded as the loader loads files on disk."""
    files: dict[str, LoadedFile] = {}
    for name in DATA_FILES:
        shown = f"{short}:{name}.yaml"
        raw = read_at(data_dir, commit, name)
        if raw is None:
            loaded = LoadedFile(shown)
            loaded.problems.append(
                Problem(
                    shown, 1, 1, "file-missing", Level.ERROR, "the file is not in this revision"
                )
            )
        elif isinstance(raw, _Oversized):
            loaded = LoadedFile(shown)
            too_big = file_size_problem(raw.size, shown)
            assert too_big is not None  # why it was not read
            loaded.problems.append(too_big)
        else:
            loaded = load_bytes(raw, shown, name)
        files[name] = loaded
    return files


def _checked_without_documents(files: dict[str, LoadedFile], root: Path, today: date) -> Validation:
    """``check_loaded`` without the findings of rules that read archived documents (those are
    the working tree's, not the revision's)."""
    result = check_loaded(files, root, today)
    result.problems[:] = [p for p in result.problems if p.rule not in WORKING_TREE_ONLY_RULES]
    return result


# --- comparing ------------------------------------------------------------------------------


def _stage_changes(old: Scores, new: Scores) -> list[AllyChange]:
    before = {a.ally.id: a for a in old.allies}
    after = {a.ally.id: a for a in new.allies}
    out = []
    for ally_id in sorted(before.keys() | after.keys()):
        b, a = before.get(ally_id), after.get(ally_id)
        name = (a or b).ally.name  # type: ignore[union-attr]
        head = StageChange(
            ally_id, name, stage_state(b) if b else None, stage_state(a) if a else None
        )
        b_pairs = {p.control.id: p for p in (b.controls if b else [])}
        a_pairs = {p.control.id: p for p in (a.controls if a else [])}
        pairs = []
        for control_id in sorted(b_pairs.keys() | a_pairs.keys()):
            bp, ap = b_pairs.get(control_id), a_pairs.get(control_id)
            change = StageChange(
                control_id,
                (ap or bp).control.title,  # type: ignore[union-attr]
                stage_state(bp) if bp else None,
                stage_state(ap) if ap else None,
            )
            if change.before != change.after:
                pairs.append(change)
        if head.before != head.after or pairs:
            out.append(AllyChange(head, pairs))
    return out


def _record_changes(old: Dataset, new: Dataset) -> dict[str, RecordChanges]:
    out = {}
    for name in DATA_FILES:
        before = {r.id: r.model_dump(mode="json") for r in getattr(old, name)}
        after = {r.id: r.model_dump(mode="json") for r in getattr(new, name)}
        out[name] = RecordChanges(
            added=sorted(after.keys() - before.keys()),
            removed=sorted(before.keys() - after.keys()),
            changed=sorted(k for k in before.keys() & after.keys() if before[k] != after[k]),
        )
    return out


def compare(
    data_dir: Path,
    rev: str = "HEAD",
    asked: Question | None = None,
    to: str | None = None,
) -> Comparison:
    """The working tree's stages and records (or, with ``to``, those at that revision) against
    those at ``rev``, both scored for the question ``asked`` (default: as of today, every
    ally). Raises UsageError for a bad revision or no repository, DataError when the working
    tree's data has errors."""
    asked = asked or Question(as_of=date.today(), stale_days=DEFAULT_STALE_DAYS)
    day = asked.as_of
    commit = resolve_revision(data_dir, rev)
    to_commit = None if to is None else resolve_revision(data_dir, to)
    if to is None or to_commit is None:
        current = require_valid(data_dir, date.today())
    else:
        current = _checked_without_documents(
            load_revision(data_dir, to_commit, to), dataset_root(data_dir), date.today()
        )
    old = _checked_without_documents(
        load_revision(data_dir, commit, rev), dataset_root(data_dir), date.today()
    )
    return Comparison(
        to=to,
        to_commit=to_commit,
        rev=rev,
        commit=commit,
        as_of=day,
        allies=_stage_changes(
            score(old.dataset, asked),
            score(current.dataset, asked),
        ),
        records=_record_changes(old.dataset, current.dataset),
        old_problems=[p for p in old.problems if p.is_error],
    )


__all__ = [
    "AllyChange",
    "Comparison",
    "RecordChanges",
    "StageChange",
    "StageState",
    "compare",
    "load_revision",
    "resolve_revision",
]
