"""The legal calendar: holidays, working days, terms, ages (calendar.py)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asylum_sim.calendar import (
    add_period,
    add_working_days,
    age_on,
    belgian_holidays,
    birthday,
    is_public_holiday,
    is_working_day,
    last_day,
    notification_day,
    roll_forward,
)
from asylum_sim.model.common import Unit

D = dt.date

# Known Belgian movable holidays (Easter Monday, Ascension, Whit Monday).
KNOWN_MOVABLE = {
    2022: (D(2022, 4, 18), D(2022, 5, 26), D(2022, 6, 6)),
    2023: (D(2023, 4, 10), D(2023, 5, 18), D(2023, 5, 29)),
    2024: (D(2024, 4, 1), D(2024, 5, 9), D(2024, 5, 20)),
    2025: (D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9)),
    2026: (D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25)),
    2027: (D(2027, 3, 29), D(2027, 5, 6), D(2027, 5, 17)),
}

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))


def _naive_add_working_days(day: dt.date, n: int) -> dt.date:
    """Reference implementation: step one day at a time."""
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


# --- public holidays --------------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(KNOWN_MOVABLE))
def test_holidays_are_exactly_the_ten_legal_dates(year: int) -> None:
    """belgian_holidays returns the ten KB 18/4/1974 dates, movable ones at the known dates."""
    easter_monday, ascension, whit_monday = KNOWN_MOVABLE[year]
    expected = {
        D(year, 1, 1),
        easter_monday,
        D(year, 5, 1),
        ascension,
        whit_monday,
        D(year, 7, 21),
        D(year, 8, 15),
        D(year, 11, 1),
        D(year, 11, 11),
        D(year, 12, 25),
    }
    assert set(belgian_holidays(year)) == expected


def test_holidays_leave_out_easter_sunday_and_whit_sunday() -> None:
    """The package's Easter Sunday and Whit Sunday are not in the legal list."""
    result = belgian_holidays(2025)
    assert D(2025, 4, 20) not in result
    assert D(2025, 6, 8) not in result
    assert len(result) == 10


def test_holidays_equal_the_holidays_package_from_1950_to_2100() -> None:
    """Our own computation (KB list + dateutil's Easter) gives the dates and Dutch names of
    the `holidays` package, less its two Sundays, for every year 1950-2100."""
    for year in range(1950, 2101):
        package = holidays.country_holidays("BE", years=year, language="nl",
                                            categories=holidays.PUBLIC)
        ours = belgian_holidays(year)
        sundays = {day for day in package if day.weekday() == 6 and day not in ours}
        assert set(ours) == set(package) - sundays, year
        assert all(ours[day] == package[day] for day in ours), year
    assert belgian_holidays(2025)[D(2025, 7, 21)] == "Nationale feestdag"
    assert belgian_holidays(2025)[D(2025, 4, 21)] == "Paasmaandag"


