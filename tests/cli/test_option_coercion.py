"""Options taken as given (``params.Command``, no pydantic adapter per option) parse to the same
values as typer's own coercion, and when taking them as given fails (a typer whose internals
moved), typer's own coercion takes over with the same values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
import typer

from export_alignment.cli import params
from world import run

ARGS = {
    "given": [
        "--name",
        "Japan",
        "--maybe",
        "",
        "--where",
        "data/sub",
        "--many",
        "jp",
        "--many",
        "nl,de",
        "--path",
        "a",
        "--path",
        "b/c",
        "--flag",
        "w1",
        "w2",
    ],
    "defaults": [],
    "negated flag": ["--no-flag", "--loud"],
}


def _parse(app: typer.Typer, args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """What the probe command received for ``args``, and how each option was coerced."""
    seen: dict[str, Any] = {}

    @app.command()
    def probe(
        ctx: typer.Context,
        words: Annotated[list[str] | None, typer.Argument()] = None,
        name: Annotated[str, typer.Option("--name")] = "every ally",
        maybe: Annotated[str | None, typer.Option("--maybe")] = None,
        where: Annotated[Path | None, typer.Option("--where")] = None,
        many: Annotated[list[str] | None, typer.Option("--many")] = None,
        paths: Annotated[list[Path] | None, typer.Option("--path")] = None,
        flag: Annotated[bool, typer.Option("--flag/--no-flag")] = True,
        loud: Annotated[bool, typer.Option("--loud", envvar="PROBE_LOUD")] = False,
    ) -> None:
        seen.update(
            words=words, name=name, maybe=maybe, where=where, many=many, paths=paths,
            flag=flag, loud=loud,
        )  # fmt: skip
        seen["coercions"] = {
            type(getattr(p, "_runtime_param", None)).__name__ for p in ctx.command.params
        }

    run(*args, env=env, code=0, cli=app)
    return seen


def _values(seen: dict[str, Any]) -> dict[str, Any]:
    """The parsed values with their types (a ``Path`` must stay a ``Path``)."""
    return {k: (v, type(v)) for k, v in seen.items() if k != "coercions"}


CASES = [pytest.param(args, None, id=name) for name, args in ARGS.items()] + [
    pytest.param([], {"PROBE_LOUD": "yes"}, id="flag in words from the environment")
]


@pytest.mark.parametrize(("args", "env"), CASES)
def test_options_taken_as_given_parse_as_typer_does(args, env):
    own = _parse(typer.Typer(), args, env)
    given = _parse(params.Commands(), args, env)
    assert _values(given) == _values(own)
    assert "_AsGiven" not in own["coercions"]
    if params._AsGiven is not None:  # a typer with a per-option adapter (0.29): it is avoided
        assert "_AsGiven" in given["coercions"]


@pytest.mark.parametrize(("args", "env"), CASES)
def test_a_failure_installing_the_coercion_leaves_typer_its_own(monkeypatch, args, env):
    def moved(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("RuntimeParam.__init__() got an unexpected keyword argument")

    own = _parse(typer.Typer(), args, env)
    monkeypatch.setattr(params, "_AsGiven", moved)
    fallen_back = _parse(params.Commands(), args, env)
    assert _values(fallen_back) == _values(own)
    assert "_AsGiven" not in fallen_back["coercions"]


@pytest.mark.skipif(params._AsGiven is None, reason="typer < 0.29 coerces with click's own types")
@pytest.mark.parametrize(("args", "env"), CASES)
def test_a_failure_while_coercing_hands_the_value_to_typer(monkeypatch, args, env):
    def moved(*args: Any, **kwargs: Any) -> Any:
        raise AttributeError("'OptionInfo' object has no attribute 'resolve_path'")

    own = _parse(typer.Typer(), args, env)
    monkeypatch.setattr(params._AsGiven, "_one", moved)
    fallen_back = _parse(params.Commands(), args, env)
    assert _values(fallen_back) == _values(own)


def test_a_bad_flag_value_is_still_typer_s_usage_error():
    done = run(env={"PROBE_LOUD": "maybe-not"}, code=2, cli=_bad_flag_app())
    assert "Invalid value" in done.output


def _bad_flag_app() -> typer.Typer:
    app = params.Commands()

    @app.command()
    def probe(loud: Annotated[bool, typer.Option("--loud", envvar="PROBE_LOUD")] = False) -> None:
        raise AssertionError("a flag of 'maybe-not' must not parse")

    return app
