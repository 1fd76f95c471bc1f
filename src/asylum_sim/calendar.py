"""The legal calendar: Belgian public holidays, working days and the counting of terms.

Every function is pure and cheap: the engine and the benchmarks call them ~100k times, so
holiday sets are computed once per year (``functools.lru_cache``) and working days are
skipped by weekday arithmetic rather than day by day.

Counting rules (docs/legal-rules.md "Counting a term", "Belgian public holidays"):

- A term starts the day after the triggering event (Ger.W. art. 52; Vw. art. 39/57 §2):
  with anchor A (the notification day), day 1 is A + 1 and the last day of N days is A + N.
- Months and years run from date to date (Ger.W. art. 54); a day number the later month
  lacks falls back to that month's last day (31/1 + 1 month = 28/2 or 29/2).
- The last day is in the term; where the law says so (appeal terms: Vw. art. 39/57 §2,
  Ger.W. art. 53) a last day on a Saturday, Sunday or public holiday moves to the next
  working day. Whether to roll is the rule's choice (``last_day(..., roll=True)``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from functools import lru_cache
from types import MappingProxyType

from dateutil.easter import easter

__all__ = [
    "add_period",
    "add_working_days",
    "age_on",
    "belgian_holidays",
    "birthday",
    "is_public_holiday",
    "is_working_day",
    "last_day",
    "notification_day",
    "roll_forward",
    "subtract_working_days",
]

_ONE_DAY = dt.timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday 0 .. Sunday 6

_FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "Nieuwjaar"),
    (5, 1, "Dag van de Arbeid"),
    (7, 21, "Nationale feestdag"),
    (8, 15, "O. L. V. Hemelvaart"),
    (11, 1, "Allerheiligen"),
    (11, 11, "Wapenstilstand"),
    (12, 25, "Kerstmis"),
)
_EASTER_HOLIDAYS: tuple[tuple[int, str], ...] = (
    (1, "Paasmaandag"),
    (39, "O. L. H. Hemelvaart"),
    (50, "Pinkstermaandag"),
)


@lru_cache(maxsize=512)
def _holidays_of_year(year: int) -> MappingProxyType[dt.date, str]:
    """Read-only cached mapping behind :func:`belgian_holidays`."""
    # Computed from the KB's list and dateutil's Easter rather than read from the
    # `holidays` package: importing that package loads every country (about 0.2 s of a
    # replay's start-up). tests/test_calendar.py compares both over 1950-2100.
    sunday = easter(year)
    days = {dt.date(year, month, day): name for month, day, name in _FIXED_HOLIDAYS}
    for offset, name in _EASTER_HOLIDAYS:
        day = sunday + dt.timedelta(days=offset)
        # Two holidays on one day (Ascension on 1 May 2008): one date, both names.
        days[day] = f"{days[day]}; {name}" if day in days else name
    return MappingProxyType(dict(sorted(days.items())))


@lru_cache(maxsize=512)
def _holiday_set(year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` as a frozenset, for O(1) membership tests."""
    return frozenset(_holidays_of_year(year))


@lru_cache(maxsize=512)
def _weekday_holidays(year: int) -> tuple[dt.date, ...]:
    """Sorted public holidays of ``year`` falling on Monday-Friday (the ones that cost a day)."""
    return tuple(sorted(d for d in _holiday_set(year) if d.weekday() < _SATURDAY))


def belgian_holidays(year: int) -> dict[dt.date, str]:
    """The ten Belgian public holidays of ``year`` with their Dutch names.

    Source: KB 18/4/1974 art. 1 (docs/legal-rules.md "Belgian public holidays"): 1 January,
    Easter Monday, 1 May, Ascension (Easter + 39), Whit Monday (Easter + 50), 21 July,
    15 August, 1 November, 11 November, 25 December. Community holidays (11 July,
    27 September, 15 November) are not public holidays. Easter Sunday and Whit Sunday,
    which some calendars list, are not in the KB list.
    Returns a fresh dict (the cached data stays immutable).
    """
    return dict(_holidays_of_year(year))


def is_public_holiday(day: dt.date) -> bool:
    """Whether ``day`` is one of the ten public holidays of KB 18/4/1974."""
    return day in _holiday_set(day.year)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day: not a Saturday, Sunday or public holiday.

    Source: docs/legal-rules.md "Counting a term"; Ger.W. art. 53 (the days a last day may not
    fall on); KB 18/4/1974 for the holidays.
    """
    return day.weekday() < _SATURDAY and day not in _holiday_set(day.year)


def roll_forward(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the next working day.

    Source: Ger.W. art. 53 al. 2 (a last day on a Saturday, Sunday or public holiday moves
    to the next working day), applied to appeal terms by Vw. art. 39/57 §2
    (docs/legal-rules.md "Counting a term").
    """
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def _add_weekdays(day: dt.date, n: int) -> dt.date:
    """The n-th Monday-Friday after ``day`` (holidays ignored), by arithmetic."""
    weekday = day.weekday()
    if weekday >= _SATURDAY:
        # Counting from a weekend day is counting from the Friday before it.
        day -= dt.timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(n, 5)
    extra = 2 if weekday + rest >= _SATURDAY else 0  # crossing one weekend
    return day + dt.timedelta(days=7 * weeks + rest + extra)


