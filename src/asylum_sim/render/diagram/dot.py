"""DOT source of a diagram model, built with the ``graphviz`` package.

Layout choices, for slides: left to right; states grouped in one box per phase; the fill of
a state is the colour of the authority acting in it (legend below the title); outcomes get
a green or red border, final states a double one; timed transitions are dashed and carry
the length of their deadline. Labels are HTML-like so the document and guard lines can be
smaller than the names. Only glyphs the bundled fonts of graphviz-pure have are used.
"""

from __future__ import annotations

import textwrap
from html import escape

import graphviz

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

FONT = "Helvetica"
EDGE_COLOUR = "#555555"
FADED_COLOUR = "#b5b5b5"
FADED_TEXT = "#8a8a8a"
"""Edges off the highlighted path recede, so the path reads at a glance."""
START = "__start"
LEGEND = "__legend"


NODE_WRAP = 22
EDGE_WRAP = 20
"""Characters per line: long names wrap so columns stay narrow (the flow runs left to right,
and every label is as wide as its longest line)."""


def _h(text: str, width: int | None = None) -> str:
    """Escape text for an HTML-like label, wrapped at ``width`` characters if given."""
    if width is None or len(text) <= width:
        return escape(text, quote=True)
    lines = textwrap.wrap(text, width, break_long_words=False)
    return "<BR/>".join(escape(line, quote=True) for line in lines)


def _border(state: DiagramState) -> str:
    if state.outcome == "positive":
        return POSITIVE_COLOUR
    if state.outcome == "negative":
        return NEGATIVE_COLOUR
    return NEUTRAL_BORDER


def state_label(state: DiagramState) -> str:
    name = _h(state.label, NODE_WRAP)
    if state.outcome or state.final:
        name = f"<B>{name}</B>"
    lines = [name]
    lines += [
        f'<FONT POINT-SIZE="10"><I>• {_h(doc, NODE_WRAP + 4)}</I></FONT>' for doc in state.documents
    ]
    return "<" + "<BR/>".join(lines) + ">"


def _line_label(line: EdgeLine, faded: bool) -> list[str]:
    """The label rows of one transition; on the highlighted path they turn accent."""
    rows = [_h(line.label, EDGE_WRAP)]
    if line.guard:
        rows.append(f'<FONT POINT-SIZE="9"><I>{_h(line.guard, EDGE_WRAP + 4)}</I></FONT>')
    if line.duration:
        rows.append(f"<B>{_h(line.duration)}</B>")
    if line.documents:
        docs = ", ".join(line.documents)
        rows.append(f'<FONT POINT-SIZE="9"><I>• {_h(docs, EDGE_WRAP + 4)}</I></FONT>')
    if line.taken:
        dates = ", ".join(d.isoformat() for d in line.taken)
        rows = [f'<FONT COLOR="{ACCENT_COLOUR}">{row}</FONT>' for row in rows]
        rows.append(f'<FONT COLOR="{ACCENT_COLOUR}"><B>{dates}</B></FONT>')
    elif faded:
        rows = [f'<FONT COLOR="{FADED_TEXT}">{row}</FONT>' for row in rows]
    return rows


def edge_label(edge: DiagramEdge, faded: bool = False) -> str:
    """All transitions of an edge; several are stacked in a table with a rule between them,
    so that two events never read as one sentence."""
    blocks = ["<BR/>".join(_line_label(line, faded)) for line in edge.lines]
    if len(blocks) == 1:
        return f"<{blocks[0]}>"
    rows = "<HR/>".join(f"<TR><TD>{block}</TD></TR>" for block in blocks)
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="#9a9a9a">'
        f"{rows}</TABLE>>"
    )


