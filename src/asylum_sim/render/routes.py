"""``asylum-sim paths`` output: the routes of :func:`asylum_sim.analysis.paths.find_routes`
as a readable list in one language (one step a line, wrapped to the terminal) or as JSON."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

from asylum_sim.analysis.graph import Edge
from asylum_sim.analysis.paths import Contradiction, RouteSet, find_routes, load_machine
from asylum_sim.i18n import tr
from asylum_sim.model.loader import Definitions
from asylum_sim.render.labels import Labeller
from asylum_sim.render.terminal import terminal_for

ARROW = "→"


class RouteWords:
    """Labels of one machine's states, events, guards and deadlines in one language."""

    def __init__(self, defs: Definitions, found: RouteSet, lang: str) -> None:
        self.machine, self.lang = found.machine, lang
        self.lab = Labeller(defs, lang)

    def state(self, state_id: str) -> str:
        return self.lab.state(self.machine.id, state_id)

    def event(self, event_id: str) -> str:
        return self.lab.event(event_id)

    def guard(self, guard_id: str) -> str:
        guard = self.machine.guards.get(guard_id)
        return self.lab.pick(guard.labels if guard else None, f"guard {self.machine.id}",
                             guard_id)

    def conditions(self, edge: Edge) -> str:
        parts = []
        if edge.guard:
            parts.append(tr("paths.if", self.lang, guard=self.guard(edge.guard)))
        if edge.unless:
            parts.append(tr("paths.unless", self.lang, guard=self.guard(edge.unless)))
        if edge.timer:
            parts.append(tr("paths.timer", self.lang, deadline=self.lab.deadline(edge.timer)))
        return f" [{'; '.join(parts)}]" if parts else ""

    def step(self, edge: Edge) -> str:
        return f"{ARROW} {self.event(edge.event)}{self.conditions(edge)} {ARROW} " + (
            self.state(edge.dest))

    def clash(self, route: list[Edge], clash: Contradiction) -> str:
        first, second = route[clash.first], route[clash.second]
        text = f"{self.event(first.event)}{self.conditions(first)}"
        if clash.second != clash.first:
            text += tr("paths.then", self.lang) + (
                f"{self.event(second.event)}{self.conditions(second)}")
        return text


def routes_text(defs: Definitions, found: RouteSet, lang: str, limit: int | None,
                width: int = 80) -> str:
    """The routes numbered, one step a line, then what was left out and why."""
    words = RouteWords(defs, found, lang)
    targets = tr("paths.or", lang).join(
        tr("paths.target", lang, state=words.state(t)) for t in found.targets)
    title = tr("paths.title", lang, machine=words.lab.machine(found.machine.id),
               source=words.state(found.source), targets=targets)
    out = [*textwrap.wrap(title, width), ""]
    shown = found.routes if not limit else found.routes[:limit]
    for number, route in enumerate(shown, 1):
        out += textwrap.wrap(words.state(found.source), width, initial_indent=f"{number:3d}. ",
                             subsequent_indent="     ")
        for edge in route:
            out += textwrap.wrap(words.step(edge), width, initial_indent="     ",
                                 subsequent_indent="       ")
        out.append("")
    if not found.routes:
        out += [tr("paths.none", lang), ""]
    out.append(tr("paths.routes", lang, count=len(found.routes)))
    if len(shown) < len(found.routes):
        out.append(tr("paths.shown", lang, shown=len(shown)))
    if found.left_out:
        out.append(tr("paths.left_out", lang, count=found.left_out))
        for key, items in (("contradictory", found.contradictory),
                           ("impossible", found.impossible)):
            if items:
                route, clash = items[0]
                line = tr(f"paths.left_out.{key}", lang, count=len(items),
                          example=words.clash(route, clash))
                out += textwrap.wrap(line, width, initial_indent="  - ",
                                     subsequent_indent="    ")
        if found.entered_from:
            out.append("  - " + tr("paths.left_out.entered_from", lang,
                                   count=found.entered_from))
    return "\n".join(out) + "\n"


def _edge_dict(edge: Edge, words: RouteWords) -> dict[str, Any]:
    return {"event": edge.event, "label": words.event(edge.event), "from": edge.source,
            "to": edge.dest, "guard": edge.guard, "unless": edge.unless, "timer": edge.timer}


def _left_dict(route: list[Edge], clash: Contradiction) -> dict[str, Any]:
    return {"events": [edge.event for edge in route], "guard": clash.guard,
            "steps": sorted({clash.first, clash.second})}


def routes_json(defs: Definitions, found: RouteSet, lang: str,
                limit: int | None) -> dict[str, Any]:
    """``paths --format json``: the routes (ids with labels), then those left out."""
    words = RouteWords(defs, found, lang)
    shown = found.routes if not limit else found.routes[:limit]
    return {
        "machine": found.machine.id,
        "from": found.source,
        "to": found.targets,
        "count": len(found.routes),
        "shown": len(shown),
        "routes": [
            {"states": [found.source, *(edge.dest for edge in route)],
             "steps": [_edge_dict(edge, words) for edge in route]}
            for route in shown
        ],
        "left_out": {
            "contradictory_guards": [_left_dict(r, c) for r, c in found.contradictory],
            "guard_cannot_hold": [_left_dict(r, c) for r, c in found.impossible],
            "entered_from": found.entered_from,
        },
    }


def print_paths(machines_dir: Path, machine_id: str, from_state: str | None,
                to_state: str | None, lang: str = "nl", fmt: str = "table",
                limit: int | None = 20) -> None:
    """``asylum-sim paths``: the routes a case can take (``--format table|json``, at most
    ``limit``)."""
    from asylum_sim.render.json_report import dumps

    defs, machine = load_machine(Path(machines_dir), machine_id)
    found = find_routes(defs, machine, from_state, to_state)
    if fmt == "json":
        sys.stdout.write(dumps(routes_json(defs, found, lang, limit)))
    else:
        sys.stdout.write(routes_text(defs, found, lang, limit, terminal_for().width))
