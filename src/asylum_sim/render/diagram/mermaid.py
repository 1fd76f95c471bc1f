"""Mermaid ``stateDiagram-v2`` text of a diagram model.

Limits of Mermaid's state diagrams that shape this output (checked against its grammar,
``stateDiagram.jison`` and the newer ``state.tokens.ts``):

- a transition label or state description may not contain ``:`` or ``;`` (they end it), and
  a quoted state name no ``"``: those characters are replaced;
- transitions between states inside different composite states are not supported, so
  phases are not drawn as composite states but listed as ``%%`` comments;
- there is no ``linkStyle`` for state diagrams (the parser rejects it), so a highlighted
  edge is marked in its label: ``>>`` before the event and the dates taken after it; the
  visited states get the ``path`` class.
"""

from __future__ import annotations

from asylum_sim.render.diagram.model import (
    ACCENT_COLOUR,
    NEGATIVE_COLOUR,
    NEUTRAL_BORDER,
    POSITIVE_COLOUR,
    DiagramEdge,
    DiagramGraph,
    DiagramState,
    EdgeLine,
)


def clean(text: str) -> str:
    """Text safe inside a Mermaid label or description."""
    return (
        text.replace(":", " -")
        .replace(";", ",")
        .replace('"', "'")
        .replace("#", "nr. ")
        .replace("\n", " ")
    )


def _line_text(line: EdgeLine) -> str:
    parts = [line.label]
    if line.guard:
        parts.append(line.guard)
    if line.duration:
        parts.append(f"({line.duration})")
    if line.documents:
        parts.append("+ " + ", ".join(line.documents))
    text = " ".join(parts)
    if line.taken:
        text = ">> " + text + " | " + ", ".join(d.isoformat() for d in line.taken)
    return text


def edge_text(edge: DiagramEdge) -> str:
    """One label for all transitions of an edge, separated by `` / ``."""
    return clean(" / ".join(_line_text(line) for line in edge.lines))


def _class_of_actor(actor: str) -> str:
    return f"actor_{actor}"


def _classes(state: DiagramState, highlighted: bool) -> list[str]:
    names = [_class_of_actor(state.actor)]
    if state.outcome:
        names.append(state.outcome)
    elif state.final:
        names.append("final")
    if highlighted and state.visited:
        names.append("path")
    return names


def to_mermaid(graph: DiagramGraph) -> str:
    """The Mermaid text of ``graph`` (deterministic: model order)."""
    title = graph.title + (f" - {graph.subtitle}" if graph.subtitle else "")
    lines = [
        "---",
        f'title: "{clean(title)}"',
        "---",
        "stateDiagram-v2",
        "    direction LR",
    ]
    phase_label = dict(graph.phases)
    current: object = object()
    for state in graph.states:
        if state.phase != current:
            current = state.phase
            lines.append("")
            lines.append(
                f"    %% {clean(phase_label.get(state.phase, '-')) if state.phase else '-'}"
            )
        lines.append(f'    state "{clean(state.label)}" as {state.id}')
        lines.extend(f"    {state.id} : + {clean(doc)}" for doc in state.documents)

    lines.append("")
    initial = next((s for s in graph.states if s.initial), None)
    if initial is not None:
        lines.append(f"    [*] --> {initial.id}")
    for edge in graph.edges:
        lines.append(f"    {edge.source} --> {edge.dest} : {edge_text(edge)}")
    for state in graph.states:
        if state.final:
            lines.append(f"    {state.id} --> [*]")

    lines.append("")
    lines.append(f"    %% {clean(graph.words.get('legend', 'Legend'))}")
    for actor in graph.actors:
        lines.append(f"    %% {actor.fill} = {clean(actor.label)}")
        lines.append(
            f"    classDef {_class_of_actor(actor.id)} fill:{actor.fill},"
            f"stroke:{NEUTRAL_BORDER},color:#000000"
        )
    lines.append(
        f"    classDef positive stroke:{POSITIVE_COLOUR},stroke-width:3px,font-weight:bold"
    )
    lines.append(
        f"    classDef negative stroke:{NEGATIVE_COLOUR},stroke-width:3px,font-weight:bold"
    )
    lines.append("    classDef final stroke-width:3px,font-weight:bold")
    lines.append(f"    classDef path stroke:{ACCENT_COLOUR},stroke-width:4px")

    # One ``class`` line per class: a state can carry several (actor, outcome, path).
    members: dict[str, list[str]] = {}
    for state in graph.states:
        for name in _classes(state, graph.highlighted):
            members.setdefault(name, []).append(state.id)
    for name, ids in members.items():
        lines.append(f"    class {','.join(ids)} {name}")
    return "\n".join(lines) + "\n"
