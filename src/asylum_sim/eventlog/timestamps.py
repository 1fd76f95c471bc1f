"""Timestamps of event logs to calendar dates.

Legal time is counted in days, so every timestamp becomes the calendar date on which it
falls in Belgium: a datetime with an offset or ``Z`` is converted to Europe/Brussels first
(``2023-03-05T23:30:00Z`` is 6 March in Brussels); a naive datetime is taken as Belgian
local time. ``--date-format`` gives a strftime format for exports that write dates another
way (``%d/%m/%Y %H:%M``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from asylum_sim.model.dates import FIRST_DATE, LAST_DATE

BRUSSELS = ZoneInfo("Europe/Brussels")
FIRST_YEAR, LAST_YEAR = FIRST_DATE.year, LAST_DATE.year
"""Dates outside these years are refused, as in scenario files (model/dates.py)."""


class BadTimestamp(ValueError):
    """A value that is not a date this reader understands; the message says why."""


def brussels_date(moment: dt.datetime) -> dt.date:
    """The calendar date of ``moment`` in Brussels (a naive moment is Belgian local time)."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(BRUSSELS)
    return moment.date()


class DateParser:
    """Turns the timestamps of one log into dates, by its ``--date-format`` if any."""

    def __init__(self, date_format: str | None = None) -> None:
        self.date_format = date_format
        self._text = lru_cache(maxsize=4096)(self._from_text)
        """Logs repeat the same dates (and day-first dates are slow to parse)."""

    def __call__(self, value: Any) -> dt.date:
        """The date of ``value`` (text, date, datetime or pandas Timestamp)."""
        if isinstance(value, str):
            day = self._text(value.strip())
        elif isinstance(value, dt.datetime):  # before date: a datetime is a date
            day = brussels_date(value)
        elif isinstance(value, dt.date):
            day = value
        elif hasattr(value, "to_pydatetime"):  # pandas.Timestamp
            day = brussels_date(value.to_pydatetime())
        elif value is None:
            raise BadTimestamp("no date")
        else:
            raise BadTimestamp(f"{value!r} is not a date")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise BadTimestamp(f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
        return day

    def _from_text(self, text: str) -> dt.date:
        if not text:
            raise BadTimestamp("no date")
        if self.date_format is not None:
            try:
                return brussels_date(dt.datetime.strptime(text, self.date_format))
            except ValueError:
                raise BadTimestamp(
                    f"{text!r} does not match --date-format {self.date_format}"
                ) from None
        if len(text) == 10:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        try:
            return brussels_date(dt.datetime.fromisoformat(text))
        except ValueError:
            hint = " (a day-first date? give --date-format, e.g. %d/%m/%Y)" if "/" in text else ""
            raise BadTimestamp(f"{text!r} is not an ISO date or datetime{hint}") from None


def check_date_format(date_format: str) -> None:
    """Refuse a ``--date-format`` that cannot give a date (no day, month or year)."""
    probe = dt.datetime(2023, 11, 28, 13, 45, 30)
    try:
        text = probe.strftime(date_format)
        back = dt.datetime.strptime(text, date_format)
    except ValueError as exc:
        raise BadTimestamp(f"--date-format {date_format!r}: {exc}") from None
    if back.date() != probe.date():
        raise BadTimestamp(
            f"--date-format {date_format!r} does not hold a whole date (day, month and year, "
            "e.g. %d/%m/%Y)"
        )
