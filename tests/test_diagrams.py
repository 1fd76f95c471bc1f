"""Diagrams for trainers: the model, DOT, Mermaid, rendering, highlight and the command."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asylum_sim.cli.main import app
from asylum_sim.engine.steps import Move
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.paths import default_machines_dir
from asylum_sim.render.diagram import engine, geometry
from asylum_sim.render.diagram.command import dot_source, make_graph, produce, run_diagram
from asylum_sim.render.diagram.dot import to_dot
from asylum_sim.render.diagram.geometry import crossings, read_layout
from asylum_sim.render.diagram.highlight import apply_highlight
from asylum_sim.render.diagram.measure import MIN_TEXT_PX, slide_fit
from asylum_sim.render.diagram.mermaid import to_mermaid
from asylum_sim.render.diagram.model import ACCENT_COLOUR, build_graph
from asylum_sim.render.diagram.regenerate import DEFAULT_FOLDER, stale_files
from asylum_sim.render.diagram.style import (
    NEGATIVE_COLOUR,
    NEGATIVE_FILL,
    POSITIVE_COLOUR,
    POSITIVE_FILL,
)
from asylum_sim.render.diagram.views import select_view, view_names

FIXTURE = Path(__file__).parent / "fixtures" / "diagram_machines"
REPO = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

D = dt.date
PATH = [
    (D(2023, 1, 9), Move("procedure", "none", "applied", "apply")),
    (D(2023, 1, 10), Move("procedure", "applied", "registered", "register")),
    (D(2023, 2, 1), Move("procedure", "registered", "lodged", "lodge")),
    (D(2023, 2, 1), Move("reception", "none", "assigned", "assign_reception")),
]


@pytest.fixture(scope="module")
def defs():
    return load_definitions(FIXTURE)


@pytest.fixture(scope="module")
def real_defs():
    return load_definitions(default_machines_dir())


def _svg(source: str) -> ET.Element:
    return ET.fromstring(engine.render(source, "svg").data)


def test_svg_output_parses_as_xml(defs):
    """The DOT of a machine renders to SVG that parses as XML."""
    root = _svg(to_dot(build_graph(defs, "procedure", "nl")))
    assert root.tag.endswith("svg")


def test_png_output_starts_with_png_magic(defs):
    """PNG output is a real PNG."""
    data = produce(build_graph(defs, "procedure", "nl"), "png")
    assert data.startswith(PNG_MAGIC)


def test_languages_differ_and_use_machine_labels(defs):
    """nl and en diagrams differ and carry the labels of the machine files."""
    nl_dot = to_dot(build_graph(defs, "procedure", "nl"))
    en_dot = to_dot(build_graph(defs, "procedure", "en"))
    assert nl_dot != en_dot
    assert "verzoek ingediend" in nl_dot and "Asielprocedure (proef)" in nl_dot
    assert "lodged" in en_dot and "Asylum procedure (fixture)" in en_dot
    assert "verzoek indienen" in to_mermaid(build_graph(defs, "procedure", "nl"))
    assert "lodge the application" in to_mermaid(build_graph(defs, "procedure", "en"))


def test_timed_transition_is_dashed_with_its_duration(defs):
    """A timer edge is dashed and labelled with the deadline's length(s)."""
    graph = build_graph(defs, "procedure", "nl")
    timed = next(e for e in graph.edges if e.timer == "lodge_deadline")
    assert timed.lines[0].duration == "30 dagen"
    several = next(e for e in graph.edges if e.timer == "appeal_deadline")
    assert several.lines[0].duration == "30 / 10 dagen"
    dot = to_dot(select_view(graph, "full"))
    into = next(x for x in dot.splitlines() if x.strip().startswith("registered -> __label_"))
    label = into.split("->")[1].split()[0]
    out = next(x for x in dot.splitlines() if x.strip().startswith(f"{label} -> abandoned"))
    node = next(x for x in dot.splitlines() if x.strip().startswith(f"{label} [label="))
    assert "style=dashed" in into and "style=dashed" in out and "30 dagen" in node


def test_guards_are_shown_compactly(defs):
    """Guards read as their label in brackets; ``unless`` as its negation."""
    graph = build_graph(defs, "procedure", "nl")
    guards = {(e.source, e.dest): e.lines[0].guard for e in graph.edges}
    assert guards[("finally_refused", "applied")] == "[volgend verzoek]"
    assert guards[("lodged", "at_cgvs")] == "[niet volgend verzoek]"


