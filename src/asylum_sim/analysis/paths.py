"""``asylum-sim paths``: the simple routes through a machine.

A route is a simple path (no state visited twice) in the machine graph, so self-loops such
as ``dvz_interview`` (``lodged -> lodged``) and cycles such as a second appeal are left out,
while parallel transitions (different events between the same states) give different routes.
"""

from __future__ import annotations

import difflib
import itertools
from pathlib import Path

import networkx as nx

from asylum_sim.analysis.graph import Edge, edges_of, final_states, machine_graph
from asylum_sim.model.conditions import AllOf, EnteredFrom
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.machine import MachineFile
from asylum_sim.render.labels import Labeller


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


def format_route_labels(route: list[Edge], start: str, machine: MachineFile,
                        lab: Labeller) -> str:
    """The same chain with the labels of states, events and guards in the labeller's
    language: ``geen verzoek --verzoek indienen [tenzij volgend verzoek]--> ...``."""

    def guard(name: str) -> str:
        definition = machine.guards.get(name)
        return lab.pick(definition.labels if definition else None, "guard", name)

    parts = [lab.state(machine.id, start)]
    for edge in route:
        conditions = [guard(edge.guard)] if edge.guard else []
        if edge.unless:
            conditions.append(lab.t("cli.paths.unless", condition=guard(edge.unless)))
        condition = f" [{', '.join(conditions)}]" if conditions else ""
        parts += [f"--{lab.event(edge.event)}{condition}-->", lab.state(machine.id, edge.dest)]
    return " ".join(parts)


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


def print_paths(
    machines_dir: Path,
    machine_id: str,
    from_state: str | None,
    to_state: str | None,
    lang: str = "nl",
    *,
    ids: bool = False,
) -> None:
    """Print the numbered simple routes of a machine in words (with ``ids``, each also as
    ids: states and events as in the machine file, guards in brackets)."""
    defs, machine = load_machine(Path(machines_dir), machine_id)
    source = from_state or machine.initial
    targets = [to_state] if to_state else final_states(machine)
    if not targets:
        # A machine without final states (every outcome can be appealed or followed by a
        # new application): its outcome states are where routes end.
        targets = [s.id for s in machine.states if s.outcome]
    if not targets:
        raise InputError(
            f"machine {machine_id!r} has no final or outcome state; name one with --to"
        )
    known = {s.id for s in machine.states}
    file = defs.files.get(f"machine:{machine_id}", "")
    problems = [
        _unknown_state(machine, s, file)
        for s in dict.fromkeys([source, *targets])
        if s not in known
    ]
    if problems:
        raise InputError(problems)

    lab = Labeller(defs, lang)
    count = ruled_out = 0
    print(lab.t("cli.paths.header", machine=lab.machine(machine_id),
                start=lab.state(machine_id, source),
                targets=", ".join(lab.state(machine_id, t) for t in targets)))
    for target in targets:
        for route in simple_routes(machine, source, target):
            if not entered_from_ok(machine, route):
                ruled_out += 1
                continue
            count += 1
            print(f"{count:3d}. {format_route_labels(route, source, machine, lab)}")
            if ids:
                print(f"     {format_route(route, source)}")
    total = lab.t("cli.paths.count_one" if count == 1 else "cli.paths.count", n=count)
    more = f" {lab.t('cli.paths.ruled_out', n=ruled_out)}" if ruled_out else ""
    print(total + more)
