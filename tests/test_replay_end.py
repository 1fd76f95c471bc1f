"""When a replay ends (issue 14): after the last scenario event and the deadlines still
running then; a period that only matters under a status does not run for an applicant."""

from __future__ import annotations

import datetime as dt

D = dt.date.fromisoformat
PENDING = [("2026-07-06", "apply"), ("2026-07-07", "register"), ("2026-07-08", "lodge")]


def test_a_pending_case_ends_after_the_work_access_period_not_five_years_later(
        sim, make_case) -> None:
    """Lodged 8/7/2026: the last timer is the 4-month wait (last day 8/11, reached 9/11)."""
    replay = sim.replay(make_case(*PENDING))
    assert replay.steps[-1].date == D("2026-11-09")
    assert replay.steps[-1].event == "work_access_reached"
    assert replay.final.on == D("2026-11-09")
    assert "permanent_residence" not in {d.id for d in replay.final.deadlines}


def test_an_applicant_never_meets_the_permanent_residence_period(sim, make_case) -> None:
    _, snap = sim.status(make_case(*PENDING), D("2031-08-01"))
    assert "permanent_residence" not in {d.id for d in snap.deadlines}
    assert snap.states["residence"] == "applicant"


def test_a_recognised_refugee_still_reaches_permanent_residence_five_years_after_lodging(
        sim, make_case) -> None:
    """Lodged 1/2/2023, recognised 15/9/2023: the period runs from the lodging; its last
    day is 1/2/2028 and permanent residence follows on 2/2/2028."""
    case = make_case(("2023-01-09", "apply"), ("2023-01-10", "register"),
                     ("2023-02-01", "lodge"), ("2023-03-01", "transfer_to_cgvs"),
                     ("2023-09-15", "grant_refugee_status"))
    replay = sim.replay(case)
    last = replay.steps[-1]
    assert (last.date, last.event) == (D("2028-02-02"), "five_years_since_application")
    assert last.snapshot.states["residence"] == "permanent"
    period = next(d for d in last.snapshot.deadlines if d.id == "permanent_residence")
    assert (period.start, period.due, period.status) == (D("2023-09-15"), D("2028-02-01"),
                                                         "met")


def test_a_status_granted_more_than_five_years_after_lodging_gives_permanent_residence_at_once(
        sim, make_case) -> None:
    case = make_case(("2018-01-08", "apply"), ("2018-01-09", "register"),
                     ("2018-01-10", "lodge"), ("2018-02-01", "transfer_to_cgvs"),
                     ("2023-06-01", "grant_refugee_status"))
    _, snap = sim.status(case, D("2023-06-01"))
    assert snap.states["residence"] == "permanent"


def test_subsidiary_protection_with_a_safe_country_does_not_meet_the_period(
        sim, make_case) -> None:
    case = make_case(("2020-01-06", "apply"), ("2020-01-07", "register"),
                     ("2020-01-08", "lodge"), ("2020-02-03", "transfer_to_cgvs"),
                     ("2020-06-02", "grant_subsidiary_protection"),
                     ("2023-03-01", "country_safe"))
    _, snap = sim.status(case, D("2025-06-01"))
    period = next(d for d in snap.deadlines if d.id == "permanent_residence")
    assert period.status == "cancelled"
    assert snap.states["residence"] != "permanent"