def test_actor_colours_and_outcomes_are_styled(defs):
    """States are filled by actor, with a legend; outcomes and finals get their own border."""
    dot = to_dot(build_graph(defs, "procedure", "en"))
    assert "Immigration Office" in dot and "CGRS" in dot  # legend
    refugee = next(x for x in dot.splitlines() if x.strip().startswith("refugee ["))
    assert POSITIVE_COLOUR in refugee and POSITIVE_FILL in refugee
    final = next(x for x in dot.splitlines() if x.strip().startswith("finally_refused ["))
    assert "peripheries=2" in final and NEGATIVE_COLOUR in final


def test_documents_can_be_left_out(defs):
    """--no-documents drops the documents issued from the diagram."""
    with_docs = to_dot(build_graph(defs, "procedure", "nl", documents=True))
    without = to_dot(build_graph(defs, "procedure", "nl", documents=False))
    assert "bijlage 26" in with_docs
    assert "bijlage 26" not in without


def test_phases_become_clusters(defs):
    """States are grouped by phase, each phase a labelled cluster."""
    dot = to_dot(build_graph(defs, "procedure", "nl"))
    assert "subgraph cluster_first_instance" in dot and "Eerste aanleg" in dot


def test_highlight_marks_the_path_in_the_model(defs):
    """Visited states and taken edges (with their dates) are marked; other machines ignored."""
    graph = apply_highlight(build_graph(defs, "procedure", "nl"), PATH, "case-1")
    visited = {s.id for s in graph.states if s.visited}
    assert visited == {"none", "applied", "registered", "lodged"}
    taken = {(e.source, e.dest): e.taken for e in graph.edges if e.taken}
    assert taken[("applied", "registered")] == (D(2023, 1, 10),)
    assert len(taken) == 3
    assert graph.subtitle == "verloop van case-1"


def test_highlight_changes_every_format(defs):
    """The highlight shows in DOT (accent colour, dates) and Mermaid (class, dates)."""
    plain = build_graph(defs, "procedure", "nl")
    marked = apply_highlight(plain, PATH, "case-1")
    dot = to_dot(marked)
    assert dot != to_dot(plain)
    edge = next(x for x in dot.splitlines() if x.strip().startswith("applied -> registered"))
    assert ACCENT_COLOUR in edge and "2023-01-10" in edge
    mermaid = to_mermaid(marked)
    assert mermaid != to_mermaid(plain)
    assert "class none,applied,registered,lodged path" in mermaid
    assert "applied --> registered : >> registreren | 2023-01-10" in mermaid
    assert _svg(dot).tag.endswith("svg")


def test_highlight_keeps_a_move_no_transition_explains(defs):
    """A move without a matching edge is drawn as an extra edge, so the path is unbroken."""
    moves = [(D(2023, 3, 1), Move("procedure", "lodged", "refugee", "grant"))]
    graph = apply_highlight(build_graph(defs, "procedure", "en"), moves, "odd", {"grant": "rec"})
    extra = [e for e in graph.edges if e.extra]
    assert [(e.source, e.dest, e.lines[0].label, e.taken) for e in extra] == [
        ("lodged", "refugee", "rec", (D(2023, 3, 1),))
    ]


def test_parallel_transitions_share_one_arrow(defs):
    """Transitions between the same two states are one edge with a line per event."""
    graph = build_graph(defs, "procedure", "nl")
    pairs = [(e.source, e.dest, e.timer) for e in graph.edges]
    assert len(pairs) == len(set(pairs))
    both = next(e for e in graph.edges if (e.source, e.dest) == ("appeal", "at_cgvs"))
    assert [line.event for line in both.lines] == ["rvv_annul", "interview"]


def test_highlight_marks_only_the_transition_taken_on_a_shared_arrow(defs):
    """On a merged edge only the event the case took carries the date."""
    moves = [(D(2023, 5, 2), Move("procedure", "appeal", "at_cgvs", "interview"))]
    graph = apply_highlight(build_graph(defs, "procedure", "nl"), moves, "c")
    both = next(e for e in graph.edges if (e.source, e.dest) == ("appeal", "at_cgvs"))
    assert [line.taken for line in both.lines] == [(), (D(2023, 5, 2),)]


