"""Regenerate the committed diagrams: ``python -m asylum_sim.render.diagram.regenerate``.

Writes into ``diagrams/`` of the checkout (or the folder given as the first argument), for
every machine and language, from the machine definitions in use (see
:func:`asylum_sim.model.paths.default_machines_dir`):

- every view (full, overview, each phase) as DOT and SVG;
- the full view and the overview as Mermaid (the README embeds ``procedure.en.mmd``);
- the overview as PNG sized for a 1920 × 1080 slide (a phase view's PNG is one command
  away, ``asylum-sim diagram MACHINE --view PHASE --format png``; committing them all
  would add about 10 MB).

``--check`` writes nothing and exits 1 when a committed DOT or Mermaid file is stale or
missing, or when a file is there that the data no longer gives (SVG and PNG bytes depend on
the Graphviz build, so only the sources are compared).
"""

from __future__ import annotations

import sys
from pathlib import Path

from asylum_sim.i18n import LANGUAGES
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.paths import default_machines_dir
from asylum_sim.render.diagram.command import file_name, produce
from asylum_sim.render.diagram.model import build_graph
from asylum_sim.render.diagram.views import FULL, OVERVIEW, select_view, view_names
from asylum_sim.render.output import write_atomic

DEFAULT_FOLDER = Path(__file__).resolve().parents[4] / "diagrams"


def formats_of(view: str) -> tuple[str, ...]:
    """The formats committed for one view (sources first)."""
    if view == FULL:
        return ("dot", "mermaid", "svg")
    if view == OVERVIEW:
        return ("dot", "mermaid", "svg", "png")
    return ("dot", "svg")


def planned(defs: Definitions) -> list[tuple[str, str, str, str]]:
    """(machine, lang, view, format) of every committed diagram."""
    found = []
    for machine in sorted(defs.machines):
        for lang in LANGUAGES:
            for view in view_names(build_graph(defs, machine, lang)):
                found += [(machine, lang, view, fmt) for fmt in formats_of(view)]
    return found


def expected_sources(defs: Definitions) -> dict[str, str]:
    """File name -> text of every DOT and Mermaid diagram that should be committed."""
    found = {}
    graphs = {}
    for machine, lang, view, fmt in planned(defs):
        if fmt not in ("dot", "mermaid"):
            continue
        if (machine, lang) not in graphs:
            graphs[(machine, lang)] = build_graph(defs, machine, lang)
        graph = select_view(graphs[(machine, lang)], view)
        found[file_name(machine, lang, fmt, view)] = produce(graph, fmt).decode("utf-8")
    return found


def stale_files(defs: Definitions, folder: Path) -> list[str]:
    """Names of committed diagrams that are missing, differ from the data, or are left over."""
    stale = []
    for name, text in expected_sources(defs).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    wanted = {file_name(m, lang, fmt, view) for m, lang, view, fmt in planned(defs)}
    if folder.is_dir():
        stale += sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in wanted)
    return stale


def regenerate(defs: Definitions, folder: Path, verbose: bool = False) -> list[Path]:
    """Write every committed diagram into ``folder`` and remove the ones no longer made."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    graphs = {}
    for machine, lang, view, fmt in planned(defs):
        if (machine, lang) not in graphs:
            graphs[(machine, lang)] = build_graph(defs, machine, lang)
        graph = select_view(graphs[(machine, lang)], view)
        path = folder / file_name(machine, lang, fmt, view)
        write_atomic(path, produce(graph, fmt, verbose=verbose and fmt == "svg"))
        written.append(path)
    names = {p.name for p in written}
    for old in folder.iterdir():
        if old.is_file() and old.name not in names and old.suffix in (
            ".dot", ".mmd", ".svg", ".png"
        ):
            old.unlink()
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
