"""Scenario validation over random dates (hypothesis): births after events, dates at and
beyond the range limits, date attributes anywhere around their event. Each case is either
refused with a clear :class:`InputError` (naming the file and the entry) or replayed; no
other exception, ever.

Profiles: ``ci`` (the default, 60 examples per test) and ``long`` (2,000), chosen with the
environment variable ``HYPOTHESIS_PROFILE`` (README, Development).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.dates import FIRST_DATE, LAST_DATE
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario_file import parse_scenario
from conftest import MACHINES

# Module-level, not fixtures: hypothesis prints a failing example's arguments.
DEFS = load_definitions(MACHINES)
SIM = Simulator(DEFS)

PROFILES = {
    "ci": settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck),
                   derandomize=True),
    "long": settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)),
}
PROFILE = PROFILES.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), PROFILES["ci"])

ONE_DAY = dt.timedelta(days=1)

# A case up to the CGVS, as offsets in days from its first event.
TO_CGVS = [
    (0, "apply", {}),
    (1, "register", {}),
    (1, "assign_reception", {"kind": "collective"}),
    (2, "arrive", {}),
    (17, "lodge", {}),
    (38, "transfer_to_cgvs", {}),
]

# A final refusal, then an exception to the open return place with its end date (`until`).
TO_OTP_EXCEPTION = [
    *TO_CGVS,
    (200, "refuse", {"notification": "handed"}),
    (210, "appeal", {"by": "applicant"}),
    (240, "rvv_confirm", {}),
]

NAME = "random.yaml"


def data_of(start: dt.date, events: list[tuple[int, str, dict[str, Any]]],
            person: dict[str, Any] | None = None) -> dict[str, Any]:
    """Scenario data with events at ``start`` + offset; dates as ISO text, as in a file."""
    return {
        "id": "random",
        "person": person or {},
        "events": [
            {"date": _iso(start, offset), "event": event, **attributes}
            for offset, event, attributes in events
        ],
    }


def _iso(start: dt.date, offset: int) -> str:
    """ISO text of ``start`` + ``offset`` days, also beyond what ``date`` can hold (written
    as a user could type it: year 10000 and on, or year 0)."""
    try:
        return (start + dt.timedelta(days=offset)).isoformat()
    except OverflowError:
        years = offset // 365 if offset > 0 else -((-offset) // 365 + 1)
        return f"{start.year + years:04d}-{start.month:02d}-{start.day:02d}"


def refused_or_replayed(data: dict[str, Any]) -> InputError | None:
    """Parse and replay ``data``: the InputError that refused it, or None when it replayed.
    Any other exception fails the test."""
    try:
        scenario = parse_scenario(data, DEFS, NAME)
        SIM.replay(scenario, name=NAME)
    except InputError as exc:
        for problem in exc.problems:
            assert problem.file == NAME and problem.message, problem
            assert "\n" not in str(problem)
        return exc
    return None


def dates_in(data: dict[str, Any]) -> list[str]:
    return [entry["date"] for entry in data["events"]]


def in_range(text: str) -> bool:
    return readable(text) and FIRST_DATE <= dt.date.fromisoformat(text) <= LAST_DATE


def readable(text: str) -> bool:
    """A date ``date`` can hold (a year above 9999 is not)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def expect_date_problem(error: InputError | None, dates: list[str]) -> None:
    """The first unreadable date is refused as not a date; else the first date out of the
    range as such."""
    assert error is not None
    unreadable = [i for i, d in enumerate(dates) if not readable(d)]
    if unreadable:
        assert f"events[{unreadable[0]}].date: expected a date as YYYY-MM-DD" in str(error)
    else:
        outside = next(d for d in dates if not in_range(d))
        assert f"the date {outside} is outside the dates asylum-sim handles" in str(error)


@PROFILE
@given(
    start=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    birth=st.dates(FIRST_DATE, LAST_DATE),
)
def test_a_birth_after_an_event_is_refused_else_the_case_replays(start, birth):
    data = data_of(start, TO_CGVS, {"birth_date": birth.isoformat()})
    error = refused_or_replayed(data)
    if birth > start:
        assert error is not None
        assert f"events[0] ({start} apply)" in str(error)
        assert f"before the person's birth on {birth}" in str(error)
    else:
        assert error is None or "birth" not in str(error)


EDGES = st.one_of(
    st.dates(FIRST_DATE - dt.timedelta(days=800), FIRST_DATE + dt.timedelta(days=800)),
    st.dates(LAST_DATE - dt.timedelta(days=800), LAST_DATE + dt.timedelta(days=800)),
    st.dates(dt.date(9990, 1, 1), dt.date(9999, 12, 31)),
    st.dates(dt.date(1, 1, 1), dt.date(10, 12, 31)),
)


@PROFILE
@given(start=EDGES, gap=st.integers(0, 3000))
def test_dates_near_the_range_limits_are_refused_or_replayed(start, gap):
    """The case starts near 1900 or 2200 (or far beyond) and lasts ``gap`` days more."""
    events = [*TO_CGVS, (38 + gap, "refuse", {"notification": "handed"})]
    data = data_of(start, events)
    error = refused_or_replayed(data)
    if not all(in_range(d) for d in dates_in(data)):
        expect_date_problem(error, dates_in(data))
    else:
        assert error is None or "outside the dates" not in str(error)


@PROFILE
@given(start=st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), EDGES),
       shift=st.integers(-3000, 3000))
def test_an_until_anywhere_around_its_event_is_refused_or_replayed(start, shift):
    """``until`` of grant_otp_exception from long before to long after the grant."""
    grant = 250
    until = _iso(start, grant + shift)
    events = [
        *TO_OTP_EXCEPTION,
        (grant - 2, "notify_otp_assignment", {}),
        (grant - 1, "request_otp_exception", {"reason": "medical"}),
        (grant, "grant_otp_exception", {"until": until}),
    ]
    data = data_of(start, events)
    error = refused_or_replayed(data)
    if not all(in_range(d) for d in dates_in(data)):
        expect_date_problem(error, dates_in(data))
    elif not readable(until):
        assert error is not None and "attribute 'until' must be a date" in str(error)
    elif not in_range(until):
        assert error is not None
        assert f"grant_otp_exception).until: the date {until} is outside" in str(error)
    elif shift < 0:
        assert error is not None
        assert f"until {until} is before the event's own date" in str(error)
    else:
        assert error is None or "until" not in str(error)


@PROFILE
@given(birth=st.dates(dt.date(1960, 1, 1), dt.date(2020, 12, 31)),
       on=st.dates(FIRST_DATE, LAST_DATE))
def test_status_on_any_day_of_the_range_answers(birth, on):
    """Before the birth, before the first event, long after the last: a status, no
    exception (the age is unknown before the birth)."""
    start = max(birth, dt.date(2000, 1, 1))
    scenario = parse_scenario(data_of(start, TO_CGVS, {"birth_date": birth.isoformat()}),
                              DEFS, NAME)
    _, snapshot = SIM.status(scenario, on, name=NAME)
    assert snapshot.on == on
    if on < start:
        assert set(snapshot.states.values()) == {"none"}


def test_the_profile_is_one_of_the_documented_ones():
    assert os.environ.get("HYPOTHESIS_PROFILE", "ci") in PROFILES
    assert PROFILE.max_examples >= 60


@pytest.mark.parametrize("event", [e for _, e, _ in TO_OTP_EXCEPTION])
def test_the_fixed_cases_use_scenario_events(event):
    assert event in DEFS.scenario_events()
