"""Views of a machine diagram: the whole machine, an overview, one phase.

- ``full``: every state, grouped by phase;
- ``overview``: one box per phase listing its states, and the flow between phases;
- a phase id: that phase's states in full, the states of the neighbouring phases it is
  connected to as small stubs.

Two redraws make busy machines readable (reception has about fifteen ways into "end of
material reception"), in the full and the phase views:

- *end per phase*: a final state reached from two or more other phases is drawn once in
  each of them (a copy), so its arrows stay short and inside their phase;
- *junctions*: the same transitions from several states of one phase to one state meet in
  a dot, and only the arrow out of the dot carries the label.

Every view is made from the (possibly highlighted) model, so a case path shows in all.
"""

from __future__ import annotations

from dataclasses import replace

from asylum_sim.i18n import tr
from asylum_sim.model.errors import InputError
from asylum_sim.render.diagram.model import (
    COPY,
    JUNCTION,
    STUB,
    DiagramEdge,
    DiagramGraph,
    DiagramState,
    EdgeLine,
)
from asylum_sim.render.diagram.style import STUB_FILL

FULL = "full"
OVERVIEW = "overview"
MAX_OVERVIEW_LINES = 2
"""Events named on one arrow of the overview; more are counted (``+ 2 more``)."""


def view_names(graph: DiagramGraph) -> list[str]:
    """The views of ``graph``: full, overview and one per phase (machine order)."""
    return [FULL, OVERVIEW, *(pid for pid, _ in graph.phases)]


def select_view(graph: DiagramGraph, view: str) -> DiagramGraph:
    """The view ``view`` of ``graph``; :class:`InputError` naming the views when unknown."""
    if view == FULL:
        return join_parallel(split_ends(fold_loops(graph)))
    if view == OVERVIEW:
        return overview(graph)
    if view in dict(graph.phases):
        return join_parallel(split_ends(fold_loops(phase_view(graph, view))))
    known = ", ".join(view_names(graph))
    raise InputError(
        tr("diagram.error.unknown_view", graph.lang, view=view, machine=graph.machine, known=known)
    )


def _merge_taken(lines: list[EdgeLine], line: EdgeLine) -> None:
    """Add ``line`` to ``lines``, joining the dates of a line with the same text."""
    for i, known in enumerate(lines):
        if replace(known, taken=()) == replace(line, taken=()):
            lines[i] = replace(known, taken=tuple(sorted({*known.taken, *line.taken})))
            return
    lines.append(line)


def overview(graph: DiagramGraph) -> DiagramGraph:
    """One box per phase (its states listed inside) and one arrow per flow between phases.

    An arrow names its events (without guards), at most :data:`MAX_OVERVIEW_LINES` of them
    (the others are counted); it is dashed when all its transitions are timed.
    """
    phase_of = {s.id: s.phase or s.id for s in graph.states}
    boxes = []
    for pid, label in graph.phases:
        members = tuple(s for s in graph.states if s.phase == pid)
        boxes.append(
            DiagramState(
                id=pid,
                label=label,
                actor="",
                fill="#ffffff",
                initial=any(s.initial for s in members),
                final=all(s.final for s in members),
                visited=any(s.visited for s in members),
                members=members,
            )
        )
    boxes += [s for s in graph.states if s.phase is None]

    flows: dict[tuple[str, str], list[EdgeLine]] = {}
    timed: dict[tuple[str, str], bool] = {}
    for edge in graph.edges:
        source, dest = phase_of[edge.source], phase_of[edge.dest]
        if source == dest:
            continue
        timed[(source, dest)] = timed.get((source, dest), True) and edge.timer is not None
        lines = flows.setdefault((source, dest), [])
        for line in edge.lines:
            _merge_taken(lines, EdgeLine(line.event, line.label, duration=line.duration,
                                         taken=line.taken))
    edges = []
    for (source, dest), lines in flows.items():
        if len(lines) > MAX_OVERVIEW_LINES:
            kept = lines[: MAX_OVERVIEW_LINES - 1]
            rest = lines[MAX_OVERVIEW_LINES - 1 :]
            more = tr("diagram.more", graph.lang, count=len(rest))
            dates = tuple(sorted({d for line in rest for d in line.taken}))
            lines = [*kept, EdgeLine("", more, taken=dates)]
        timer = "overview" if timed[(source, dest)] else None
        edges.append(DiagramEdge(source, dest, tuple(lines), timer=timer))
    return replace(graph, states=tuple(boxes), edges=tuple(edges), phases=(), view=OVERVIEW)


