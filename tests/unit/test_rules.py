"""Every cross-file rule in checks.RULES: a fixture that breaks it, located exactly, and the
nearby cases that must pass."""

from __future__ import annotations

import os
from datetime import date

import pytest

from export_alignment.checks import RULES, normalise_quote, validate
from world import ACTORS, CONTROLS, STATEMENTS, only, replace_once, run, where

# A second control, issued by an ally and answering the US rule (lines 15-24 of controls.yaml).
JP_CONTROL = """\
  - id: jp-ordinance
    issuer: jp
    title: Ministerial ordinance on export trade control
    kind: ordinance
    target: cn
    scope: [advanced-computing-chips]
    aligns_with: [us-rule]
    source:
      title: METI ordinance
      citation: METI Ordinance No. 25 of 2023
"""

# (rule, file to change, old text, new text, expected (file, line, column, level, rule))
BROKEN = [
    pytest.param(
        "statements",
        "id: campbell-talks",
        "id: jp",
        ("statements.yaml", 2, 9, "error", "duplicate-id"),
        id="duplicate-id",
    ),
    pytest.param(
        "statements",
        "speaker: kurt-campbell",
        "speaker: kurt-cambell",
        ("statements.yaml", 4, 14, "error", "dangling-reference"),
        id="dangling-reference-speaker",
    ),
    pytest.param(
        "statements",
        "about: [jp]",
        "about: [jp, kr]",
        ("statements.yaml", 5, 17, "error", "dangling-reference"),
        id="dangling-reference-about-item",
    ),
    pytest.param(
        "controls",
        "target: cn",
        "target: china",
        ("controls.yaml", 6, 13, "error", "dangling-reference"),
        id="dangling-reference-target",
    ),
    pytest.param(
        "statements",
        "about: [jp]",
        "about: [jp, us]",
        ("statements.yaml", 5, 17, "error", "reference-kind"),
        id="reference-kind-about-initiator",
    ),
    pytest.param(
        "statements",
        "controls: [us-rule]",
        "controls: [jp]",
        ("statements.yaml", 6, 16, "error", "reference-kind"),
        id="reference-kind-controls-actor",
    ),
    pytest.param(
        "statements",
        "speaker: kurt-campbell",
        "speaker: us-rule",
        ("statements.yaml", 4, 14, "error", "reference-kind"),
        id="reference-kind-speaker-control",
    ),
    pytest.param(
        "controls",
        "target: cn",
        "target: us-rule",
        ("controls.yaml", 6, 13, "error", "reference-kind"),
        id="reference-kind-target-control",
    ),
    pytest.param(
        "actors",
        "represents: us",
        "represents: kurt-campbell",
        ("actors.yaml", 22, 17, "error", "reference-kind"),
        id="reference-kind-represents-person",
    ),
    pytest.param(
        "actors",
        "    role: target\n",
        "",
        ("actors.yaml", 14, 5, "error", "actor-fields"),
        id="actor-fields-state-role",
    ),
    pytest.param(
        "actors",
        "    represents: us\n",
        "    represents: us\n    role: ally\n",
        ("actors.yaml", 23, 5, "error", "actor-fields"),
        id="actor-fields-person-with-role",
    ),
    pytest.param(
        "actors",
        "    represents: us\n",
        "",
        ("actors.yaml", 18, 5, "error", "actor-fields"),
        id="actor-fields-person-represents",
    ),
    pytest.param(
        "actors",
        "    title: White House Indo-Pacific coordinator\n",
        "",
        ("actors.yaml", 18, 5, "error", "actor-fields"),
        id="actor-fields-person-title",
    ),
    pytest.param(
        "controls",
        "published: 2022-10-13",
        "published: 2022-10-06",
        ("controls.yaml", 9, 16, "error", "date-order"),
        id="date-order-published",
    ),
    pytest.param(
        "controls",
        "effective: 2022-10-07",
        "effective: 2022-10-01",
        ("controls.yaml", 10, 16, "error", "date-order"),
        id="date-order-effective",
    ),
    pytest.param(
        "controls",
        "effective: 2022-10-07",
        "effective: 2026-01-01",
        ("controls.yaml", 10, 16, "error", "future-date"),
        id="future-date-control",
    ),
    pytest.param(
        "statements",
        "published: 2023-01-17",
        "published: 2025-01-02",
        ("statements.yaml", 14, 18, "error", "future-date"),
        id="future-date-source",
    ),
    pytest.param(
        "statements",
        "published: 2023-01-17",
        "published: 2023-01-12",
        ("statements.yaml", 14, 18, "error", "source-before-event"),
        id="source-before-event",
    ),
    pytest.param(
        "statements",
        "published: 2023-01-17",
        "published: 2022-12",
        ("statements.yaml", 14, 18, "error", "source-before-event"),
        id="source-before-event-partial-month-before",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "url: https://example.org/a",
        ("statements.yaml", 10, 12, "error", "quote-without-document"),
        id="quote-without-document",
    ),
    pytest.param(
        "statements",
        "quote: extremely fruitful",
        "quote: very productive",
        ("statements.yaml", 10, 12, "error", "quote-not-in-document"),
        id="quote-not-in-document",
    ),
    pytest.param(
        "statements",
        "quote: extremely fruitful",
        "quote: Extremely fruitful",
        ("statements.yaml", 10, 12, "error", "quote-not-in-document"),
        id="quote-not-in-document-case-matters",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: seeds/../seeds/article.txt",
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-dotdot",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: ../outside.txt",
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-dotdot-leading",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: /etc/hostname",
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-absolute",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: seeds/missing.txt",
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-missing",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: seeds",
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-directory",
    ),
    pytest.param(
        "statements",
        "document: seeds/article.txt",
        "document: seeds/" + "a" * 300,
        ("statements.yaml", 12, 17, "error", "document-path"),
        id="document-path-name-too-long",
    ),
    pytest.param(
        "controls",
        "citation: 87 FR 62186",
        "document: seeds/../../x.txt",
        ("controls.yaml", 14, 17, "error", "document-path"),
        id="document-path-control-source",
    ),
    pytest.param(
        "controls",
        "url: https://www.federalregister.gov/d/2022-21658",
        "url: javascript:alert(1)",
        ("controls.yaml", 12, 12, "error", "url-scheme"),
        id="url-scheme-javascript",
    ),
    pytest.param(
        "controls",
        "url: https://www.federalregister.gov/d/2022-21658",
        "url: ftp://ftp.example.org/rule.pdf",
        ("controls.yaml", 12, 12, "error", "url-scheme"),
        id="url-scheme-ftp",
    ),
    pytest.param(
        "controls",
        "url: https://www.federalregister.gov/d/2022-21658",
        "url: https://",
        ("controls.yaml", 12, 12, "error", "url-scheme"),
        id="url-scheme-no-host",
    ),
    pytest.param(
        "controls",
        "url: https://www.federalregister.gov/d/2022-21658",
        "url: https://www.federalregister.gov/d/2022 21658",
        ("controls.yaml", 12, 12, "error", "url-scheme"),
        id="url-scheme-space",
    ),
    pytest.param(
        "statements",
        "      document: seeds/article.txt\n",
        '      document: seeds/article.txt\n      url: "JavaScript:alert(1)"\n',
        ("statements.yaml", 13, 12, "error", "url-scheme"),
        id="url-scheme-statement",
    ),
    pytest.param(
        "statements",
        "date: 2023-01-13",
        "date: 2023-01",
        ("statements.yaml", 3, 11, "warning", "partial-date-note"),
        id="partial-date-note-statement",
    ),
    pytest.param(
        "controls",
        "announced: 2022-10-07",
        "announced: 2022-10",
        ("controls.yaml", 8, 16, "warning", "partial-date-note"),
        id="partial-date-note-control",
    ),
    # rules of the second-edition model (scope items, lifecycle, blocs, source kinds)
    pytest.param(
        "controls",
        "controls:\n  - id: us-rule\n",
        "scope_items:\n  - {id: semiconductor-manufacturing-equipment, name: Equipment, "
        "description: Chipmaking tools}\ncontrols:\n  - id: us-rule\n",
        ("controls.yaml", 9, 13, "error", "scope-item"),
        id="scope-item",
    ),
    pytest.param(
        "statements",
        "controls: [us-rule]\n",
        "controls: [us-rule]\n    scope: [quantum-technology]\n",
        ("statements.yaml", 7, 13, "error", "statement-scope"),
        id="statement-scope",
    ),
    pytest.param(
        "controls",
        "      citation: 87 FR 62186\n",
        "      citation: 87 FR 62186\n"
        + JP_CONTROL.replace("scope: [advanced-computing-chips]", "scope: [quantum-technology]"),
        ("controls.yaml", 21, 19, "error", "measure-scope"),
        id="measure-scope",
    ),
    pytest.param(
        "actors",
        "  - id: jp\n    name: Japan\n",
        "  - id: jp\n    name: Japan\n    members: [nl]\n",
        ("actors.yaml", 8, 5, "error", "actor-scope-fields"),
        id="actor-scope-fields",
    ),
    pytest.param(
        "controls",
        "      citation: 87 FR 62186\n",
        "      citation: 87 FR 62186\n    lifecycle:\n      - event: rescinded\n"
        "        date: 2022-09-01\n        summary: Withdrawn.\n"
        "        source: {title: Notice, citation: 1 FR 1}\n",
        ("controls.yaml", 17, 15, "error", "lifecycle-initiator"),
        id="lifecycle-initiator",
    ),
    pytest.param(
        "controls",
        "      citation: 87 FR 62186\n",
        "      citation: 87 FR 62186\n    lifecycle:\n      - event: suspended\n"
        "        date: 2023-06-01\n        until: 2024-06-01\n        summary: Paused.\n"
        "        source: {title: Notice, citation: 1 FR 1}\n",
        ("controls.yaml", 18, 16, "warning", "suspension-end-unknown"),
        id="suspension-end-unknown",
    ),
    pytest.param(
        "statements",
        "      tier: on_record\n",
        "      tier: official_text\n      kind: law-firm\n",
        ("statements.yaml", 11, 5, "warning", "official-text-source"),
        id="official-text-source",
    ),
    pytest.param(
        "statements",
        "      tier: on_record\n",
        "      tier: on_record\n      kind: copy\n      copy_of: Reuters\n",
        ("statements.yaml", 16, 13, "warning", "lone-copy-source"),
        id="lone-copy-source",
    ),
]