def _legend_label(graph: DiagramGraph) -> str:
    w = graph.words
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{_h(w["actor"])}</B></TD></TR>']
    for actor in graph.actors:
        rows.append(
            f'<TR><TD BGCOLOR="{actor.fill}" BORDER="1" WIDTH="22"> </TD>'
            f'<TD ALIGN="LEFT">{_h(actor.label)}</TD></TR>'
        )
    outcomes = {s.outcome for s in graph.states}
    samples = []
    if "positive" in outcomes:
        samples.append((POSITIVE_COLOUR, w["positive"]))
    if "negative" in outcomes:
        samples.append((NEGATIVE_COLOUR, w["negative"]))
    for colour, text in samples:
        rows.append(
            f'<TR><TD BORDER="2" COLOR="{colour}" WIDTH="22"> </TD>'
            f'<TD ALIGN="LEFT">{_h(text)}</TD></TR>'
        )
    if any(s.final for s in graph.states):
        rows.append(
            '<TR><TD BORDER="1" WIDTH="22"><B>=</B></TD>'
            f'<TD ALIGN="LEFT">{_h(w["final"])} (2x)</TD></TR>'
        )
    if any(e.timer for e in graph.edges):
        rows.append(
            f'<TR><TD WIDTH="22"><B>- - &gt;</B></TD><TD ALIGN="LEFT">{_h(w["timer"])}</TD></TR>'
        )
    if graph.highlighted:
        rows.append(
            f'<TR><TD WIDTH="22"><FONT COLOR="{ACCENT_COLOUR}"><B>—&gt;</B></FONT></TD>'
            f'<TD ALIGN="LEFT"><FONT COLOR="{ACCENT_COLOUR}">{_h(graph.subtitle or "")}'
            "</FONT></TD></TR>"
        )
    return (
        '<<TABLE BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="3" CELLPADDING="3">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _title(graph: DiagramGraph) -> str:
    title = f'<FONT POINT-SIZE="22"><B>{_h(graph.title)}</B></FONT>'
    if graph.subtitle:
        title += f'<BR/><FONT POINT-SIZE="14" COLOR="{ACCENT_COLOUR}">{_h(graph.subtitle)}</FONT>'
    return f"<{title}<BR/> >"


def _add_state(g: graphviz.Digraph, state: DiagramState, graph: DiagramGraph) -> None:
    attrs = {"fillcolor": state.fill, "color": _border(state)}
    if state.outcome:
        attrs["penwidth"] = "2.5"
    if state.final:
        attrs["peripheries"] = "2"
    if graph.highlighted and state.visited:
        attrs["color"] = ACCENT_COLOUR
        attrs["penwidth"] = "3.5"
    g.node(state.id, label=state_label(state), **attrs)


def to_dot(graph: DiagramGraph) -> str:
    """The DOT source of ``graph`` (deterministic: model order, no timestamps)."""
    g = graphviz.Digraph(
        name=graph.machine,
        graph_attr={
            "rankdir": "LR",
            "label": _title(graph),
            "labelloc": "t",
            "labeljust": "l",
            "fontname": FONT,
            "nodesep": "0.35",
            "ranksep": "0.55",
            "newrank": "true",
            "pad": "0.3",
            "bgcolor": "white",
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": "13",
            "margin": "0.15,0.07",
            "penwidth": "1.2",
        },
        edge_attr={
            "fontname": FONT,
            "fontsize": "11",
            "color": EDGE_COLOUR,
            "arrowsize": "0.8",
        },
    )
    g.node(START, label="", shape="point", width="0.18", style="filled", fillcolor="black")
    by_phase: dict[str | None, list[DiagramState]] = {}
    for state in graph.states:
        by_phase.setdefault(state.phase, []).append(state)
    for state in by_phase.get(None, []):
        _add_state(g, state, graph)
    for phase_id, phase_label in graph.phases:
        with g.subgraph(name=f"cluster_{phase_id}") as sub:
            sub.attr(
                label=f"<<B>{_h(phase_label)}</B>>",
                style="rounded,dashed",
                color="#9a9a9a",
                fontcolor="#555555",
                fontname=FONT,
                fontsize="14",
                labeljust="l",
            )
            for state in by_phase.get(phase_id, []):
                _add_state(sub, state, graph)

    initial = next((s for s in graph.states if s.initial), None)
    if initial is not None:
        g.edge(START, initial.id)
    for edge in graph.edges:
        attrs: dict[str, str] = {}
        if edge.timer:
            attrs["style"] = "dashed"
        faded = graph.highlighted and not edge.highlighted
        if edge.highlighted:
            attrs.update(color=ACCENT_COLOUR, penwidth="3")
        elif faded:
            attrs.update(color=FADED_COLOUR)
        if edge.extra:
            attrs["style"] = "dotted"
        g.edge(edge.source, edge.dest, label=edge_label(edge, faded), **attrs)

    g.node(LEGEND, label=_legend_label(graph), shape="plaintext", style="", margin="0")
    return g.source