def test_mermaid_labels_avoid_characters_that_end_them(defs):
    """Mermaid transition labels carry no ':' or ';' after the separator."""
    text = to_mermaid(build_graph(defs, "procedure", "nl"))
    assert text.startswith("---\ntitle:")
    assert "stateDiagram-v2" in text
    for line in text.splitlines():
        if "-->" in line and " : " in line:
            label = line.split(" : ", 1)[1]
            assert ":" not in label and ";" not in label


def test_output_is_deterministic(defs):
    """The same data gives the same DOT and Mermaid text."""
    assert to_dot(build_graph(defs, "procedure", "nl")) == to_dot(
        build_graph(defs, "procedure", "nl")
    )
    assert to_mermaid(build_graph(defs, "procedure", "en")) == to_mermaid(
        build_graph(defs, "procedure", "en")
    )


def test_unknown_machine_is_a_clear_error():
    """An unknown machine raises InputError naming the known ones (no traceback)."""
    # The shipped machines: --machines refuses FIXTURE, in which check finds problems (it
    # leaves a final state, to test the drawing of that, and has no bibliography).
    result = CliRunner().invoke(app, ["diagram", "nosuch", "--format", "dot"])
    assert isinstance(result.exception, InputError)
    assert "nosuch" in str(result.exception) and "procedure" in str(result.exception)