BASE = {"actors": ACTORS, "controls": CONTROLS, "statements": STATEMENTS}


def broken(name: str, old: str, new: str) -> dict[str, str]:
    return {name: replace_once(BASE[name], old, new)}


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN)
def test_rule_reports_the_exact_position(make_dataset, name, old, new, expected):
    ds = make_dataset(**broken(name, old, new))
    problem = only(ds.problems(), expected[-1])
    assert where(problem) == expected


def test_every_registered_rule_has_a_failing_fixture():
    assert {p.values[-1][-1] for p in BROKEN} == set(RULES)


def test_the_minimal_dataset_is_clean(dataset):
    assert dataset.problems() == []


def test_duplicate_id_names_the_first_record(make_dataset):
    ds = make_dataset(**broken("statements", "id: campbell-talks", "id: jp"))
    message = only(ds.problems(), "duplicate-id").message
    assert "actor" in message
    assert message.endswith("actors.yaml:6:9")


def test_duplicate_id_within_one_file(make_dataset):
    ds = make_dataset(
        actors=ACTORS + "  - id: nl\n    name: Holland\n    kind: state\n    role: ally\n"
    )
    assert where(only(ds.problems(), "duplicate-id")) == (
        "actors.yaml",
        23,
        9,
        "error",
        "duplicate-id",
    )


