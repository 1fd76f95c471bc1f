"""DOT source of a diagram view, built with the ``graphviz`` package.

Layout choices, for slides: ``slide`` flows left to right (a 16:9 slide is wide), ``tb``
top to bottom (a handout page); states are grouped in one box per phase; the fill of a
state says who decides or has to act, an outcome is green or red whoever acts in it; final
states have a double border; timed transitions are dashed and carry the length of their
deadline. Labels are HTML-like so document and guard lines can be smaller than the names,
never below :data:`MIN_FONT` (see :mod:`measure` for what that gives on a slide). The
legend is a table of sentences under the title. Only glyphs the bundled fonts of
graphviz-pure have are used.
"""

from __future__ import annotations

import textwrap
from html import escape

import graphviz

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
)

FONT = "Helvetica"
EDGE_COLOUR = "#555555"
FADED_COLOUR = "#b5b5b5"
FADED_TEXT = "#8a8a8a"
"""Edges off the highlighted path recede, so the path reads at a glance."""
START = "__start"
LABEL_PREFIX = "__label_"
LAYOUTS = ("lr", "tb")
"""Directions: ``lr`` left to right, ``tb`` top to bottom (``slide`` picks one, see
:mod:`command`)."""

TITLE_FONT = 26
NAME_FONT = 16
EDGE_FONT = 14
SMALL_FONT = 14
MIN_FONT = SMALL_FONT
"""The smallest text of any diagram, in points of the drawing."""

NODE_WRAP = 18
EDGE_WRAP = 14
"""Characters per line: long names wrap so columns stay narrow (every label is as wide as
its longest line)."""


def _h(text: str, width: int | None = None) -> str:
    """Escape text for an HTML-like label, wrapped at ``width`` characters if given."""
    if width is None or len(text) <= width:
        return escape(text, quote=True)
    lines = textwrap.wrap(text, width, break_long_words=False)
    return "<BR/>".join(escape(line, quote=True) for line in lines)


def _small(text: str, italic: bool = True) -> str:
    inner = f"<I>{text}</I>" if italic else text
    return f'<FONT POINT-SIZE="{SMALL_FONT}">{inner}</FONT>'


def _border(state: DiagramState) -> str:
    if state.outcome == "positive":
        return POSITIVE_COLOUR
    if state.outcome == "negative":
        return NEGATIVE_COLOUR
    return NEUTRAL_BORDER


def state_label(state: DiagramState, lang: str = "en") -> str:
    name = _h(state.label, NODE_WRAP)
    if state.outcome or state.final:
        name = f"<B>{name}</B>"
    lines = [name]
    lines += [_small(f"• {_h(doc, NODE_WRAP + 4)}") for doc in state.documents]
    for loop in state.loops:
        text = _small(_h(tr("diagram.stays", lang, event=loop.label), NODE_WRAP + 6))
        if loop.taken:
            dates = ", ".join(d.isoformat() for d in loop.taken)
            text = f'<FONT COLOR="{ACCENT_COLOUR}">{text} <B>{dates}</B></FONT>'
        lines.append(text)
    return "<" + "<BR/>".join(lines) + ">"


def _phase_box_label(state: DiagramState) -> str:
    """An overview box: the phase name, then one coloured row per state of the phase."""
    rows = [
        f'<TR><TD ALIGN="LEFT" BORDER="0" CELLPADDING="4"><B>{_h(state.label, NODE_WRAP)}</B>'
        "</TD></TR>"
    ]
    for member in state.members:
        border = _border(member) if member.outcome else "#888888"
        text = f'<FONT POINT-SIZE="{EDGE_FONT}">{_h(member.label, NODE_WRAP + 2)}</FONT>'
        if member.final:
            # A final state: a second border inside the first, as peripheries=2 elsewhere.
            text = (
                f'<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0" CELLPADDING="2">'
                f'<TR><TD ALIGN="LEFT">{text}</TD></TR></TABLE>'
            )
        rows.append(
            f'<TR><TD ALIGN="LEFT" BGCOLOR="{member.fill}" COLOR="{border}" STYLE="rounded">'
            f"{text}</TD></TR>"
        )
    colour = ACCENT_COLOUR if state.visited else NEUTRAL_BORDER
    return (
        f'<<TABLE BORDER="1" COLOR="{colour}" STYLE="rounded" CELLBORDER="1" CELLSPACING="3"'
        f' CELLPADDING="3" BGCOLOR="#ffffff">{"".join(rows)}</TABLE>>'
    )