def test_cli_writes_a_single_diagram_to_stdout():
    """Without -o a text format goes to stdout."""
    result = CliRunner().invoke(app, ["diagram", "procedure", "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert "stateDiagram-v2" in result.stdout


def test_all_writes_one_file_per_machine(tmp_path):
    """`all` writes <machine>.<lang>.<ext> into the output folder, leaving no temp files."""
    run_diagram("all", "svg", "en", None, tmp_path / "out", True, False, FIXTURE)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["procedure.en.svg"]
    ET.parse(tmp_path / "out" / "procedure.en.svg")


def test_png_without_output_is_written_in_the_current_folder(tmp_path, monkeypatch):
    """PNG is binary: without -o it goes to <machine>.<lang>.png, not to stdout."""
    monkeypatch.chdir(tmp_path)
    run_diagram("procedure", "png", "nl", None, None, True, False, FIXTURE)
    assert (tmp_path / "procedure.nl.png").read_bytes().startswith(PNG_MAGIC)


def test_output_in_a_missing_folder_is_a_clear_error(tmp_path):
    """-o into a folder that does not exist raises InputError."""
    with pytest.raises(InputError, match="does not exist"):
        run_diagram("procedure", "dot", "nl", None, tmp_path / "no" / "x.dot", True, False, FIXTURE)


def test_all_into_a_file_is_a_clear_error(tmp_path):
    """For `all`, -o must be a folder."""
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(InputError, match="folder"):
        run_diagram("all", "dot", "nl", None, target, True, False, FIXTURE)


def test_verbose_names_the_renderer(tmp_path, capsys):
    """--verbose says on stderr which renderer ran."""
    run_diagram("procedure", "svg", "nl", None, tmp_path / "p.svg", True, True, FIXTURE)
    assert "renderer: " in capsys.readouterr().err


def _fake_dot(folder: Path, body: str) -> Path:
    script = folder / "dot"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_system_dot_is_preferred_when_on_path(tmp_path, monkeypatch):
    """A `dot` on PATH is tried first (here a stand-in that runs graphviz-pure)."""
    pure = engine._graphviz_pure()
    assert pure is not None
    _fake_dot(tmp_path, f'exec "{pure}" "$@"')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    assert next(r.name for r in engine.available_renderers()) == "dot"
    rendered = engine.render("digraph { a -> b }", "png")
    assert rendered.renderer.name == "dot" and rendered.data.startswith(PNG_MAGIC)


def test_a_failing_renderer_falls_back_to_the_next(tmp_path):
    """A system dot that fails (e.g. built without PNG) gives way to graphviz-pure."""
    broken = engine.Renderer("dot", _fake_dot(tmp_path, 'echo "no png plugin" >&2; exit 1'))
    pure = engine.Renderer("graphviz-pure", engine._graphviz_pure())
    rendered = engine.render("digraph { a }", "svg", [broken, pure])
    assert rendered.renderer.name == "graphviz-pure"


def test_no_renderer_is_a_clear_error():
    """Without any Graphviz the error says what to install."""
    with pytest.raises(InputError, match="graphviz-pure"):
        engine.render("digraph { a }", "svg", [])


def test_all_renderers_failing_is_a_clear_error(tmp_path):
    """When every renderer fails, their messages are reported in one InputError."""
    broken = engine.Renderer("dot", _fake_dot(tmp_path, 'echo "broken" >&2; exit 3'))
    with pytest.raises(InputError, match="broken"):
        engine.render("digraph { a }", "svg", [broken])


def test_every_real_machine_renders_in_both_languages(real_defs):
    """Each shipped machine renders to SVG (nl and en) and to Mermaid."""
    for machine in real_defs.machines:
        for lang in ("nl", "en"):
            graph = build_graph(real_defs, machine, lang)
            assert _svg(to_dot(graph)).tag.endswith("svg")
            assert "stateDiagram-v2" in to_mermaid(graph)


def test_committed_diagrams_match_the_machine_data(real_defs):
    """diagrams/ holds the DOT and Mermaid of every machine as the data gives them today
    (regenerate with `python -m asylum_sim.render.diagram.regenerate`)."""
    assert DEFAULT_FOLDER == REPO / "diagrams"
    assert stale_files(real_defs, DEFAULT_FOLDER) == []


def test_highlight_of_a_shipped_scenario_marks_its_path(tmp_path, real_defs):
    """--highlight with a shipped scenario draws its path (accent colour and dates)."""
    scenario = REPO / "scenarios" / "refugee-sy-2023.yaml"
    plain = tmp_path / "plain.dot"
    marked = tmp_path / "marked.dot"
    machines = default_machines_dir()
    run_diagram("procedure", "dot", "en", None, plain, True, False, machines)
    run_diagram("procedure", "dot", "en", scenario, marked, True, False, machines)
    text = marked.read_text()
    assert text != plain.read_text()
    assert ACCENT_COLOUR in text and "2023-01-09" in text and "refugee-sy-2023" in text
    run_diagram("procedure", "mermaid", "en", scenario, tmp_path / "m.mmd", True, False, machines)
    assert " path" in (tmp_path / "m.mmd").read_text()


def test_highlight_of_a_missing_scenario_is_a_clear_error(tmp_path):
    """--highlight with a file that does not exist raises InputError."""
    with pytest.raises(InputError, match="no such scenario"):
        run_diagram("procedure", "dot", "nl", tmp_path / "x.yaml", None, True, False, FIXTURE)


def test_outcomes_are_coloured_by_outcome_not_by_who_acts(real_defs):
    """'refused by the CGVS' (the applicant acts: may appeal) is red, not the applicant's fill;
    no authority is drawn in the outcome green or red."""
    graph = build_graph(real_defs, "procedure", "en")
    refused = graph.state("refused")
    assert refused.actor == "person" and refused.fill == NEGATIVE_FILL
    assert graph.state("refugee").fill == POSITIVE_FILL
    assert {a.fill for a in graph.actors}.isdisjoint({NEGATIVE_FILL, POSITIVE_FILL})


def _views(defs, machine):
    graph = build_graph(defs, machine, "en")
    return [v for v in view_names(graph) if v != "full"]


def _pure() -> list[engine.Renderer]:
    return [engine.Renderer("graphviz-pure", engine._graphviz_pure())]


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
@pytest.mark.parametrize("machine", ["procedure", "reception", "residence"])
def test_overview_and_phase_views_fit_a_slide(real_defs, machine, lang):
    """Every overview and phase view, as `--layout slide` draws it, fits a 16:9 slide with
    all text at 10 pt or more when shown full-screen at 1920 x 1080.

    Measured on the SVG (see asylum_sim.render.diagram.measure): the picture is scaled by
    s = min(960 / width_pt, 540 / height_pt) to fill a 960 x 540 pt slide; at 1920 x 1080 a
    slide point is 2 px, so a text of f pt shows f * s * 2 px; 10 pt at 96 dpi is 13.3 px.
    The picture also covers at least 45 % of the slide (no thin strip), and the PNG the
    command writes is 1920 px wide or 1080 px high. Measured with graphviz-pure, the
    renderer every installation has (the slide layout is chosen with it too).
    """
    graph = build_graph(real_defs, machine, lang)
    for view in _views(real_defs, machine):
        source = dot_source(select_view(graph, view))
        fit = slide_fit(engine.render(source, "svg", _pure()).data)
        assert fit.smallest_px >= MIN_TEXT_PX, (view, fit)
        assert fit.slide_area_used >= 0.45, (view, fit)


def test_slide_png_fills_full_hd(real_defs):
    """The PNG of a view is rendered at the DPI that makes it fit 1920 x 1080 exactly."""
    data = produce(select_view(build_graph(real_defs, "procedure", "fr"), "overview"), "png")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) != (0, 0)
    assert abs(width - 1920) <= 2 or abs(height - 1080) <= 2, (width, height)
    assert width <= 1922 and height <= 1082


def test_measure_reads_sizes_and_smallest_font():
    """slide_fit: size in pt from the SVG root, the smallest font times the drawing's scale."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1920pt" height="540pt">'
        b'<g transform="scale(0.5 0.5)"><text font-size="20">a</text>'
        b'<text font-size="40">b</text><text font-size="8"> </text></g></svg>'
    )
    fit = slide_fit(svg)
    assert (fit.width_pt, fit.height_pt, fit.smallest_font_pt) == (1920, 540, 10)
    assert fit.scale == 0.5 and fit.smallest_on_slide_pt == 5 and fit.smallest_px == 10
    assert fit.slide_area_used == 0.5


@pytest.mark.parametrize("view", ["full", "overview"])
def test_reception_edges_cross_no_label(real_defs, view):
    """In the reception diagram and its overview no edge runs through an edge's label:
    label boxes from `-Tjson`'s text operations, edges as their Bezier curves cut in short
    pieces (asylum_sim.render.diagram.geometry). (The title of a phase box may be crossed.)
    """
    for lang in ("nl", "fr", "en"):
        source = dot_source(select_view(build_graph(real_defs, "reception", lang), view))
        layout = read_layout(engine.render(source, "json", _pure()).data)
        assert crossings(layout, phases=False) == [], lang


def test_crossing_check_finds_an_edge_through_a_label():
    """The checker is not blind: an edge drawn straight through a label is found."""
    source = (
        'digraph { rankdir=LR; a -> b [label="a long label here"]; '
        "c -> d; {rank=same; a; c} {rank=same; b; d} }"
    )
    layout = read_layout(engine.render(source, "json", _pure()).data)
    assert crossings(layout) == []
    box = layout.edges[0].label[0]
    middle = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    ends = ((box.x0 - 50, middle[1]), (box.x1 + 50, middle[1]))
    through = geometry.EdgeLayout("c", "d", ends, ())
    crossed = geometry.Layout((*layout.edges, through), (), {})
    assert crossings(crossed) == [("a long label here", "c->d")]


def test_timer_labels_stand_on_their_edge(real_defs):
    """A deadline's label is a node on its own dashed edge: the edge runs into it and out of
    it, so it cannot stand beside another edge."""
    for machine in real_defs.machines:
        dot = to_dot(select_view(build_graph(real_defs, machine, "en"), "full"))
        for line in dot.splitlines():
            if "style=dashed" in line and "->" in line and "arrowhead=none" not in line:
                ends = [part.split()[0] for part in line.strip().split("->")]
                assert any(end.startswith("__label_") for end in ends), line


def test_reception_end_is_drawn_per_phase_and_parallel_edges_meet_in_junctions(real_defs):
    """The redraw of reception: 'end of material reception' once per phase leading to it,
    the same transitions from several states through one junction, loops inside states."""
    graph = select_view(build_graph(real_defs, "reception", "en"), "full")
    copies = [s for s in graph.states if s.kind == "copy"]
    assert len(copies) >= 4 and {s.label for s in copies} == {"end of material reception"}
    into_any_end = [e for e in graph.edges if e.dest.startswith("ended")]
    assert max(sum(e.dest == s.id for e in into_any_end) for s in copies) <= 4
    junctions = [s.id for s in graph.states if s.kind == "junction"]
    assert junctions
    for junction in junctions:
        out = [e for e in graph.edges if e.source == junction]
        into = [e for e in graph.edges if e.dest == junction]
        assert len(out) == 1 and not out[0].bare and len(into) >= 2
        assert all(e.bare for e in into)
    assert all(e.source != e.dest for e in graph.edges)
    leaving = graph.state("leaving")
    assert [line.event for line in leaving.loops] == ["extend_stay"]


def test_highlight_shows_in_every_view(real_defs, tmp_path):
    """The path of a case is drawn in the overview and in the phase views too."""
    scenario = REPO / "scenarios" / "refugee-sy-2023.yaml"
    graph = make_graph(real_defs, "procedure", "en", highlight=scenario)
    for view in view_names(graph):
        dot = to_dot(select_view(graph, view))
        assert ACCENT_COLOUR in dot, view
    overview = select_view(graph, "overview")
    assert {s.id for s in overview.states if s.visited} >= {"access", "protection"}


def test_phase_view_shows_neighbours_as_stubs(real_defs):
    """A phase view: the phase's states in full, the connected states of other phases as
    stubs (no documents), and only the edges touching the phase."""
    graph = select_view(build_graph(real_defs, "procedure", "nl"), "appeal")
    full = {s.id for s in graph.states if s.kind == "state"}
    stubs = {s.id for s in graph.states if s.kind == "stub"}
    assert full == {"appeal"}
    assert {"refused", "refugee", "subsidiary_protection", "finally_refused", "at_cgvs"} <= stubs
    assert all(not s.documents for s in graph.states if s.kind == "stub")


def test_unknown_view_is_a_clear_error(real_defs):
    """--view with an unknown name lists the views of that machine, in the user's language."""
    with pytest.raises(InputError, match=r"overview.*access.*appeal"):
        select_view(build_graph(real_defs, "procedure", "en"), "nosuch")
    with pytest.raises(InputError, match="onbekende weergave"):
        select_view(build_graph(real_defs, "procedure", "nl"), "nosuch")


def test_pdf_without_system_dot_is_a_clear_error():
    """graphviz-pure writes no PDF: without a system dot the error says what to install."""
    with pytest.raises(InputError, match="apt-get install graphviz"):
        engine.render("digraph { a }", "pdf", _pure(), lang="en")
    with pytest.raises(InputError, match="graphviz-pure"):
        engine.render("digraph { a }", "pdf", [], lang="fr")


@pytest.mark.skipif(shutil.which("dot") is None, reason="no system Graphviz 'dot' on PATH")
def test_pdf_with_system_dot(tmp_path):
    """With a system dot, --format pdf writes a PDF."""
    run_diagram("procedure", "pdf", "fr", None, tmp_path / "p.pdf", True, False, FIXTURE,
                view="overview")
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")


def test_french_diagram_speaks_french(real_defs):
    """--lang fr: French labels of the machine files and a French legend and title."""
    dot = to_dot(select_view(build_graph(real_defs, "procedure", "fr"), "overview"))
    assert "refus du CGRA" in dot and "Couleur : qui décide" in dot
    assert "vue d&#x27;ensemble" in dot
    for english in ("refused by the CGVS", "Colour", "overview", "final state"):
        assert english not in dot
    mermaid = to_mermaid(select_view(build_graph(real_defs, "procedure", "fr"), "full"))
    assert "Légende" in mermaid and "refus du CGRA" in mermaid


def test_mermaid_has_phases_as_composite_states_and_a_legend(real_defs):
    """Each phase is a composite state holding its own states; transitions between phases
    come after all composites (Mermaid places a state in the last composite naming it);
    the legend is a note."""
    text = to_mermaid(select_view(build_graph(real_defs, "procedure", "en"), "full"))
    assert 'state "appeal to the Council for Alien Law Litigation" as phase_appeal {' in text
    assert "note left of phase_access" in text and "end note" in text
    assert "green = the person obtains protection" in text
    blocks = text.split("    state \"")
    last_block_end = text.rindex("    }\n")
    outside = text[last_block_end:]
    assert "at_cgvs --> refused" not in outside  # inside first_instance
    assert "refused --> appeal" in outside  # between phases
    for block in blocks[1:]:
        if " as phase_" in block.split("\n", 1)[0]:
            body = block.split("\n    }", 1)[0]
            declared = {
                line.split(" as ")[1].strip()
                for line in body.splitlines()[1:]
                if line.strip().startswith("state ") and " as " in line
            }
            for line in body.splitlines():
                if "-->" in line:
                    source, dest = line.split(":")[0].split("-->")
                    assert {source.strip(), dest.strip()} <= declared, line
