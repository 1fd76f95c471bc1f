"""The shipped scenarios: each replays without error and matches its golden file.

Golden files (``tests/golden/<scenario-id>.json``) hold a *reduced* form of
``asylum-sim replay SCENARIO --format json --lang en`` so that a reviewer can read them:

- per step: ``date``, ``event``, ``origin``, ``cause`` (timer/internal steps), ``states``
  and ``changes``: what the step changed in the documents, deadlines and entitlements, one
  line each, ``+`` added, ``-`` gone, ``~`` changed (the line shows the new value);
- ``final``: the full last snapshot in the same one-line form;
- ``warnings`` (ids) and ``problems``.

One line per item: ``document ID issued..valid_until``, ``deadline ID start..due STATUS
(rule)``, ``entitlement ID since..until (rule)``; ``-`` for a missing date. Labels, sources
and "why" texts are left out (they are tested elsewhere and would bury the dates). The
changes chain from an empty start, so the reduced form fixes every step's full snapshot.

Regenerate after a reviewed change: ``UPDATE_GOLDEN=1 pytest tests/test_scenarios.py``
rewrites the files; read the diff (each step's states, the changes, the final snapshot)
against the sources before accepting it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render import json_report
from asylum_sim.render.labels import Labeller
from conftest import SCENARIOS

GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Actors whose acts happen on working days only (authorities; persons and structures may
# act on any day).
AUTHORITIES = {"dvz", "cgvs", "rvv", "fedasil", "municipality", "police", "integration_office"}
# A note cites a brochure section, an opvang heading or a law article.
SOURCE_RE = re.compile(r"brochure §\d|opvang \"|law: ")


def _d(value: str | None) -> str:
    return value or "-"


def _document(item: dict[str, Any]) -> tuple[tuple[str, str], str]:
    return (item["id"], item["issued"]), (
        f"document {item['id']} {item['issued']}..{_d(item['valid_until'])}")


def _deadline(item: dict[str, Any]) -> tuple[tuple[str, str, str], str]:
    return (item["id"], item["start"], item["rule"]), (
        f"deadline {item['id']} {item['start']}..{item['due']} {item['status']} ({item['rule']})")


def _entitlement(item: dict[str, Any]) -> tuple[str, str]:
    return item["id"], (
        f"entitlement {item['id']} {item['since']}..{_d(item['until'])} ({item['rule']})")


def _lines(step: dict[str, Any]) -> dict[Any, str]:
    """Every item of a step's snapshot, keyed so that an item can be followed across steps."""
    out: dict[Any, str] = {}
    for kind, key_line in (("documents", _document), ("deadlines", _deadline),
                           ("entitlements", _entitlement)):
        for item in step[kind]:
            key, line = key_line(item)
            # Two instances of one deadline started the same day by the same rule: number them.
            while (kind, key) in out:
                key = (*key, "again") if isinstance(key, tuple) else (key, "again")
            out[(kind, key)] = line
    return out


def reduce_replay(data: dict[str, Any]) -> dict[str, Any]:
    """The reviewable form of a ``replay --format json`` document (see the module doc)."""
    steps = []
    before: dict[Any, str] = {}
    for step in data["steps"]:
        now = _lines(step)
        changes = [f"- {before[k]}" for k in before if k not in now]
        changes += [f"~ {now[k]}" for k in now if k in before and before[k] != now[k]]
        changes += [f"+ {now[k]}" for k in now if k not in before]
        entry: dict[str, Any] = {"date": step["date"], "event": step["event"],
                                 "origin": step["origin"]}
        if step["cause"]:
            entry["cause"] = step["cause"]
        if step["attributes"]:
            entry["attributes"] = step["attributes"]
        entry["states"] = step["states"]
        entry["changes"] = changes
        steps.append(entry)
        before = now
    return {
        "case": data["case"],
        "person": data["person"],
        "warnings": [w["id"] for w in data["warnings"]],
        "problems": data["problems"],
        "steps": steps,
        "final": {"date": data["steps"][-1]["date"], "states": data["steps"][-1]["states"],
                  "items": list(before.values())},
    }


def replay_json(path: Path, defs: Definitions) -> dict[str, Any]:
    """What ``asylum-sim replay PATH --format json --lang en`` prints, as a dict."""
    scenario = load_scenario(path, defs)
    replay = Simulator(defs).replay(scenario, name=str(path))
    text = json_report.dumps(json_report.replay_dict(replay, Labeller(defs, "en")))
    return json.loads(text)


def golden_text(path: Path, defs: Definitions) -> str:
    return json.dumps(reduce_replay(replay_json(path, defs)), ensure_ascii=False,
                      indent=1) + "\n"


def _ids() -> list[str]:
    return [p.stem for p in SCENARIO_FILES]


# --- the scenario files themselves ----------------------------------------------------------
def test_at_least_sixteen_scenarios_are_shipped() -> None:
    """The library has the two original scenarios and at least 14 more."""
    names = {p.name for p in SCENARIO_FILES}
    assert {"refugee-sy-2023.yaml", "refusal-no-appeal-2025.yaml"} <= names
    assert len(names) >= 16


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_has_id_title_person_and_a_sourced_note_on_every_event(path: Path) -> None:
    """Each file: id equal to its file name, a title, a person, and a note citing a source
    on every event."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == path.stem
    assert data.get("title") and data.get("person")
    for index, event in enumerate(data["events"]):
        assert SOURCE_RE.search(event.get("note") or ""), (index, event)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_authority_acts_fall_on_working_days(path: Path, defs: Definitions) -> None:
    """Acts of the DVZ, CGVS, RvV, Fedasil, municipality and police are dated on working
    days (no Saturday, Sunday or Belgian public holiday)."""
    from asylum_sim.calendar import is_working_day

    scenario = load_scenario(path, defs)
    for event in scenario.events:
        actor = defs.events[event.event].actor
        if actor in AUTHORITIES:
            assert is_working_day(event.date), (event.date, event.event)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_events_are_in_date_order(path: Path, defs: Definitions) -> None:
    """Files list events in date order, so that they read as a story."""
    dates = [e.date for e in load_scenario(path, defs).events]
    assert dates == sorted(dates)


# --- replay and golden files ------------------------------------------------------------------
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_replays_without_problems(path: Path, defs: Definitions) -> None:
    """Every shipped scenario replays strictly (no impossible event, no problem)."""
    data = replay_json(path, defs)
    assert data["problems"] == []
    assert data["steps"] and all(s["problem"] is None for s in data["steps"])
    assert dt.date.fromisoformat(data["steps"][-1]["date"])


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_matches_its_golden_file(path: Path, defs: Definitions) -> None:
    """The reduced replay equals tests/golden/<id>.json (UPDATE_GOLDEN=1 rewrites it)."""
    golden = GOLDEN / f"{path.stem}.json"
    text = golden_text(path, defs)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {path.name}: run UPDATE_GOLDEN=1 pytest"
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(text)


def test_every_golden_file_belongs_to_a_scenario() -> None:
    """No golden file is left behind for a removed scenario."""
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(_ids())
