"""Synthetic datasets for the speed benchmarks.

``python benchmarks/generate.py OUT --statements 10000 [--errors] [--seed 7]`` writes a dataset
folder ``OUT/data/{actors,controls,statements}.yaml`` and ``OUT/seeds/*.txt``, the archived
articles its quotes are taken from. The same seed always gives the same bytes.

The valid dataset passes ``export-alignment validate`` with no errors (a few partial dates carry
their ``date_note``, so there are no warnings either). ``--errors`` scatters mistakes through all
three files, most of them in statements.yaml: dangling references, bad vocabulary values, unknown
fields, impossible or malformed dates, and quotes their document does not print.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
from dataclasses import dataclass
from pathlib import Path

# --- the cast -----------------------------------------------------------------------------------

STATES = [
    # id, name, role, leader title, ministry
    (
        "us",
        "United States",
        "initiator",
        "President of the United States",
        "Department of Commerce",
    ),
    ("cn", "China", "target", "Premier of the State Council", "Ministry of Commerce"),
    ("jp", "Japan", "ally", "Prime Minister of Japan", "Ministry of Economy, Trade and Industry"),
    (
        "nl",
        "Netherlands",
        "ally",
        "Prime Minister of the Netherlands",
        "Ministry of Foreign Affairs",
    ),
    (
        "kr",
        "South Korea",
        "ally",
        "President of South Korea",
        "Ministry of Trade, Industry and Energy",
    ),
    (
        "de",
        "Germany",
        "ally",
        "Chancellor of Germany",
        "Federal Ministry for Economic Affairs and Climate Action",
    ),
    ("tw", "Taiwan", "ally", "Premier of Taiwan", "Ministry of Economic Affairs"),
    (
        "gb",
        "United Kingdom",
        "ally",
        "Prime Minister of the United Kingdom",
        "Department for Business and Trade",
    ),
    ("fr", "France", "ally", "President of France", "Ministry for the Economy and Finance"),
    ("sg", "Singapore", "ally", "Prime Minister of Singapore", "Ministry of Trade and Industry"),
    ("in", "India", "other", "Prime Minister of India", "Ministry of Commerce and Industry"),
]
ALLIES = [s[0] for s in STATES if s[2] == "ally"]
NAMES = {s[0]: s[1] for s in STATES}

GIVEN = [
    "Akira",
    "Anna",
    "Bram",
    "Chen",
    "Daniel",
    "Eva",
    "Femke",
    "Haruto",
    "Hye-jin",
    "Ines",
    "Jan",
    "Jun",
    "Karin",
    "Lars",
    "Mei",
    "Min-jun",
    "Nora",
    "Olivier",
    "Pieter",
    "Rachel",
    "Sakura",
    "Sanne",
    "Takeshi",
    "Thomas",
    "Wei",
    "Yuki",
    "Zofia",
    "Marta",
    "Kenji",
    "Lena",
]
FAMILY = [
    "Abe",
    "Bakker",
    "Choi",
    "de Vries",
    "Dubois",
    "Fischer",
    "Hoekstra",
    "Ito",
    "Janssen",
    "Kim",
    "Kobayashi",
    "Lee",
    "Lin",
    "Martin",
    "Meijer",
    "Mori",
    "Nakamura",
    "Park",
    "Richter",
    "Schmidt",
    "Smith",
    "Suzuki",
    "Tanaka",
    "van Dijk",
    "Visser",
    "Wang",
    "Watanabe",
    "Weber",
    "Yamamoto",
    "Huang",
]
TITLES = [
    "Minister of Trade",
    "Deputy Minister for Economic Security",
    "Director-General for Trade Policy",
    "Ambassador to the United States",
    "Ambassador to China",
    "Chief Cabinet Secretary",
    "Secretary of State for Foreign Trade",
    "Under Secretary for Industry and Security",
    "National Security Adviser",
    "Export Control Commissioner",
    "Spokesperson of the Ministry of Foreign Affairs",
    "Senior trade official (not named by the source)",
]
PUBLISHERS = [
    "Reuters",
    "Bloomberg",
    "Nikkei Asia",
    "Financial Times",
    "NRC Handelsblad",
    "Yonhap",
    "Handelsblatt",
    "Focus Taiwan",
    "The Straits Times",
    "Le Monde",
    "Politico Europe",
    "South China Morning Post",
    "Kyodo News",
    "De Telegraaf",
]

SCOPES = [
    "advanced-computing-chips",
    "semiconductor-manufacturing-equipment",
    "supercomputer-end-use",
    "euv-lithography",
    "duv-immersion-lithography",
    "deposition-and-etch-tools",
    "high-bandwidth-memory",
    "chip-design-software",
]

SIGNALS = [
    "raised",
    "talks",
    "agreement",
    "announcement",
    "adoption",
    "entry_into_force",
    "enforcement",
    "reservation",
    "refusal",
]
STANCE_OF = {
    "raised": "neutral",
    "talks": "neutral",
    "agreement": "positive",
    "announcement": "positive",
    "adoption": "positive",
    "entry_into_force": "positive",
    "enforcement": "positive",
    "reservation": "negative",
    "refusal": "negative",
}

# Summaries are built from these parts; {ally}, {speaker}, {control}, {publisher} are filled in.
OPENERS = {
    "raised": [
        "{speaker} pressed {ally} to restrict sales of {scope} to Chinese fabs",
        "In talks with {ally}'s delegation, {speaker} raised the {control_short}",
        "{speaker} urged {ally} to match the US limits on {scope}",
    ],
    "talks": [
        "{speaker} said {ally} was reviewing the US request closely",
        "Officials from {ally} and Washington held a further round of talks on {scope}",
        "{speaker} described the negotiations with Washington as slow but constructive",
    ],
    "agreement": [
        "{speaker} confirmed an agreement in principle to align controls on {scope}",
        "{ally} and the United States reached an understanding on {scope}, {speaker} said",
    ],
    "announcement": [
        "{speaker} announced draft rules restricting exports of {scope}",
        "{ally}'s government sent a letter to parliament setting out new controls on {scope}",
    ],
    "adoption": [
        "{ally} published its amended export ordinance covering {scope}",
        "The legal text of {ally}'s new controls on {scope} appeared in the official gazette",
    ],
    "entry_into_force": [
        "{ally}'s controls on {scope} took effect",
        "Licences became mandatory for shipments of {scope} from {ally}",
    ],
    "enforcement": [
        "{ally} refused an export licence for {scope} bound for a Chinese foundry",
        "Customs in {ally} held a shipment of {scope} pending a licence",
    ],
    "reservation": [
        "{speaker} said {ally} would not simply copy the US limits",
        "{speaker} warned that controls on {scope} would hurt {ally}'s own industry",
    ],
    "refusal": [
        "{speaker} said {ally} had no plans to restrict {scope}",
        "{ally} declined to join the US controls on {scope}, {speaker} said",
    ],
}
CLOSERS = [
    "according to {publisher}",
    "in remarks to reporters",
    "at a press conference",
    "in a parliamentary debate",
    "in an interview",
    "on the sidelines of a summit",
    "in a written answer to lawmakers",
    "after a cabinet meeting",
    "citing industry concerns about lost sales",
    "while stressing close coordination with industry",
]

# Sentences the archived articles print; quotes are cut from them. Typographic quotes, dashes and
# non-ASCII names keep the normaliser honest.
ARTICLE_SENTENCES = [
    "We are in close contact with our partners and will respond accordingly.",
    "The talks have been “extremely fruitful” and we expect progress in the coming weeks.",
    "No automatic acceptance of the US limits.",
    "We will take our own decisions, step by step, together with industry.",
    "This is a complex subject that needs careful coordination with companies.",
    "Our controls will be proportionate — and they will be our own.",
    "We share the concern about military end use of advanced chips.",
    "The measures target a narrow set of tools, not the whole sector.",
    "Licences will be required for the most advanced lithography systems.",
    "It is too early to say what form the cooperation will take.",
    "We don’t want to harm our companies’ competitiveness in China.",
    "The government has sent a letter to parliament setting out the new rules.",
    "Shipments already contracted will be reviewed case by case.",
    "We are not going to copy the American rules one-to-one.",
    "Security concerns must be balanced against economic interests.",
    "The new ordinance enters into force on the first day of next month.",
    "Customs officers have been instructed to hold unlicensed shipments.",
    "The ministry is studying the request thoroughly.",
    "Alignment with our allies is essential for the controls to be effective.",
    "China will take firm measures to defend its legitimate rights and interests.",
]
FILLER = [
    "The remarks came as chipmakers reported weaker demand from Chinese customers.",
    "Shares in equipment makers fell after the report was published.",
    "Industry groups have asked for more time to adjust their supply chains.",
    "Officials declined to give a timetable for the next round of talks.",
    "Analysts say the effect on global supply will depend on how strictly the rules are applied.",
    "The ministry did not respond to a request for comment outside office hours.",
    "Beijing has repeatedly criticised the measures as an abuse of export controls.",
    "Lawmakers from several parties called for a debate on the plans.",
]


@dataclass
class Person:
    id: str
    name: str
    title: str
    represents: str


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (enough for the ASCII and typographic text used here)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folded(text: str, indent: int, width: int = 92) -> list[str]:
    """A ``>-`` folded block, wrapped like a curator would."""
    pad = " " * indent
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width - indent:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


def _day(rng: random.Random, start_year: int = 2020, end_year: int = 2024) -> tuple[int, int, int]:
    y = rng.randint(start_year, end_year)
    m = rng.randint(1, 12)
    d = rng.randint(1, calendar.monthrange(y, m)[1])
    return y, m, d


def _iso(y: int, m: int, d: int | None = None) -> str:
    return f"{y:04d}-{m:02d}" if d is None else f"{y:04d}-{m:02d}-{d:02d}"


def _later(y: int, m: int, d: int, rng: random.Random) -> tuple[int, int, int]:
    """A day 0-9 days later, never beyond 2024."""
    from datetime import date, timedelta

    day = date(y, m, d) + timedelta(days=rng.randint(0, 9))
    day = min(day, date(2024, 12, 31))
    return day.year, day.month, day.day


# --- the errors ---------------------------------------------------------------------------------

ERROR_KINDS = ("dangling-reference", "bad-enum", "unknown-field", "bad-date", "bad-quote")


def _error_plan(n: int, rng: random.Random, enabled: bool) -> dict[int, str]:
    """Which statements get which mistake: about one in 100, spread over the whole file."""
    if not enabled:
        return {}
    count = max(len(ERROR_KINDS), n // 100)
    picked = rng.sample(range(n), count)
    return {i: ERROR_KINDS[k % len(ERROR_KINDS)] for k, i in enumerate(sorted(picked))}


# --- writing ------------------------------------------------------------------------------------


def generate(out: Path, statements: int, *, errors: bool = False, seed: int = 7) -> dict:
    """Write a dataset folder; returns counts (records and planted errors)."""
    rng = random.Random(seed)
    data_dir, seeds_dir = out / "data", out / "seeds"
    data_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for old in seeds_dir.glob("*.txt"):
        old.unlink()

    # actors: states, one agency per state, officials (about one per 25 statements), media
    people: list[Person] = []
    n_people = max(20, statements // 25)
    used: set[str] = set()
    while len(people) < n_people:
        state = rng.choice(STATES)
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        pid = _slug(name)
        if pid in used:
            pid = f"{pid}-{len(people)}"
        used.add(pid)
        people.append(Person(pid, name, f"{rng.choice(TITLES)}", state[0]))
    by_state: dict[str, list[Person]] = {}
    for p in people:
        by_state.setdefault(p.represents, []).append(p)

    a: list[str] = [
        "# Actors: states, agencies, officials and publications (synthetic).",
        "actors:",
    ]
    for sid, name, role, _leader, ministry in STATES:
        a += [f"  - id: {sid}", f"    name: {name}", "    kind: state", f"    role: {role}"]
        a += [
            f"  - id: {sid}-trade-ministry",
            f"    name: {_q(ministry)}",
            "    kind: agency",
            f"    represents: {sid}",
        ]
    a += ["  - id: eu", "    name: European Union", "    kind: bloc", "    role: other"]
    for p in people:
        a += [
            f"  - id: {p.id}",
            f"    name: {_q(p.name)}",
            "    kind: person",
            f"    title: {_q(p.title)}",
            f"    represents: {p.represents}",
        ]
        if rng.random() < 0.1:
            a += ["    notes: >-"] + _folded(
                f"{p.name} took office as {p.title.lower()} during the period the record covers; "
                "the title is the one the cited reports use.",
                6,
            )
    for pub in PUBLISHERS:
        a += [f"  - id: {_slug(pub)}", f"    name: {_q(pub)}", "    kind: media"]

    # controls: initiator packages, and each ally's measures aligning with them
    us_controls = []
    us_scopes: dict[str, list[str]] = {}
    c: list[str] = [
        "# Control measures: US packages and allies' own measures (synthetic).",
        "controls:",
    ]
    for k, (y, m, d) in enumerate(
        [(2022, 10, 7), (2023, 10, 17), (2024, 12, 2), (2019, 5, 16), (2020, 8, 17), (2021, 4, 8)]
    ):
        cid = f"us-{y}-{m:02d}-package-{k + 1}"
        us_controls.append(cid)
        py, pm, pd = _later(y, m, d, rng)
        c += [
            f"  - id: {cid}",
            "    issuer: us",
            f"    title: {_q(f'Export controls on advanced computing and chip items ({y})')}",
            "    kind: rule",
            "    target: cn",
            "    scope:",
        ]
        us_scopes[cid] = rng.sample(SCOPES, 3)
        c += [f"      - {s}" for s in us_scopes[cid]]
        c += [
            f"    announced: {_iso(y, m, d)}",
            f"    published: {_iso(py, pm, pd)}",
            f"    effective: {_iso(y, m, d)}",
            "    source:",
            f"      url: https://www.federalregister.gov/d/{y}-{rng.randint(10000, 29999)}",
            f"      title: {_q(f'Interim final rule of {_iso(y, m, d)}')}",
            f"      citation: {rng.randint(84, 89)} FR {rng.randint(10000, 90000)}",
            "      publisher: Federal Register",
        ]
    for ally in ALLIES:
        for k in range(2):
            y, m, d = _day(rng, 2023, 2024)
            cid = f"{ally}-{y}-measure-{k + 1}"
            kind = rng.choice(["ordinance", "regulation", "law", "licence-policy"])
            title = f"{NAMES[ally]} controls on chipmaking equipment, part {k + 1}"
            c += [
                f"  - id: {cid}",
                f"    issuer: {ally}",
                f"    title: {_q(title)}",
                f"    kind: {kind}",
                "    target: cn",
                "    scope:",
            ]
            aligns = rng.sample(us_controls[:3], 2)
            # one scope item from each control it aligns with (the measure-scope rule)
            scopes = list(dict.fromkeys(rng.choice(us_scopes[x]) for x in aligns))
            c += [f"      - {s}" for s in scopes]
            c += [f"    announced: {_iso(y, m, d)}"]
            if rng.random() < 0.7:
                py, pm, pd = _later(y, m, d, rng)
                c += [f"    published: {_iso(py, pm, pd)}"]
            c += ["    aligns_with:"] + [f"      - {x}" for x in aligns]
            c += [
                "    source:",
                f"      url: https://gov.example.{ally}/export-controls/{cid}",
                f"      title: {_q(f'{kind.capitalize()} on export controls')}",
            ]

    # seeds: archived articles, each printing some of the quotable sentences
    documents: dict[str, list[str]] = {}
    n_docs = max(10, statements // 250)
    for k in range(n_docs):
        quotable = rng.sample(ARTICLE_SENTENCES, 6)
        body = []
        for sentence in quotable:
            body.append(sentence)
            body.extend(rng.sample(FILLER, 2))
        name = f"seeds/{k:03d}_{rng.getrandbits(64):016x}.txt"
        text = "\n".join(" ".join(body[i : i + 3]) for i in range(0, len(body), 3)) + "\n"
        (out / name).write_text(text, encoding="utf-8")
        documents[name] = quotable
    doc_names = sorted(documents)

    # statements
    plan = _error_plan(statements, rng, errors)
    s: list[str] = [
        "# Statements: what an actor said or did on a date, as a source reports it.",
        "# Synthetic; summaries are generated, quotes are cut from seeds/.",
        "statements:",
    ]
    for i in range(statements):
        mistake = plan.get(i)
        ally = rng.choice(ALLIES)
        signal = rng.choice(SIGNALS)
        side = "us" if signal == "raised" or rng.random() < 0.3 else ally
        speaker = rng.choice(by_state.get(side) or people)
        controls = rng.sample(us_controls[:3], rng.choice([1, 1, 1, 2]))
        about = [ally] if rng.random() < 0.85 else sorted(rng.sample(ALLIES, 2))
        y, m, d = _day(rng)
        partial = rng.random() < 0.05
        scope = rng.choice(SCOPES).replace("-", " ")
        fill = {
            "ally": NAMES[about[0]],
            "speaker": speaker.name,
            "scope": scope,
            "publisher": rng.choice(PUBLISHERS),
            "control_short": "US chip controls",
        }
        summary = (
            rng.choice(OPENERS[signal]).format(**fill)
            + ", "
            + rng.choice(CLOSERS).format(**fill)
            + "."
        )
        sid = f"s{i:05d}-{_slug(speaker.name)}-{signal.replace('_', '-')}"
        lines = [f"  - id: {sid}"]
        lines.append(f"    date: {_iso(y, m)}" if partial else f"    date: {_iso(y, m, d)}")
        if partial:
            lines += ["    date_note: >-"] + _folded(
                "The report gives the month only; dated to the month.", 6
            )
        speaker_id = speaker.id + "-typo" if mistake == "dangling-reference" else speaker.id
        lines.append(f"    speaker: {speaker_id}")
        if rng.random() < 0.5:
            lines.append(f"    about: [{', '.join(about)}]")
            lines.append(f"    controls: [{', '.join(controls)}]")
        else:
            lines += ["    about:"] + [f"      - {x}" for x in about]
            lines += ["    controls:"] + [f"      - {x}" for x in controls]
        lines.append(f"    signal: {'agreed' if mistake == 'bad-enum' else signal}")
        lines.append(f"    stance: {STANCE_OF[signal]}")
        lines += ["    summary: >-"] + _folded(summary, 6)
        document = None
        if rng.random() < 0.3 or mistake == "bad-quote":
            document = rng.choice(doc_names)
            quote = rng.choice(documents[document])
            if rng.random() < 0.5:  # a part of the sentence, with plain quotes and dashes
                words = quote.split()
                cut = rng.randint(3, max(3, len(words)))
                quote = " ".join(words[:cut])
            quote = quote.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
            if mistake == "bad-quote":
                quote = "We have already agreed to every American demand."
            lines.append(f"    quote: {_q(quote)}")
        if mistake == "unknown-field":
            lines.append("    tone: conciliatory")
        if rng.random() < 0.05:
            lines.append(f"    event: event-{y}-{m:02d}-{rng.randint(1, 40)}")
        tier = "on_record" if rng.random() < 0.8 else rng.choice(["anonymous", "official_text"])
        py, pm, pd = _later(y, m, d, rng)
        published = _iso(py, pm, pd) if not partial else _iso(y, m)
        if mistake == "bad-date":
            published = rng.choice([f"{y:04d}-02-30", f"{y:04d}-13-01", f"{m:02d}/{d:02d}/{y}"])
        lines.append("    source:")
        if document:
            lines.append(f"      document: {document}")
        if not document or rng.random() < 0.5:
            lines.append(f"      url: https://news.example.com/{y}/{m:02d}/{_slug(summary)[:60]}")
        lines.append(f"      publisher: {_q(fill['publisher'])}")
        lines.append(f"      published: {published}")
        lines.append(f"      tier: {tier}")
        if rng.random() < 0.08:
            cited = "unnamed officials" if tier == "anonymous" else speaker.name
            lines += ["      notes: >-"] + _folded(
                f"{fill['publisher']} cites {cited}; the wording of other reports differs "
                "slightly.",
                8,
            )
        s += lines

    # a few mistakes in the smaller files too
    if errors:
        a += [
            "  - id: kr-trade-ministry-dup",
            "    name: Korean trade office",
            "    kind: agency",
            "    represents: kp",
            "  - id: Bad_Slug",
            "    name: A person",
            "    kind: official",
        ]
        c += [
            "  - id: nl-late-measure",
            "    issuer: nl",
            "    title: Late measure",
            "    kind: ordinance",
            "    target: cn",
            "    scope: [euv-lithography]",
            "    announced: 2024-03-08",
            "    effective: 2024-01-01",
            "    aligns_with: [us-2030-package]",
            "    source:",
            "      url: ftp://example.org/measure",
            "      title: Ordinance text",
        ]

    (data_dir / "actors.yaml").write_text("\n".join(a) + "\n", encoding="utf-8")
    (data_dir / "controls.yaml").write_text("\n".join(c) + "\n", encoding="utf-8")
    (data_dir / "statements.yaml").write_text("\n".join(s) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for kind in plan.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "statements": statements,
        "actors": len(STATES) * 2 + 1 + len(people) + len(PUBLISHERS),
        "documents": n_docs,
        "planted_errors": kinds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="dataset folder to write (DIR/data, DIR/seeds)")
    parser.add_argument("--statements", "-n", type=int, default=1000)
    parser.add_argument("--errors", action="store_true", help="scatter mistakes through the files")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    info = generate(args.out, args.statements, errors=args.errors, seed=args.seed)
    print(f"wrote {args.out}: {info}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
