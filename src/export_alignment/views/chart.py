"""The site's charts as geometry: for an ally, one band per initiator control (or per scope item)
with its stage as steps over time, the gaps where a control did not bind, and the year ticks;
the templates draw them (``chart-body.svg``) and ``webdata.chart_csv`` writes their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.scoring import LADDER
from export_alignment.views.publication import Publication
from export_alignment.views.publication_model import Ally, ControlInfo, Step

CHART_WIDTH = 760
FIRST_CHARTED = date(2, 1, 1)
"""The earliest as-of date a chart can end on (it may start a year earlier, and year 0 is not a
date)."""
LABEL_WIDTH = 150
BAND_HEIGHT = 36
BAND_GAP = 14
AXIS_HEIGHT = 30


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    y: float
    height: float
    stage: str
    start: date
    end: date


@dataclass(frozen=True)
class Gap:
    """Where a band's control did not bind (rescinded or suspended), drawn over the band."""

    x: float
    width: float
    status: str
    start: date
    end: date | None


@dataclass(frozen=True)
class Band:
    key: str
    """The control id or scope item id the band is for."""
    label: str
    title: str
    y: float
    segments: list[Segment]
    steps: list[Step]
    stage: str
    issued_x: float
    """Where the control enters the record (the band's baseline starts there)."""
    note: str = ""
    """What happened to the control since (``rescinded on 13 May 2025``), if anything."""
    status: str = ""
    """For a control that no longer binds: ``rescinded`` or ``suspended``."""
    gaps: tuple[Gap, ...] = ()
    """The stretches on which the control did not bind (scoring's ``unbound_periods``)."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    by: str
    """``control`` or ``item``: what each band is for."""
    width: int
    height: int
    plot_left: int
    plot_right: int
    bands: list[Band]
    ticks: list[Tick]
    start: date
    end: date
    band_height: int


def _first_day(c: ControlInfo) -> date | None:
    dates = [PartialDate.parse(d) for d in (c.announced, c.effective, c.published) if d]
    return min((d.latest for d in dates), default=None)


def chart(ally: Ally, pub: Publication, by: str = "control") -> Chart:
    """One band per initiator control in the record (``by="control"``) or per item of the live
    controls (``by="item"``): the stage as a step (height = rung on the ladder) from the first
    dated event to the as-of date, with a tick on each 1 January."""
    end = pub.as_of
    if by == "control":
        rows = []
        for cell in ally.cells:
            c = pub.control(cell.control)
            assert c is not None
            note, status = ("", "") if cell.live else (cell.lifecycle, cell.status)
            steps = ally.bands.get(c.id, [])
            rows.append((c.id, c.label, c.title, steps, _first_day(c), note, status, c.unbound))
    else:
        covering = {
            i: [c for c in pub.columns if i in c.scope] for i in (x.item for x in ally.scope)
        }
        rows = [
            (
                x.item,
                x.name,
                x.name,
                ally.scope_bands.get(x.item, []),
                min((d for c in covering[x.item] if (d := _first_day(c))), default=None),
                "",
                "",
                [],
            )
            for x in ally.scope
        ]
    firsts = [s.date for r in rows for s in r[3]] + [r[4] for r in rows if r[4] is not None]
    start = min(firsts, default=end)
    start = date(start.year, 1, 1)
    if start >= end:
        start = date(end.year - 1, 1, 1)
    left, right = LABEL_WIDTH, CHART_WIDTH - 10
    span = (end - start).days

    def x(d: date) -> float:
        return round(left + (right - left) * (min(max(d, start), end) - start).days / span, 1)

    top = len(LADDER) - 1
    bands = []
    for i, (key, label, title, steps, issued, note, status, unbound) in enumerate(rows):
        y0 = 10 + i * (BAND_HEIGHT + BAND_GAP)
        segments = []
        for k, s in enumerate(steps):
            until = steps[k + 1].date if k + 1 < len(steps) else end
            rank = [str(st) for st in LADDER].index(s.stage)
            h = round(BAND_HEIGHT * rank / top, 1)
            segments.append(
                Segment(
                    x(s.date),
                    max(x(until) - x(s.date), 1.0),
                    y0 + BAND_HEIGHT - h,
                    h,
                    s.stage,
                    s.date,
                    until,
                )
            )
        stage = steps[-1].stage if steps else "none"
        issued_x = x(issued or start)
        gaps = tuple(
            Gap(
                x(u.start),
                round(max(x(u.end or end) - x(u.start), 1.0), 1),
                u.status,
                u.start,
                u.end,
            )
            for u in unbound
        )
        bands.append(
            Band(key, label, title, y0, segments, steps, stage, issued_x, note, status, gaps)
        )
    ticks = [
        Tick(x(date(y, 1, 1)), str(y))
        for y in range(start.year, end.year + 1)
        if start <= date(y, 1, 1) <= end
    ]
    height = 10 + len(bands) * (BAND_HEIGHT + BAND_GAP) + AXIS_HEIGHT
    return Chart(by, CHART_WIDTH, height, left, right, bands, ticks, start, end, BAND_HEIGHT)
