"""Schema problems: a missing field at its parent mapping, an unknown field at its key, a wrong
type or value at the value itself."""

from __future__ import annotations

import pytest

from world import ACTORS, CONTROLS, STATEMENTS, only, replace_once, where

SOURCE = """\
    source:
      document: seeds/article.txt
      publisher: Seed article
      published: 2023-01-17
      tier: on_record
"""

# (file, old, new, expected (line, column, rule), words the message must hold)
SCHEMA = [
    pytest.param(
        "statements",
        "    stance: positive\n",
        "",
        (2, 5, "missing-field"),
        "'stance'",
        id="missing-field-at-the-record",
    ),
    pytest.param(
        "statements",
        "      tier: on_record\n",
        "",
        (12, 7, "missing-field"),
        "'source.tier'",
        id="missing-nested-field-at-source",
    ),
    pytest.param(
        "statements",
        SOURCE,
        "",
        (2, 5, "missing-field"),
        "'source'",
        id="missing-mapping-at-the-record",
    ),
    pytest.param(
        "actors",
        "    name: China\n",
        "",
        (14, 5, "missing-field"),
        "'name'",
        id="missing-field-in-actors",
    ),
    pytest.param(
        "controls",
        "      title: Implementation of Additional Export Controls\n",
        "",
        (12, 7, "missing-field"),
        "'source.title'",
        id="missing-field-in-controls",
    ),
    pytest.param(
        "statements",
        "    stance: positive\n",
        "    stance: positive\n    mood: good\n",
        (9, 5, "unknown-field"),
        "'mood'",
        id="unknown-field-at-its-key",
    ),
    pytest.param(
        "statements",
        "      tier: on_record\n",
        "      tier: on_record\n      quality: high\n",
        (16, 7, "unknown-field"),
        "'source.quality'",
        id="unknown-nested-field-at-its-key",
    ),
    pytest.param(
        "actors",
        "    role: ally\n  - id: nl",
        "    role: ally\n    roles: ally\n  - id: nl",
        (10, 5, "unknown-field"),
        "'roles'",
        id="unknown-field-in-actors",
    ),
    pytest.param(
        "statements",
        "about: [jp]",
        "about: jp",
        (5, 12, "schema"),
        "about: input should be a valid list",
        id="wrong-type-list",
    ),
    pytest.param(
        "statements",
        "Campbell called the talks with Japan productive.",
        "42",
        (9, 14, "schema"),
        "summary: input should be a valid string",
        id="wrong-type-number-for-text",
    ),
    pytest.param(
        "statements",
        "about: [jp]",
        "about: [jp, 7]",
        (5, 17, "schema"),
        "about[1]",
        id="wrong-type-in-a-list",
    ),
    pytest.param(
        "statements",
        "signal: talks",
        "signal: chat",
        (7, 13, "schema"),
        "'raised', 'talks'",
        id="wrong-enum-value",
    ),
    pytest.param(
        "statements",
        "tier: on_record",
        "tier: rumour",
        (15, 13, "schema"),
        "source.tier",
        id="wrong-nested-enum-value",
    ),
    pytest.param(
        "actors",
        "kind: person",
        "kind: human",
        (20, 11, "schema"),
        "kind",
        id="wrong-enum-in-actors",
    ),
    pytest.param(
        "controls",
        "kind: rule",
        "kind: decree",
        (5, 11, "schema"),
        "kind",
        id="wrong-enum-in-controls",
    ),
    pytest.param(
        "statements",
        "id: campbell-talks",
        "id: Campbell Talks",
        (2, 9, "schema"),
        "id: string should match pattern",
        id="id-not-a-slug",
    ),
    pytest.param(
        "statements",
        "date: 2023-01-13",
        "date: 2023-02-30",
        (3, 11, "schema"),
        "not a calendar date",
        id="impossible-date",
    ),
    pytest.param(
        "statements",
        "date: 2023-01-13",
        "date: 13/01/2023",
        (3, 11, "schema"),
        "YYYY-MM-DD",
        id="date-in-another-format",
    ),
    pytest.param(
        "statements",
        "date: 2023-01-13",
        "date: true",
        (3, 11, "schema"),
        "YYYY-MM-DD",
        id="date-boolean",
    ),
    pytest.param(
        "statements", "about: [jp]", "about: []", (5, 12, "schema"), "at least 1", id="empty-list"
    ),
    pytest.param(
        "statements",
        "summary: Campbell called the talks with Japan productive.",
        "summary: ''",
        (9, 14, "schema"),
        "summary",
        id="empty-text",
    ),
    pytest.param(
        "statements",
        "      document: seeds/article.txt\n",
        "",
        (12, 7, "schema"),
        "a source needs a url or an archived document",
        id="source-with-nowhere",
    ),
    pytest.param(
        "controls",
        "      citation: 87 FR 62186\n",
        "      title: x\n",
        (14, 7, "duplicate-key"),
        "'title'",
        id="duplicate-key-in-a-record",
    ),
]

