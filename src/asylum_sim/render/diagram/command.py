"""The ``asylum-sim diagram`` command.

Output rules:

- ``MACHINE`` one machine: ``-o FILE`` writes that file; ``-o FOLDER`` (an existing folder)
  writes ``FOLDER/<name>``; without ``-o`` the text formats (svg, dot, mermaid) go to
  stdout and png and pdf, which are binary, are written to ``<name>`` in the current
  folder (its path is said on stderr).
- ``all`` (every machine) or ``--view all`` (every view), into the folder ``-o`` (default:
  the current folder; created when its parent exists).

``<name>`` is ``<machine>.<lang>.<ext>`` for the full view and
``<machine>.<view>.<lang>.<ext>`` for the others (``procedure.overview.fr.png``,
``reception.return.nl.svg``). Extensions: ``svg``, ``png``, ``pdf``, ``dot``, ``mmd``
(mermaid). PNG is rendered at the resolution that fills 1920 × 1080 (see :mod:`measure`).
Files are written atomically. Problems (unknown machine or view, no renderer, bad output
path) raise :class:`InputError`.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.safe_yaml import input_file_problem
from asylum_sim.render.diagram.dot import to_dot
from asylum_sim.render.diagram.engine import available_renderers, render
from asylum_sim.render.diagram.highlight import apply_highlight, moves_of
from asylum_sim.render.diagram.measure import (
    MIN_TEXT_PX,
    SCREEN_PX_PER_SLIDE_PT,
    slide_dpi,
    slide_fit,
)
from asylum_sim.render.diagram.mermaid import to_mermaid
from asylum_sim.render.diagram.model import DiagramGraph, build_graph
from asylum_sim.render.diagram.views import FULL, select_view, view_names
from asylum_sim.render.output import write_atomic

SLIDE = "slide"
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd"}
ALL_VIEWS = "all"


def file_name(machine: str, lang: str, fmt: str, view: str = FULL) -> str:
    """``procedure.nl.svg`` for the full view, ``procedure.overview.nl.svg`` for another."""
    middle = "" if view == FULL else f"{view}."
    return f"{machine}.{middle}{lang}.{EXTENSIONS[fmt]}"


def make_graph(
    defs: Definitions,
    machine: str,
    lang: str,
    *,
    documents: bool = True,
    highlight: Path | None = None,
) -> DiagramGraph:
    """The diagram model of one machine, with a scenario's path drawn over it if given."""
    graph = build_graph(defs, machine, lang, documents=documents)
    if highlight is not None:
        # Imported here: the simulator is only needed for --highlight.
        from asylum_sim.engine.simulator import Simulator
        from asylum_sim.model.scenario_file import load_scenario

        scenario = load_scenario(highlight, defs)
        replay = Simulator(defs).replay(scenario, name=highlight.stem)
        labels = {eid: e.labels.get(lang) for eid, e in defs.events.items()}
        graph = apply_highlight(graph, moves_of(replay.steps), replay.case, labels)
    return graph


@lru_cache(maxsize=256)
def _text_on_slide(source: str) -> float:
    """Smallest text of ``source`` on a 16:9 slide, measured with the bundled renderer
    (graphviz-pure, so the choice is the same on every machine) when it is there."""
    renderers = [r for r in available_renderers() if r.name == "graphviz-pure"] or None
    return slide_fit(render(source, "svg", renderers).data).smallest_on_slide_pt


def dot_source(graph: DiagramGraph, layout: str = SLIDE) -> str:
    """DOT of ``graph``; ``slide`` is left to right when its text reaches 10 pt on a 16:9
    slide at 1920 × 1080 (:data:`measure.MIN_TEXT_PX`), else whichever direction gives the
    larger text. Left to right is preferred: Graphviz stacks the labels of several edges
    leaving one box side by side there, where top to bottom may overlap them."""
    if layout != SLIDE:
        return to_dot(graph, layout)
    across = to_dot(graph, "lr")
    if _text_on_slide(across) * SCREEN_PX_PER_SLIDE_PT >= MIN_TEXT_PX:
        return across
    return max([across, to_dot(graph, "tb")], key=_text_on_slide)


def produce(
    graph: DiagramGraph, fmt: str, verbose: bool = False, layout: str = SLIDE
) -> bytes:
    """The bytes of one diagram view in ``fmt``; PNG at the resolution of a full-HD slide."""
    if fmt == "mermaid":
        return to_mermaid(graph).encode("utf-8")
    source = dot_source(graph, layout)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in EXTENSIONS:
        raise InputError(f"unknown format {fmt!r}; known: {', '.join(EXTENSIONS)}")
    options: tuple[str, ...] = ()
    if fmt == "png":
        dpi = slide_dpi(render(source, "svg").data)
        options = (f"-Gdpi={dpi:.1f}",)
    rendered = render(source, fmt, options=options, lang=graph.lang)
    if verbose:
        print(f"renderer: {rendered.renderer.name} ({rendered.renderer.binary})", file=sys.stderr)
    return rendered.data


def _target_folder(output: Path | None) -> Path:
    folder = output if output is not None else Path(".")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"-o {folder}: for 'all' the output must be a folder, not a file")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise InputError(f"-o {folder}: its parent folder {folder.parent} does not exist")
        folder.mkdir()
    return folder


def run_diagram(
    machine: str,
    fmt: str,
    lang: str,
    highlight: Path | None,
    output: Path | None,
    documents: bool,
    verbose: bool,
    machines_dir: Path,
    view: str = FULL,
    layout: str = SLIDE,
) -> None:
    """Draw ``machine`` (or ``all``) in ``fmt`` and ``lang``; see the module docstring."""
    if fmt not in EXTENSIONS:
        raise InputError(f"unknown format {fmt!r}; known: {', '.join(EXTENSIONS)}")
    if highlight is not None:
        problem = input_file_problem(highlight, "scenario file")
        if problem is not None:
            raise InputError(f"--highlight {highlight}: {problem}")
    defs = load_definitions(machines_dir)
    if verbose and fmt in ("dot", "mermaid"):
        print(f"renderer: none needed for {fmt}", file=sys.stderr)

    if machine == "all" or view == ALL_VIEWS:
        folder = _target_folder(output)
        for name in defs.machines if machine == "all" else [machine]:
            graph = make_graph(defs, name, lang, documents=documents, highlight=highlight)
            for one in view_names(graph) if view == ALL_VIEWS else [view]:
                path = folder / file_name(name, lang, fmt, one)
                write_atomic(path, produce(select_view(graph, one), fmt, verbose, layout))
                if verbose:
                    print(f"wrote {path}", file=sys.stderr)
        return

    graph = make_graph(defs, machine, lang, documents=documents, highlight=highlight)
    data = produce(select_view(graph, view), fmt, verbose, layout)
    if output is None and fmt not in ("png", "pdf"):
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    if output is None:
        path = Path(file_name(machine, lang, fmt, view))
    elif output.is_dir():
        path = output / file_name(machine, lang, fmt, view)
    else:
        path = output
    write_atomic(path, data)
    if output is None or verbose:
        print(f"wrote {path}", file=sys.stderr)
