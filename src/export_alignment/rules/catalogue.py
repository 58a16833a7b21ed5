r"""The rule catalogue: every rule id the tool can report, each registered once with its level and
a docstring that says what it checks and shows one passing and one failing example.

The rules that read files (``yaml-*``, ``file-*``, ``limit-*``, ``encoding``, ``duplicate-key``)
and type records (``schema``, ``missing-field``, ``unknown-field``) are registered here; the
cross-file rules are declared with ``@rule`` in their family's module and registered, in run
order, by the pipeline (``checks``). The README's rules section is
generated from this catalogue, and a test runs every example.

An example is one or more changes, each in double backticks, to a small valid dataset (the test
world's baseline); other backticked text is prose:

* ``statements.yaml: "TEXT"`` replaces a file's text (a JSON string; ``"x" * 5000`` repeats,
  ``+`` joins); ``statements.yaml: absent`` removes the file, ``statements.yaml: folder`` puts a
  folder in its place.
* ``statements[0].source.url: VALUE`` sets one field of a record to a YAML value;
  ``VALUE`` ``absent`` removes the field. ``controls[1]: VALUE`` replaces or appends a whole
  record, and ``controls.scope_items: VALUE`` sets a top-level section of a file.

An example may run on over several lines, up to a blank line.

Examples run with ``EXAMPLE_LIMITS`` (small, so the limit rules' examples stay small).
"""

from __future__ import annotations

from dataclasses import dataclass

from export_alignment.problems import Level


@dataclass(frozen=True)
class RuleInfo:
    """One rule: its id, the level it reports at, where it runs and its documentation."""

    id: str
    level: Level
    stage: str
    """``file`` (reading a file), ``schema`` (typing a record) or ``dataset`` (cross-file)."""
    doc: str

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.strip().split("\n\n", 1)[0].split())


CATALOGUE: dict[str, RuleInfo] = {}
"""Every rule, by id, in registration order (files, schema, then the cross-file rules)."""

STAGES = ("file", "schema", "dataset")

EXAMPLE_LIMITS = {
    "max_file_bytes": 8192,
    "max_depth": 8,
    "max_nodes": 500,
    "max_scalar_chars": 5000,
    "max_records": 10,
}
"""The limits the examples run with (``loader.Limits`` fields)."""


def register(
    rule_id: str, doc: str | None, level: Level = Level.ERROR, stage: str = "dataset"
) -> RuleInfo:
    """Add a rule to the catalogue; an id registered twice is a bug."""
    if rule_id in CATALOGUE:
        raise ValueError(f"rule {rule_id!r} is registered twice")
    if stage not in STAGES:
        raise ValueError(f"rule {rule_id!r}: unknown stage {stage!r}")
    info = RuleInfo(rule_id, level, stage, _dedent(doc or ""))
    CATALOGUE[rule_id] = info
    return info


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


_FILE_RULES = {
    "file-missing": """A dataset has all three data files.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: absent``
        """,
    "file-unreadable": """A data file can be read: a file, not a folder or a broken link.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: folder``
        """,
    "encoding": """A data file is UTF-8 text (a byte-order mark is allowed).

        Passes: ``statements.yaml: "\\ufeffstatements: []\\n"``
        Fails: ``statements.yaml: "statements: []  # \\udcff\\n"`` (a lone 0xff byte)
        """,
    "yaml-syntax": """A data file is well-formed YAML holding one document.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements:\\n  - id: a: b\\n"``
        """,
    "yaml-key": """Mapping keys are plain text, never lists or mappings.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "? [a]\\n: 1\\n"``
        """,
    "yaml-alias": """An alias refers to an anchor defined (and finished) before it.

        Passes: ``statements.yaml: "statements: &none []\\n"``
        Fails: ``statements.yaml: "statements: *nowhere\\n"``
        """,
    "yaml-tag": """Only the standard tags, on values they fit; ``!!python/...`` and local tags are
        refused, never constructed.

        Passes: ``statements.yaml: "statements: !!seq []\\n"``
        Fails: ``statements.yaml: "statements: !!python/name:os.system\\n"``
        """,
    "duplicate-key": """No key appears twice in one mapping (the first value is kept).

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: []\\nstatements: []\\n"``
        """,
    "file-empty": """A data file holds its mapping, not nothing (comments alone are nothing).

        Passes: ``statements.yaml: "# none yet\\nstatements: []\\n"``
        Fails: ``statements.yaml: "# none yet\\n"``
        """,
    "file-not-mapping": """A data file holds a mapping ``<name>: [...]``, not a list or a text.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "- a\\n- b\\n"``
        """,
    "limit-file-size": """A data file is at most ``max_file_bytes`` long.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: []\\n" + "#" * 9000``
        """,
    "limit-depth": """Values nest at most ``max_depth`` levels deep.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: " + "[" * 9 + "]" * 9``
        """,
    "limit-nodes": """A file holds at most ``max_nodes`` values.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: [[" + "x, " * 600 + "]]"``
        """,
    "limit-aliases": """Aliases expand to at most ``max_nodes`` values (no "billion laughs").

        Passes: ``statements.yaml: "statements: &none []\\n"``
        Fails: ``statements.yaml: "a: &a [" + "x, " * 100 + "x]\\nb: [" + "*a, " * 5 + "*a]\\n"``
        """,
    "limit-string": """A text value holds at most ``max_scalar_chars`` characters.

        Passes: ``statements[0].summary: Campbell called the talks productive.``
        Fails: ``statements.yaml: "statements: " + "x" * 5001``
        """,
    "limit-number": """A number is short enough to read (Python refuses integers of thousands of
        digits).

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: " + "1" * 4400``
        """,
    "limit-records": """A file holds at most ``max_records`` records.

        Passes: ``statements.yaml: "statements: []\\n"``
        Fails: ``statements.yaml: "statements: [" + "{}, " * 11 + "]"``
        """,
}

_SCHEMA_RULES = {
    "schema": """Each value has the type and form its field takes: a vocabulary word, a date, a
        slug, a list where a list is due.

        Passes: ``statements[0].stance: neutral``
        Fails: ``statements[0].stance: sideways``
        """,
    "missing-field": """Every required field is there.

        Passes: ``statements[0].summary: Campbell spoke of the talks.``
        Fails: ``statements[0].summary: absent``
        """,
    "unknown-field": """No field the model does not know (a misspelt key), at any level; the
        problem names the closest fields of that record kind (``did you mean 'notes'?``).

        Passes: ``statements[0].notes: a note``
        Fails: ``statements[0].note: a note``
        """,
}

for _id, _doc in _FILE_RULES.items():
    register(_id, _doc, stage="file")
for _id, _doc in _SCHEMA_RULES.items():
    register(_id, _doc, stage="schema")