def phase_view(graph: DiagramGraph, phase: str) -> DiagramGraph:
    """The states of ``phase`` in full; the states it connects with as stubs."""
    inside = {s.id for s in graph.states if s.phase == phase}
    edges = tuple(e for e in graph.edges if e.source in inside or e.dest in inside)
    near = {e.source for e in edges} | {e.dest for e in edges}
    states = []
    for state in graph.states:
        if state.id in inside:
            states.append(state)
        elif state.id in near:
            states.append(replace(state, kind=STUB, fill=STUB_FILL, documents=()))
    used = {s.phase for s in states}
    shown = {s.actor for s in states if s.kind != STUB and not s.outcome}
    return replace(
        graph,
        states=tuple(states),
        edges=edges,
        phases=tuple(p for p in graph.phases if p[0] in used),
        actors=tuple(a for a in graph.actors if a.id in shown),
        view=phase,
        focus=phase,
    )


def fold_loops(graph: DiagramGraph) -> DiagramGraph:
    """Write the transitions that leave a case in its state inside that state.

    A looping arrow with its label beside a box is where Graphviz most often lets other
    edges run through a label; inside the box the line reads as well and crosses nothing.
    """
    loops: dict[str, list[EdgeLine]] = {}
    for edge in graph.edges:
        if edge.source == edge.dest and not edge.extra:
            loops.setdefault(edge.source, []).extend(edge.lines)
    if not loops:
        return graph
    return replace(
        graph,
        states=tuple(replace(s, loops=tuple(loops.get(s.id, ()))) for s in graph.states),
        edges=tuple(e for e in graph.edges if e.source != e.dest or e.extra),
    )


def split_ends(graph: DiagramGraph) -> DiagramGraph:
    """Draw a final state reached from two or more other phases once in each of them."""
    phase_of = {s.id: s.phase for s in graph.states}
    states = list(graph.states)
    edges = list(graph.edges)
    for final in [s for s in graph.states if s.final and s.kind != STUB]:
        into = [e for e in edges if e.dest == final.id and phase_of[e.source] != final.phase]
        phases = list(dict.fromkeys(phase_of[e.source] for e in into))
        if len(phases) < 2:
            continue
        for phase in phases:
            copy_id = f"{final.id}__{phase}"
            feeding = [e for e in into if phase_of[e.source] == phase]
            states.append(
                replace(final, id=copy_id, phase=phase, kind=COPY, initial=False,
                        visited=any(e.highlighted for e in feeding))
            )
            phase_of[copy_id] = phase
            edges = [replace(e, dest=copy_id) if e in feeding else e for e in edges]
        if not any(final.id in (e.source, e.dest) for e in edges):
            states.remove(final)
    used = {s.phase for s in states}
    return replace(
        graph,
        states=tuple(states),
        edges=tuple(edges),
        phases=tuple(p for p in graph.phases if p[0] in used),
    )


def join_parallel(graph: DiagramGraph) -> DiagramGraph:
    """Let the same transitions from several states of one phase meet in a junction."""
    phase_of = {s.id: s.phase for s in graph.states}
    groups: dict[tuple, list[DiagramEdge]] = {}
    for edge in graph.edges:
        if edge.extra or edge.source == edge.dest:
            continue
        text = tuple(replace(line, taken=()) for line in edge.lines)
        groups.setdefault((edge.dest, edge.timer, phase_of[edge.source], text), []).append(edge)
    states = list(graph.states)
    edges = list(graph.edges)
    number = 0
    for (dest, timer, phase, _), members in groups.items():
        if len(members) < 2:
            continue
        number += 1
        junction = f"junction_{number}"
        states.append(
            DiagramState(
                id=junction, label="", actor="", fill="#000000", phase=phase, kind=JUNCTION,
                visited=any(e.highlighted for e in members),
            )
        )
        at = edges.index(members[0])
        edges = [e for e in edges if e not in members]
        lines: list[EdgeLine] = []
        for edge in members:
            for line in edge.lines:
                _merge_taken(lines, line)
        joined = [replace(e, dest=junction, bare=True) for e in members]
        joined.append(DiagramEdge(junction, dest, tuple(lines), timer=timer))
        edges[at:at] = joined
    return replace(graph, states=tuple(states), edges=tuple(edges))
