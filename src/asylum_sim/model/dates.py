"""The dates asylum-sim accepts, in files and on the command line.

Cases are dated from 1900 to 2200 (birth dates too). The bound keeps every computed date
(a date plus a period of at most 100 years, see :data:`asylum_sim.model.common.MAX_AMOUNT`)
far inside what Python's dates can hold, so that no date arithmetic can overflow, and it
catches typos such as 9023 or 1023 for 2023.
"""

from __future__ import annotations

import datetime as dt

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


def out_of_range(day: dt.date) -> str | None:
    """Why ``day`` is refused, or None when it is within the range."""
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return (
        f"the date {day.isoformat()} is outside the dates asylum-sim handles "
        f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})"
    )


def parse_cli_date(text: str, option: str) -> dt.date:
    """An ISO date given as ``option`` on the command line, or an :class:`InputError`."""
    from asylum_sim.model.errors import InputError, shown

    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{option} {shown(text)}: expected a date as YYYY-MM-DD, e.g. 2025-12-31"
        ) from None
    problem = out_of_range(day)
    if problem is not None:
        raise InputError(f"{option} {text}: {problem}")
    return day