def test_reference_to_a_record_that_failed_its_schema_is_not_dangling(make_dataset):
    # kurt-campbell exists but is broken: report the broken record, not every reference to it
    ds = make_dataset(**broken("actors", "    kind: person\n", "    kind: human\n"))
    problem = only(ds.problems(), "schema")
    assert where(problem) == ("actors.yaml", 20, 11, "error", "schema")


def test_aligns_with_must_name_an_initiator_control(make_dataset):
    ds = make_dataset(controls=CONTROLS + JP_CONTROL)
    assert ds.problems() == []
    ds = make_dataset(
        controls=CONTROLS
        + replace_once(JP_CONTROL, "aligns_with: [us-rule]", "aligns_with: [us-rule, jp-ordinance]")
    )
    problem = only(ds.problems(), "reference-kind")
    assert where(problem) == ("controls.yaml", 21, 28, "error", "reference-kind")
    assert "not a control of the initiator" in problem.message


def test_statement_about_a_control_of_an_ally_is_rejected(make_dataset):
    ds = make_dataset(
        controls=CONTROLS + JP_CONTROL,
        **broken("statements", "controls: [us-rule]", "controls: [jp-ordinance]"),
    )
    assert where(only(ds.problems(), "reference-kind")) == (
        "statements.yaml",
        6,
        16,
        "error",
        "reference-kind",
    )


