"""A static website of the record: each ally's verdict first, the alignment matrices, a page per
ally and per initiator control, the sources, Atom feeds (public: verdict, stage and coverage
changes, globally, per ally and per control; for curators: flags), a static JSON API, an
iCalendar file of dates ahead, link-preview images, and the data downloads (with a Frictionless
data package and Datasette metadata). Page addresses are the view objects' (``Ally.url``...).

This is a reporter: it renders a ``Publication`` (``publication.py``, the only place it learns
the scores from) with Jinja2 templates shipped in the package, autoescaping on. The pages work
from ``file://`` and from any static host: every link is relative, the one stylesheet is local,
there is no script, and a Content-Security-Policy forbids loading anything from elsewhere.

Text from the record is shown as text only: HTML-escaped by the templates, whitespace runs
collapsed and control or bidirectional-override characters shown as visible escapes (the same
escapes the terminal shows). A record's address becomes a link only when it is http(s); any other
address is printed as text. File names are made from record ids, which the models restrict to
lowercase slugs.

The site is written whole by ``atomic.replace_folder``: built in a hidden sibling folder and
swapped in, so an interrupted build leaves the old site (or none), never half of one, and nothing
planted in the old folder (a symlink, a manifest naming files elsewhere) is followed. The site
keeps a manifest, so a rebuild drops pages that no longer exist, keeps files the user put there,
and never replaces a folder it did not build.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup
from markupsafe import escape as escape_html

from export_alignment import escape
from export_alignment.atomic import replace_folder
from export_alignment.errors import DayTooEarly, NotAWebAddress, OutputNotWritable
from export_alignment.export import TABLES
from export_alignment.models import SOURCE_KINDS, TIERS
from export_alignment.scoring import FLAGS, LADDER, ROLES, STAGE_GLYPH, STAGES, VERDICTS, Stage
from export_alignment.views.chart import FIRST_CHARTED, chart
from export_alignment.views.publication import Publication
from export_alignment.views.publication_model import LICENCE, Item
from export_alignment.views.values import STATUS_SHORT, VERDICT_WORDS
from export_alignment.webtext import human, text, web_url

if TYPE_CHECKING:
    from export_alignment.models import Dataset
    from export_alignment.question import Question

MANIFEST = ".export-alignment-site"
"""Lists the files a build wrote, one per line; its presence marks a folder as a built site."""


CHARTS_START = "the site's charts start on 1 January of the year before their last day"
"""Why a site cannot be built as of a day before ``FIRST_CHARTED`` (``DayTooEarly``)."""

TIER_WORDS = {"official_text": "official text", "on_record": "on record", "anonymous": "anonymous"}


def public_base(value: str) -> str:
    """The ``--base-url`` of a published site: an absolute http(s) address of its folder, ending
    in ``/`` (added when missing), with no query, fragment, user or password; anything else is a
    ``NotAWebAddress`` saying what is wrong with it."""
    cleaned = value.strip()
    problem = _base_problem(cleaned)
    url = web_url(cleaned) if problem is None else None
    if url is None:
        raise NotAWebAddress(value, problem or "is not an http(s) address")
    return url if url.endswith("/") else url + "/"


def _base_problem(url: str) -> str | None:
    from urllib.parse import urlsplit

    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return "is not a valid address"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "is not an absolute http(s) address, e.g. https://example.org/alignment/"
    if "?" in url or "#" in url:
        return "has a query or fragment; give the address of the site's folder"
    if parts.username is not None or parts.password is not None:
        return "carries a user name or password"
    if not url.isascii():
        return "is not ASCII; write the host in its ASCII (xn--) form and encode the path"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "has a % that does not start an escape such as %20"
    if re.search(r"\.(html?|xml|php)$", parts.path, re.IGNORECASE):
        return "names a page; give the address of the site's folder"
    return None


def stage_word(stage: object) -> str:
    return str(stage).replace("_", " ")


def glyph(stage: object) -> str:
    """The stage's one glyph (scoring's ``STAGE_GLYPH``, as the terminal's coverage matrix)."""
    return STAGE_GLYPH.get(Stage(str(stage)), "?") if str(stage) in _STAGE_NAMES else "?"


