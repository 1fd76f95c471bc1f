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


NODE_WRAP = 18
EDGE_WRAP = 15
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


def _legend_cells(graph: DiagramGraph) -> list[str]:
    """Pairs of cells (sample, text) for the legend strip under the title."""
    w = graph.words
    cells = [f'<TD ALIGN="LEFT"><B>{_h(w["actor"])}:</B></TD>']

    def entry(sample: str, text: str, sample_attrs: str = "") -> None:
        cells.append(f'<TD WIDTH="24"{sample_attrs}>{sample}</TD>')
        cells.append(f'<TD ALIGN="LEFT">{text}</TD><TD WIDTH="10"> </TD>')

    for actor in graph.actors:
        entry(" ", _h(actor.label), f' BGCOLOR="{actor.fill}" BORDER="1"')
    outcomes = {s.outcome for s in graph.states}
    if "positive" in outcomes:
        entry(" ", _h(w["positive"]), f' BORDER="2" COLOR="{POSITIVE_COLOUR}"')
    if "negative" in outcomes:
        entry(" ", _h(w["negative"]), f' BORDER="2" COLOR="{NEGATIVE_COLOUR}"')
    if any(s.final for s in graph.states):
        entry("<B>=</B>", f"{_h(w['final'])} (2x)", ' BORDER="1"')
    if any(e.timer for e in graph.edges):
        entry("<B>- - &gt;</B>", _h(w["timer"]))
    if graph.highlighted:
        accent = f'<FONT COLOR="{ACCENT_COLOUR}">'
        entry(f"{accent}<B>—&gt;</B></FONT>", f"{accent}{_h(graph.subtitle or '')}</FONT>")
    return cells


def _title(graph: DiagramGraph) -> str:
    """Title, the highlighted case if any, and the legend as one strip above the diagram:
    a legend beside the flow would widen a diagram that is already wide."""
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="24"><B>{_h(graph.title)}</B></FONT></TD></TR>']
    if graph.subtitle:
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16" COLOR="{ACCENT_COLOUR}">'
            f"{_h(graph.subtitle)}</FONT></TD></TR>"
        )
    legend = (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3"><TR>'
        + "".join(_legend_cells(graph))
        + "</TR></TABLE>"
    )
    rows.append(f'<TR><TD ALIGN="LEFT">{legend}</TD></TR>')
    return '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">' + "".join(rows) + "</TABLE>>"


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

    return g.source
