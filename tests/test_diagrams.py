"""Diagrams for trainers: the model, DOT, Mermaid, rendering, highlight and the command."""

from __future__ import annotations

import datetime as dt
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asylum_sim.cli.main import app
from asylum_sim.engine.steps import Move
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.paths import default_machines_dir
from asylum_sim.render.diagram import engine
from asylum_sim.render.diagram.command import produce, run_diagram
from asylum_sim.render.diagram.dot import to_dot
from asylum_sim.render.diagram.highlight import apply_highlight
from asylum_sim.render.diagram.mermaid import to_mermaid
from asylum_sim.render.diagram.model import ACCENT_COLOUR, build_graph
from asylum_sim.render.diagram.regenerate import DEFAULT_FOLDER, stale_files

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
    dot = to_dot(graph)
    line = next(x for x in dot.splitlines() if x.strip().startswith("registered -> abandoned"))
    assert "style=dashed" in line and "30 dagen" in line


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
    assert "#1b7f3b" in refugee
    final = next(x for x in dot.splitlines() if x.strip().startswith("finally_refused ["))
    assert "peripheries=2" in final and "#c0392b" in final


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
    # The shipped machines: --machines refuses FIXTURE, which check faults (it leaves a
    # final state, to test the drawing of that).
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