def test_effective_before_published_is_accepted(make_dataset):
    # the October 2022 rule: announced and effective 7 October, published 13 October
    ds = make_dataset(**broken("controls", "published: 2022-10-13", "published: 2022-10-20"))
    assert ds.problems() == []


def test_effective_and_published_on_the_announcement_day_are_accepted(make_dataset):
    ds = make_dataset(**broken("controls", "published: 2022-10-13", "published: 2022-10-07"))
    assert ds.problems() == []


def test_partial_date_in_the_announcement_month_is_not_before_it(make_dataset):
    ds = make_dataset(
        controls=replace_once(
            CONTROLS,
            "    published: 2022-10-13\n",
            "    published: 2022-10\n    date_note: the gazette gives only the month\n",
        )
    )
    assert ds.problems() == []


def test_published_month_before_announcement_is_rejected(make_dataset):
    ds = make_dataset(
        controls=replace_once(
            CONTROLS,
            "    published: 2022-10-13\n",
            "    published: 2022-09\n    date_note: the gazette gives only the month\n",
        )
    )
    assert where(only(ds.problems(), "date-order")) == (
        "controls.yaml",
        9,
        16,
        "error",
        "date-order",
    )


def test_future_date_is_measured_against_today(make_dataset):
    ds = make_dataset(**broken("statements", "published: 2023-01-17", "published: 2024-06-01"))
    assert where(only(ds.problems(today=date(2024, 5, 31)), "future-date")) == (
        "statements.yaml",
        14,
        18,
        "error",
        "future-date",
    )
    assert ds.problems(today=date(2024, 6, 1)) == []


def test_partial_future_date_counts_from_its_first_day(make_dataset):
    ds = make_dataset(
        controls=replace_once(
            CONTROLS,
            "    effective: 2022-10-07\n",
            "    effective: 2025-02\n    date_note: expected in February\n",
        )
    )
    assert ds.problems(today=date(2025, 2, 1)) == []
    assert where(only(ds.problems(today=date(2025, 1, 31)), "future-date")) == (
        "controls.yaml",
        10,
        16,
        "error",
        "future-date",
    )


def test_source_published_the_day_of_the_event_is_accepted(make_dataset):
    ds = make_dataset(**broken("statements", "published: 2023-01-17", "published: 2023-01-13"))
    assert ds.problems() == []


