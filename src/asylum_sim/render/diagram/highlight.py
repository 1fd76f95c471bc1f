"""Draw the path a case took over a diagram model.

Works on the model, so DOT, SVG, PNG and Mermaid all show the same path. The input is a
plain iterable of ``(date, Move)`` pairs, as the simulator's steps give them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from asylum_sim.engine.steps import Move
from asylum_sim.render.diagram.model import DiagramEdge, DiagramGraph


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
    taken: dict[int, list[dt.date]] = {}
    visited: set[str] = set()
    for date, move in moves:
        if move.machine != graph.machine:
            continue
        visited.update((move.source, move.dest))
        index = _find(edges, move)
        if index is None:
            edges.append(
                DiagramEdge(
                    source=move.source,
                    dest=move.dest,
                    event=move.event,
                    label=(event_labels or {}).get(move.event, move.event),
                    extra=True,
                )
            )
            index = len(edges) - 1
        taken.setdefault(index, []).append(date)
    new_edges = tuple(
        replace(edge, taken=tuple(taken[i])) if i in taken else edge for i, edge in enumerate(edges)
    )
    new_states = tuple(replace(s, visited=s.id in visited) for s in graph.states)
    subtitle = f"{graph.words.get('path', 'path of')} {case}"
    return replace(graph, states=new_states, edges=new_edges, subtitle=subtitle)


def _find(edges: list[DiagramEdge], move: Move) -> int | None:
    for i, edge in enumerate(edges):
        if (edge.source, edge.dest, edge.event) == (move.source, move.dest, move.event):
            return i
    for i, edge in enumerate(edges):
        if (edge.source, edge.dest) == (move.source, move.dest) and not edge.extra:
            return i
    return None
