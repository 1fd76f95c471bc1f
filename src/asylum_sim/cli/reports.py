"""The ``replay``, ``status`` and ``schema`` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.dates import parse_cli_date
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render.labels import Labeller
from asylum_sim.render.output import emit


def _warn_missing(lab: Labeller) -> None:
    """Say on stderr which labels had no text in the language asked (English was used)."""
    if lab.missing:
        from asylum_sim.i18n import tr

        print(tr("cli.missing_labels", lab.lang, ids=", ".join(sorted(lab.missing))),
              file=sys.stderr)


def run_replay(scenario_path: Path, fmt: str, lang: str, output: Path | None, explain: bool,
               lenient: bool, machines: Path) -> None:
    from asylum_sim.render.report_model import case_report

    defs = load_definitions(machines)
    scenario = load_scenario(scenario_path, defs)
    replay = Simulator(defs).replay(scenario, lenient=lenient, name=str(scenario_path))
    lab = Labeller(defs, lang)
    if fmt == "json":
        from asylum_sim.render import json_report

        emit(json_report.dumps(json_report.replay_dict(replay, lab)), output)
        _warn_missing(lab)
        return
    document = fmt in ("html", "pdf")
    report = case_report(replay, lab, title=scenario.title, explain=explain or document)
    if fmt == "pdf":
        from asylum_sim.render.pdf import write_pdf

        write_pdf(_html(report, lab), output, lang)
    else:
        emit(_text(report, fmt, lab, output), output)
    _warn_missing(lab)


def _html(report, lab: Labeller) -> str:
    from asylum_sim import __version__
    from asylum_sim.render.html import replay_html

    return replay_html(report, lab, version=__version__)


def _text(report, fmt: str, lab: Labeller, output: Path | None) -> str:
    if fmt == "markdown":
        from asylum_sim.render.markdown import replay_markdown

        return replay_markdown(report, lab)
    if fmt == "html":
        return _html(report, lab)
    from asylum_sim.render.table import replay_table
    from asylum_sim.render.terminal import PLAIN, terminal_for

    return replay_table(report, lab, terminal=PLAIN if output else terminal_for())


def run_status(scenario_path: Path, on: str, fmt: str, lang: str, explain: bool,
               lenient: bool, machines: Path) -> None:
    from asylum_sim.render.report_model import status_report

    day = parse_cli_date(on, "--on")
    defs = load_definitions(machines)
    scenario = load_scenario(scenario_path, defs)
    replay, snap = Simulator(defs).status(scenario, day, lenient=lenient,
                                          name=str(scenario_path))
    lab = Labeller(defs, lang)
    if fmt == "json":
        from asylum_sim.render import json_report

        text = json_report.dumps(json_report.status_dict(replay, snap, lab))
    elif fmt == "markdown":
        from asylum_sim.render.markdown import situation_markdown

        report = status_report(replay, snap, lab, title=scenario.title, explain=explain)
        text = situation_markdown(report, lab, level=1) + "\n"
    else:
        from asylum_sim.render.table import situation_table
        from asylum_sim.render.terminal import terminal_for

        report = status_report(replay, snap, lab, title=scenario.title, explain=explain)
        text = situation_table(report, lab, terminal=terminal_for())
    emit(text, None)
    _warn_missing(lab)


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