def test_source_of_the_same_partial_month_is_accepted(make_dataset):
    # the source could have appeared on any day of January, after the 13th included
    ds = make_dataset(**broken("statements", "published: 2023-01-17", "published: 2023-01"))
    assert ds.problems() == []


@pytest.mark.parametrize(
    "quote",
    [
        "extremely fruitful",
        '"extremely fruitful"',  # typographic quotes in the document, straight ones here
        "allies were 'looking at the question' - closely",  # line breaks, runs of spaces, a dash
        "allies were \u2018looking  at the question\u2019 \u2013 closely",
    ],
)
def test_quote_normalisation_passes(make_dataset, quote):
    text = replace_once(
        STATEMENTS,
        "quote: extremely fruitful",
        f"quote: {quote!r}" if '"' in quote else f'quote: "{quote}"',
    )
    ds = make_dataset(statements=text)
    assert ds.problems() == []


def test_quote_normalisation_changes_nothing_but_spaces_quotes_and_dashes():
    assert normalise_quote("\u201cA\u00a0 b\u201d \u2014 c\u2026") == '"A b" - c...'
    assert normalise_quote("colour") != normalise_quote("color")


def test_quote_in_a_document_with_invalid_utf8_is_still_found(make_dataset):
    ds = make_dataset()
    (ds.seeds / "article.txt").write_bytes(b"\xff\xfe noise; extremely fruitful \xff")
    assert ds.problems() == []


