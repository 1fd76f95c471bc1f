"""Regenerate the committed diagrams: ``python -m asylum_sim.render.diagram.regenerate``.

Writes ``<machine>.<lang>.dot``, ``.mmd`` and ``.svg`` for every machine in every language
into ``diagrams/`` of the checkout (or the folder given as the first argument), from the
machine definitions in use (see :func:`asylum_sim.model.paths.default_machines_dir`).
``--check`` writes nothing and exits 1 when a committed DOT or Mermaid file is stale (SVG
bytes depend on the Graphviz build, so only the sources are compared).
"""

from __future__ import annotations

import sys
from pathlib import Path

from asylum_sim.model.common import LANGUAGES
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.paths import default_machines_dir
from asylum_sim.render.diagram.command import file_name, produce
from asylum_sim.render.diagram.model import build_graph
from asylum_sim.render.output import write_atomic

DEFAULT_FOLDER = Path(__file__).resolve().parents[4] / "diagrams"
SOURCE_FORMATS = ("dot", "mermaid")


def expected_sources(defs: Definitions) -> dict[str, str]:
    """File name -> text of every DOT and Mermaid diagram that should be committed."""
    found = {}
    for machine in sorted(defs.machines):
        for lang in LANGUAGES:
            graph = build_graph(defs, machine, lang)
            for fmt in SOURCE_FORMATS:
                found[file_name(machine, lang, fmt)] = produce(graph, fmt).decode("utf-8")
    return found


def stale_files(defs: Definitions, folder: Path) -> list[str]:
    """Names of committed source diagrams that are missing or differ from the data."""
    stale = []
    for name, text in expected_sources(defs).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def regenerate(defs: Definitions, folder: Path, verbose: bool = False) -> list[Path]:
    """Write every diagram (DOT, Mermaid, SVG) of every machine and language into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for machine in sorted(defs.machines):
        for lang in LANGUAGES:
            graph = build_graph(defs, machine, lang)
            for fmt in (*SOURCE_FORMATS, "svg"):
                path = folder / file_name(machine, lang, fmt)
                write_atomic(path, produce(graph, fmt, verbose=verbose and fmt == "svg"))
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    folder = Path(rest[0]) if rest else DEFAULT_FOLDER
    try:
        defs = load_definitions(default_machines_dir())
        if check:
            stale = stale_files(defs, folder)
            for name in stale:
                print(f"stale: {folder / name}", file=sys.stderr)
            return 1 if stale else 0
        for path in regenerate(defs, folder):
            print(path)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
