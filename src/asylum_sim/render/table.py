"""Terminal tables (rich), readable in an 80-column terminal."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table

from asylum_sim.engine.steps import Replay, Snapshot
from asylum_sim.render.changes import status_word, step_changes, word
from asylum_sim.render.labels import Labeller
from asylum_sim.render.projection import projected_mark

ORIGIN_MARK = {"scenario": "", "timer": "⏱ ", "internal": "↳ "}


def _console(width: int | None) -> Console:
    return Console(file=io.StringIO(), width=width or 80, record=False, color_system=None,
                   highlight=False, soft_wrap=False)


def _warnings(console: Console, replay: Replay, lab: Labeller) -> None:
    for wid in replay.warnings:
        console.print(f"WARNING: {lab.warning(wid)}")
    for problem in (d.message for d in replay.deviations):
        console.print(f"PROBLEM: {problem}")


def replay_table(replay: Replay, lab: Labeller, *, explain: bool = False,
                 width: int | None = None) -> str:
    """Every step with what it changed."""
    console = _console(width)
    title = "Verloop" if lab.lang == "nl" else "Replay"
    console.print(f"{title}: {replay.case}")
    _warnings(console, replay, lab)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=False)
    table.add_column("Datum" if lab.lang == "nl" else "Date", no_wrap=True, width=10)
    table.add_column("Gebeurtenis" if lab.lang == "nl" else "Event", ratio=2)
    table.add_column("Gevolgen" if lab.lang == "nl" else "Changes", ratio=3)
    before = None
    for step in replay.steps:
        event = ORIGIN_MARK.get(step.origin, "") + lab.event(step.event)
        table.add_row(str(step.date), event, "\n".join(step_changes(step, before, lab)))
        before = step.snapshot
    console.print(table)
    if replay.steps:
        console.print(snapshot_text(replay, replay.steps[-1].snapshot, lab, explain=explain,
                                    width=width))
    return console.file.getvalue()  # type: ignore[attr-defined]


def snapshot_text(replay: Replay, snap: Snapshot, lab: Labeller, *, explain: bool = False,
                  width: int | None = None) -> str:
    """The situation on one date: states, documents, deadlines, entitlements."""
    console = _console(width)
    nl = lab.lang == "nl"
    console.print(f"{'Toestand op' if nl else 'Status on'} {snap.on} — {replay.case}")
    _warnings(console, replay, lab)
    states = Table(box=box.SIMPLE_HEAD, expand=True)
    states.add_column("Machine")
    states.add_column("Toestand" if nl else "State")
    for machine, state in snap.states.items():
        states.add_row(lab.machine(machine), lab.state(machine, state))
    console.print(states)

    docs = Table(title="Documenten" if nl else "Documents", box=box.SIMPLE_HEAD, expand=True)
    docs.add_column("Document", ratio=3)
    docs.add_column("Afgegeven" if nl else "Issued", no_wrap=True)
    docs.add_column(word(lab, "valid"), no_wrap=True)
    for d in snap.documents:
        docs.add_row(lab.document(d.id), str(d.issued), str(d.valid_until or "—"))
    console.print(docs)

    dls = Table(title="Termijnen" if nl else "Deadlines", box=box.SIMPLE_HEAD, expand=True)
    dls.add_column("Termijn" if nl else "Deadline", ratio=3)
    dls.add_column(word(lab, "due"), no_wrap=True)
    dls.add_column("Status", no_wrap=True)
    dls.add_column("Bron" if nl else "Source", ratio=2)
    for d in snap.deadlines:
        label = lab.deadline(d.id)
        if explain and d.why:
            label += f"\n  {d.why.get(lab.lang)}"
        dls.add_row(label, str(d.due),
                    status_word(lab, d.id, d.status) + projected_mark(d, lab.lang), d.source)
    console.print(dls)

    ents = Table(title="Rechten en plichten" if nl else "Entitlements", box=box.SIMPLE_HEAD,
                 expand=True)
    ents.add_column("Recht / plicht" if nl else "Entitlement", ratio=3)
    ents.add_column(word(lab, "since"), no_wrap=True)
    ents.add_column(word(lab, "until"), no_wrap=True)
    ents.add_column("Bron" if nl else "Source", ratio=2)
    for e in snap.entitlements:
        label = lab.entitlement(e.id)
        if explain and e.why:
            label += f"\n  {e.why.get(lab.lang)}"
        ents.add_row(label, str(e.since), str(e.until or "—"), e.source)
    console.print(ents)
    return console.file.getvalue()  # type: ignore[attr-defined]