BASE = {"actors": ACTORS, "controls": CONTROLS, "statements": STATEMENTS}


@pytest.mark.parametrize(("name", "old", "new", "expected", "words"), SCHEMA)
def test_schema_problem_is_located(make_dataset, name, old, new, expected, words):
    ds = make_dataset(**{name: replace_once(BASE[name], old, new)})
    problem = only(ds.problems(), expected[-1])
    assert where(problem) == (f"{name}.yaml", *expected[:2], "error", expected[-1])
    assert words in problem.message


def test_record_that_is_not_a_mapping(make_dataset):
    ds = make_dataset(statements="statements:\n  - [a]\n")
    problem = only(ds.problems(), "schema")
    assert where(problem) == ("statements.yaml", 2, 5, "error", "schema")


def test_every_problem_of_a_record_is_reported(make_dataset):
    text = replace_once(STATEMENTS, "signal: talks", "signal: chat")
    text = replace_once(text, "stance: positive", "stance: glad")
    text = replace_once(text, "      tier: on_record\n", "      tier: on_record\n      x: 1\n")
    ds = make_dataset(statements=text)
    assert [(p.line, p.column, p.rule) for p in ds.problems()] == [
        (7, 13, "schema"),
        (8, 13, "schema"),
        (16, 7, "unknown-field"),
    ]


def test_one_bad_record_hides_no_other(make_dataset):
    second = STATEMENTS.split("\n", 1)[1].replace("id: campbell-talks", "id: second")
    second = second.replace("signal: talks", "signal: chat")
    first = replace_once(STATEMENTS, "stance: positive", "stance: glad")
    ds = make_dataset(statements=first + second)
    assert [(p.line, p.rule) for p in ds.problems()] == [(8, "schema"), (21, "schema")]


def test_yaml_1_2_plain_values_stay_text(make_dataset):
    # YAML 1.1 would read these as booleans or numbers; a name "no" or a title "on" is text
    actors = replace_once(ACTORS, "name: Netherlands", "name: no")
    actors = replace_once(actors, "title: White House Indo-Pacific coordinator", "title: on")
    assert make_dataset(actors=actors).problems() == []


def test_year_only_date_is_a_partial_date(make_dataset):
    ds = make_dataset(
        statements=replace_once(
            STATEMENTS, "    date: 2023-01-13\n", "    date: 2023\n    date_note: year only\n"
        )
    )
    assert ds.problems() == []


# (file, old, new, (line, column) of the unknown field, the message)
MISSPELT_FIELDS = [
    pytest.param(
        "statements",
        "    summary: Campbell",
        "    sumary: Campbell",
        (9, 5),
        "unknown field 'sumary'; did you mean 'summary'?",
        id="a-statement-field",
    ),
    pytest.param(
        "statements",
        "      publisher: Seed article",
        "      publsher: Seed article",
        (13, 7),
        "unknown field 'source.publsher'; did you mean 'publisher' or 'published'?",
        id="a-field-of-a-statement-source",
    ),
    pytest.param(
        "controls",
        "      citation: 87 FR 62186",
        "      citaton: 87 FR 62186",
        (14, 7),
        "unknown field 'source.citaton'; did you mean 'citation'?",
        id="a-field-of-a-control-source",
    ),
    pytest.param(
        "actors",
        "    role: ally\n  - id: nl",
        "    role: ally\n    titel: Minister\n  - id: nl",
        (10, 5),
        "unknown field 'titel'; did you mean 'title'?",
        id="an-actor-field",
    ),
    pytest.param(
        "statements",
        "    stance: positive\n",
        "    stance: positive\n    mood: good\n",
        (9, 5),
        "unknown field 'mood'",
        id="no-field-close-enough",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "at", "message"), MISSPELT_FIELDS)
def test_an_unknown_field_suggests_the_closest_field_of_its_record_kind(
    make_dataset, name, old, new, at, message
):
    ds = make_dataset(**{name: replace_once(BASE[name], old, new)})
    unknown = [p for p in ds.problems() if p.rule == "unknown-field"]
    assert [(p.line, p.column, p.message) for p in unknown] == [(*at, message)]
