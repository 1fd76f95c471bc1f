"""The timeline of a case report as an SVG picture: a Gantt-like chart with one lane per
machine (its states over time), one per deadline (a bar ending on its last day) and one
per entitlement (while it holds).

This module only computes where things go (:class:`Chart`); the markup is the template
``templates/timeline.svg.j2``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asylum_sim.render.report_model import Timeline

WIDTH = 960
LABEL_WIDTH = 290
RIGHT_MARGIN = 16
AXIS_HEIGHT = 28
GROUP_HEIGHT = 26
LANE_HEIGHT = {"states": 28, "deadlines": 20, "entitlements": 20}
FONT_SIZE = 13
"""In units of the picture, which is 960 wide: on an A4 page about 7 pt."""
CHAR_WIDTH = FONT_SIZE * 0.56
"""Average advance of a character of a sans-serif font at FONT_SIZE (for fitting text)."""


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    tone: str
    title: str
    """The whole text (a tooltip, and what a screen reader says)."""
    text: str
    """The text drawn inside the bar ('' when it does not fit)."""
    clipped: bool
    """The bar goes on beyond the end of the chart."""
    initial: bool


@dataclass(frozen=True)
class Row:
    y: float
    height: float
    label: str
    short: str
    bars: tuple[Bar, ...]
    stripe: bool


@dataclass(frozen=True)
class Heading:
    y: float
    text: str


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    left: float
    right: float
    top: float
    first: str
    """The first day of the chart (the ticks mark months or years after it)."""
    rows: tuple[Row, ...]
    headings: tuple[Heading, ...]
    ticks: tuple[Tick, ...]


def fit(text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (``''`` when hardly anything
    fits)."""
    room = int(width // CHAR_WIDTH)
    if len(text) <= room:
        return text
    return text[: room - 1].rstrip() + "…" if room >= 6 else ""


def _ticks(start: dt.date, end: dt.date, x) -> list[Tick]:
    days = (end - start).days
    step = 12 if days > 3 * 366 else 3 if days > 240 else 1
    ticks = []
    year, month = start.year, 1
    while dt.date(year, month, 1) <= end + dt.timedelta(days=1):
        day = dt.date(year, month, 1)
        if day >= start and (month - 1) % step == 0:
            ticks.append(Tick(x(day), str(year) if step == 12 else f"{year}-{month:02d}"))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


def chart(timeline: Timeline, headings: dict[str, str]) -> Chart:
    """Where every lane, bar and tick goes; ``headings`` names the groups of lanes."""
    left, right = float(LABEL_WIDTH), float(WIDTH - RIGHT_MARGIN)
    total = (timeline.end - timeline.start).days + 1

    def x(day: dt.date) -> float:
        offset = min(max((day - timeline.start).days, 0), total)
        return round(left + (right - left) * offset / total, 1)

    y = float(AXIS_HEIGHT)
    rows: list[Row] = []
    heads: list[Heading] = []
    group = None
    for n, lane in enumerate(timeline.lanes):
        if lane.group != group:
            group = lane.group
            heads.append(Heading(y + GROUP_HEIGHT - 8, headings[group]))
            y += GROUP_HEIGHT
        height = LANE_HEIGHT[lane.group]
        bars = []
        for span in lane.spans:
            x0 = x(span.start)
            x1 = x(span.end + dt.timedelta(days=1))
            width = max(x1 - x0, 2.0)
            pad = 3 if lane.group == "states" else 2
            text = fit(span.label, width - 6) if lane.group == "states" else ""
            bars.append(Bar(x0, y + pad, width, height - 2 * pad, span.tone,
                            f"{span.label}: {span.start} – {span.end}", text,
                            span.end > timeline.end, span.initial))
        rows.append(Row(y, height, lane.label, fit(lane.label, left - 24), tuple(bars),
                        n % 2 == 0))
        y += height
    # room for the first day's label on the left, and for a year's label on the right
    ticks = [t for t in _ticks(timeline.start, timeline.end, x)
             if t.x - left > 95 and right - t.x > 34]
    return Chart(WIDTH, y + 6, left, right, float(AXIS_HEIGHT), str(timeline.start),
                 tuple(rows), tuple(heads), tuple(ticks))
