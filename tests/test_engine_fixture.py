"""The engine on a small machine written for these tests (tests/fixtures/engine), so that
what it does is seen apart from the Belgian procedure: timers, working days, triggers,
rules that open by themselves, documents that run out, same-day statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario_file import parse_scenario

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "engine"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def permit():
    defs = load_definitions(FIXTURE)
    sim = Simulator(defs)

    def run(*events, on=None, lenient=False):
        data = {"id": "t", "events": [{"date": d, "event": e, **a} for d, e, *rest in events
                                      for a in [rest[0] if rest else {}]]}
        scenario = parse_scenario(data, defs, "t")
        if on is not None:
            return sim.status(scenario, D(on), lenient=lenient)[1]
        return sim.replay(scenario, lenient=lenient)

    return run


def _deadline(snap, deadline_id):
    return next(d for d in snap.deadlines if d.id == deadline_id)


def test_an_authority_that_does_not_decide_in_time_triggers_its_timer(permit) -> None:
    """Submitted Fri 22/3/2024: 10 working days skip the weekends and Easter Monday 1/4,
    so they end Mon 8/4; the office's term has expired and its timer fires Tue 9/4."""
    replay = permit(("2024-03-22", "submit"))
    timer = [s for s in replay.steps if s.origin == "timer"]
    assert timer[0].event == "decision_overdue" and timer[0].date == D("2024-04-09")
    assert timer[0].snapshot.states["permit"] == "decided"
    assert _deadline(timer[0].snapshot, "decision_term").status == "expired"  # office's


def test_a_trigger_attribute_picks_the_shorter_period_and_roll_forward_applies(permit):
    """Decided fast on Tue 5/3/2024: 5 days end Sun 10/3, rolled to Mon 11/3."""
    snap = permit(("2024-03-01", "submit"), ("2024-03-05", "decide", {"fast": True}),
                  on="2024-03-05")
    term = _deadline(snap, "objection_term")
    assert (term.due, term.rule) == (D("2024-03-11"), "object-5-days-fast")
    slow = permit(("2024-03-01", "submit"), ("2024-03-05", "decide"), on="2024-03-05")
    assert _deadline(slow, "objection_term").rule == "object-15-days"


def test_an_objection_on_the_last_day_is_in_time_and_the_next_day_it_is_late(permit):
    ok = permit(("2024-03-01", "submit"), ("2024-03-05", "decide", {"fast": True}),
                ("2024-03-11", "object"), on="2024-03-11")
    assert ok.states["permit"] == "objected"
    with pytest.raises(InputError):
        permit(("2024-03-01", "submit"), ("2024-03-05", "decide", {"fast": True}),
               ("2024-03-12", "object"))
    late = permit(("2024-03-01", "submit"), ("2024-03-05", "decide", {"fast": True}),
                  ("2024-03-12", "object"), lenient=True)
    assert [(d.kind, d.rule) for d in late.deviations] == [("late", "object-5-days-fast")]


def test_a_right_opens_by_itself_on_the_day_after_the_period(permit) -> None:
    """Submitted 31/1/2024, 2 months run up to and including 31/3: the right to work
    opens 1/4 with no event that day, and a step records it."""
    events = [("2024-01-31", "submit"), ("2024-02-01", "decide"), ("2024-02-05", "object")]
    replay = permit(*events, ("2024-05-02", "decide"))
    assert [s.event for s in replay.steps if s.date == D("2024-04-01")] == ["date_reached"]
    before = permit(*events, on="2024-03-31")
    after = permit(*events, on="2024-04-01")
    assert "may_work" not in {e.id for e in before.entitlements}
    assert next(e for e in after.entitlements if e.id == "may_work").since == D("2024-04-01")


def test_a_document_is_held_up_to_its_last_day(permit) -> None:
    """The receipt of 1/3/2024 is valid one month: held on 1/4, gone on 2/4."""
    on_last = permit(("2024-03-01", "submit"), on="2024-04-01")
    day_after = permit(("2024-03-01", "submit"), on="2024-04-02")
    assert [d.id for d in on_last.documents] == ["receipt"]
    assert day_after.documents == ()


def test_facts_set_by_events_are_read_by_rules(permit) -> None:
    snap = permit(("2024-03-01", "submit"), ("2024-03-04", "start_job"), on="2024-03-04")
    assert "must_report_job" in {e.id for e in snap.entitlements}


def test_the_days_last_step_equals_the_status_of_that_day(permit) -> None:
    """Two terms ending the same day: the first step of that day already shows both as
    ended (issue 13, item 6)."""
    replay = permit(("2024-03-01", "submit"), ("2024-03-01", "start_job"))
    for step in replay.steps:
        day_steps = [s for s in replay.steps if s.date == step.date]
        status = permit(("2024-03-01", "submit"), ("2024-03-01", "start_job"),
                        on=step.date.isoformat())
        assert day_steps[-1].snapshot.deadlines == status.deadlines
        assert day_steps[-1].snapshot.entitlements == status.entitlements
