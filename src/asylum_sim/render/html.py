"""The case report as one self-contained HTML page (Jinja2 templates, print CSS, the
timeline as inline SVG), laid out from the report model; and as PDF through a headless
Chromium when one is installed."""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache

from markupsafe import Markup, escape

from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import CaseReport
from asylum_sim.render.timeline_svg import chart

_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def generation_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds:
    the same input then gives the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def words(text: object) -> Markup:
    """Escaped text whose ISO dates never break across lines."""
    escaped = str(escape(str(text)))
    return Markup(_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', escaped))


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("asylum_sim.render", "templates"),
        autoescape=select_autoescape(["html", "svg", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["words"] = words
    return env


def replay_html(report: CaseReport, lab: Labeller, *, version: str,
                generated: dt.date | None = None) -> str:
    """The whole report: title, warnings, person, timeline, steps, the situation at the
    end, sources, and the generation date, version and disclaimer."""
    headings = {group: lab.t(f"report.{group}") for group in
                ("states", "deadlines", "entitlements")}
    picture = chart(report.timeline, headings) if report.timeline is not None else None
    return _environment().get_template("case_report.html.j2").render(
        report=report, t=lab.t, chart=picture, version=version,
        generated=generated or generation_date(),
    )
