"""The intermediate diagram model: one machine as plain, language-resolved dataclasses.

Renderers (DOT, Mermaid) read only this model; the highlight of a case path is applied to
it (see :mod:`highlight`), so every format shows the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from asylum_sim.model.common import UNIT_LABELS, Period
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions
from asylum_sim.model.machine import MachineFile, TransitionDef

# Words the diagrams add themselves (everything else comes from the machine files).
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "legend": "Legenda",
        "actor": "Wie handelt",
        "positive": "positieve uitkomst",
        "negative": "negatieve uitkomst",
        "final": "eindtoestand",
        "timer": "termijn verstreken (vanzelf)",
        "path": "verloop van",
        "not": "niet",
        "documents": "documenten",
        "start": "begin",
    },
    "en": {
        "legend": "Legend",
        "actor": "Who acts",
        "positive": "positive outcome",
        "negative": "negative outcome",
        "final": "final state",
        "timer": "deadline expired (by itself)",
        "path": "path of",
        "not": "not",
        "documents": "documents",
        "start": "start",
    },
}

POSITIVE_COLOUR = "#1b7f3b"
NEGATIVE_COLOUR = "#c0392b"
NEUTRAL_BORDER = "#444444"
ACCENT_COLOUR = "#e8590c"
"""Colour of a highlighted case path: orange, apart from the outcome green and red."""


def words(lang: str) -> dict[str, str]:
    """The diagram's own words in ``lang`` (English for an unknown language)."""
    return WORDS.get(lang, WORDS["en"])


@dataclass(frozen=True)
class ActorKey:
    """One entry of the legend: an authority and the fill colour of its states."""

    id: str
    label: str
    colour: str
    fill: str


@dataclass(frozen=True)
class DiagramState:
    id: str
    label: str
    actor: str
    fill: str
    phase: str | None = None
    initial: bool = False
    final: bool = False
    outcome: str | None = None
    documents: tuple[str, ...] = ()
    """Labels of the documents issued on entering the state (empty with ``--no-documents``)."""
    visited: bool = False
    """On the highlighted path."""


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
    subtitle: str | None = None
    """Set by the highlight: which case's path is drawn."""
    words: dict[str, str] = field(default_factory=dict)

    @property
    def highlighted(self) -> bool:
        return self.subtitle is not None

    def state(self, state_id: str) -> DiagramState | None:
        return next((s for s in self.states if s.id == state_id), None)


def light_fill(colour: str) -> str:
    """A fill light enough for black text, keeping the hue of ``colour``.

    The actor colours in events.yaml may be saturated; mixing with white until the relative
    luminance reaches about 0.7 keeps the authorities apart while labels stay readable.
    """
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(11):
        mix = step / 10
        r, g, b = (round(c + (255 - c) * mix) for c in (red, green, blue))
        if (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 >= 0.7:
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#ffffff"


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
        at = {"nl": "einddatum", "en": "end date"}.get(lang, "end date")
        if first.period.amount == 0:
            return at
        word = {"nl": ("vóór", "na"), "en": ("before", "after")}.get(lang, ("before", "after"))
        return f"{first.period.label(lang)} {word[0] if first.before else word[1]} {at}"
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
        parts.append(f"{words(lang)['not']} {text}")
    return f"[{'; '.join(parts)}]" if parts else None


def build_graph(
    defs: Definitions, machine_id: str, lang: str, *, documents: bool = True
) -> DiagramGraph:
    """The diagram model of one machine in ``lang``."""
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
            colour = actor.colour if actor else "#dddddd"
            label = actor.labels.get(lang) if actor else s.actor
            actors[s.actor] = ActorKey(s.actor, label, colour, light_fill(colour))
        states.append(
            DiagramState(
                id=s.id,
                label=s.labels.get(lang),
                actor=s.actor,
                fill=actors[s.actor].fill,
                phase=s.phase if s.phase in machine.phases else None,
                initial=s.id == machine.initial,
                final=s.final,
                outcome=s.outcome,
                documents=doc_labels(s.documents),
            )
        )

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
        actors=tuple(actors.values()),
        words=words(lang),
    )
