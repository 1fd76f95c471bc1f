"""Invariants of the simulator over random valid event sequences (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylum_sim.model.scenario_file import parse_scenario
from asylum_sim.render import json_report
from asylum_sim.render.labels import Labeller


def _attributes(draw, spec) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for key, attr in spec.attributes.items():
        if not attr.required:
            continue
        if attr.values:
            attrs[key] = draw(st.sampled_from(attr.values))
        elif attr.type == "bool":
            attrs[key] = draw(st.booleans())
        elif attr.type == "int":
            attrs[key] = draw(st.integers(1, 24))
        elif attr.type == "date":
            attrs[key] = "2030-01-01"
        else:
            attrs[key] = "x"
    return attrs


@st.composite
def valid_cases(draw, defs, sim):
    """A random walk through the machines: each next event is one possible at its date."""
    day = draw(st.dates(dt.date(2018, 4, 1), dt.date(2025, 12, 31)))
    person = {"birth_date": draw(st.dates(dt.date(1960, 1, 1), dt.date(2015, 1, 1))),
              "resettled": draw(st.booleans()), "needy": draw(st.booleans()),
              "region": draw(st.sampled_from(["flanders", "brussels", "wallonia"]))}
    events: list[dict[str, Any]] = [{"date": day.isoformat(), "event": "apply"}]
    for _ in range(draw(st.integers(0, 14))):
        day = day + dt.timedelta(days=draw(st.integers(0, 90)))
        scenario = parse_scenario({"person": person, "events": events}, defs)
        possible = sim.possible_events(scenario, day)
        if not possible:
            break
        event = draw(st.sampled_from(possible))
        attrs = _attributes(draw, defs.events[event])
        events.append({"date": day.isoformat(), "event": event, **attrs})
    return parse_scenario({"id": "random", "person": person, "events": events}, defs)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_valid_cases_replay_with_consistent_steps(defs, sim, data):
    """Never crashes; states exist; dates never go backwards; no deadline is met before its
    start; the same input gives the same bytes."""
    scenario = data.draw(valid_cases(defs, sim))
    replay = sim.replay(scenario)
    assert replay.steps
    previous = None
    for step in replay.steps:
        if previous is not None:
            assert step.date >= previous
        previous = step.date
        for machine, state in step.snapshot.states.items():
            assert defs.machines[machine].state(state) is not None
        for deadline in step.snapshot.deadlines:
            assert deadline.start <= step.date
            if deadline.status == "met":
                assert deadline.closed_on is not None and deadline.closed_on >= deadline.start
        for entitlement in step.snapshot.entitlements:
            assert entitlement.since <= step.date
    lab = Labeller(defs, "en")
    first = json_report.dumps(json_report.replay_dict(replay, lab))
    again = json_report.dumps(json_report.replay_dict(sim.replay(scenario), lab))
    assert first == again
