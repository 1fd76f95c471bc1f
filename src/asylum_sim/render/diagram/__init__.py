"""Diagrams of the machines for trainers: a diagram model, DOT and Mermaid renderers.

machine data -> :func:`model.build_graph` -> (:func:`highlight.apply_highlight`) ->
:func:`dot.to_dot` / :func:`mermaid.to_mermaid` -> :func:`engine.render` (svg, png).
"""

from asylum_sim.render.diagram.dot import to_dot
from asylum_sim.render.diagram.highlight import apply_highlight
from asylum_sim.render.diagram.mermaid import to_mermaid
from asylum_sim.render.diagram.model import DiagramEdge, DiagramGraph, DiagramState, build_graph

__all__ = [
    "DiagramEdge",
    "DiagramGraph",
    "DiagramState",
    "apply_highlight",
    "build_graph",
    "to_dot",
    "to_mermaid",
]
