"""A machine as a networkx graph: states are nodes, transitions are edges.

A :class:`networkx.MultiDiGraph` keeps parallel transitions (same two states, different
events or guards) apart, so route enumeration counts each as its own route.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from asylum_sim.model.catalogue import DeadlineDef
from asylum_sim.model.machine import MachineFile


@dataclass(frozen=True)
class Edge:
    """One transition from one source state (a transition with several ``from`` is several
    edges). ``index`` is the transition's position in the machine file."""

    source: str
    dest: str
    event: str
    index: int
    guard: str | None = None
    unless: str | None = None
    timer: str | None = None

    def arrow(self) -> str:
        """``--event-->``, with the guard when there is one: ``--event [guard]-->``."""
        extra = []
        if self.guard:
            extra.append(self.guard)
        if self.unless:
            extra.append(f"not {self.unless}")
        condition = f" [{', '.join(extra)}]" if extra else ""
        return f"--{self.event}{condition}-->"


def machine_graph(machine: MachineFile) -> nx.MultiDiGraph:
    """The machine's states (node attribute ``state``) and transitions (edge attribute
    ``edge``, keyed by ``(index, source)``).

    Transitions that name an unknown state are left out: ``check`` reports them, and a
    phantom node would make reachability look better than it is.
    """
    graph = nx.MultiDiGraph(machine=machine.id)
    for state in machine.states:
        if state.id not in graph:
            graph.add_node(state.id, state=state)
    for index, transition in enumerate(machine.transitions):
        if transition.dest not in graph:
            continue
        for source in dict.fromkeys(transition.sources):
            if source not in graph:
                continue
            edge = Edge(
                source=source,
                dest=transition.dest,
                event=transition.event,
                index=index,
                guard=transition.guard,
                unless=transition.unless,
                timer=transition.timer,
            )
            graph.add_edge(source, transition.dest, key=(index, source), edge=edge)
    return graph


def edges_of(graph: nx.MultiDiGraph, path: list[tuple[str, str, object]]) -> list[Edge]:
    """The :class:`Edge` objects of a networkx edge path ``[(u, v, key), ...]``."""
    return [graph.edges[u, v, key]["edge"] for u, v, key in path]


def final_states(machine: MachineFile) -> list[str]:
    return [state.id for state in machine.states if state.final]


def timer_cycles(machine: MachineFile, deadlines: Mapping[str, DeadlineDef]) -> list[list[Edge]]:
    """Cycles a case can run through on its own: states left by timer transitions whose
    deadline starts again each time the cycle enters the state (on entering it, or on the
    timer event that led there). No scenario event is needed to go round, so a replay that
    gets there never ends. Returns the timer edges of each such group of states (a
    strongly connected component), in file order.

    A guard on a transition or a ``when`` on a deadline's start may break such a cycle in
    practice; they are not evaluated here (a cycle that only a guard breaks is fragile)."""
    edges = [
        edge
        for _, _, edge in machine_graph(machine).edges(data="edge")
        if edge.timer in deadlines
    ]
    while True:
        graph = nx.DiGraph()
        graph.add_edges_from((e.source, e.dest) for e in edges)
        group = {
            state: i for i, c in enumerate(nx.strongly_connected_components(graph)) for state in c
        }
        inside = [e for e in edges if group[e.source] == group[e.dest]]
        kept = [e for e in inside if _restarts(e, inside, deadlines[e.timer], machine.id)]
        if len(kept) == len(edges):
            break
        edges = kept
    by_group: dict[int, list[Edge]] = {}
    for edge in sorted(edges, key=lambda e: (e.index, e.source)):
        by_group.setdefault(group[edge.source], []).append(edge)
    return list(by_group.values())


def _restarts(edge: Edge, edges: list[Edge], deadline: DeadlineDef, machine: str) -> bool:
    """Whether ``edge``'s deadline starts again when a cycle edge enters its source."""
    if edge.source in deadline.starts.enter.get(machine, []):
        return True
    return any(e.dest == edge.source and e.event in deadline.starts.events for e in edges)
