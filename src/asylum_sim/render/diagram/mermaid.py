"""Mermaid ``stateDiagram-v2`` text of a diagram view.

Phases are composite states (``state "label" as phase_x { ... }``) holding their states and
the transitions inside the phase. Limits of Mermaid's state diagrams that shape this output
(its grammar ``stateDiagram.jison`` and ``state.tokens.ts``, and its issues #5290, #5472):

- a state named inside a composite is placed in the *last* composite that names it, and
  a name used inside one composite but declared in another makes a second state: so every
  composite names only its own states, and the transitions between phases come after all
  composites, at the top level (which Mermaid 10.9 and later draws between nested states);
- a composite may not share its id with a state (procedure has a phase and a state
  ``appeal``): composites are ``phase_<id>``;
- a transition label or state description may not contain ``:`` or ``;`` (they end it), and
  a quoted state name no ``"``: those characters are replaced;
- there is no ``linkStyle`` for state diagrams (the parser rejects it), so a highlighted
  edge is marked in its label: ``>>`` before the event and the dates taken after it; the
  visited states get the ``path`` class.

The legend is a note beside the first phase: colours are named in words there (a note
cannot hold a swatch).
"""

from __future__ import annotations

from asylum_sim.i18n import tr
from asylum_sim.render.diagram.model import (
    COPY,
    JUNCTION,
    STUB,
    DiagramEdge,
    DiagramGraph,
    DiagramState,
    EdgeLine,
)
from asylum_sim.render.diagram.style import (
    ACCENT_COLOUR,
    NEGATIVE_COLOUR,
    NEGATIVE_FILL,
    NEUTRAL_BORDER,
    POSITIVE_COLOUR,
    POSITIVE_FILL,
    STUB_BORDER,
    STUB_FILL,
    STUB_TEXT,
    colour_name,
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
    if state.kind == STUB:
        names = ["stub"]
    elif state.outcome:
        names = [state.outcome]
    else:
        names = [_class_of_actor(state.actor)]
    if state.final:
        names.append("final")
    if highlighted and state.visited:
        names.append("path")
    return names


def _declare(state: DiagramState, indent: str) -> list[str]:
    if state.kind == JUNCTION:
        return [f"{indent}state {state.id} <<join>>"]
    if state.members:
        text = clean(f"{state.label} ({', '.join(m.label for m in state.members)})")
        return [f'{indent}state "{text}" as {state.id}']
    lines = [f'{indent}state "{clean(state.label)}" as {state.id}']
    lines += [f"{indent}{state.id} : + {clean(doc)}" for doc in state.documents]
    # A loop folded into the state (see views.fold_loops) is an arrow again in Mermaid.
    lines += [
        f"{indent}{state.id} --> {state.id} : {clean(_line_text(loop))}" for loop in state.loops
    ]
    return lines


def _edge(edge: DiagramEdge, indent: str) -> str:
    if edge.bare:
        return f"{indent}{edge.source} --> {edge.dest}"
    return f"{indent}{edge.source} --> {edge.dest} : {edge_text(edge)}"


def legend_lines(graph: DiagramGraph) -> list[str]:
    """The legend in words, one sentence a line."""
    lang = graph.lang
    lines = [tr("diagram.who_decides", lang)]
    lines += [
        tr("diagram.colour_is", lang, colour=tr(colour_name(a.id), lang), actor=a.label)
        for a in graph.actors
    ]
    outcomes = {s.outcome for s in graph.states}
    if "positive" in outcomes:
        lines.append(tr("diagram.positive", lang))
    if "negative" in outcomes:
        lines.append(tr("diagram.negative", lang))
    if any(s.final for s in graph.states):
        lines.append(tr("diagram.final", lang))
    kinds = {s.kind for s in graph.states}
    if JUNCTION in kinds:
        lines.append(tr("diagram.junction", lang).replace("●", "━"))
    if STUB in kinds:
        lines.append(tr("diagram.stub", lang))
    for label in sorted({s.label for s in graph.states if s.kind == COPY}):
        lines.append(tr("diagram.copy", lang, state=label))
    if graph.case:
        lines.append(tr("diagram.path", lang, case=graph.case).replace("=", "=  >>"))
    return [clean(line) for line in lines]


def to_mermaid(graph: DiagramGraph) -> str:
    """The Mermaid text of ``graph`` (deterministic: model order)."""
    title = graph.title
    if graph.focus:
        title += f" - {dict(graph.phases).get(graph.focus, graph.focus)}"
    title += f" - {graph.subtitle}" if graph.subtitle else ""
    lines = ["---", f'title: "{clean(title)}"', "---", "stateDiagram-v2", "    direction LR"]
    phase_of = {s.id: s.phase for s in graph.states}
    for state in graph.states:
        if state.phase is None:
            lines += _declare(state, "    ")
    inside: set[int] = set()
    for phase_id, phase_label in graph.phases:
        lines.append(f'    state "{clean(phase_label)}" as phase_{phase_id} {{')
        for state in graph.states:
            if state.phase == phase_id:
                lines += _declare(state, "        ")
        for i, edge in enumerate(graph.edges):
            if phase_of[edge.source] == phase_of[edge.dest] == phase_id:
                lines.append(_edge(edge, "        "))
                inside.add(i)
        lines.append("    }")

    lines.append("")
    initial = next((s for s in graph.states if s.initial and s.kind != STUB), None)
    if initial is not None:
        lines.append(f"    [*] --> {initial.id}")
    lines += [_edge(e, "    ") for i, e in enumerate(graph.edges) if i not in inside]
    lines += [f"    {s.id} --> [*]" for s in graph.states if s.final and s.kind != STUB]

    anchor = f"phase_{graph.phases[0][0]}" if graph.phases else graph.states[0].id
    lines.append("")
    lines.append(f"    note left of {anchor}")
    lines.append(f"        {clean(tr('diagram.legend', graph.lang))}")
    lines += [f"        {line}" for line in legend_lines(graph)]
    lines.append("    end note")

    lines.append("")
    for actor in graph.actors:
        lines.append(
            f"    classDef {_class_of_actor(actor.id)} fill:{actor.fill},"
            f"stroke:{NEUTRAL_BORDER},color:#000000"
        )
    lines.append(
        f"    classDef positive fill:{POSITIVE_FILL},stroke:{POSITIVE_COLOUR},"
        "stroke-width:2px,color:#000000,font-weight:bold"
    )
    lines.append(
        f"    classDef negative fill:{NEGATIVE_FILL},stroke:{NEGATIVE_COLOUR},"
        "stroke-width:2px,color:#000000,font-weight:bold"
    )
    lines.append("    classDef final stroke-width:4px,font-weight:bold")
    lines.append(
        f"    classDef stub fill:{STUB_FILL},stroke:{STUB_BORDER},color:{STUB_TEXT},"
        "stroke-dasharray:4 3"
    )
    lines.append(f"    classDef path stroke:{ACCENT_COLOUR},stroke-width:4px")

    # One ``class`` line per class: a state can carry several (actor, outcome, path).
    members: dict[str, list[str]] = {}
    for state in graph.states:
        if state.kind == JUNCTION or state.members:
            continue
        for name in _classes(state, graph.highlighted):
            members.setdefault(name, []).append(state.id)
    for name, ids in members.items():
        lines.append(f"    class {','.join(ids)} {name}")
    return "\n".join(lines) + "\n"
