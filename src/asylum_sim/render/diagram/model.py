"""The intermediate diagram model: one machine as plain, language-resolved dataclasses.

Renderers (DOT, Mermaid) read only this model; the highlight of a case path is applied to
it (see :mod:`highlight`) and the views (overview, one phase) are made from it (see
:mod:`views`), so every format and view shows the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asylum_sim.i18n import tr
from asylum_sim.model.common import UNIT_LABELS, Period
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions
from asylum_sim.model.machine import MachineFile, TransitionDef
from asylum_sim.render.diagram import style

ACCENT_COLOUR = style.ACCENT_COLOUR

STATE = "state"
STUB = "stub"
"""A state of a neighbouring phase, drawn small in a phase view."""
JUNCTION = "junction"
"""A point where the same transitions from several states meet (drawn as a dot)."""
COPY = "copy"
"""A final state drawn once more inside a phase that leads to it (the end per phase)."""


@dataclass(frozen=True)
class ActorKey:
    """One entry of the legend: an authority and the fill colour of its states."""

    id: str
    label: str
    fill: str


@dataclass(frozen=True)
class DiagramState:
    id: str
    label: str
    actor: str
    fill: str
    """Who decides (the actor's fill) or, for an outcome, the outcome's green or red."""
    phase: str | None = None
    initial: bool = False
    final: bool = False
    outcome: str | None = None
    documents: tuple[str, ...] = ()
    """Labels of the documents issued on entering the state (empty with ``--no-documents``)."""
    visited: bool = False
    """On the highlighted path."""
    kind: str = STATE
    """STATE, STUB, JUNCTION or COPY."""
    members: tuple[DiagramState, ...] = ()
    """In an overview, a phase box lists its states."""
    loops: tuple[EdgeLine, ...] = ()
    """Transitions that leave the case in this state, written inside it (see views)."""


@dataclass(frozen=True)
class EdgeLine:
    """One transition on an edge (an edge carries every transition between two states)."""

    event: str
    label: str
    guard: str | None = None
    """Compact guard text, e.g. ``[volgend verzoek]`` or ``[niet volgend verzoek]``."""
    duration: str | None = None
    """For a timed transition, the deadline's length: ``30 dagen``, ``10 dagen / 30 dagen``."""
    documents: tuple[str, ...] = ()
    """Labels of documents issued on the transition itself."""
    taken: tuple[dt.date, ...] = ()
    """Dates this transition was taken on the highlighted path."""


@dataclass(frozen=True)
class DiagramEdge:
    """All transitions from ``source`` to ``dest`` of one kind (timed or not), as one arrow.

    Merging parallel transitions keeps busy machines (reception: four events lead from
    each reception state to ``leaving``) readable: one arrow, one line per event.
    """

    source: str
    dest: str
    lines: tuple[EdgeLine, ...]
    timer: str | None = None
    """Deadline id when the transitions fire by themselves (drawn dashed)."""
    extra: bool = False
    """Not in the machine: a move of the highlighted case that no transition explains."""
    bare: bool = False
    """Drawn without a label: an arrow into a junction, whose way out carries the label."""

    @property
    def taken(self) -> tuple[dt.date, ...]:
        return tuple(sorted(d for line in self.lines for d in line.taken))

    @property
    def highlighted(self) -> bool:
        return any(line.taken for line in self.lines)


@dataclass(frozen=True)
class DiagramGraph:
    machine: str
    title: str
    lang: str
    states: tuple[DiagramState, ...]
    edges: tuple[DiagramEdge, ...]
    phases: tuple[tuple[str, str], ...] = ()
    """(phase id, label) in the machine's order; only phases that hold states."""
    actors: tuple[ActorKey, ...] = ()
    """Legend: the authorities acting in this machine, in order of first appearance."""
    case: str | None = None
    """Set by the highlight: which case's path is drawn."""
    view: str = "full"
    """``full``, ``overview`` or a phase id (see :mod:`views`)."""
    focus: str | None = None
    """In a phase view, the phase drawn in full (the others are stubs)."""

    @property
    def highlighted(self) -> bool:
        return self.case is not None

    @property
    def subtitle(self) -> str | None:
        return tr("diagram.subtitle", self.lang, case=self.case) if self.case else None

    def state(self, state_id: str) -> DiagramState | None:
        return next((s for s in self.states if s.id == state_id), None)


def duration_label(defs: Definitions, deadline_id: str, lang: str) -> str | None:
    """The length of a deadline as shown on a timed edge.

    The general period (the one without a ``when``) comes first, the special ones after
    it: ``30 dagen``, ``30 / 10 / 5 dagen`` (one unit), ``2 maanden / 6 maanden``; beyond
    three different lengths ``…`` (the full rule is in deadlines.yaml).
    """
    deadline = defs.deadlines.get(deadline_id)
    if deadline is None:
        return None
    choices = sorted(deadline.periods, key=lambda c: c.when is not None)
    first = choices[0]
    if first.from_attribute:
        # Counted from a date the event carries (e.g. the end date of an exception).
        if first.period.amount == 0:
            return tr("diagram.end_date", lang)
        key = "diagram.before_end_date" if first.before else "diagram.after_end_date"
        return tr(key, lang, period=first.period.label(lang))
    periods: list[Period] = []
    for choice in choices:
        if choice.period not in periods:
            periods.append(choice.period)
    if len({p.unit for p in periods}) == 1 and len(periods) > 1:
        # The special lengths after the general one, longest first: "30 / 10 / 5 dagen".
        amounts = [periods[0].amount, *sorted((p.amount for p in periods[1:]), reverse=True)]
        unit = UNIT_LABELS.get(lang, UNIT_LABELS["en"])[periods[0].unit][1]
        return " / ".join(str(a) for a in amounts) + f" {unit}"
    shown = " / ".join(p.label(lang) for p in periods[:3])
    return shown + (" / …" if len(periods) > 3 else "")


def _guard_text(machine: MachineFile, transition: TransitionDef, lang: str) -> str | None:
    parts = []
    if transition.guard:
        guard = machine.guards.get(transition.guard)
        parts.append(guard.labels.get(lang) if guard else transition.guard)
    if transition.unless:
        guard = machine.guards.get(transition.unless)
        text = guard.labels.get(lang) if guard else transition.unless
        parts.append(f"{tr('diagram.not', lang)} {text}")
    return f"[{'; '.join(parts)}]" if parts else None


def build_graph(
    defs: Definitions, machine_id: str, lang: str, *, documents: bool = True
) -> DiagramGraph:
    """The diagram model of one whole machine in ``lang``."""
    machine = defs.machines.get(machine_id)
    if machine is None:
        known = ", ".join(sorted(defs.machines)) or "none"
        raise InputError(f"unknown machine {machine_id!r}; known machines: {known}")

    def doc_labels(ids: list[str]) -> tuple[str, ...]:
        if not documents:
            return ()
        return tuple(defs.documents[d].labels.get(lang) if d in defs.documents else d for d in ids)

    actors: dict[str, ActorKey] = {}
    states = []
    for s in machine.states:
        if s.actor not in actors:
            actor = defs.actors.get(s.actor)
            label = actor.labels.get(lang) if actor else s.actor
            fill = style.actor_fill(s.actor, actor.colour if actor else None)
            actors[s.actor] = ActorKey(s.actor, label, fill)
        states.append(
            DiagramState(
                id=s.id,
                label=s.labels.get(lang),
                actor=s.actor,
                fill=style.outcome_fill(s.outcome) or actors[s.actor].fill,
                phase=s.phase if s.phase in machine.phases else None,
                initial=s.id == machine.initial,
                final=s.final,
                outcome=s.outcome,
                documents=doc_labels(s.documents),
            )
        )
    # The legend names only the actors whose colour shows (outcomes are coloured by outcome).
    shown = {s.actor for s in states if not s.outcome}

    merged: dict[tuple[str, str, str | None], list[EdgeLine]] = {}
    for t in machine.transitions:
        event = defs.events.get(t.event)
        line = EdgeLine(
            event=t.event,
            label=event.labels.get(lang) if event else t.event,
            guard=_guard_text(machine, t, lang),
            duration=duration_label(defs, t.timer, lang) if t.timer else None,
            documents=doc_labels(t.documents),
        )
        for source in t.sources:
            lines = merged.setdefault((source, t.dest, t.timer), [])
            if line not in lines:
                lines.append(line)
    edges = [
        DiagramEdge(source=src, dest=dest, lines=tuple(lines), timer=timer)
        for (src, dest, timer), lines in merged.items()
    ]

    used_phases = {s.phase for s in states}
    phases = tuple(
        (pid, labels.get(lang)) for pid, labels in machine.phases.items() if pid in used_phases
    )
    return DiagramGraph(
        machine=machine.id,
        title=machine.labels.get(lang),
        lang=lang,
        states=tuple(states),
        edges=tuple(edges),
        phases=phases,
        actors=tuple(a for a in actors.values() if a.id in shown),
    )