def test_document_symlink_leading_outside_the_root_is_refused(make_dataset, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("extremely fruitful", encoding="utf-8")
    ds = make_dataset(
        **broken("statements", "document: seeds/article.txt", "document: seeds/link.txt")
    )
    os.symlink(outside, ds.seeds / "link.txt")
    problem = only(ds.problems(), "document-path")
    assert where(problem) == ("statements.yaml", 12, 17, "error", "document-path")
    assert "outside" in problem.message


def test_document_symlink_inside_the_root_is_accepted(make_dataset):
    ds = make_dataset(
        **broken("statements", "document: seeds/article.txt", "document: seeds/link.txt")
    )
    os.symlink("article.txt", ds.seeds / "link.txt")
    assert ds.problems() == []


def test_document_path_refused_is_not_also_reported_as_a_missing_quote(make_dataset):
    ds = make_dataset(
        **broken("statements", "document: seeds/article.txt", "document: /etc/hostname")
    )
    assert [p.rule for p in ds.problems()] == ["document-path"]


@pytest.mark.parametrize("url", ["http://example.org", "HTTPS://example.org/a?b=c#d"])
def test_http_urls_pass(make_dataset, url):
    ds = make_dataset(**broken("controls", "https://www.federalregister.gov/d/2022-21658", url))
    assert ds.problems() == []


def test_partial_date_with_a_note_passes(make_dataset):
    ds = make_dataset(
        statements=replace_once(
            STATEMENTS,
            "    date: 2023-01-13\n",
            "    date: 2023-01\n    date_note: the report gives no day\n",
        )
    )
    assert ds.problems() == []


def test_partial_date_warning_alone_exits_0(make_dataset):
    ds = make_dataset(**broken("statements", "date: 2023-01-13", "date: 2023-01"))
    r = run("validate", "--data", str(ds.data), "--today", "2025-01-01", "--format", "text")
    assert r.exit_code == 0, r.output
    assert "statements.yaml:3:11: warning partial-date-note" in r.stdout
    assert "0 errors, 1 warning" in r.stderr


def test_a_command_that_needs_a_valid_record_does_not_look_for_its_warnings(make_dataset):
    ds = make_dataset(**broken("statements", "date: 2023-01-13", "date: 2023-01"))
    day = date(2025, 1, 1)
    assert [p.rule for p in validate(ds.data, day).problems] == ["partial-date-note"]
    assert validate(ds.data, day, warnings=False).problems == []
    r = run("status", "--data", str(ds.data), "--as-of", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert "partial-date-note" not in r.output


def test_a_refused_record_shows_its_warnings_beside_its_errors(make_dataset):
    ds = make_dataset(
        statements=replace_once(
            replace_once(STATEMENTS, "date: 2023-01-13", "date: 2023-01"),
            "speaker: kurt-campbell",
            "speaker: nobody",
        )
    )
    day = date(2025, 1, 1)
    full = validate(ds.data, day).problems
    assert sorted(p.rule for p in full) == ["dangling-reference", "partial-date-note"]
    assert validate(ds.data, day, warnings=False).problems == full
    r = run("status", "--data", str(ds.data), "--as-of", "2025-01-01")
    assert r.exit_code == 1, r.output
    assert "warning partial-date-note" in r.stderr and "error dangling-reference" in r.stderr


def test_rules_run_over_every_file_at_once(make_dataset):
    ds = make_dataset(
        actors=replace_once(ACTORS, "represents: us", "represents: usa"),
        controls=replace_once(CONTROLS, "effective: 2022-10-07", "effective: 2022-10-01"),
        statements=replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: nobody"),
    )
    assert [where(p) for p in ds.problems()] == [
        ("actors.yaml", 22, 17, "error", "dangling-reference"),
        ("controls.yaml", 10, 16, "error", "date-order"),
        ("statements.yaml", 4, 14, "error", "dangling-reference"),
    ]


# --- found in review: each rule does its own work, whatever else is broken ----------------------


def test_a_broken_file_does_not_hide_the_other_files_record_checks(make_dataset):
    statements = replace_once(STATEMENTS, "quote: extremely fruitful", "quote: very productive")
    ds = make_dataset(actors="actors: [\n", statements=statements)
    problems = ds.problems()
    assert [(where(p)[0], p.rule) for p in problems] == [
        ("actors.yaml", "yaml-syntax"),
        ("statements.yaml", "quote-not-in-document"),
    ]
    # references into the broken file are not reported as dangling
    assert not any(p.rule in ("dangling-reference", "reference-kind") for p in problems)


def test_an_initiator_failing_its_schema_does_not_cascade_into_reference_kind(make_dataset):
    actors = replace_once(ACTORS, "    role: initiator\n", "    role: initiator\n    foo: 1\n")
    problems = make_dataset(actors=actors).problems()
    assert [(where(p)[1:3], p.rule) for p in problems] == [((6, 5), "unknown-field")]


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("xtremely fruit", "the quote is not printed in seeds/article.txt"),  # fragments of words
        ("fruitful\u201d and that the allie", "the quote is not printed in seeds/article.txt"),
        ('" "', "the quote is blank"),
    ],
)
def test_a_quote_must_be_whole_words_and_not_blank(make_dataset, quote, message):
    statements = replace_once(STATEMENTS, "quote: extremely fruitful", f"quote: {quote}")
    problem = only(make_dataset(statements=statements).problems(), "quote-not-in-document")
    assert (where(problem)[1:3], problem.message) == ((10, 12), message)


def test_a_quote_may_start_or_end_at_punctuation(make_dataset):
    statements = replace_once(
        STATEMENTS, "quote: extremely fruitful", "quote: '\u201cextremely fruitful\u201d and that'"
    )
    assert make_dataset(statements=statements).problems() == []


def test_an_archived_document_lives_under_seeds(make_dataset):
    ds = make_dataset()
    (ds.data / "copy.txt").write_text(ARTICLE_TEXT, encoding="utf-8")
    statements = replace_once(STATEMENTS, "document: seeds/article.txt", "document: data/copy.txt")
    problem = only(make_dataset(statements=statements).problems(), "document-path")
    assert (where(problem)[1:3], problem.message) == (
        (12, 17),
        "document 'data/copy.txt': archived documents live under seeds/",
    )


ARTICLE_TEXT = "Campbell said the talks had been \u201cextremely fruitful\u201d.\n"
