"""Every Stage, Signal and Flag walks through every reporter (status, explain, brief, JSON) and
comes out with its one description: a new member without a description, or one that falls
through to another's wording, fails here."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from datetime import date

import pytest
from rich.console import Console

from export_alignment import terminal
from export_alignment.brief import BriefInput, render
from export_alignment.models import Signal
from export_alignment.scoring import (
    FLAGS,
    ROLES,
    SIGNAL_STAGE,
    STAGES,
    VERDICTS,
    Evaluator,
    Flag,
    FlagNote,
    Role,
    Scores,
    Stage,
)
from export_alignment.views import shapes
from export_alignment.views.values import EFFECTS, VERDICT_WORDS
from world import asked, commit_all, run
from world.scoped import CHIPS, load, rule, said, write

AS_OF = date(2023, 6, 1)


def flat(text: str) -> str:
    """Whitespace folded and Markdown escapes dropped, so a wrapped or escaped description
    still reads as one string."""
    return " ".join(text.replace("\\", "").split())


def terminal_text(renderable_or_fn) -> str:
    console = Console(file=io.StringIO(), width=100, no_color=True, color_system=None)
    if callable(renderable_or_fn):
        renderable_or_fn(console)
    else:
        console.print(renderable_or_fn)
    return flat(console.file.getvalue())


def everywhere(scores: Scores, dataset) -> dict[str, str]:
    """Each reporter's output for the scores."""
    score = scores.allies[0]
    return {
        "status": terminal_text(lambda c: terminal.print_status(c, scores)),
        "explain": terminal_text(terminal.explain(score, scores.as_of, scores.question)),
        "brief": flat(render(BriefInput(dataset, scores, {score.ally.id: []}))),
        "json": json.dumps(shapes.status_dict(scores)),
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("base")
    ds = load(write(root, [rule("c1", [CHIPS])], [said("talks", "2023-01-10", "talks")]))
    scores = Evaluator(ds).score(asked(AS_OF, "jp"))
    return ds, scores


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_has_its_description_in_every_reporter(base, stage):
    ds, scores = base
    score = dataclasses.replace(scores.allies[0], stage=stage)
    outputs = everywhere(dataclasses.replace(scores, allies=[score]), ds)
    for name in ("explain", "brief"):
        assert flat(f"{stage}: {STAGES[stage]}") in outputs[name], name
    # status shows the verdict (its row's), described once, and explain and the brief too
    verdict = score.verdict
    for name in ("status", "explain", "brief"):
        assert flat(f"{VERDICT_WORDS[verdict]}: {VERDICTS[verdict]}") in outputs[name], name
    assert f'"stage": "{stage}"' in outputs["json"]
    assert f'"verdict": "{verdict}"' in outputs["json"]


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_has_its_description_in_every_reporter(base, flag):
    ds, scores = base
    score = scores.allies[0]
    evidence = score.evidence[0]
    claimed = Stage.AGREED if flag is Flag.UNCONFIRMED_REPORT else None
    note = FlagNote(flag, f"reason for {flag}", (evidence.id,), claimed, (evidence,), (CHIPS,))
    score = dataclasses.replace(score, flags=[note])
    outputs = everywhere(dataclasses.replace(scores, allies=[score]), ds)
    description = flat(FLAGS[flag])
    for name in ("status", "explain", "brief"):
        assert description in outputs[name], name
    # the brief's caveat names the flag with its own description, never another's
    assert flat(f"**{flag}** ({FLAGS[flag]})") in outputs["brief"]
    others = [flat(FLAGS[f]) for f in Flag if f is not flag]
    assert not any(f"({o})" in outputs["brief"] for o in others)
    assert f'"{flag}"' in outputs["json"]


@pytest.mark.parametrize("tier", ["on_record", "anonymous"])
@pytest.mark.parametrize("signal", list(Signal))
def test_every_signal_says_what_it_does_in_every_reporter(tmp_path, signal, tier):
    ds = load(write(tmp_path, [rule("c1", [CHIPS])], [said("it", "2023-01-10", signal, tier)]))
    scores = Evaluator(ds).score(asked(AS_OF, "jp"))
    outputs = everywhere(scores, ds)
    if tier == "anonymous":
        role = Role.NOT_COUNTED
    elif signal in SIGNAL_STAGE:
        role = Role.SETS
    else:
        role = Role.FLAGS
    for name in ("explain", "brief"):
        assert flat(ROLES[role]) in outputs[name], name
        assert not any(flat(ROLES[r]) in outputs[name] for r in Role if r is not role), name
    assert f'"role": "{role}"' in outputs["json"]


def test_every_role_has_a_description():
    assert set(ROLES) == set(Role) and all(ROLES.values())


# --- every output: the effect a piece of evidence has is its role, and only its role ------------


def _role_for(signal: Signal, tier: str) -> Role:
    if tier == "anonymous":
        return Role.NOT_COUNTED
    return Role.SETS if signal in SIGNAL_STAGE else Role.FLAGS


def _other_effects(role: Role, text: str) -> list[str]:
    return [EFFECTS[r] for r in Role if r is not role and EFFECTS[r] in flat(text)]


@pytest.mark.parametrize("tier", ["on_record", "anonymous"])
@pytest.mark.parametrize("signal", list(Signal))
def test_every_output_gives_the_effect_of_the_items_role(tmp_path, signal, tier):
    root = tmp_path / "record"
    write(root, [rule("c1", [CHIPS])])
    commit_all(root, "before the statement")
    data = write(root, [rule("c1", [CHIPS])], [said("it", "2023-01-10", signal, tier)])
    role = _role_for(signal, tier)
    day = ["--as-of", AS_OF.isoformat(), "--data", data]

    explained = json.loads(run("explain", "jp", "--format", "json", *day, code=0).stdout)
    [item] = explained["ally"]["controls"][0]["evidence"]
    assert (item["role"], item["effect"]) == (str(role), EFFECTS[role])
    status = json.loads(run("status", "--json", *day, code=0).stdout)
    [row] = status["allies"][0]["controls"][0]["evidence_items"]
    assert (row["role"], row["effect"]) == (str(role), EFFECTS[role])
    explain_text = run("explain", "jp", *day, code=0).stdout
    assert EFFECTS[role] in flat(explain_text) and not _other_effects(role, explain_text)

    run("site", "-o", tmp_path / "site", *day, code=0)
    page = (tmp_path / "site" / "allies" / "jp.html").read_text("utf-8")
    assert re.findall(r'<li id="ev-it-[^"]*"[^>]*data-role="([a-z_]+)"', page) == [str(role)]

    # outputs that do not say what evidence does must not say it wrongly either
    quiet = {
        "timeline": run("timeline", *day, code=0).stdout,
        "timeline json": run("timeline", "--json", *day, code=0).stdout,
        "feed": (tmp_path / "site" / "feed.xml").read_text("utf-8"),
        "export": run("export", "-f", "json", "-o", "-", *day, code=0).stdout,
        "diff": run("diff", "--format", "markdown", *day, code=0).stdout,
    }
    for name, text in quiet.items():
        assert not _other_effects(role, text), name
