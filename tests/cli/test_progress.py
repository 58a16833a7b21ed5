"""A progress indicator: on stderr, for work that runs over about a second, on a
terminal only; never in a pipe, a log or CI."""

from __future__ import annotations

import io
import time

from rich.console import Console

from export_alignment import console as consoles
from world import run


def console(is_terminal: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=is_terminal, width=80)


def test_a_spinner_shows_on_a_terminal_once_the_work_runs_long(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    c = console(True)
    with consoles.progress("building the brief", console=c, delay=0.05):
        time.sleep(0.4)
    assert "building the brief" in c.file.getvalue()


def test_quick_work_shows_nothing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    c = console(True)
    with consoles.progress("building the brief", console=c, delay=1.0):
        pass
    assert c.file.getvalue() == ""


def test_never_in_a_pipe_or_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    c = console(False)
    with consoles.progress("validating", console=c, delay=0.0):
        time.sleep(0.2)
    assert c.file.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    c = console(True)
    with consoles.progress("validating", console=c, delay=0.0):
        time.sleep(0.2)
    assert c.file.getvalue() == ""


def test_a_piped_run_has_no_progress_on_stderr(dataset):
    r = run("validate", "--data", dataset.data, "--today", "2025-01-01", code=0)
    assert r.stderr == "ok: 7 records, no problems\n"


def test_a_bar_with_counts_on_a_terminal_and_nothing_in_a_pipe(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    shown = console(True)
    with consoles.progress_bar("checking", 3, console=shown) as advance:
        for url in ("a", "b", "c"):
            advance(url)
    assert "checking" in shown.file.getvalue() and "3/3" in shown.file.getvalue()
    piped = console(False)
    with consoles.progress_bar("checking", 3, console=piped) as advance:
        advance("a")
    assert piped.file.getvalue() == ""