_STAGE_NAMES = frozenset(str(s) for s in LADDER)


def _finalize(value: object) -> str:
    """What a template prints for ``{{ value }}``: its ``text``, HTML-escaped (what Jinja's own
    escaping would make of it: the templates' output runs through here only, ``_Generator``)."""
    if type(value) is str:
        return _html_of(value)
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float):
        return escape_html(value)
    return escape_html(text(value))


@lru_cache(maxsize=65536)
def _html_of(value: str) -> Markup:
    """``text`` of one string, escaped, remembered: a page repeats names and dates many times."""
    return escape_html(text(value))


class _Generator(CodeGenerator):
    """Jinja's code generator, but a printed value is only finalized: ``_finalize`` escapes it
    itself (from a table of strings already escaped) instead of Jinja escaping every value
    again after it. The pages' bytes are the same; the site's templates always autoescape."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(finalize.src)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(")")


def _first_of_id(items: Iterable[Item]) -> list[bool]:
    """For each item, whether it is the first with its ``id`` (where the ``#ev-ID`` anchor goes)."""
    seen: set[str] = set()
    firsts: list[bool] = []
    for e in items:
        firsts.append(e.id not in seen)
        seen.add(e.id)
    return firsts


def _template_source(name: str) -> tuple[str, None, Callable[[], bool]] | None:
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    res = resources.files("export_alignment").joinpath("templates", name)
    if not res.is_file():
        return None
    return res.read_text(encoding="utf-8"), None, lambda: True


def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_template_source),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.code_generator_class = _Generator
    env.filters.update(human=human, stage=stage_word, glyph=glyph, href=web_url, tier=_tier_word)
    env.globals.update(
        STAGES={str(k): v for k, v in STAGES.items()},
        FLAGS={str(k): v for k, v in FLAGS.items()},
        TIERS={str(k): v for k, v in TIERS.items()},
        KINDS={str(k): v for k, v in SOURCE_KINDS.items()},
        ROLES={str(k): v for k, v in ROLES.items()},
        LADDER=[str(s) for s in LADDER],
        first_of_id=_first_of_id,
        VERDICTS={str(k): v for k, v in VERDICTS.items()},
        VERDICT_WORDS={str(k): v for k, v in VERDICT_WORDS.items()},
        STATUS_SHORT=STATUS_SHORT,
        TABLE_NAMES=list(TABLES),
    )
    env.tests["contains"] = lambda seq, item: item in seq
    return env


def _tier_word(tier: object) -> str:
    return TIER_WORDS.get(str(tier), str(tier))


# --- writing ------------------------------------------------------------------------------------


_SITE_FILE = re.compile(
    r"(index|sources)\.html|style\.css|feed\.xml|calendar\.ics"
    r"|(allies|controls)/[a-z0-9][a-z0-9-]*\.html"
    r"|feeds/curators\.xml|feeds/(allies|controls)/[a-z0-9][a-z0-9-]*\.xml"
    r"|api/(index|schema)\.json|api/(allies|controls)/[a-z0-9][a-z0-9-]*\.json"
    r"|previews/[a-z0-9][a-z0-9-]*\.svg"
    r"|downloads/[A-Za-z0-9._-]+|downloads/(csv|charts)/[A-Za-z0-9._-]+\.(csv|svg)"
)
"""The names a build writes: what an interrupted build can have left in an output folder."""


def _site_file(name: str) -> bool:
    return name == MANIFEST or _SITE_FILE.fullmatch(name) is not None


