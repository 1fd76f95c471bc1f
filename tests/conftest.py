"""Shared fixtures: the shipped definitions, a simulator, and a scenario builder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.scenario import Scenario
from asylum_sim.model.scenario_file import parse_scenario

ROOT = Path(__file__).resolve().parents[1]
MACHINES = ROOT / "machines"
SCENARIOS = ROOT / "scenarios"


def runnable_scenarios() -> list[Path]:
    """The shipped scenarios the model can replay today: all but those marked as a known
    defect of the whole case (a top-level ``defect:``; see docs/formats.md)."""
    import yaml

    return [p for p in sorted(SCENARIOS.glob("*.yaml"))
            if "defect" not in yaml.safe_load(p.read_text(encoding="utf-8"))]


@pytest.fixture(scope="session")
def defs() -> Definitions:
    return load_definitions(MACHINES)


@pytest.fixture(scope="session")
def sim(defs: Definitions) -> Simulator:
    return Simulator(defs)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="session")
def make_case(defs: Definitions):
    """Build a validated scenario from ``(date, event, attrs)`` tuples."""

    def build(*events: tuple[str, str] | tuple[str, str, dict[str, Any]],
              person: dict[str, Any] | None = None) -> Scenario:
        entries = []
        for item in events:
            date, event = item[0], item[1]
            attrs = item[2] if len(item) > 2 else {}
            entries.append({"date": date, "event": event, **attrs})
        data = {"id": "test", "person": person or {}, "events": entries}
        return parse_scenario(data, defs, "test")

    return build


# A first-instance procedure up to the CGVS, reused by many tests.
TO_CGVS = (
    ("2025-03-03", "apply"),
    ("2025-03-04", "register"),
    ("2025-03-04", "assign_reception", {"kind": "collective"}),
    ("2025-03-05", "arrive"),
    ("2025-03-20", "lodge"),
    ("2025-04-10", "transfer_to_cgvs"),
)
