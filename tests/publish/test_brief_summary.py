"""A brief to send: ``brief --summary`` fits one page; the full brief lists each
source once, keeps the curator's scaffolding out of the reader's text, and escapes only what
Markdown needs (the hostile-record tests in test_brief.py and test_output_safety.py guard the
rest)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from export_alignment.datadir import shipped_root
from world import asked, run, shipped

AS_OF = "2026-11-28"


@pytest.fixture(scope="module")
def full() -> str:
    return run("brief", "--as-of", AS_OF, "--data", shipped(), code=0).stdout


@pytest.fixture(scope="module")
def summary() -> str:
    return run("brief", "--summary", "--as-of", AS_OF, "--data", shipped(), code=0).stdout


def notes_of(text: str) -> tuple[set[str], set[str]]:
    defined = set(re.findall(r"^\[\^(\d+)\]:", text, re.M))
    cited = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    return defined, cited


def test_the_summary_fits_one_page(summary):
    lines = summary.splitlines()
    assert len(lines) <= 60
    assert lines[0].startswith("# Export-control alignment summary as of 28 November 2026")
    assert "| Ally | Verdict | Since | Flags | Latest evidence | Furthest stage |" in lines
    assert "## Caveats" in lines and "## Sources" in lines
    # caveats explain rather than name flags, several reservations said once with their dates
    caveats = summary.split("## Caveats")[1].split("## Sources")[0].splitlines()
    caveat = next(line for line in caveats if line.startswith("- Netherlands: "))
    assert "contested" not in caveat and "partial" not in caveat
    assert caveat.count("reservation") == 1 and "4 April 2024, 30 August 2024" in caveat
    # nothing asks a reader to run the tool
    assert "export-alignment" not in summary.split("## Sources")[0]
    assert "### Evidence" not in summary  # the full chains stay in the full brief
    defined, cited = notes_of(summary)
    assert defined == cited and defined  # every note cited is defined, and only those


def test_the_full_brief_lists_each_source_once(full):
    defined, cited = notes_of(full)
    assert defined == cited
    definitions = [line for line in full.splitlines() if re.match(r"^\[\^\d+\]:", line)]
    urls = Counter(
        m.group(1) for d in definitions if (m := re.search(r"\]\((https?://[^)\s]+)\)\.?$", d))
    )
    assert urls and max(urls.values()) == 1, [u for u, n in urls.items() if n > 1]


def test_no_curator_scaffolding_in_reader_text(full, summary):
    for text in (full, summary):
        assert "descriptive title" not in text
        assert "title partly descriptive" not in text
        assert "Record a statement with signal" not in text
        assert "aligns\\_with" not in text and "official\\_text or on\\_record" not in text
    assert "takes evidence in official text or on record" in full


def test_only_what_needs_escaping_is_escaped(full):
    assert full.count("\\") < 400  # 2,634 before issue 13
    assert "\\(" not in full and "\\)" not in full and "\\-" not in full
    # a period is escaped only after leading digits ("3\\." could open a list) or after "www"
    # (so GitHub does not autolink the address), never elsewhere mid-text
    assert not re.search(r"[^\d]\\\.", re.sub(r"(?i)www\\\.", "", full))


def test_the_summary_says_one_short_sentence_per_ally_verdict_first_with_item_names(summary):
    """Each ally has one sentence: its verdict with coverage first, then the items by name
    (never slugs): those in force or those not yet in force, whichever list is shorter, and
    exactly the ones its coverage counts."""
    from datetime import date

    from export_alignment.checks import validate
    from export_alignment.scoring import score
    from export_alignment.views.values import verdict_words

    dataset = validate(shipped_root() / "data", date(2026, 11, 28)).dataset
    names = {i.id: i.name for i in dataset.scope_items}
    scores = score(dataset, asked(date(2026, 11, 28), stale_days=180))
    bullets = [
        line for line in summary.split("## Caveats")[0].splitlines() if line.startswith("- ")
    ]
    assert len(bullets) == len(scores.allies)
    named = 0
    for ally, sentence in zip(scores.allies, bullets, strict=True):
        cover = ally.coverage
        words = verdict_words(ally.verdict, cover.in_force, cover.total)
        assert sentence.startswith(f"- {ally.ally.name}: {words}"), sentence
        assert sentence.count(". ") == 0 and sentence.endswith("."), sentence
        listed = re.search(r"; (not yet in force|in force): (.+)\.$", sentence)
        if cover.in_force and cover.missing:
            assert listed, sentence
            shown = re.split(r", | and ", listed.group(2).replace("\\", ""))
            held = [i.item for i in ally.items if i.item not in cover.missing]
            expected = cover.missing if listed.group(1) == "not yet in force" else held
            assert shown == [names[i] for i in expected]
            assert len(shown) <= cover.total - len(shown)
            named += 1
        else:
            assert listed is None, sentence
        assert not any(slug in sentence for slug in names if "-" in slug), sentence
    assert named >= 5