def test_the_calendar_does_not_import_the_holidays_package() -> None:
    """Start-up: importing every country of `holidays` cost 0.2 s of a replay."""
    import subprocess
    import sys

    code = ("import sys, asylum_sim.calendar as c; c.belgian_holidays(2025); "
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_belgian_holidays_returns_a_copy() -> None:
    """Mutating the returned dict does not corrupt the cached calendar."""
    result = belgian_holidays(2025)
    result.clear()
    assert len(belgian_holidays(2025)) == 10
    assert is_public_holiday(D(2025, 12, 25))


@pytest.mark.parametrize("day", [D(2025, 7, 11), D(2024, 9, 27), D(2024, 11, 15), D(2025, 12, 26)])
def test_community_holidays_and_boxing_day_are_working_days(day: dt.date) -> None:
    """Community holidays (11/7, 27/9, 15/11 on weekdays) and 26 December are working days."""
    assert not is_public_holiday(day)
    assert is_working_day(day)


def test_holiday_on_a_weekday_is_not_a_working_day() -> None:
    """Easter Monday 2025 is a public holiday and not a working day."""
    assert is_public_holiday(D(2025, 4, 21))
    assert not is_working_day(D(2025, 4, 21))


@pytest.mark.parametrize("day", [D(2025, 12, 27), D(2025, 12, 28)])
def test_weekend_is_not_a_working_day(day: dt.date) -> None:
    """Saturdays and Sundays are not working days."""
    assert not is_public_holiday(day)
    assert not is_working_day(day)


def test_day_before_and_after_a_holiday_are_working_days() -> None:
    """Both sides of Ascension 2025 (Thu 29/5) are working days."""
    assert is_working_day(D(2025, 5, 28))
    assert not is_working_day(D(2025, 5, 29))
    assert is_working_day(D(2025, 5, 30))


# --- roll_forward -----------------------------------------------------------------------


def test_roll_forward_keeps_a_working_day() -> None:
    """A working day rolls to itself."""
    assert roll_forward(D(2025, 12, 29)) == D(2025, 12, 29)


def test_roll_forward_from_saturday_and_sunday_to_monday() -> None:
    """A weekend day rolls to the Monday after."""
    assert roll_forward(D(2025, 12, 27)) == D(2025, 12, 29)
    assert roll_forward(D(2025, 12, 28)) == D(2025, 12, 29)


def test_roll_forward_over_a_holiday() -> None:
    """Christmas (Thursday 2025) rolls to Friday 26/12."""
    assert roll_forward(D(2025, 12, 25)) == D(2025, 12, 26)


def test_roll_forward_over_weekend_then_holiday() -> None:
    """Saturday before Easter Monday 2025 rolls to Tuesday 22/4."""
    assert roll_forward(D(2025, 4, 19)) == D(2025, 4, 22)


# --- add_working_days -------------------------------------------------------------------


def test_zero_working_days_is_the_day_itself() -> None:
    """n = 0 returns the day itself, even a Sunday."""
    assert add_working_days(D(2025, 12, 28), 0) == D(2025, 12, 28)


def test_negative_working_days_count_back_over_weekends_and_holidays() -> None:
    """-1 WD from Monday 22/4/2025 (after Easter Monday 21/4) is Friday 18/4."""
    assert add_working_days(dt.date(2025, 4, 22), -1) == dt.date(2025, 4, 18)
    assert add_working_days(dt.date(2025, 4, 23), -1) == dt.date(2025, 4, 22)


def test_working_days_across_christmas_and_new_year() -> None:
    """From Wed 24/12/2025: 26/12, 29/12, 30/12, 31/12, then 2/1/2026 (25/12 and 1/1 off)."""
    start = D(2025, 12, 24)
    got = [add_working_days(start, n) for n in range(1, 6)]
    assert got == [
        D(2025, 12, 26),
        D(2025, 12, 29),
        D(2025, 12, 30),
        D(2025, 12, 31),
        D(2026, 1, 2),
    ]


def test_working_day_over_a_weekend() -> None:
    """The first working day after a Friday is the Monday."""
    assert add_working_days(D(2025, 3, 14), 1) == D(2025, 3, 17)


def test_working_day_from_a_sunday() -> None:
    """Counting from a Sunday: the first working day is Monday."""
    assert add_working_days(D(2025, 3, 16), 1) == D(2025, 3, 17)


@pytest.mark.parametrize(
    ("start", "expected", "holiday"),
    [
        (D(2025, 4, 18), D(2025, 4, 22), "Easter Monday 21/4/2025"),
        (D(2025, 4, 30), D(2025, 5, 2), "1 May 2025 (Thursday)"),
        (D(2025, 5, 28), D(2025, 5, 30), "Ascension 29/5/2025"),
        (D(2025, 6, 6), D(2025, 6, 10), "Whit Monday 9/6/2025"),
        (D(2025, 7, 18), D(2025, 7, 22), "21 July 2025 (Monday)"),
        (D(2025, 8, 14), D(2025, 8, 18), "15 August 2025 (Friday)"),
        (D(2024, 10, 31), D(2024, 11, 4), "1 November 2024 (Friday)"),
        (D(2024, 11, 8), D(2024, 11, 12), "11 November 2024 (Monday)"),
        (D(2026, 5, 13), D(2026, 5, 15), "Ascension 14/5/2026"),
        (D(2026, 5, 22), D(2026, 5, 26), "Whit Monday 25/5/2026"),
    ],
)
def test_next_working_day_skips_each_holiday(
    start: dt.date, expected: dt.date, holiday: str
) -> None:
    """The first working day after the day before a holiday skips it (and any weekend)."""
    assert add_working_days(start, 1) == expected, holiday


def test_working_days_over_many_years_match_naive_count() -> None:
    """A long jump (1000 working days) equals the day-by-day count."""
    start = D(2023, 12, 22)
    assert add_working_days(start, 1000) == _naive_add_working_days(start, 1000)


# --- add_period -------------------------------------------------------------------------


def test_days_are_calendar_days() -> None:
    """Calendar days include weekends and holidays."""
    assert add_period(D(2025, 12, 20), 10, Unit.days) == D(2025, 12, 30)


def test_working_days_unit_uses_working_days() -> None:
    """Unit.working_days delegates to add_working_days."""
    assert add_period(D(2025, 12, 24), 5, Unit.working_days) == D(2026, 1, 2)


def test_month_from_31_january_falls_back_to_28_february() -> None:
    """31/1/2025 + 1 month = 28/2/2025 (no 31 February)."""
    assert add_period(D(2025, 1, 31), 1, Unit.months) == D(2025, 2, 28)


def test_month_from_31_january_in_a_leap_year_is_29_february() -> None:
    """31/1/2024 + 1 month = 29/2/2024."""
    assert add_period(D(2024, 1, 31), 1, Unit.months) == D(2024, 2, 29)


def test_three_months_from_30_november() -> None:
    """30/11/2025 + 3 months = 28/2/2026."""
    assert add_period(D(2025, 11, 30), 3, Unit.months) == D(2026, 2, 28)


def test_months_keep_the_day_number() -> None:
    """15/1/2025 + 4 months = 15/5/2025 (date to date)."""
    assert add_period(D(2025, 1, 15), 4, Unit.months) == D(2025, 5, 15)


def test_year_from_29_february_falls_back_to_28_february() -> None:
    """29/2/2024 + 1 year = 28/2/2025; + 4 years = 29/2/2028."""
    assert add_period(D(2024, 2, 29), 1, Unit.years) == D(2025, 2, 28)
    assert add_period(D(2024, 2, 29), 4, Unit.years) == D(2028, 2, 29)


@pytest.mark.parametrize(("hours", "days"), [(0, 0), (1, 1), (23, 1), (24, 1), (25, 2), (48, 2)])
def test_hours_round_up_to_whole_days(hours: int, days: int) -> None:
    """24 hours is one day; 25 hours is two (the later end keeps the person in time)."""
    start = D(2025, 6, 2)
    assert add_period(start, hours, Unit.hours) == start + dt.timedelta(days=days)


# --- notification_day -------------------------------------------------------------------


def test_handed_over_anchors_on_the_decision_date() -> None:
    """Handed over: the anchor is the decision date (day 1 is the next day)."""
    assert notification_day(D(2025, 11, 28), posted=False) == D(2025, 11, 28)


def test_posted_on_wednesday_starts_on_third_working_day() -> None:
    """Posted Wed 10/12/2025: working days Thu 11, Fri 12, Mon 15; day 1 = 15/12."""
    anchor = notification_day(D(2025, 12, 10), posted=True)
    assert anchor + dt.timedelta(days=1) == D(2025, 12, 15)


def test_posted_before_christmas_skips_the_holiday_and_weekend() -> None:
    """Posted Tue 23/12/2025: 24/12, 26/12, 29/12; day 1 = Mon 29/12."""
    anchor = notification_day(D(2025, 12, 23), posted=True)
    assert anchor == D(2025, 12, 28)


def test_posted_before_easter_monday() -> None:
    """Posted Fri 18/4/2025: Tue 22, Wed 23, Thu 24/4; day 1 = 24/4."""
    assert notification_day(D(2025, 4, 18), posted=True) == D(2025, 4, 23)


# --- last_day ---------------------------------------------------------------------------


def test_worked_example_refusal_handed_over_30_days_rolled() -> None:
    """Vw. art. 39/57 §2: handed over Fri 28/11/2025, 30 days -> Mon 29/12/2025."""
    assert last_day(D(2025, 11, 28), 30, Unit.days, roll=True) == D(2025, 12, 29)


def test_worked_example_day_30_is_a_sunday_and_not_the_last_day() -> None:
    """Day 30 is Sun 28/12/2025; without rolling that would be the end, with rolling not."""
    assert D(2025, 12, 28).weekday() == 6
    assert last_day(D(2025, 11, 28), 30, Unit.days) == D(2025, 12, 28)
    assert last_day(D(2025, 11, 28), 30, Unit.days, roll=True) != D(2025, 12, 28)


def test_day_one_is_the_day_after_the_trigger() -> None:
    """A 1-day term ends the day after the trigger; 0 days ends on the trigger itself."""
    assert last_day(D(2025, 3, 12), 1, Unit.days) == D(2025, 3, 13)
    assert last_day(D(2025, 3, 12), 0, Unit.days) == D(2025, 3, 12)


def test_roll_does_not_move_a_working_last_day() -> None:
    """10 days from Mon 3/3/2025 end Thu 13/3/2025, rolled or not."""
    assert last_day(D(2025, 3, 3), 10, Unit.days, roll=True) == D(2025, 3, 13)
    assert last_day(D(2025, 3, 3), 10, Unit.days) == D(2025, 3, 13)


def test_rolled_last_day_onto_a_holiday_moves_on() -> None:
    """10 days from Fri 11/4/2025 end on Easter Monday 21/4; rolled: Tue 22/4."""
    assert last_day(D(2025, 4, 11), 10, Unit.days) == D(2025, 4, 21)
    assert last_day(D(2025, 4, 11), 10, Unit.days, roll=True) == D(2025, 4, 22)


def test_posted_decision_30_days() -> None:
    """Posted Wed 10/12/2025: day 1 = Mon 15/12, day 30 = Tue 13/1/2026."""
    assert last_day(D(2025, 12, 10), 30, Unit.days, posted=True, roll=True) == D(2026, 1, 13)


def test_posted_decision_10_days_across_new_year() -> None:
    """Posted Tue 23/12/2025: day 1 = Mon 29/12, day 10 = Wed 7/1/2026."""
    assert last_day(D(2025, 12, 23), 10, Unit.days, posted=True, roll=True) == D(2026, 1, 7)


def test_working_day_term_counts_working_days() -> None:
    """3 working days from Wed 24/12/2025 (registration) end Tue 30/12/2025."""
    assert last_day(D(2025, 12, 24), 3, Unit.working_days) == D(2025, 12, 30)


def test_month_term_from_lodging() -> None:
    """4 months from lodging on 31/10/2025 end on 28/2/2026 (no 31/2)."""
    assert last_day(D(2025, 10, 31), 4, Unit.months) == D(2026, 2, 28)


# --- ages -------------------------------------------------------------------------------


def test_age_changes_on_the_birthday() -> None:
    """Born 10/5/2008: 17 on 9/5/2026, 18 on 10/5/2026."""
    birth = D(2008, 5, 10)
    assert age_on(birth, D(2026, 5, 9)) == 17
    assert age_on(birth, D(2026, 5, 10)) == 18
    assert birthday(birth, 18) == D(2026, 5, 10)


def test_age_on_birth_day_is_zero() -> None:
    """On the day of birth a person is 0."""
    assert age_on(D(2010, 1, 1), D(2010, 1, 1)) == 0


def test_age_before_birth_is_rejected() -> None:
    """Asking an age before the birth date is an error, not a negative age."""
    with pytest.raises(ValueError):
        age_on(D(2010, 5, 1), D(2010, 4, 30))


def test_leap_day_birthday_turns_older_on_1_march_in_common_years() -> None:
    """Born 29/2/2008: still 17 on 28/2/2026, 18 on 1/3/2026 (our documented choice)."""
    birth = D(2008, 2, 29)
    assert birthday(birth, 18) == D(2026, 3, 1)
    assert age_on(birth, D(2026, 2, 28)) == 17
    assert age_on(birth, D(2026, 3, 1)) == 18


def test_leap_day_birthday_on_29_february_in_leap_years() -> None:
    """Born 29/2/2008: 20 on 29/2/2028, still 19 on 28/2/2028."""
    birth = D(2008, 2, 29)
    assert birthday(birth, 20) == D(2028, 2, 29)
    assert age_on(birth, D(2028, 2, 28)) == 19
    assert age_on(birth, D(2028, 2, 29)) == 20


# --- invariants (hypothesis) ------------------------------------------------------------


@given(dates)
def test_roll_forward_gives_the_first_working_day_not_before(day: dt.date) -> None:
    """roll_forward(d) >= d, is a working day, and no working day lies in between."""
    rolled = roll_forward(day)
    assert rolled >= day
    assert is_working_day(rolled)
    between = day
    while between < rolled:
        assert not is_working_day(between)
        between += dt.timedelta(days=1)


@given(dates, st.integers(min_value=1, max_value=300))
def test_add_working_days_lands_on_the_naive_working_day(day: dt.date, n: int) -> None:
    """For n >= 1 the result is a working day and equals the day-by-day count."""
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert result == _naive_add_working_days(day, n)


@given(dates, st.integers(0, 50), st.integers(0, 50))
def test_add_working_days_composes(day: dt.date, a: int, b: int) -> None:
    """Adding a then b working days is adding a + b."""
    assert add_working_days(add_working_days(day, a), b) == add_working_days(day, a + b)


@given(
    dates,
    st.integers(0, 400),
    st.sampled_from(list(Unit)),
    st.booleans(),
    st.booleans(),
)
def test_last_day_is_monotone_in_amount(
    day: dt.date, amount: int, unit: Unit, posted: bool, roll: bool
) -> None:
    """A longer term never ends earlier, and never before the trigger."""
    if unit in (Unit.months, Unit.years):
        amount %= 40
    shorter = last_day(day, amount, unit, posted=posted, roll=roll)
    longer = last_day(day, amount + 1, unit, posted=posted, roll=roll)
    assert day <= shorter <= longer
    if roll:
        assert is_working_day(shorter)


@given(st.dates(min_value=D(1940, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 100))
def test_age_on_agrees_with_birthday(birth: dt.date, age: int) -> None:
    """On birthday(birth, n) the age is n; the day before it is n - 1."""
    turns = birthday(birth, age)
    assert age_on(birth, turns) == age
    if age > 0:
        assert age_on(birth, turns - dt.timedelta(days=1)) == age - 1


def test_add_months_equals_dateutil_relativedelta() -> None:
    """The engine's month arithmetic is dateutil's (31/1 + 1 month = 29/2/2000 or 28/2/1999,
    back and forth over leap years), for every day of 1996-2004 and shifts of -30..30."""
    from dateutil.relativedelta import relativedelta

    from asylum_sim.calendar import add_months

    day = D(1996, 1, 1)
    while day < D(2005, 1, 1):
        for months in (-30, -13, -12, -1, 0, 1, 2, 4, 6, 11, 12, 13, 30, 60):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += dt.timedelta(days=1)
