"""Every snapshot is right by construction: the compiled rules, the engine's transition index
and the replay's steps all agree with the plain references.

- The compiled rules (generated Python) give the same replays as the tree-walking
  reference evaluator, on every shipped scenario and on random cases.
- ``transitions``' own trigger takes the same transitions as the engine's index.
- On any day, ``status --on D`` equals the replay's last step on D (when the replay has a
  step that day) and equals a fresh replay of the events up to D evaluated by the reference.
- No entry of the catalogue ever has two unrelated alternatives holding at once (which one
  applies would then depend on their order in the file).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylum_sim.engine.simulator import Simulator
from asylum_sim.engine.steps import Snapshot
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Scenario
from asylum_sim.model.scenario_file import load_scenario
from conftest import runnable_scenarios
from test_simulator_properties import valid_cases

EXAMPLES = int(os.environ.get("ASYLUM_SIM_EXAMPLES", "40"))
"""Random cases per property (more with ASYLUM_SIM_EXAMPLES=500 for a long local run)."""


def key(snap: Snapshot) -> tuple[object, ...]:
    """What a user reads in a snapshot (the reasons are compared through their inputs)."""
    return (snap.on, snap.states, tuple(snap.documents), tuple(snap.deadlines),
            snap.entitlements)


def steps(sim: Simulator, scenario: Scenario) -> list[tuple[object, ...]]:
    replay = sim.replay(scenario)
    return [(s.date, s.event, s.origin, s.moves, key(s.snapshot)) for s in replay.steps]


@pytest.fixture(scope="module")
def reference(defs: Definitions) -> Simulator:
    return Simulator(defs, evaluator="reference")


@pytest.fixture(scope="module")
def via_transitions(defs: Definitions) -> Simulator:
    return Simulator(defs, executor="transitions")


@pytest.mark.parametrize("path", runnable_scenarios(), ids=lambda p: p.stem)
def test_compiled_rules_and_transitions_replay_every_scenario_like_the_references(
        path, defs, sim, reference, via_transitions) -> None:
    scenario = load_scenario(path, defs)
    expected = steps(reference, scenario)
    assert steps(sim, scenario) == expected
    assert steps(via_transitions, scenario) == expected
    assert reference.catalogue.rules.ambiguities == []


def test_the_2018_flanders_case_shows_the_inburgering_right_in_the_work_access_step(
        sim, make_case) -> None:
    """Issue 9: the step of 2/8/2018 (work access reached) already shows the inburgering
    target group, which holds that day too; no split step follows."""
    case = make_case(("2018-04-01", "apply"), ("2018-04-01", "no_assignment"),
                     ("2018-04-01", "register"), ("2018-04-01", "lodge"),
                     person={"region": "flanders"})
    replay = sim.replay(case)
    on_day = [s for s in replay.steps if s.date == dt.date(2018, 8, 2)]
    assert [s.event for s in on_day] == ["work_access_reached"]
    held = {e.id for e in on_day[0].snapshot.entitlements}
    assert {"work_employee", "inburgering_applicant"} <= held


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_status_equals_the_last_step_of_the_day_and_a_fresh_reference_replay(
        defs, sim, reference, data) -> None:
    scenario = data.draw(valid_cases(defs, sim))
    replay = sim.replay(scenario)
    first, last = replay.steps[0].date, replay.steps[-1].date
    days = data.draw(st.lists(st.sampled_from(
        [s.date for s in replay.steps]
        + [first + dt.timedelta(days=n) for n in range((last - first).days + 40)]),
        min_size=1, max_size=4))
    for day in days:
        _, snap = sim.status(scenario, day)
        that_day = [s for s in replay.steps if s.date == day]
        if that_day:
            assert key(that_day[-1].snapshot) == key(snap)
        up_to = scenario.model_copy(update={"events": [
            e for e in scenario.events if e.date <= day]})
        _, fresh = reference.status(up_to, day)
        assert key(fresh) == key(snap)
    assert reference.catalogue.rules.ambiguities == []


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_transitions_takes_the_transitions_the_engine_takes(
        defs, sim, via_transitions, data) -> None:
    """Random walks through cases where guards hold (facts, earlier events, dates):
    ``transitions``' trigger and the engine's index move the machines the same way."""
    scenario = data.draw(valid_cases(defs, sim))
    assert steps(via_transitions, scenario) == steps(sim, scenario)


@pytest.mark.parametrize("path", runnable_scenarios(), ids=lambda p: p.stem)
def test_batch_detail_gives_the_same_final_answers_as_a_full_replay(path, defs, sim) -> None:
    """What `batch` writes (the steps that move or come from the scenario, the final states,
    documents and deadlines, the deviations) is the same without per-step snapshots."""
    scenario = load_scenario(path, defs)
    full = sim.replay(scenario, lenient=True)
    light = sim.replay(scenario, lenient=True, detail="states")
    moving = [(s.date, s.event, s.origin, s.snapshot.states) for s in full.steps
              if s.event != "date_reached"]
    assert [(s.date, s.event, s.origin, s.snapshot.states) for s in light.steps] == moving
    assert light.final.states == full.final.states
    assert tuple(light.final.documents) == tuple(full.final.documents)
    assert tuple(light.final.deadlines) == tuple(full.final.deadlines)
    assert light.deviations == full.deviations
    assert light.warnings == full.warnings