def build_site(pub: Publication, out: Path, base: str | None = None) -> list[Path]:
    """Write the site for ``pub`` into ``out``; returns the files written. ``base`` (from
    ``public_base``) is where it will be published: the feed then names itself and links
    absolutely; the pages stay relative either way."""
    from export_alignment import export, feed

    if out.exists() and not out.is_dir():
        raise OutputNotWritable(str(out), "exists and is not a folder")
    from export_alignment import webdata
    from export_alignment.schema import render_site_api

    env = environment()
    written: dict[str, bytes] = {}
    downloads = export.download_files(pub)
    record_version = hashlib.sha256(downloads["export-alignment.json"]).hexdigest()[:12]
    common = {
        "base": base,
        "record_version": record_version,
        "version": package_version(),
        "licence": LICENCE,
    }

    def page(name: str, template: str, **context: object) -> None:
        root = "../" * name.count("/")
        html = env.get_template(template).render(pub=pub, root=root, page=name, **common, **context)
        written[name] = html.encode("utf-8")

    def put(name: str, data: str | bytes) -> None:
        written[name] = data.encode("utf-8") if isinstance(data, str) else data

    page("index.html", "index.html")
    page("sources.html", "sources.html")
    for ally in pub.allies:
        charts = {"control": chart(ally, pub, "control"), "item": chart(ally, pub, "item")}
        page(ally.url, "ally.html", ally=ally, chart=charts["control"], item_chart=charts["item"])
        for by, ch in charts.items():
            stem = f"downloads/charts/{ally.id}-by-{by}"
            noun = "control" if by == "control" else "scope item"
            svg = env.get_template("chart.svg").render(
                ally=ally, chart=ch, noun=noun, standalone=True
            )
            put(f"{stem}.svg", svg)
            put(f"{stem}.csv", webdata.chart_csv(ch))
        put(ally.feed_url, feed.ally_feed(pub, ally, base))
        put(ally.api_url, webdata._dumps(webdata.ally_document(pub, ally)))
        put(ally.preview_url, webdata.preview(pub, ally))
    for control in pub.pages:
        page(control.url, "control.html", control=control)
        put(control.feed_url, feed.control_feed(pub, control, base))
        put(control.api_url, webdata._dumps(webdata.control_document(pub, control)))
    put("api/index.json", webdata._dumps(webdata.index_document(pub)))
    put(webdata.API_SCHEMA, render_site_api())
    put("calendar.ics", webdata.calendar(pub, base))
    css = resources.files("export_alignment").joinpath("static", "site.css").read_bytes()
    written["style.css"] = css
    written["feed.xml"] = feed.atom(pub, base).encode("utf-8")
    put("feeds/curators.xml", feed.curators_feed(pub, base))
    for name, data in downloads.items():
        written[f"downloads/{name}"] = data
    put("downloads/datapackage.json", webdata._dumps(webdata.datapackage(pub)))
    put("downloads/metadata.json", webdata._dumps(webdata.datasette_metadata(pub)))
    done = replace_folder(out, written, MANIFEST, _site_file, shown=f"-o: {escape.one_line(out)!r}")
    if done.note:
        import sys

        print(f"note: {escape.one_line(done.note)}", file=sys.stderr)
    return done.paths


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("export-alignment")
    except PackageNotFoundError:
        return "unknown"


def write_site(dataset: Dataset, asked: Question, out: Path, base: str | None = None) -> list[Path]:
    """Score ``dataset`` for the question ``asked`` (its day and staleness threshold; see
    ``publish``) and write its site into ``out`` (the ``site`` command)."""
    from export_alignment.views.publication import publish

    as_of = asked.as_of
    if as_of < FIRST_CHARTED:
        raise DayTooEarly(as_of, FIRST_CHARTED, CHARTS_START)
    try:
        return build_site(publish(dataset, asked), out, base)
    except OSError as exc:
        raise OutputNotWritable(str(out), "cannot write to", str(exc.strerror or exc)) from None