def _line_label(line: EdgeLine, faded: bool) -> list[str]:
    """The label rows of one transition; on the highlighted path they turn accent."""
    rows = [_h(line.label, EDGE_WRAP)]
    if line.guard:
        rows.append(_small(_h(line.guard, EDGE_WRAP + 4)))
    if line.duration:
        rows.append(f"<B>{_h(line.duration)}</B>")
    if line.documents:
        rows.append(_small(f"• {_h(', '.join(line.documents), EDGE_WRAP + 4)}"))
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
    rows = "<HR/>".join(f"<TR><TD>{block}</TD></TR>" for block in blocks)
    # Padding keeps the edge, routed along the label's box, off the text's descenders.
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="#9a9a9a">'
        f"{rows}</TABLE>>"
    )


def legend_entries(graph: DiagramGraph) -> list[tuple[str, str]]:
    """(sample cell attributes and content, sentence) of each legend entry that applies."""
    lang = graph.lang
    kinds = {s.kind for s in graph.states}
    everything = [
        s for s in (*graph.states, *(m for s in graph.states for m in s.members)) if s.kind != STUB
    ]
    outcomes = {s.outcome for s in everything}
    entries = [
        (f'BGCOLOR="{actor.fill}" BORDER="1"', _h(actor.label)) for actor in graph.actors
    ]
    if "positive" in outcomes:
        entries.append(
            (f'BGCOLOR="{POSITIVE_FILL}" BORDER="2" COLOR="{POSITIVE_COLOUR}"',
             _h(tr("diagram.positive", lang)))
        )
    if "negative" in outcomes:
        entries.append(
            (f'BGCOLOR="{NEGATIVE_FILL}" BORDER="2" COLOR="{NEGATIVE_COLOUR}"',
             _h(tr("diagram.negative", lang)))
        )
    if any(s.final for s in everything):
        entries.append((FINAL_SAMPLE, _h(tr("diagram.final", lang))))
    if any(e.timer for e in graph.edges):
        entries.append(("", _h(tr("diagram.timer", lang))))
    if JUNCTION in kinds:
        entries.append(("", _h(tr("diagram.junction", lang))))
    if STUB in kinds:
        entries.append(
            (f'BGCOLOR="{STUB_FILL}" BORDER="1" COLOR="{STUB_BORDER}"',
             _h(tr("diagram.stub", lang)))
        )
    copies = {s.label for s in graph.states if s.kind == COPY}
    for label in sorted(copies):
        entries.append(("", _h(tr("diagram.copy", lang, state=label))))
    if graph.case:
        entries.append(
            (f'BGCOLOR="{ACCENT_COLOUR}"', _h(tr("diagram.path", lang, case=graph.case)))
        )
    return entries


FINAL_SAMPLE = "final"
"""Marks the legend entry whose sample is a double border."""


def _legend(graph: DiagramGraph, columns: int) -> str:
    """The legend as a table: a heading, then the entries ``columns`` to a row."""
    cells = []
    for sample, text in legend_entries(graph):
        if sample == FINAL_SAMPLE:
            swatch = (
                '<TD FIXEDSIZE="TRUE" WIDTH="22" HEIGHT="18" BORDER="1" CELLPADDING="2">'
                '<TABLE BORDER="1" CELLBORDER="0" WIDTH="14" HEIGHT="10"><TR><TD> </TD></TR>'
                "</TABLE></TD>"
            )
        elif sample:
            swatch = f'<TD FIXEDSIZE="TRUE" WIDTH="22" HEIGHT="18" {sample}> </TD>'
        else:
            swatch = '<TD FIXEDSIZE="TRUE" WIDTH="22" HEIGHT="18"> </TD>'
        cells.append(f'{swatch}<TD ALIGN="LEFT">{text}</TD><TD WIDTH="8"> </TD>')
    rows = [
        "<TR>" + "".join(cells[i : i + columns]) + "</TR>" for i in range(0, len(cells), columns)
    ]
    heading = (
        f'<TR><TD ALIGN="LEFT" COLSPAN="{3 * columns}">'
        f"<B>{_h(tr('diagram.who_decides', graph.lang))}</B></TD></TR>"
    )
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{heading}'
        f'{"".join(rows)}</TABLE>'
    )


def _title(graph: DiagramGraph, columns: int) -> str:
    """Title, the highlighted case if any, and the legend, as one block above the diagram."""
    rows = []
    title = graph.title
    if graph.focus or graph.view == "overview":
        # The machine above, the phase (or "overview") as the title proper.
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{NAME_FONT}">{_h(title)}</FONT></TD></TR>'
        )
        title = dict(graph.phases).get(graph.focus, graph.focus) if graph.focus else tr(
            "diagram.overview", graph.lang
        )
    rows.append(
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{TITLE_FONT}"><B>{_h(title)}</B></FONT></TD></TR>'
    )
    if graph.subtitle:
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{NAME_FONT}" COLOR="{ACCENT_COLOUR}">'
            f"{_h(graph.subtitle)}</FONT></TD></TR>"
        )
    rows.append(
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{EDGE_FONT}">{_legend(graph, columns)}'
        "</FONT></TD></TR>"
    )
    return '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">' + "".join(rows) + "</TABLE>>"


