"""``asylum-sim paths``: the routes through a machine that a case can actually take.

A route is a simple path (no state visited twice) in the machine graph, so self-loops such
as ``dvz_interview`` (``lodged -> lodged``) and cycles such as a second appeal are left out,
while parallel transitions (different events between the same states) give different routes.

Routes a case cannot take are left out and counted: those an ``entered_from`` guard rules out
(:func:`entered_from_ok`), and those whose guards contradict each other, e.g. ``lodge
[not subsequent_application]`` then ``transfer_to_cgvs [subsequent_application]``: a guard's
truth can only change between two steps when something it reads changes in between
(:func:`contradiction`). Rendering is in :mod:`asylum_sim.render.routes`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import networkx as nx

from asylum_sim.analysis.graph import Edge, edges_of, final_states, machine_graph
from asylum_sim.model.conditions import AllOf, EnteredFrom, Read
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.machine import MachineFile


def simple_routes(
    machine: MachineFile, source: str, target: str, *, feasible: bool = False
) -> list[list[Edge]]:
    """Every simple route from ``source`` to ``target``, shortest first, then by events.

    ``source == target`` gives one empty route (already there). With ``feasible``, routes
    that an ``entered_from`` guard rules out are dropped (see :func:`entered_from_ok`).
    """
    graph = machine_graph(machine)
    for state in (source, target):
        if state not in graph:
            raise InputError([_unknown_state(machine, state)])
    routes = [edges_of(graph, p) for p in nx.all_simple_edge_paths(graph, source, target)]
    if feasible:
        routes = [route for route in routes if entered_from_ok(machine, route)]
    return sorted(routes, key=_route_key)


def _entered_from(machine: MachineFile, guard: str | None) -> set[str] | None:
    """The states a guard requires the current state to have been entered from, when the
    guard is (or is an ``all`` of conditions including) ``entered_from`` on this machine."""
    definition = machine.guards.get(guard) if guard else None
    if definition is None:
        return None
    parts = definition.when.all if isinstance(definition.when, AllOf) else [definition.when]
    allowed: set[str] | None = None
    for part in parts:
        if isinstance(part, EnteredFrom) and machine.id in part.entered_from:
            states = set(part.entered_from[machine.id])
            allowed = states if allowed is None else allowed & states
    return allowed


def entered_from_ok(machine: MachineFile, route: list[Edge]) -> bool:
    """Whether the route respects its ``entered_from`` guards: along a route the state
    before each step is known, so ``rvv_confirm [appealed_refugee]`` after
    ``refused --appeal--> appeal`` cannot happen. Other guards depend on facts and dates,
    which a route does not know; they are kept."""
    for before, edge in itertools.pairwise(route):
        required = _entered_from(machine, edge.guard)
        if required is not None and before.source not in required:
            return False
        # ``unless`` with an ``all`` is only false when every part holds: decide only the
        # plain entered_from case.
        definition = machine.guards.get(edge.unless) if edge.unless else None
        if definition is not None and isinstance(definition.when, EnteredFrom):
            forbidden = set(definition.when.entered_from.get(machine.id, []))
            if before.source in forbidden:
                return False
    return True


def _route_key(route: list[Edge]) -> tuple[int, list[tuple[str, str, int]]]:
    # Deterministic and readable: short routes first, then alphabetically by the chain.
    return len(route), [(edge.event, edge.dest, edge.index) for edge in route]


def _unknown_state(machine: MachineFile, state: str, file: str = "") -> Problem:
    known = [s.id for s in machine.states]
    return Problem(
        file,
        "",
        f"unknown state {state!r} of machine {machine.id!r}{did_you_mean(state, known)}; "
        f"known states: {', '.join(known)}",
    )


def did_you_mean(name: str, known: list[str]) -> str:
    """``; did you mean 'x'?`` when a known name is close, else an empty string."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def format_route(route: list[Edge], start: str) -> str:
    """``none --apply--> applied --register--> registered``."""
    parts = [start]
    for edge in route:
        parts += [edge.arrow(), edge.dest]
    return " ".join(parts)


def guard_reads(machine: MachineFile, guard: str, defs: Definitions) -> frozenset[Read]:
    """What a guard of ``machine`` reads (the condition language's ``reads``; the only place
    routes look at a condition's inside)."""
    definition = machine.guards.get(guard)
    if definition is None:
        return frozenset({Read("unknown", guard)})
    return definition.when.reads(defs.named)


def events_between(machine: MachineFile, route: list[Edge], first: int, last: int,
                   defs: Definitions) -> set[str]:
    """The events that can happen after step ``first`` is taken and before step ``last``
    is tried: the route's own steps in between, the self-loops of the states it passes
    (``dvz_interview``), and every event this machine does not handle (other machines'
    events, life events, timers), which can come at any time."""
    handled, _ = _own_events(machine)
    found = {e for e in defs.events if e not in handled}
    loops = {(src, t.event) for t in machine.transitions for src in t.sources if src == t.dest}
    for step in route[first:last]:
        found.add(step.event)
        found |= {event for state, event in loops if state == step.dest}
    return found


def may_change(reads: Iterable[Read], events: set[str], defs: Definitions) -> bool:
    """Whether a condition reading ``reads`` can change while ``events`` happen. Events and
    facts change only through events (a person attribute never, a fact only through an
    event that sets or records it); the states of other machines, dates, deadlines,
    documents and event attributes are taken to change at any time."""
    for read in reads:
        if read.kind == "event":
            if read.name in events:
                return True
        elif read.kind == "fact":
            if any(read.name in spec.sets or read.name in spec.records
                   for spec in (defs.events[e] for e in events if e in defs.events)):
                return True
        else:
            return True
    return False