def _count_weekday_holidays(after: dt.date, until: dt.date) -> int:
    """Number of public holidays on Monday-Friday in the interval (after, until]."""
    count = 0
    for year in range(after.year, until.year + 1):
        days = _weekday_holidays(year)
        count += bisect.bisect_right(days, until) - bisect.bisect_right(days, after)
    return count


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (``n = 0`` gives ``day`` itself, working or not;
    a negative ``n`` counts back, see :func:`subtract_working_days`).

    Source: docs/legal-rules.md "Counting a term" (working days exclude Saturdays, Sundays and
    public holidays of KB 18/4/1974); used for terms in working days, e.g. registration
    within 3 WD (docs/legal-rules.md "Access to the procedure and documents").
    """
    if n < 0:
        return subtract_working_days(day, -n)
    remaining = n
    while remaining:
        # Jump over `remaining` weekdays at once, then make up for the weekday holidays
        # that jump stepped on; ends when the last jump lands past no new holiday (so it
        # cannot land on a holiday either).
        target = _add_weekdays(day, remaining)
        remaining = _count_weekday_holidays(day, target)
        day = target
    return day


def subtract_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day before ``day``; from a weekend day, one working day back is
    the Friday before it. Used to count back (what-if shifts of ``-5wd``), never for a
    legal term, so it steps day by day."""
    for _ in range(n):
        day -= _ONE_DAY
        while not is_working_day(day):
            day -= _ONE_DAY
    return day


@lru_cache(maxsize=1 << 16)
def add_period(day: dt.date, amount: int, unit: str) -> dt.date:
    """``day`` plus ``amount`` ``unit``: the plain date arithmetic of a term, no rolling.

    - days: ``day + amount`` (calendar days, holidays included; Vw. art. 39/57 §2).
    - working_days: :func:`add_working_days`.
    - months/years: the same day number in the later month, falling back to the month's
      last day (Ger.W. art. 54; docs/legal-rules.md "Counting a term"): 31/1 + 1 month = 28/2
      (29/2 in a leap year), 29/2 + 1 year = 28/2.
    - hours: whole days, rounded up: ``day + ceil(amount / 24)`` days. The simulation
      knows dates, not times, so 24 or 48 hours are 1 or 2 days and 25 hours are 2 days
      (the later end keeps the person in time).

    Cached: rules ask for the same anchors (lodging + 4 months) at every step.
    """
    match unit:
        case "days":
            return day + dt.timedelta(days=amount)
        case "working_days":
            return add_working_days(day, amount)
        case "months":
            return add_months(day, amount)
        case "years":
            return add_months(day, 12 * amount)
        case "hours":
            return day + dt.timedelta(days=math.ceil(amount / 24))
    raise ValueError(f"unknown unit {unit!r}")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later (or earlier), falling back to the month's last
    day: what ``dateutil.relativedelta(months=n)`` gives (tests compare the two over
    every day of 1996-2004), without its cost in the engine's inner loop."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = _MONTH_DAYS[month] + (month == 1 and _is_leap(year))
    return dt.date(year, month + 1, min(day.day, last))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def notification_day(decision: dt.date, posted: bool) -> dt.date:
    """The day a term is anchored on: its day 1 is the day after the returned date.

    Source: Vw. art. 39/57 §2 (docs/legal-rules.md "Counting a term"). Handed over (or registered
    letter with acknowledgment of receipt): the decision date itself, day 1 is the next day.
    Posted by ordinary letter or registered letter without receipt (``decision`` is the
    posting date): day 1 is the third working day after posting, whatever day the letter
    was actually collected, so the anchor is the day before that third working day.
    """
    if not posted:
        return decision
    return add_working_days(decision, 3) - _ONE_DAY


@lru_cache(maxsize=1 << 16)
def last_day(
    trigger: dt.date,
    amount: int,
    unit: str,
    *,
    posted: bool = False,
    roll: bool = False,
) -> dt.date:
    """The last day on which the act is still in time (the term's last day is in the term).

    ``anchor = notification_day(trigger, posted)``; ``end = add_period(anchor, amount,
    unit)``; with ``roll``, an end on a Saturday, Sunday or public holiday moves to the next
    working day. For days this is day 1 = anchor + 1 and last day = anchor + N.

    Sources: Vw. art. 39/57 §2 (start and posting), Ger.W. art. 52-54 (day of the act not
    counted, last day included and rolled, months date to date), docs/legal-rules.md
    "Counting a term". Worked example there: refusal handed over Fri 28/11/2025, 30 days, rolled:
    Mon 29/12/2025 (day 30 is Sun 28/12/2025).
    """
    end = add_period(notification_day(trigger, posted), amount, unit)
    return roll_forward(end) if roll else end


def birthday(birth: dt.date, age: int) -> dt.date:
    """The date on which a person born on ``birth`` turns ``age``.

    Source: none specific; our choice (the sources give no rule). A person born on
    29 February turns a year older on 1 March in a non-leap year, not on 28 February: the
    year of life is only completed once 28 February has fully passed, and the later date
    keeps a minor's protection (e.g. the guardianship of an unaccompanied minor) until the
    last possible day. Note this differs on purpose from ``add_period(birth, n, years)``,
    which gives 28 February: use this function, not add_period, for ages.
    """
    year = birth.year + age
    if birth.month == 2 and birth.day == 29 and not _is_leap(year):
        return dt.date(year, 3, 1)
    return birth.replace(year=year)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of life on ``day`` (the birthday itself counts as reached).

    Consistent with :func:`birthday`: ``age_on(birth, birthday(birth, n)) == n`` and one day
    earlier it is ``n - 1``; a 29 February birthday is reached on 1 March in non-leap years.
    Raises ValueError for a ``day`` before ``birth`` (no negative ages).
    """
    if day < birth:
        raise ValueError(f"age asked on {day}, before the birth on {birth}")
    years = day.year - birth.year
    # Compare (month, day) with 29/2 mapped to 1/3 in non-leap years, as in birthday().
    anniversary = (birth.month, birth.day)
    if anniversary == (2, 29) and not _is_leap(day.year):
        anniversary = (3, 1)
    if (day.month, day.day) < anniversary:
        years -= 1
    return years


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
