"""A live case: events as methods fired through transitions' triggers, may_EVENT asks."""

from __future__ import annotations

import datetime as dt

import pytest

from asylum_sim.engine.live import LiveCase
from asylum_sim.model.errors import InputError


def test_events_are_methods_and_may_asks_transitions(sim) -> None:
    case = LiveCase(sim, person={"region": "flanders"})
    assert case.may_apply()
    case.apply("2023-01-09")
    assert not case.may_lodge("2023-01-10")  # not registered yet
    assert case.may_register("2023-01-10")
    case.register("2023-01-10")
    steps = case.lodge("2023-02-01")
    assert [s.event for s in steps] == ["lodge"]
    assert steps[-1].snapshot.states["procedure"] == "lodged"
    snap = case.status("2023-06-02")
    assert "work_employee" in {e.id for e in snap.entitlements}  # 4 months after lodging
    case.close()


def test_a_live_case_equals_the_replay_of_the_same_events(sim, make_case) -> None:
    events = [("2024-02-05", "apply"), ("2024-02-06", "register"),
              ("2024-02-26", "lodge"), ("2024-03-10", "transfer_to_cgvs"),
              ("2024-09-02", "refuse")]
    case = LiveCase(sim)
    for day, event in events:
        case.event(event, day)
    replayed = sim.status(make_case(*events), dt.date(2024, 9, 2))[1]
    assert case.steps[-1].snapshot == replayed


def test_a_live_case_refuses_unknown_events_bad_attributes_and_going_back(sim) -> None:
    case = LiveCase(sim)
    with pytest.raises(AttributeError, match="did you mean 'lodge'"):
        case.lodgee("2023-01-01")
    case.apply("2023-01-09")
    with pytest.raises(InputError, match="forward in time"):
        case.register("2023-01-01")
    with pytest.raises(InputError, match="attribute"):
        case.assign_reception("2023-01-10", kind="palace")
