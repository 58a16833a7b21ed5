"""A small dataset with comments, written in two layouts, for the editing and diff tests."""

from __future__ import annotations

from pathlib import Path

from world import write_files

SEED = "seeds/doc.txt"
SEED_TEXT = (
    "Minister Tanaka said the talks were “going well” and that Japan would decide soon. "
    "A spokesman said: no automatic acceptance.\n"
)

ACTORS = """\
# Actors in the test record.
actors:
  - id: us  # the initiator
    name: United States
    kind: state
    role: initiator
  - id: jp
    name: Japan
    kind: state
    role: ally
  # the Netherlands, also asked to align
  - id: nl
    name: 'Netherlands'
    kind: state
    role: ally
  - id: cn
    name: China
    kind: state
    role: target
  - id: taro-tanaka
    name: Taro Tanaka
    kind: person
    title: Minister
    represents: jp
# end of actors
"""

CONTROLS = """\
# Controls.
controls:
  - id: us-rule
    issuer: us
    title: The US rule
    kind: rule
    target: cn
    scope:
      - semiconductor-manufacturing-equipment
    announced: 2022-10-07
    effective: 2022-10-07
    source:
      url: https://example.org/us-rule
      title: "The US rule"  # double-quoted on purpose
"""

STATEMENTS = """\
# Statements.
#   Summaries are our own words.
statements:
  - id: tanaka-2023-01-10
    date: 2023-01-10
    speaker: taro-tanaka
    about: [jp]
    controls: [us-rule]
    signal: talks
    stance: positive
    summary: >-
      Tanaka said the talks were going well.
    quote: going well
    source:
      document: seeds/doc.txt
      publisher: Example Wire
      published: 2023-01
      tier: on_record
"""


def _reindent(text: str) -> str:
    """The same files with 4-space mappings, dashes flush with their parent key, block lists."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if depth == 0:
            out.append(line)
            continue
        # 2 (item) -> dash at 0, keys at 2; 4 -> 2; 6 (nested) -> 6
        if stripped.startswith("- ") and depth == 2:
            out.append(stripped)
        elif depth == 4:
            out.append("  " + stripped)
        elif depth == 6:
            out.append("      " + stripped)
        else:
            out.append(line)
    text = "\n".join(out) + "\n"
    return text.replace("about: [jp]", "about:\n  - jp").replace(
        "controls: [us-rule]", "controls:\n  - us-rule"
    )


LAYOUTS = ("default", "flush")


def write_dataset(root: Path, layout: str = "default") -> Path:
    """Write the dataset under ``root``; returns the data folder."""
    texts = {"actors": ACTORS, "controls": CONTROLS, "statements": STATEMENTS}
    if layout == "flush":
        texts = {name: _reindent(text) for name, text in texts.items()}
    return write_files(root, dict(texts), {SEED.removeprefix("seeds/"): SEED_TEXT})
