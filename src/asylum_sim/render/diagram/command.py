"""The ``asylum-sim diagram`` command.

Output rules:

- ``MACHINE`` one machine: ``-o FILE`` writes that file; ``-o FOLDER`` (an existing folder)
  writes ``FOLDER/<machine>.<lang>.<ext>``; without ``-o`` the text formats (svg, dot,
  mermaid) go to stdout and png, which is binary, is written to ``<machine>.<lang>.png``
  in the current folder (its path is said on stderr).
- ``all``: every machine, into the folder ``-o`` (default: the current folder; created when
  its parent exists), as ``<machine>.<lang>.<ext>``.

Extensions: ``svg``, ``png``, ``dot``, ``mmd`` (mermaid). Files are written atomically.
Problems (unknown machine, no renderer, bad output path) raise :class:`InputError`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.safe_yaml import input_file_problem
from asylum_sim.render.diagram.dot import to_dot
from asylum_sim.render.diagram.engine import render
from asylum_sim.render.diagram.highlight import apply_highlight, moves_of
from asylum_sim.render.diagram.mermaid import to_mermaid
from asylum_sim.render.diagram.model import DiagramGraph, build_graph
from asylum_sim.render.output import write_atomic

EXTENSIONS = {"svg": "svg", "png": "png", "dot": "dot", "mermaid": "mmd"}


def file_name(machine: str, lang: str, fmt: str) -> str:
    return f"{machine}.{lang}.{EXTENSIONS[fmt]}"


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
        from asylum_sim.engine.simulator import replay_scenario_file

        replay = replay_scenario_file(highlight, defs)
        labels = {eid: e.labels.get(lang) for eid, e in defs.events.items()}
        graph = apply_highlight(graph, moves_of(replay.steps), replay.case, labels)
    return graph


def produce(graph: DiagramGraph, fmt: str, verbose: bool = False) -> bytes:
    """The bytes of one diagram in ``fmt``."""
    if fmt == "mermaid":
        return to_mermaid(graph).encode("utf-8")
    source = to_dot(graph)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in EXTENSIONS:
        raise InputError(f"unknown format {fmt!r}; known: {', '.join(EXTENSIONS)}")
    rendered = render(source, fmt)
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

    if machine == "all":
        folder = _target_folder(output)
        for name in defs.machines:
            graph = make_graph(defs, name, lang, documents=documents, highlight=highlight)
            path = folder / file_name(name, lang, fmt)
            write_atomic(path, produce(graph, fmt, verbose))
            if verbose:
                print(f"wrote {path}", file=sys.stderr)
        return

    graph = make_graph(defs, machine, lang, documents=documents, highlight=highlight)
    data = produce(graph, fmt, verbose)
    if output is None and fmt != "png":
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    if output is None:
        path = Path(file_name(machine, lang, fmt))
    elif output.is_dir():
        path = output / file_name(machine, lang, fmt)
    else:
        path = output
    write_atomic(path, data)
    if output is None or verbose:
        print(f"wrote {path}", file=sys.stderr)
