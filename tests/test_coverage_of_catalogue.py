"""The scenario library covers the catalogue.

Every entitlement id and every deadline id of the domain catalogue is produced by at least
one shipped scenario (in some step, or in its status a year after the replay ends: a replay
stops after its last timer, and long-term rights such as Flemish social protection, five years after
the status, come later), every state of every machine is reached by some scenario, and each
outcome the brief lists has its scenario. The id lists are those of the domain catalogue
the project started from (tests/domain_ids.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render import json_report
from asylum_sim.render.labels import Labeller
from conftest import runnable_scenarios
from domain_ids import DOMAIN_DEADLINES, DOMAIN_ENTITLEMENTS
from test_scenarios import replay_json

# States no step can show, with the reason.
UNREACHABLE_BY_DESIGN = {
    # The initial states: a case is there before its first event. Every case starts with
    # `apply`, which moves the procedure and residence machines at once, so no step (a
    # snapshot *after* an event) shows them. The reception machine's `none` is shown
    # (reception moves only on its own events).
    ("procedure", "none"),
    ("residence", "none"),
}

# The outcomes of the brief and the scenario that shows each (file stem).
OUTCOMES = {
    "refugee": "refugee-sy-2023",
    "subsidiary protection": "subsidiary-af-2024",
    "refusal without appeal": "refusal-no-appeal-2025",
    "appeal confirmed": "appeal-confirmed-ma-2024",
    "annulled then reformed": "annulled-reformed-er-2023",
    "Dublin 26quater": "dublin-26quater-2024",
    "subsequent application admissible": "subsequent-admissible-iq-2023",
    "subsequent application inadmissible": "subsequent-inadmissible-dz-2025",
    "no show": "no-show-ps-2024",
    "OTP without an exception": "appeal-confirmed-ma-2024",
    "OTP with an exception": "otp-exception-am-2024",
    "lifting for work": "lifting-work-tr-2023",
    "resettled refugee": "resettled-cd-2024",
    "unaccompanied minor": "nbmv-gn-2024",
    "early departure with meal vouchers": "early-departure-ye-2025",
    "lodged on or after 12/6/2026 (EU Pact warning)": "eu-pact-so-2026",
    "posted notification": "posted-refusal-cm-2025",
}


@pytest.fixture(scope="module")
def replays(defs: Definitions) -> dict[str, dict[str, Any]]:
    """The JSON replay of every shipped scenario, by file stem, with the status a year
    after its end under ``later``."""
    found = {}
    sim = Simulator(defs)
    for path in runnable_scenarios():
        data = replay_json(path, defs)
        scenario = load_scenario(path, defs)
        later = dt.date.fromisoformat(data["steps"][-1]["date"]) + dt.timedelta(days=366)
        replay, snap = sim.status(scenario, later)
        data["later"] = json_report.status_dict(replay, snap, Labeller(defs, "en"))
        found[path.stem] = data
    return found


def _produced(replays: dict[str, dict[str, Any]], kind: str) -> dict[str, set[str]]:
    """id -> the scenarios in which some step shows it (kind: deadlines | entitlements)."""
    found: dict[str, set[str]] = {}
    for name, data in replays.items():
        for step in [*data["steps"], data["later"]]:
            for item in step[kind]:
                found.setdefault(item["id"], set()).add(name)
    return found


def test_every_domain_entitlement_is_produced_by_a_scenario(replays) -> None:
    """Each entitlement id of the domain catalogue is in force in some step of some scenario."""
    assert sorted(DOMAIN_ENTITLEMENTS - set(_produced(replays, "entitlements"))) == []


def test_every_domain_deadline_is_produced_by_a_scenario(replays) -> None:
    """Each deadline id of the domain catalogue is started in some step of some scenario."""
    assert sorted(DOMAIN_DEADLINES - set(_produced(replays, "deadlines"))) == []


def test_every_defined_entitlement_and_deadline_is_produced(replays, defs: Definitions) -> None:
    """Also the ids added beyond the domain catalogue (meal_vouchers, rent_premium, ...) appear."""
    missing = set(defs.entitlements) - set(_produced(replays, "entitlements"))
    missing |= set(defs.deadlines) - set(_produced(replays, "deadlines"))
    assert sorted(missing) == []


def test_every_machine_state_is_reached_by_a_scenario(replays, defs: Definitions) -> None:
    """Each state of each machine shows in some step, except the justified initial ones."""
    reached = {(m, s) for data in replays.values() for step in data["steps"]
               for m, s in step["states"].items()}
    every = {(m.id, s.id) for m in defs.machines.values() for s in m.states}
    assert sorted(every - reached - UNREACHABLE_BY_DESIGN) == []
    # The exceptions are real states and really not shown (else drop them from the list).
    assert every >= UNREACHABLE_BY_DESIGN
    assert not UNREACHABLE_BY_DESIGN & reached


def test_every_timer_event_fires_in_some_scenario(replays, defs: Definitions) -> None:
    """Each timer event of timers.yaml fires in some step (origin `timer`)."""
    fired = {step["event"] for data in replays.values() for step in data["steps"]
             if step["origin"] == "timer"}
    timers = {e.id for e in defs.events.values() if e.origin == "timer"}
    assert sorted(timers - fired) == []


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_each_outcome_of_the_brief_has_its_scenario(outcome: str, replays) -> None:
    """The scenario named for each outcome exists and replays."""
    assert OUTCOMES[outcome] in replays


def test_outcome_scenarios_end_where_they_say(replays) -> None:
    """The main outcome scenarios reach the procedure state they are named for."""
    def reached(name: str) -> set[str]:
        return {s["states"]["procedure"] for s in replays[name]["steps"]}

    assert "refugee" in reached(OUTCOMES["refugee"])
    assert "subsidiary_protection" in reached(OUTCOMES["subsidiary protection"])
    assert "finally_refused" in reached(OUTCOMES["refusal without appeal"])
    assert {"appeal", "finally_refused"} <= reached(OUTCOMES["appeal confirmed"])
    assert "dublin_transfer" in reached(OUTCOMES["Dublin 26quater"])
    assert "admissibility" in reached(OUTCOMES["subsequent application admissible"])
    assert replays[OUTCOMES["lodged on or after 12/6/2026 (EU Pact warning)"]]["warnings"]
    events = {s["event"] for s in replays[OUTCOMES["annulled then reformed"]]["steps"]}
    assert {"rvv_annul", "rvv_reform_refugee"} <= events
    meal = _produced({"x": replays[OUTCOMES["early departure with meal vouchers"]]},
                     "entitlements")
    assert "meal_vouchers" in meal
