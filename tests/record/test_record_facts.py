"""The shipped record to 2026: facts it must keep, read straight from the data (no
scoring). Each test pins a correction or a curator's judgement that a later edit could undo."""

from datetime import date
from pathlib import Path

import pytest

from export_alignment.checks import validate
from export_alignment.models import Control, Statement
from world import REPO

DATA = REPO / "data"
SEED = "seeds/000_ad66c9f837e24f7c.txt"
OCT_2022 = "us-2022-10-advanced-computing-sme"
OCT_2023 = "us-2023-10-advanced-computing-sme-update"
SEP_2024 = "us-2024-09-advanced-technologies-partners"
DEC_2024 = "us-2024-12-sme-hbm-fdpr"


@pytest.fixture(scope="module")
def result():
    return validate(DATA)


@pytest.fixture(scope="module")
def record(result):
    assert result.ok, [p for p in result.problems if p.is_error]
    return result.dataset


def statement(record, sid: str) -> Statement:
    found = [s for s in record.statements if s.id == sid]
    assert len(found) == 1, sid
    return found[0]


def control(record, cid: str) -> Control:
    found = record.control(cid)
    assert found is not None, cid
    return found


def record_at(path: str, line: int) -> str:
    """The id of the list item a problem's line falls in."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for text in reversed(lines[:line]):
        if text.startswith("  - id: "):
            return text.removeprefix("  - id: ").strip()
    raise AssertionError(f"no record above {path}:{line}")


# --- validation ---------------------------------------------------------------------------------


def test_every_remaining_warning_is_explained_in_the_records_notes(result, record):
    warnings = [p for p in result.problems if not p.is_error]
    assert {p.rule for p in warnings} <= {
        "official-text-source",
        "lone-copy-source",
        "suspension-end-unknown",
    }
    for p in warnings:
        rid = record_at(p.path, p.line)
        found = record.control(rid) or statement(record, rid)
        if p.rule == "suspension-end-unknown":  # the suspension's own note says what is unknown
            assert isinstance(found, Control), rid
            notes = [e.date_note or "" for e in found.open_suspensions]
            assert any("no stored page says whether" in n for n in notes), rid
            continue
        assert found.notes is not None and "warning" in found.notes, (rid, p.rule)


# --- corrections ---------------------------------------------------------------------------------


def test_the_seeds_senior_dutch_trade_official_is_the_trade_minister_on_15_january(record):
    s = statement(record, "nl-official-no-automatic-acceptance")
    assert s.speaker == "liesje-schreinemacher"
    assert s.date.earliest == s.date.latest == date(2023, 1, 15)
    assert str(s.signal) == "reservation"
    assert str(s.tier) == "on_record"
    # the seed stays beside the wire: its own wording hides the name, so it alone is anonymous
    seed = [src for src in s.cited if src.document == SEED]
    assert len(seed) == 1 and str(seed[0].tier) == "anonymous"
    assert any(src.copy_of == "Reuters" and str(src.tier) == "on_record" for src in s.cited)
    assert s.quote == "No automatic acceptance of the US limits."
    assert record.actor("nl-senior-trade-official") is None


@pytest.mark.parametrize(
    "sid",
    [
        "campbell-csis-fruitful-talks",
        "tomita-expects-progress",
        "kishida-reviewing-chip-controls",
        "rutte-slow-progress",
        "rutte-tv-step-by-step",
    ],
)
def test_seed_remarks_are_dated_to_17_january_by_the_wire(record, sid):
    s = statement(record, sid)
    assert s.date.earliest == s.date.latest == date(2023, 1, 17)
    assert s.date_note
    assert any(src.document == SEED for src in s.cited)  # the seed stays a source
    assert any(src.document is None for src in s.cited)  # beside a wire report


def test_no_statement_rests_on_the_first_editions_upper_bound(record):
    assert not [s.id for s in record.statements if str(s.date) == "2023-01-22"]


def test_wrong_speakers_are_corrected(record):
    assert statement(record, "kishida-reviewing-chip-controls").speaker == "kurt-campbell"
    assert statement(record, "sullivan-trilateral-talks-washington").speaker == "john-kirby"


def test_the_seeds_errors_stay_noted(record):
    assert "Vice President" in record.actor("joe-biden").notes
    slow = statement(record, "rutte-slow-progress")
    assert "gradual" in slow.notes and "slow" in slow.summary


@pytest.mark.parametrize(
    ("sid", "signal"),
    [
        ("klever-extends-licences-duv", "adoption"),
        ("nl-announces-emerging-tech-controls", "adoption"),
        ("klever-adds-metrology-equipment", "adoption"),
        ("schreinemacher-wants-european-approach", "talks"),
    ],
)
def test_corrected_signals(record, sid, signal):
    assert str(statement(record, sid).signal) == signal


@pytest.mark.parametrize(
    ("cid", "field", "day"),
    [
        ("nl-2024-09-duv-expansion", "published", date(2024, 9, 6)),
        ("nl-2024-10-emerging-tech-expansion", "published", date(2024, 10, 18)),
        ("nl-2025-01-metrology-expansion", "published", date(2025, 1, 15)),
        (OCT_2023, "effective", date(2023, 11, 17)),
        (SEP_2024, "effective", date(2024, 9, 6)),
        (DEC_2024, "published", date(2024, 12, 5)),
        (DEC_2024, "effective", date(2024, 12, 2)),
    ],
)
def test_dates_the_corrections_supply(record, cid, field, day):
    value = getattr(control(record, cid), field)
    assert value is not None and value.earliest == value.latest == day


def test_the_dutch_2023_regulation_cites_the_gazette(record):
    source = control(record, "nl-2023-sme-regulation").source
    assert str(source.kind) == "gazette"
    assert source.citation == "Staatscourant 2023, 18212"


def test_statements_the_corrections_removed_are_gone(record):
    ids = {s.id for s in record.statements}
    assert "seed-article-allies-not-persuaded" not in ids  # a background line, not an act
    assert "reuters-fdpr-exempts-allies" not in ids  # a planned US rule, no talks by the allies


# --- allies' measures -----------------------------------------------------------------------------


def test_germanys_list_answers_only_the_september_2024_rule(record):
    measures = [c for c in record.controls if c.issuer == "de"]
    assert [c.id for c in measures] == ["de-2024-07-awv-emerging-tech"]
    de = measures[0]
    assert de.aligns_with == [SEP_2024]
    assert "semiconductor-manufacturing-equipment" not in de.scope
    assert de.effective.latest == date(2024, 7, 23)


@pytest.mark.parametrize(
    "cid",
    [
        "de-2024-07-awv-emerging-tech",
        "uk-2024-export-control-amendment",
        "fr-2024-02-quantum-electronics-list",
        "jp-2024-emerging-tech-controls",
    ],
)
def test_partners_moved_before_the_september_2024_rule(record, cid):
    measure, rule = control(record, cid), control(record, SEP_2024)
    assert measure.aligns_with == [SEP_2024]
    assert measure.first_date.latest < rule.first_date.earliest


def test_japan_announced_on_the_september_2024_items_in_april_2024(record):
    jp = control(record, "jp-2024-emerging-tech-controls")
    assert jp.announced.latest == date(2024, 4, 26)


def test_the_eu_list_is_a_bloc_measure_reaching_its_members(record):
    eu = record.actor("eu")
    assert str(eu.kind) == "bloc" and str(eu.role) == "ally"
    assert {"nl", "de"} <= set(eu.members)
    measure = control(record, "eu-2025-2003-dual-use-list-update")
    assert measure.issuer == "eu"
    assert measure.effective.earliest == measure.effective.latest == date(2025, 11, 15)
    assert measure.published.latest == date(2025, 11, 14)
    assert OCT_2022 not in measure.aligns_with


def test_the_2023_compilation_is_context_not_an_eu_announcement(record):
    # a publication of member states' lists, not an EU measure: no statement moves the EU on it
    removed = "commission-publishes-first-art9-compilation"
    assert not [s for s in record.statements if s.id == removed]
    assert not [s.id for s in record.statements if "eu" in s.about and OCT_2022 in s.controls]
    assert [c.id for c in record.controls if c.issuer == "eu"] == [
        "eu-2025-2003-dual-use-list-update"
    ]
    eu = next(a for a in record.allies() if a.id == "eu")
    assert "C/2023/441" in eu.notes and "2025/683" in eu.notes


def test_korea_has_no_measure_of_its_own(record):
    assert not [c.id for c in record.controls if c.issuer == "kr"]
    # the validated end-user relief is the US's act, on the US rule
    events = control(record, OCT_2022).lifecycle
    assert [(str(e.event), e.date.latest) for e in events] == [("relaxed", date(2023, 10, 17))]
    # Seoul's announcement of it is not recorded as a Korean announcement or measure
    korean_acts = {"announcement", "adoption", "entry_into_force", "enforcement"}
    assert not [s.id for s in record.statements if "kr" in s.about and str(s.signal) in korean_acts]


def test_taiwans_entity_listing_is_dated_to_10_june_2025(record):
    tw = control(record, "tw-2025-06-entity-list-update")
    assert tw.announced.latest == tw.effective.latest == date(2025, 6, 10)
    assert tw.scope == ["entity-listing"]


# --- the US rules' own life -----------------------------------------------------------------------


def test_the_ai_diffusion_rule_is_under_non_enforcement_not_rescinded_from_13_may_2025(record):
    rule = control(record, "us-2025-01-ai-diffusion")
    assert rule.effective.latest == date(2025, 1, 13)
    (event,) = rule.lifecycle
    assert (str(event.event), event.date.latest) == ("non_enforcement", date(2025, 5, 13))
    # GAO and Pillsbury (2026) treat it as still in effect: nothing may describe it as rescinded
    assert "rescinded" not in event.summary.lower()
    assert "withdrew" not in event.summary.lower()
    assert "B-337935" in event.date_note and "Pillsbury" in event.date_note


def test_the_affiliates_rule_is_suspended_from_10_november_2025(record):
    rule = control(record, "us-2025-09-affiliates-rule")
    (event,) = rule.lifecycle
    assert str(event.event) == "suspended"
    assert event.date.earliest == event.date.latest == date(2025, 11, 10)
    assert event.until.latest == date(2026, 11, 10)  # the scheduled return, per the suspension
    assert "12 November 2025" in event.date_note and "no. 216" in event.date_note
    # nothing stored says what happened on 10 November 2026, and the record says so
    assert "not known to the record" in rule.notes


def test_some_advanced_chips_are_licensed_case_by_case_from_january_2026(record):
    (event,) = control(record, OCT_2023).lifecycle
    assert str(event.event) == "relaxed" and event.date.latest == date(2026, 1, 15)


def test_bills_are_not_controls(record):
    assert not [c.id for c in record.controls if "match" in c.id or "stride" in c.id]


# --- reviewed -------------------------------------------------------------------------------------


def test_every_ally_says_when_and_what_was_reviewed(record):
    allies = {a.id: a for a in record.allies()}
    assert set(allies) == {"jp", "nl", "de", "uk", "kr", "tw", "fr", "eu"}
    for ally in allies.values():
        assert ally.reviewed is not None and ally.reviewed_note, ally.id
        # the third search (2026-12-07) reached the day it was made, for every ally
        assert ally.reviewed.earliest == ally.reviewed.latest == date(2026, 12, 7), ally.id
        assert "Newest" in ally.reviewed_note and "Not found" in ally.reviewed_note, ally.id


def test_a_future_date_inside_a_lifecycle_entry_is_located_not_a_crash():
    """Validating the shipped record as of a day before its later events names each future date
    by its key path (``lifecycle[0].date``), exit 1, with no traceback."""
    import world

    result = world.run("validate", "--today", "2025-01-01", "--data", DATA)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "future-date lifecycle[0].date 2025-05-13 is after today (2025-01-01)" in result.output


# --- the third edition (the 2026-12-07 audit) -----------------------------------------------------


def test_koreas_ministry_distanced_seoul_from_the_us_curbs_on_9_january_2023(record):
    s = statement(record, "kr-motie-not-in-talks-to-join-us-curbs")
    assert s.date.earliest == s.date.latest == date(2023, 1, 9)
    assert (s.speaker, s.about, str(s.signal), str(s.tier)) == (
        "kr-motie",
        ["kr"],
        "reservation",
        "on_record",
    )
    # the Chinese-language copy that inverts the sentence is not cited
    assert all("bactf" not in (src.url or "") for src in s.cited)


def test_korea_was_left_out_of_the_iec_exception_that_japan_and_the_netherlands_got(record):
    s = statement(record, "kr-motie-no-iec-exception-for-korea")
    assert s.controls == [SEP_2024] and str(s.signal) == "reservation"
    assert "Japan and the Netherlands" in control(record, SEP_2024).notes


def test_taiwans_later_entity_lists_are_statements_not_notes(record):
    dates = {
        sid: statement(record, sid).date.latest
        for sid in ("tw-ita-lists-279-entities", "tw-ita-lists-213-entities")
    }
    assert dates == {
        "tw-ita-lists-279-entities": date(2025, 9, 16),
        "tw-ita-lists-213-entities": date(2025, 12, 19),
    }
    tw = next(a for a in record.allies() if a.id == "tw")
    assert "found but not entered" not in tw.notes


def test_the_end_user_list_of_september_2025_cites_metis_release_and_its_caveat(record):
    s = statement(record, "meti-updates-end-user-list-sept-2025")
    assert any(src.copy_of == "METI" for src in s.cited)
    assert "835" in s.summary and "9 October 2025" in s.summary
    assert "not an embargo list" in s.notes


def test_frances_quantum_list_was_updated_for_exports_from_1_may_2025(record):
    update = control(record, "fr-2025-05-quantum-list-update")
    assert update.issuer == "fr" and update.scope == ["quantum-technology"]
    assert update.effective.earliest == update.effective.latest == date(2025, 5, 1)
    assert update.aligns_with == [SEP_2024]


def test_the_october_2023_rules_dates_of_their_two_odd_amendments(record):
    note = control(record, OCT_2023).date_note
    assert "ran only until 1 January 2026" in " ".join(note.split())
    assert "88 FR 86821" in note
    assert "89 FR 23876" in control(record, OCT_2023).notes