def _add_state(g: graphviz.Digraph, state: DiagramState, graph: DiagramGraph) -> None:
    if state.kind == JUNCTION:
        colour = ACCENT_COLOUR if graph.highlighted and state.visited else "#333333"
        g.node(state.id, label="", shape="point", width="0.14", color=colour, fillcolor=colour)
        return
    if state.members:
        g.node(state.id, label=_phase_box_label(state), shape="plain")
        return
    attrs = {"fillcolor": state.fill, "color": _border(state)}
    if state.outcome:
        attrs["penwidth"] = "2"
    if state.final:
        attrs["peripheries"] = "2"
    if state.kind == STUB:
        attrs.update(
            fontcolor=STUB_TEXT, color=STUB_BORDER, style="rounded,filled,dashed",
            fontsize=str(SMALL_FONT), margin="0.08,0.03",
        )
    if graph.highlighted and state.visited:
        attrs["color"] = ACCENT_COLOUR
        attrs["penwidth"] = "3.5"
    if state.kind == STUB:
        label = f"<{_h(state.label, NODE_WRAP + 4)}>"
    else:
        label = state_label(state, graph.lang)
    g.node(state.id, label=label, **attrs)


def _add_states(g: graphviz.Digraph, graph: DiagramGraph) -> None:
    """States grouped in one cluster per phase (the phase in focus drawn stronger)."""
    by_phase: dict[str | None, list[DiagramState]] = {}
    for state in graph.states:
        by_phase.setdefault(state.phase, []).append(state)
    for state in by_phase.get(None, []):
        _add_state(g, state, graph)
    for phase_id, phase_label in graph.phases:
        focus = graph.focus is None or graph.focus == phase_id
        with g.subgraph(name=f"cluster_{phase_id}") as sub:
            sub.attr(
                label=f"<<B>{_h(phase_label, 40)}</B>>" if focus else f"<{_h(phase_label, 30)}>",
                style="rounded,dashed" if focus else "rounded,dotted",
                color="#777777" if focus else "#b0b0b0",
                fontcolor="#444444" if focus else "#777777",
                fontname=FONT,
                fontsize=str(EDGE_FONT if focus else SMALL_FONT),
                labeljust="l",
                margin="10",
            )
            for state in by_phase.get(phase_id, []):
                _add_state(sub, state, graph)


def to_dot(graph: DiagramGraph, layout: str = "lr") -> str:
    """The DOT source of ``graph`` (deterministic: model order, no timestamps)."""
    columns = 3 if layout == "lr" else 2
    g = graphviz.Digraph(
        name=graph.machine,
        graph_attr={
            "rankdir": "TB" if layout == "tb" else "LR",
            "label": _title(graph, columns),
            "labelloc": "t",
            "labeljust": "l",
            "fontname": FONT,
            "fontsize": str(EDGE_FONT),
            "nodesep": "0.25",
            "ranksep": "0.3",
            "newrank": "true",
            "pad": "0.2",
            "bgcolor": "white",
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": str(NAME_FONT),
            "margin": "0.12,0.06",
            "penwidth": "1.2",
        },
        edge_attr={
            "fontname": FONT,
            "fontsize": str(EDGE_FONT),
            "color": EDGE_COLOUR,
            "arrowsize": "0.8",
        },
    )
    _add_states(g, graph)
    initial = next((s for s in graph.states if s.initial and s.kind != STUB), None)
    if initial is not None:
        g.node(START, label="", shape="point", width="0.16", style="filled", fillcolor="black")
        g.edge(START, initial.id)
    for number, edge in enumerate(graph.edges, start=1):
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
        if edge.bare:
            g.edge(edge.source, edge.dest, arrowhead="none", **attrs)
            continue
        if not edge.timer:
            g.edge(edge.source, edge.dest, label=edge_label(edge, faded), **attrs)
            continue
        # A timer's label is a node on its dashed edge, so the deadline stands on its own
        # edge (a floating label may be placed beside another edge or be crossed by its own).
        label = f"{LABEL_PREFIX}{number}"
        g.node(label, label=edge_label(edge, faded), shape="plain", style="")
        g.edge(edge.source, label, arrowhead="none", **attrs)
        g.edge(label, edge.dest, **attrs)
    return g.source
