"""The site in a real browser: headless Chromium (Debian's ``chromium`` package) driven by
Playwright for Python, for the shipped record and the hostile one.

Every page loads from ``file://`` with no console error, no failed request and no request
anywhere but the site's own files; every internal link resolves (fragments included); the
matrix has one row per ally and its cells say what ``status --json`` says; the chart has one
band per control; at phone width nothing but the scrollable tables is wider than the screen.
Screenshots of the index and of one ally page are saved under ``tests/artifacts/site/`` (or
``$EXPORT_ALIGNMENT_ARTIFACTS``).

The browser is ``$EXPORT_ALIGNMENT_CHROMIUM`` or ``/usr/bin/chromium``; it is never downloaded.
Outside CI, a missing browser skips these tests with a warning saying how to run them; with
``CI=true`` a missing browser fails them.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from export_alignment.dates import PartialDate
from world import REPO, run
from world.hostile import AS_OF, hostile_data

ROOT = REPO
SHIPPED_AS_OF = "2026-11-28"
CHROMIUM = Path(os.environ.get("EXPORT_ALIGNMENT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("EXPORT_ALIGNMENT_ARTIFACTS", ROOT / "tests" / "artifacts"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW = (
    "browser tests need Debian's Chromium at /usr/bin/chromium (or $EXPORT_ALIGNMENT_CHROMIUM) "
    "and the test extras: 'sudo apt-get install -y chromium' and "
    "\"pip install -e '.[test]'\", then 'python -m pytest tests/test_site_browser.py' "
    "(never 'playwright install')"
)
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

_missing = None
if sync_playwright is None:
    _missing = "playwright is not installed"
elif not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
    _missing = f"no Chromium at {CHROMIUM}"
if _missing and not IN_CI:
    warnings.warn(f"SKIPPING BROWSER TESTS: {_missing}. {HOW}", stacklevel=1)
    pytestmark = pytest.mark.skip(reason=f"SKIPPED: {_missing}. {HOW}")


def cli_json(*args) -> dict:
    return json.loads(run(*args, code=0).stdout)


@pytest.fixture(scope="module")
def browser():
    if _missing:
        pytest.fail(f"CI=true but {_missing}. {HOW}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module", params=["shipped", "hostile"])
def site(request, tmp_path_factory):
    """(name, site folder, data folder, as-of) for each record."""
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "shipped":
        data, as_of = ROOT / "data", SHIPPED_AS_OF
    else:
        data, as_of = hostile_data(root / "record"), AS_OF
    out = root / "site"
    run("site", "-o", out, "--data", data, "--as-of", as_of, code=0)
    return request.param, out, data, as_of


class Visit:
    """A page loaded in the browser, with what went wrong while loading it."""

    def __init__(self, browser, url: str, width: int = 1200, height: int = 900):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        response = self.page.goto(url, wait_until="load")
        assert response is None or response.ok, url

    def close(self):
        self.page.close()


def test_every_page_loads_cleanly_and_every_link_resolves(browser, site):
    name, out, _, _ = site
    ids: dict[Path, set[str]] = {}
    links: dict[Path, list[str]] = {}
    for path in sorted(out.rglob("*.html")):
        visit = Visit(browser, path.as_uri())
        assert visit.problems == [], (path, visit.problems)
        for url in visit.requests:
            assert url.startswith("file://"), (path, url)  # nothing from any other host
        ids[path.resolve()] = set(
            visit.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
        )
        links[path.resolve()] = visit.page.eval_on_selector_all(
            "a[href]", "els => els.map(a => a.href)"
        )
        assert (
            visit.page.eval_on_selector_all("script, iframe, object, embed, img", "e => e.length")
            == 0
        )
        visit.close()
    for path, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert parts.scheme == "file", (path, href)
            target = Path(unquote(parts.path)).resolve()
            assert target.is_file(), (path, href)
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], (path, href)


def test_matrix_agrees_with_status_and_screenshots_are_saved(browser, site):
    name, out, data, as_of = site
    status = cli_json("status", "--json", "--as-of", as_of, "--data", data)
    visit = Visit(browser, (out / "index.html").as_uri())
    rows = visit.page.locator("table#matrix tbody tr")
    assert rows.count() == len(status["allies"])
    for i, ally in enumerate(status["allies"]):
        row = rows.nth(i)
        assert row.get_attribute("data-ally") == ally["id"]
        headline = row.locator("td.headline").inner_text()
        assert ally["stage"].replace("_", " ") in headline, headline
        total, in_force = ally["coverage"]["total"], ally["coverage"]["in_force"]
        noun = "item" if total == 1 else "items"
        said = f"none of {total} {noun} in force" if not in_force else f"{in_force} of {total} item"
        assert said in headline, headline
        live = [c for c in ally["controls"] if c["live"]]
        cells = row.locator("td.cell")
        assert cells.count() == len(live)
        for j, control in enumerate(live):
            cell = cells.nth(j)
            assert cell.get_attribute("data-control") == control["id"]
            shown = cell.inner_text()
            assert control["stage"].replace("_", " ") in shown, shown
            if control["since"]:
                assert PartialDate.parse(control["since"]).human() in shown, shown
            else:
                assert "since" not in shown
        answer = visit.page.locator("table#answers tbody tr").nth(i)
        assert answer.get_attribute("data-ally") == ally["id"]
        flags = answer.locator("td.flags").inner_text()
        for flag in ally["flags"]:
            assert flag.replace("_", " ") in flags
    item_rows = visit.page.locator("table#items tbody tr")
    assert item_rows.count() == len(status["allies"])
    for i, ally in enumerate(status["allies"]):
        cells = item_rows.nth(i).locator("td.item")
        assert cells.count() == len(ally["items"])
        for j, item in enumerate(ally["items"]):
            cell = cells.nth(j)
            assert cell.get_attribute("data-item") == item["item"]
            shown = cell.inner_text()
            assert item["stage"].replace("_", " ") in shown, shown
            if item["since"]:
                assert PartialDate.parse(item["since"]).human() in shown, shown
    shots = ARTIFACTS / "site"
    shots.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(shots / f"{name}-index.png"), full_page=True)
    visit.close()
    first = status["allies"][0]["id"]
    ally = Visit(browser, (out / "allies" / f"{first}.html").as_uri())
    ally.page.screenshot(path=str(shots / f"{name}-ally-{first}.png"), full_page=True)
    ally.close()
    assert (shots / f"{name}-index.png").stat().st_size > 1000
    assert (shots / f"{name}-ally-{first}.png").stat().st_size > 1000


def test_charts_have_one_band_per_control_or_item_and_a_text_alternative(browser, site):
    _, out, data, as_of = site
    status = cli_json("status", "--json", "--as-of", as_of, "--data", data)
    for ally in status["allies"]:
        visit = Visit(browser, (out / "allies" / f"{ally['id']}.html").as_uri())
        for by, key, expected in (
            ("control", "data-control", [c["id"] for c in ally["controls"]]),
            ("item", "data-item", [i["item"] for i in ally["items"]]),
        ):
            figure = visit.page.locator(f"figure.chart[data-by={by}]")
            bands = figure.locator("svg g.band")
            assert [bands.nth(i).get_attribute(key) for i in range(bands.count())] == expected
            assert figure.locator("svg title").first.text_content()
            assert figure.locator("svg g.tick").count() >= 1
        assert visit.page.locator("table.chart-text tbody tr").count() == len(
            ally["controls"]
        ) + len(ally["items"])
        visit.close()


def test_pages_fit_a_phone_screen(browser, site):
    _, out, _, _ = site
    for path in [out / "index.html", *sorted((out / "allies").glob("*.html"))[:1]]:
        visit = Visit(browser, path.as_uri(), width=375)
        overflow = visit.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (path, overflow)
        visit.close()


# --- accessibility, layout and weight, measured -------------------------------------------------

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
PAGE_BUDGET = 200_000
"""Bytes a page may weigh with everything it loads (its HTML and the stylesheet): the heaviest
shipped page (an ally's, with two charts and every piece of evidence) is about 145 kB."""


def _page_types(out: Path) -> dict[str, Path]:
    return {
        "index": out / "index.html",
        "sources": out / "sources.html",
        "ally": sorted((out / "allies").glob("*.html"))[0],
        "control": sorted((out / "controls").glob("*.html"))[0],
    }


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_violation_on_any_page_type(browser, site, width):
    from axe_playwright_python.sync_playwright import Axe

    _, out, _, _ = site
    w, h = WIDTHS[width]
    axe = Axe()
    for kind, path in _page_types(out).items():
        visit = Visit(browser, path.as_uri(), width=w, height=h)
        results = axe.run(visit.page)
        found = [(v["id"], v["help"], len(v["nodes"])) for v in results.response["violations"]]
        assert found == [], (kind, width, found)
        visit.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_index_answers_without_sideways_scrolling_and_shows_flags_first(browser, site, width):
    _, out, data, as_of = site
    w, h = WIDTHS[width]
    visit = Visit(browser, (out / "index.html").as_uri(), width=w, height=h)
    overflow = visit.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (width, overflow)
    answers = visit.page.locator("table#answers")
    box = answers.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= w, (width, box)
    first = visit.page.locator("table#answers tbody tr").first
    for cell in ("td.flags", "td.reviewed", "td.verdict-cell .verdict", "td.bar-cell svg"):
        shown = first.locator(cell).bounding_box()
        assert shown is not None, cell
        assert shown["y"] + shown["height"] <= h and shown["x"] + shown["width"] <= w, (cell, shown)
    status = cli_json("status", "--json", "--as-of", as_of, "--data", data)
    flags = first.locator("td.flags").inner_text()
    for flag in status["allies"][0]["flags"]:
        assert flag.replace("_", " ") in flags
    assert visit.page.locator("ul.bar-legend li").count() == 4
    visit.close()


def test_every_chart_and_bar_has_a_legend_and_readable_labels(browser, site):
    _, out, _, _ = site
    for path in sorted((out / "allies").glob("*.html")):
        visit = Visit(browser, path.as_uri(), width=390, height=844)
        figures = visit.page.locator("figure.chart")
        assert figures.count() == 2
        for i in range(figures.count()):
            legend = figures.nth(i).locator("ul.stage-legend li")
            assert legend.count() == 7 + 1  # every stage, and "not binding"
            downloads = figures.nth(i).locator("figcaption a[download]")
            assert downloads.count() == 2
        sizes = visit.page.eval_on_selector_all(
            "figure.chart svg text",
            "els => els.map(e => e.getBoundingClientRect().height)",
        )
        assert sizes and min(sizes) >= 11, (path, min(sizes))  # at phone width
        assert visit.page.locator("ul.bar-legend").count() >= 1
        visit.close()


def test_every_page_stays_under_its_weight_budget_with_no_outside_request(browser, site):
    _, out, _, _ = site
    weights = {}
    for path in sorted(out.rglob("*.html")):
        visit = Visit(browser, path.as_uri())
        assert all(u.startswith("file://") for u in visit.requests), visit.requests
        loaded = {Path(unquote(urlsplit(u).path)) for u in visit.requests}
        weights[path.relative_to(out).as_posix()] = sum(p.stat().st_size for p in loaded)
        visit.close()
    heavy = {k: v for k, v in weights.items() if v > PAGE_BUDGET}
    assert heavy == {}, heavy
