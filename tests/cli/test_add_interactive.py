"""Interactive ``add``: every required field is asked for (a source's url or archived
document included), each answer is checked as it is typed and asked again when wrong, and
choices come as a short numbered list."""

from __future__ import annotations

from export_alignment import editing, prompts
from export_alignment.cli import edit
from world import TODAY, add_statement_args, run

SPECS = {s.option: s for s in editing.FIELDS["statement"]}


class Script:
    """Answers in order; records every question and every line shown."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.asked: list[str] = []
        self.said: list[str] = []

    def ask(self, question: str) -> str:
        self.asked.append(question)
        return self.answers.pop(0)

    def say(self, line: str) -> None:
        self.said.append(line)


def test_an_impossible_date_is_asked_again_at_once():
    s = Script("2023-02-30", "someday", "2023-02-28")
    assert prompts.ask_field(SPECS["--date"], [], s.ask, s.say) == "2023-02-28"
    assert len(s.asked) == 3
    assert any("not a calendar date" in line for line in s.said)
    assert any("is not a date" in line for line in s.said)


def test_choices_are_a_short_numbered_list_taking_numbers_or_names():
    choices = list(SPECS["--signal"].choices)
    s = Script("99", "tlks", "2")
    assert prompts.ask_field(SPECS["--signal"], choices, s.ask, s.say) == "talks"
    assert s.said[1:4] == ["  1. raised", "  2. talks", "  3. agreement"]
    assert any("did you mean talks?" in line for line in s.said)
    s = Script("TALKS")
    assert prompts.ask_field(SPECS["--signal"], choices, s.ask, s.say) == "talks"


def test_a_list_field_takes_numbers_and_ids_and_checks_each():
    s = Script("jp, zz", "2, JP")
    assert prompts.ask_field(SPECS["--about"], ["jp", "nl"], s.ask, s.say) == ["nl", "jp"]
    assert any("'zz' is not an ally" in line for line in s.said)


def test_a_reference_takes_the_records_name_in_any_case_as_listed():
    names = {"Japan": "jp", "Netherlands": "nl"}
    s = Script("japan, NETHERLANDS")
    assert prompts.ask_field(SPECS["--about"], ["jp", "nl"], s.ask, s.say, names) == ["jp", "nl"]
    assert s.said[1:3] == ["  1. jp (Japan)", "  2. nl (Netherlands)"]
    assert s.asked == ["number or name (several: comma-separated)"]


def test_an_empty_answer_is_asked_again():
    s = Script("", "  ", "Campbell spoke.")
    assert prompts.ask_field(SPECS["--summary"], [], s.ask, s.say) == "Campbell spoke."


def test_a_source_needs_a_url_or_a_document_and_a_bad_url_is_asked_again():
    values: dict = {}
    s = Script("ftp://example.org/x", "", "seeds/article.txt")
    prompts.ask_one_of("statement", editing.FIELDS["statement"], values, s.ask, s.say)
    assert values == {"document": "seeds/article.txt"}
    assert s.asked[0].startswith("url") and s.asked[2].startswith("document")
    assert any("http:// or https://" in line for line in s.said)


ARGS = (*add_statement_args(url=None), "--today", str(TODAY))


def test_add_on_a_terminal_asks_for_the_url(dataset, monkeypatch):
    monkeypatch.setattr(edit, "_interactive", lambda: True)
    r = run(
        "add",
        "statement",
        *ARGS,
        "--data",
        dataset.data,
        input="javascript:alert(1)\nhttps://example.org/again\n\n",
        code=0,
    )
    assert "a source needs one of: url, document" in r.stderr
    assert "http:// or https://" in r.stderr
    text = (dataset.data / "statements.yaml").read_text()
    assert "url: https://example.org/again" in text


def test_add_off_a_terminal_names_the_missing_source_options(dataset):
    r = run("add", "statement", *ARGS, "--id", "x-1", "--data", dataset.data, code=2)
    assert "--url or --document" in r.stderr
