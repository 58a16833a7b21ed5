"""Quote checking costs one search per (document, quote): statements quoting the same words in
the same document share it, and a search runs in the regular-expression engine whatever the
document holds, with the whole-word rule of the plain definition."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import world
from export_alignment.checks import normalise_quote, printed_in, validate
from export_alignment.rules import documents

DOCUMENT = "The minister said the talks were “extremely fruitful” and would go on.\n"


def plain_definition(quote: str, text: str) -> bool:
    """The rule as written: some occurrence neither starts just after a letter or digit (when
    the quote starts with one) nor ends just before one (when the quote ends with one)."""
    for start in range(len(text) - len(quote) + 1):
        if text.startswith(quote, start):
            before = text[start - 1] if start else " "
            end = start + len(quote)
            after = text[end] if end < len(text) else " "
            if not (quote[0].isalnum() and before.isalnum()) and not (
                quote[-1].isalnum() and after.isalnum()
            ):
                return True
    return False


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab _-.é1\u00b2", min_size=1, max_size=4),
    st.text(alphabet="ab _-.é1\u00b2x", max_size=40),
)
def test_the_search_agrees_with_the_plain_definition(quote, text):
    assert printed_in(quote, text) == plain_definition(quote, text)


def quoting(count: int, quote: str) -> list[dict]:
    return [
        world.statement(
            f"s{i}",
            "2023-01-13",
            "talks",
            quote=quote,
            source={
                "url": f"https://example.org/{i}",
                "publisher": "Example",
                "published": "2023-01-14",
                "tier": "on_record",
                "document": "seeds/article.txt",
            },
        )
        for i in range(count)
    ]


def test_each_document_and_quote_is_searched_once(tmp_path, monkeypatch):
    calls = []
    real = documents.printed_in

    def counted(quote, text):
        calls.append(quote)
        return real(quote, text)

    monkeypatch.setattr(documents, "printed_in", counted)
    records = quoting(40, "extremely fruitful")
    records += [dict(r, id=f"t{i}", quote="xtremely") for i, r in enumerate(quoting(40, ""))]
    data = world.write_dataset(tmp_path, records, seeds={"article.txt": DOCUMENT})
    problems = validate(data, world.RECORDS_TODAY).problems
    assert sorted(calls) == ["extremely fruitful", "xtremely"]
    refuted = [p for p in problems if p.rule == "quote-not-in-document"]
    assert len(refuted) == 40 and all(
        "not printed in seeds/article.txt" in p.message for p in refuted
    )


def test_normalised_quotes_share_their_search(tmp_path, monkeypatch):
    calls = []
    real = documents.printed_in
    monkeypatch.setattr(documents, "printed_in", lambda q, t: calls.append(q) or real(q, t))
    records = [
        dict(r, id=f"s{i}", quote=q)
        for i, (r, q) in enumerate(
            zip(
                quoting(3, ""),
                ["extremely fruitful", "extremely  fruitful", "extremely\nfruitful"],
                strict=True,
            )
        )
    ]
    data = world.write_dataset(tmp_path, records, seeds={"article.txt": DOCUMENT})
    assert not [p for p in validate(data, world.RECORDS_TODAY).problems if p.is_error]
    assert calls == [normalise_quote("extremely fruitful")]
