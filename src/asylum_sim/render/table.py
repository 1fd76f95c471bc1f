"""Terminal tables (rich) of the report model, as wide as the terminal (80 columns when
not printed on one), in colour only on a terminal."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import CaseReport, Change, Situation
from asylum_sim.render.terminal import PLAIN, Terminal, text_of

MARK = {"move": "", "issued": "+ ", "renewed": "↻ ", "withdrawn": "- ", "deadline": "◷ ",
        "gained": "+ ", "lost": "- ", "problem": "! "}
"""Markers of changes in plain text (shared by the Markdown report)."""

ORIGIN_MARK = {"scenario": "", "timer": "◷ ", "internal": "↳ "}
"""Markers of steps that happened by themselves (a term ran out) or as a consequence."""

STYLE = {"gained": "green", "met": "green", "lost": "red", "missed": "bold red",
         "problem": "bold red", "expired": "yellow", "open": "cyan", "cancelled": "dim"}


def _changes(changes: tuple[Change, ...]) -> Table:
    """The changes of a step, one a line; a wrapped line stays indented under its text."""
    grid = Table.grid(padding=0, expand=False)
    grid.add_column(no_wrap=True, width=2)
    grid.add_column()
    for change in changes:
        style = STYLE.get(change.tone, "")
        grid.add_row(Text(MARK[change.kind], style=style), Text(change.text, style=style))
    return grid


def _explained(label: str, reason: str | None) -> RenderableType:
    """A label with its reason indented under it (wrapped lines keep the indent)."""
    if not reason:
        return label
    return Group(Text(label), Padding(Text(reason, style="dim"), (0, 0, 0, 2)))


def _date(day: object) -> str:
    return "—" if day is None else str(day)


def _head(console: Console, report: CaseReport, lab: Labeller) -> None:
    for notice in report.warnings:
        console.print(Text(lab.t("report.labelled", label=lab.t("report.warning"),
                                 text=notice.text), style="bold yellow"))
    for problem in report.problems:
        console.print(Text(lab.t("report.labelled", label=lab.t("report.problem"),
                                 text=problem), style="bold red"))


def replay_table(report: CaseReport, lab: Labeller, *, terminal: Terminal = PLAIN) -> str:
    """Every step with what it changed, then the situation at the end."""
    console = terminal.console()
    console.print(Text(lab.t("report.replay_title", case=report.case), style="bold"))
    _head(console, report, lab)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=False)
    table.add_column(lab.t("report.col.date"), no_wrap=True, width=10)
    table.add_column(lab.t("report.col.event"), ratio=2)
    table.add_column(lab.t("report.col.changes"), ratio=3)
    for step in report.steps:
        table.add_row(str(step.date), ORIGIN_MARK.get(step.origin, "") + step.event,
                      _changes(step.changes))
    console.print(table)
    if report.situation is not None:
        _situation(console, report, report.situation, lab, heading=False)
    return text_of(console)


def situation_table(report: CaseReport, lab: Labeller, *, terminal: Terminal = PLAIN) -> str:
    """The situation on one date: states, documents, deadlines, entitlements."""
    console = terminal.console()
    if report.situation is not None:
        _situation(console, report, report.situation, lab, heading=True)
    return text_of(console)


def _situation(console: Console, report: CaseReport, snap: Situation, lab: Labeller, *,
               heading: bool) -> None:
    console.print(Text(lab.t("report.status_title", on=snap.on, case=report.case),
                       style="bold"))
    if heading:
        _head(console, report, lab)
    states = Table(box=box.SIMPLE_HEAD, expand=True)
    states.add_column(lab.t("report.col.machine"))
    states.add_column(lab.t("report.col.state"))
    for row in snap.states:
        states.add_row(row.machine, row.state)
    console.print(states)

    docs = Table(title=lab.t("report.documents"), box=box.SIMPLE_HEAD, expand=True)
    docs.add_column(lab.t("report.col.document"), ratio=3)
    docs.add_column(lab.t("report.col.issued"), no_wrap=True)
    docs.add_column(lab.t("report.col.valid_until"), no_wrap=True)
    for d in snap.documents:
        docs.add_row(d.label, str(d.issued), _date(d.valid_until))
    console.print(docs)

    dls = Table(title=lab.t("report.deadlines"), box=box.SIMPLE_HEAD, expand=True)
    dls.add_column(lab.t("report.col.deadline"), ratio=3)
    dls.add_column(lab.t("report.col.due"), no_wrap=True)
    dls.add_column(lab.t("report.col.status"), no_wrap=True)
    dls.add_column(lab.t("report.col.source"), ratio=2)
    for d in snap.deadlines:
        dls.add_row(_explained(d.label, d.reason), str(d.due),
                    Text(d.status_text, style=STYLE.get(d.status, "")),
                    "; ".join(d.citations) or "—")
    console.print(dls)

    ents = Table(title=lab.t("report.entitlements"), box=box.SIMPLE_HEAD, expand=True)
    ents.add_column(lab.t("report.col.entitlement"), ratio=3)
    ents.add_column(lab.t("report.col.since"), no_wrap=True)
    ents.add_column(lab.t("report.col.until"), no_wrap=True)
    ents.add_column(lab.t("report.col.source"), ratio=2)
    for e in snap.entitlements:
        ents.add_row(_explained(e.label, e.reason), str(e.since), _date(e.until),
                     "; ".join(e.citations) or "—")
    console.print(ents)