@dataclass(frozen=True)
class Contradiction:
    """Two steps of a route whose conditions cannot both hold: ``guard`` must hold at one
    and not hold at the other, and nothing it reads can change in between."""

    guard: str
    first: int
    second: int


def _literals(edge: Edge) -> list[tuple[str, bool]]:
    found = [(edge.guard, True)] if edge.guard else []
    return found + ([(edge.unless, False)] if edge.unless else [])


def contradiction(machine: MachineFile, route: list[Edge],
                  defs: Definitions) -> Contradiction | None:
    """The first pair of steps whose guards contradict each other, or None."""
    for (i, a), (j, b) in itertools.combinations(enumerate(route), 2):
        for guard, holds in _literals(a):
            if (guard, not holds) not in _literals(b):
                continue
            if not may_change(guard_reads(machine, guard, defs),
                              events_between(machine, route, i, j, defs), defs):
                return Contradiction(guard, i, j)
    return None


def _own_events(machine: MachineFile) -> tuple[set[str], set[str]]:
    """The events this machine handles, and those among them that loop on a state."""
    handled = {t.event for t in machine.transitions}
    loops = {t.event for t in machine.transitions if t.dest in t.sources}
    return handled, loops


def cannot_hold(machine: MachineFile, route: list[Edge],
                defs: Definitions) -> Contradiction | None:
    """A step whose guard cannot have its required value on a route from the initial
    state: when the guard reads only events that this machine alone moves on (no
    self-loop), the route's own steps are all that happened before it, so the guard can be
    decided (``lodge [subsequent_application]`` after a single ``apply``). ``first`` and
    ``second`` are both that step."""
    if not route or route[0].source != machine.initial:
        return None
    handled, loops = _own_events(machine)
    start = dt.date(2000, 1, 1)  # any day: the guards decided here read no dates
    for index, edge in enumerate(route):
        for guard, holds in _literals(edge):
            reads = guard_reads(machine, guard, defs)
            if not reads or any(r.kind != "event" or r.name not in handled or r.name in loops
                                for r in reads):
                continue
            occurrences: dict[str, list[dt.date]] = {}
            for k, step in enumerate(route[:index]):
                occurrences.setdefault(step.event, []).append(start + dt.timedelta(days=k))
            view = SimpleNamespace(
                on=start + dt.timedelta(days=index), states={}, previous={}, facts={},
                trigger={}, occurrences=occurrences,
                deadline_status=lambda _id: None, holds=lambda _id: False)
            if machine.guards[guard].when.evaluate(view, defs.named) != holds:
                return Contradiction(guard, index, index)
    return None


@dataclass
class RouteSet:
    """The routes of one machine between two sets of states, and those left out."""

    machine: MachineFile
    source: str
    targets: list[str]
    routes: list[list[Edge]] = field(default_factory=list)
    contradictory: list[tuple[list[Edge], Contradiction]] = field(default_factory=list)
    """Routes with two guards that contradict each other."""
    impossible: list[tuple[list[Edge], Contradiction]] = field(default_factory=list)
    """Routes from the initial state with a guard that cannot hold where it is needed."""
    entered_from: int = 0
    """Routes an ``entered_from`` guard rules out."""

    @property
    def left_out(self) -> int:
        return len(self.contradictory) + len(self.impossible) + self.entered_from


def find_routes(defs: Definitions, machine: MachineFile, source: str | None = None,
                to_state: str | None = None) -> RouteSet:
    """The routes a case can take from ``source`` (default: the initial state) to
    ``to_state`` (default: every final state, or the outcome states of a machine without
    final states), the others counted by reason."""
    source = source or machine.initial
    targets = [to_state] if to_state else final_states(machine)
    if not targets:
        targets = [s.id for s in machine.states if s.outcome]
    if not targets:
        raise InputError(
            f"machine {machine.id!r} has no final or outcome state; name one with --to")
    known = {s.id for s in machine.states}
    file = defs.files.get(f"machine:{machine.id}", "")
    problems = [_unknown_state(machine, s, file) for s in dict.fromkeys([source, *targets])
                if s not in known]
    if problems:
        raise InputError(problems)
    found = RouteSet(machine, source, targets)
    for target in targets:
        for route in simple_routes(machine, source, target):
            if not entered_from_ok(machine, route):
                found.entered_from += 1
            elif (clash := contradiction(machine, route, defs)) is not None:
                found.contradictory.append((route, clash))
            elif (clash := cannot_hold(machine, route, defs)) is not None:
                found.impossible.append((route, clash))
            else:
                found.routes.append(route)
    return found


def load_machine(machines_dir: Path, machine_id: str) -> tuple[Definitions, MachineFile]:
    """The definitions of a folder and one machine of it.

    Problems elsewhere in the folder do not stop route listing (``check`` reports them);
    an unknown machine raises :class:`InputError` listing the known ones.
    """
    problems: list[Problem] = []
    defs = load_definitions(machines_dir, collect=problems)
    machine = defs.machines.get(machine_id)
    if machine is None:
        known = sorted(defs.machines)
        message = (
            f"unknown machine {machine_id!r}{did_you_mean(machine_id, known)}; "
            f"known machines: {', '.join(known) or '(none)'}"
        )
        # If the machine's own file failed to load, say why.
        own = [p for p in problems if Path(p.file).name == f"{machine_id}.yaml"]
        raise InputError([Problem(str(machines_dir), "", message), *own])
    return defs, machine

