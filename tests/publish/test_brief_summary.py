"""A brief to send: ``brief --summary`` fits one page; the full brief lists each
source once, keeps the curator's scaffolding out of the reader's text, and escapes only what
Markdown needs (the hostile-record tests in test_brief.py and test_output_safety.py guard the
rest)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from export_alignment.datadir import shipped_root
from world import run, shipped

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
    assert "| Ally | Stage | Since | Flags | Latest evidence | Coverage |" in lines
    assert "## Caveats" in lines and "## Sources" in lines
    assert "- Netherlands: contested, partial." in lines  # each flag once
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


def test_the_summary_names_the_items_its_coverage_counts_missing(summary):
    """Each ally's sentence names the items not in force, and exactly those its coverage counts
    (an item another control has in force is not named as missing)."""
    from datetime import date

    from export_alignment.checks import validate
    from export_alignment.scoring import score

    paragraph = summary.splitlines()[2]
    dataset = validate(shipped_root() / "data", date(2026, 11, 28)).dataset
    scores = score(dataset, date(2026, 11, 28), None, 180)
    starts = [paragraph.index(f"{a.ally.name} has") for a in scores.allies]
    named = 0
    for i, ally in enumerate(scores.allies):
        cover = ally.coverage
        end = starts[i + 1] if i + 1 < len(starts) else len(paragraph)
        sentence = paragraph[starts[i] : end]
        assert cover.phrase in sentence
        listed = re.search(r"not in force on: ([^;)]+)", sentence)
        if cover.in_force and cover.missing:
            assert listed, sentence
            names = [n.replace("\\", "") for n in listed.group(1).split(", ")]
            assert names == list(cover.missing)
            assert len(names) == cover.total - cover.in_force
            named += 1
        else:
            assert listed is None, sentence
    assert named >= 5
    assert "items below it" not in summary
