"""The ``replay``, ``status`` and ``schema`` commands."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.dates import parse_cli_date
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render.labels import Labeller
from asylum_sim.render.output import write_atomic


def parse_date(text: str, option: str = "--on") -> dt.date:
    """An ISO date from the command line within the dates asylum-sim handles, or a clear
    error."""
    return parse_cli_date(text, option)


def emit(text: str, output: Path | None) -> None:
    """Print, or write atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def run_replay(scenario_path: Path, fmt: str, lang: str, output: Path | None, explain: bool,
               lenient: bool, machines: Path) -> None:
    from asylum_sim.render import json_report, markdown, table

    defs = load_definitions(machines)
    scenario = load_scenario(scenario_path, defs)
    replay = Simulator(defs).replay(scenario, lenient=lenient, name=str(scenario_path))
    lab = Labeller(defs, lang)
    if fmt == "json":
        text = json_report.dumps(json_report.replay_dict(replay, lab))
    elif fmt == "markdown":
        text = markdown.replay_markdown(replay, lab, explain=explain)
    elif fmt == "html":
        text = markdown.replay_html(replay, lab, explain=explain)
    else:
        text = table.replay_table(replay, lab, explain=explain)
    emit(text, output)


def run_status(scenario_path: Path, on: str, fmt: str, lang: str, explain: bool,
               lenient: bool, machines: Path) -> None:
    from asylum_sim.render import json_report, markdown, table

    day = parse_date(on)
    defs = load_definitions(machines)
    scenario = load_scenario(scenario_path, defs)
    replay, snap = Simulator(defs).status(scenario, day, lenient=lenient,
                                          name=str(scenario_path))
    lab = Labeller(defs, lang)
    if fmt == "json":
        text = json_report.dumps(json_report.status_dict(replay, snap, lab))
    elif fmt == "markdown":
        text = markdown.snapshot_markdown(replay, snap, lab, explain=explain)
    else:
        text = table.snapshot_text(replay, snap, lab, explain=explain)
    emit(text, None)


def scenario_schema(defs: Definitions) -> dict:
    """JSON Schema of scenario files, with the event names and their attributes."""
    from asylum_sim.model.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "asylum-sim scenario"
    event_schema = schema["$defs"]["ScenarioEvent"]
    names = sorted(defs.scenario_events())
    event_schema["properties"]["event"] = {"type": "string", "enum": names,
                                           "description": "An event id (docs/catalogue.md)"}
    types = {"str": "string", "bool": "boolean", "int": "integer", "date": "string"}
    branches = []
    for name in names:
        spec = defs.events[name]
        props = {}
        for key, attr in spec.attributes.items():
            prop: dict = {"type": types[attr.type]}
            if attr.type == "date":
                prop["format"] = "date"
            if attr.values is not None:
                prop["enum"] = list(attr.values)
            props[key] = prop
        branches.append({
            "if": {"properties": {"event": {"const": name}}},
            "then": {"properties": props,
                     "required": [k for k, a in spec.attributes.items() if a.required]},
        })
    event_schema["allOf"] = branches
    return schema


def print_schema(machines: Path) -> None:
    defs = load_definitions(machines)
    sys.stdout.write(json.dumps(scenario_schema(defs), indent=2, ensure_ascii=False) + "\n")
