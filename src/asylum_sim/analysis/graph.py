"""A machine as a networkx graph: states are nodes, transitions are edges.

A :class:`networkx.MultiDiGraph` keeps parallel transitions (same two states, different
events or guards) apart, so route enumeration counts each as its own route.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

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
