"""Draw the path a case took over a diagram model.

Works on the model, so DOT, SVG, PNG and Mermaid all show the same path. The input is a
plain iterable of ``(date, Move)`` pairs, as the simulator's steps give them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from asylum_sim.engine.steps import Move
from asylum_sim.render.diagram.model import DiagramEdge, DiagramGraph, EdgeLine


def moves_of(steps: Iterable[object]) -> list[tuple[dt.date, Move]]:
    """``(date, move)`` pairs from simulator steps (anything with ``.date`` and ``.moves``)."""
    return [(step.date, move) for step in steps for move in step.moves]  # type: ignore[attr-defined]


def apply_highlight(
    graph: DiagramGraph,
    moves: Iterable[tuple[dt.date, Move]],
    case: str,
    event_labels: Mapping[str, str] | None = None,
) -> DiagramGraph:
    """A copy of ``graph`` with the states visited and the edges taken by ``case`` marked.

    Only moves of this graph's machine count. A move is matched to the edge with the same
    source, destination and event; failing that, to any edge between the same two states;
    failing that, an ``extra`` edge is added so the path is never broken. The start state
    of the first move counts as visited. ``event_labels`` names the events of extra edges.
    """
    edges = list(graph.edges)
    taken: dict[tuple[int, int], list[dt.date]] = {}
    visited: set[str] = set()
    for date, move in moves:
        if move.machine != graph.machine:
            continue
        visited.update((move.source, move.dest))
        where = _find(edges, move)
        if where is None:
            label = (event_labels or {}).get(move.event, move.event)
            edges.append(
                DiagramEdge(move.source, move.dest, (EdgeLine(move.event, label),), extra=True)
            )
            where = (len(edges) - 1, 0)
        taken.setdefault(where, []).append(date)
    new_edges = tuple(
        replace(
            edge,
            lines=tuple(
                replace(line, taken=tuple(taken[(i, k)])) if (i, k) in taken else line
                for k, line in enumerate(edge.lines)
            ),
        )
        for i, edge in enumerate(edges)
    )
    new_states = tuple(replace(s, visited=s.id in visited) for s in graph.states)
    return replace(graph, states=new_states, edges=new_edges, case=case)


def _find(edges: list[DiagramEdge], move: Move) -> tuple[int, int] | None:
    """(edge index, line index) of the transition that explains ``move``."""
    between = [i for i, e in enumerate(edges) if (e.source, e.dest) == (move.source, move.dest)]
    for i in between:
        for k, line in enumerate(edges[i].lines):
            if line.event == move.event:
                return i, k
    # Same two states, another event name (e.g. an internal alias): the first line.
    return (between[0], 0) if between else None
