"""The did-you-mean suggestions of a dangling reference: ``CloseIds`` answers as
``difflib.get_close_matches`` over the same ids would, for any word, without scoring every id."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from export_alignment.rules.did_you_mean import CloseIds, _common_subsequence

ID = st.text(alphabet="abcdekmnrs-0123", min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(ids=st.sets(ID, min_size=1, max_size=60), word=st.text(alphabet="abcdekmnrs-0123xy"))
def test_the_same_ids_as_difflib_in_the_same_order(ids, word):
    expected = difflib.get_close_matches(word, sorted(ids), n=3, cutoff=0.6)
    assert CloseIds(ids).close(word, n=3, cutoff=0.6) == expected


def test_ties_are_broken_as_difflib_breaks_them():
    # four ids one letter off 'kurt-cambell', all scoring 0.96: difflib keeps the three largest
    ids = ["kurt-campbell", "kurt-cambella", "kurt-cambellb", "kurt-cambellc", "nl", "jp"]
    assert CloseIds(ids).close("kurt-cambell") == difflib.get_close_matches(
        "kurt-cambell", ids, n=3, cutoff=0.6
    )
    assert CloseIds(ids).close("kurt-cambell") == [
        "kurt-campbell",
        "kurt-cambellc",
        "kurt-cambellb",
    ]


def test_one_index_answers_many_words():
    ids = [f"{name}-{n}" for name in ("min-jun-yamamoto", "sanne-mori", "kp") for n in range(40)]
    close = CloseIds(ids)
    for word in ("min-jun-yamamoto-typo", "sanne-mori-3-typo", "kp", "us-2030-package", ""):
        assert close.close(word) == difflib.get_close_matches(word, ids, n=3, cutoff=0.6)


def _lcs(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="abc-1", max_size=20), word=st.text(alphabet="abc-1", min_size=1))
def test_the_subsequence_bound_is_the_longest_common_subsequence(text, word):
    masks: dict[str, int] = {}
    for j, char in enumerate(word):
        masks[char] = masks.get(char, 0) | 1 << j
    assert _common_subsequence(text, masks, len(word)) == _lcs(text, word)


def test_long_ids_and_words_answer_as_difflib():
    # an id holding a character more than 255 times, and words past the lengths where difflib
    # starts ignoring popular characters (200) and where a count no longer fits a byte (255)
    ids = ["a" * 300, "a" * 299 + "b", "ab", "b" * 256 + "-x", "a" * 205 + "-b"]
    close = CloseIds(ids)
    for word in ("a" * 280, "a" * 210, "a" * 10, "ab", "b" * 300, "a" * 150 + "b" * 60):
        assert close.close(word) == difflib.get_close_matches(word, ids, n=3, cutoff=0.6)


def test_only_the_first_distinct_dangling_ids_of_a_run_get_a_hint(tmp_path, monkeypatch):
    """Each hint is a search over every id, so a run gives at most ``MAX_SUGGESTED`` distinct
    words one; a word repeated gets the hint its first search found."""
    import json

    from export_alignment.rules import context
    from world import run, statement, write_dataset

    monkeypatch.setattr(context, "MAX_SUGGESTED", 2)
    speakers = ["us-officiall", "us-officia", "us-oficial", "us-officiall"]
    data = write_dataset(
        tmp_path,
        [statement(f"s{i}", "2023-01-13", "talks", speaker=s) for i, s in enumerate(speakers)],
    )
    result = run("validate", "--format", "json", "--data", data, code=1)
    messages = [
        p["message"] for p in json.loads(result.stdout)["problems"] if "speaker" in p["message"]
    ]
    assert len(messages) == 4
    hinted = [m for m in messages if "did you mean 'us-official'" in m]
    assert len(hinted) == 3, messages  # the two first words, and the first one again
    assert messages[2] == "speaker: no record has the id 'us-oficial'"


def test_a_hint_names_only_records_the_field_could_name(tmp_path):
    """A speaker is an actor: a statement whose id is closer to the misspelling is not offered
    (taking it would only trade the dangling reference for a wrong-kind one)."""
    import json

    from world import run, statement, write_dataset

    data = write_dataset(
        tmp_path,
        [
            statement("us-officials", "2023-01-13", "talks"),
            statement("s2", "2023-01-14", "talks", speaker="us-official-s"),
        ],
    )
    result = run("validate", "--format", "json", "--data", data, code=1)
    (message,) = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert message == "speaker: no record has the id 'us-official-s'; did you mean 'us-official'?"


def test_characters_no_id_holds_cost_nothing_and_are_not_kept():
    """A hostile word (hundreds of characters no id holds) gets difflib's answer without a
    count per id for each of its characters: only characters of the ids are ever counted."""
    ids = [f"actor-{i}" for i in range(2000)] + ["kurt-campbell"]
    index = CloseIds(ids)
    hostile = "".join(chr(0x20000 + i) for i in range(250))
    for word in (hostile, "kurt-cambell" + hostile[:5], "kurt-cambell"):
        assert index.close(word) == difflib.get_close_matches(word, sorted(ids), n=3, cutoff=0.6)
    assert index.alphabet == frozenset("".join(ids))
    assert set(index._held) <= index.alphabet  # nothing kept for the hostile characters


def test_a_hint_names_each_id_once(tmp_path):
    import json

    from world import STATES, US_OFFICIAL, run, statement, write_dataset

    twin = {**US_OFFICIAL, "name": "Ann Twin"}
    data = write_dataset(
        tmp_path,
        [statement("s1", "2023-01-13", "talks", speaker="us-officiall")],
        actors=[*STATES, US_OFFICIAL, twin],
    )
    result = run("validate", "--format", "json", "--data", data, code=1)
    (message,) = [
        p["message"] for p in json.loads(result.stdout)["problems"] if "speaker" in p["message"]
    ]
    assert message == "speaker: no record has the id 'us-officiall'; did you mean 'us-official'?"
