"""What happened and when: ``happened``, ``count``, ``after`` and ``before``.

The case's occurrences hold the events that happened up to the day evaluated (the engine
applies events in date order), so "happened" needs no date test of its own.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from asylum_sim import calendar
from asylum_sim.model.common import Id, Period, Strict, Validity
from asylum_sim.model.conditions.base import (
    CaseView,
    Compiler,
    Named,
    Node,
    Read,
    Temporal,
    operator,
)
from asylum_sim.model.conditions.machines import as_list

DAY = dt.timedelta(days=1)


class Anchor(Strict):
    """A date taken from the case: the first or last date of one of the events, plus a
    period. With a period the anchor names the period's last day, counted like a legal
    term (Ger.W. art. 52-54: 4 months from lodging on 1/2 run up to and including 1/6)."""

    event: list[Id]
    occurrence: Literal["first", "last"] = "last"
    plus: Period | None = None

    _lists = field_validator("event", mode="before")(as_list)

    def token(self) -> tuple[object, ...]:
        """A hashable identity (anchors with the same token name the same date)."""
        plus = (self.plus.amount, str(self.plus.unit)) if self.plus else None
        return (tuple(self.event), self.occurrence, plus)

    def base(self, occurrences: Mapping[str, Sequence[dt.date]]) -> dt.date | None:
        """The date of the event's first or last occurrence so far."""
        dates = [d for e in self.event for d in occurrences.get(e, ())]
        if not dates:
            return None
        return min(dates) if self.occurrence == "first" else max(dates)

    def date(self, occurrences: Mapping[str, Sequence[dt.date]]) -> dt.date | None:
        """The base plus the period (the period's last day)."""
        base = self.base(occurrences)
        if base is None or self.plus is None:
            return base
        return calendar.add_period(base, self.plus.amount, self.plus.unit)

    def passed_from(self, occurrences: Mapping[str, Sequence[dt.date]]) -> dt.date | None:
        """The first day an ``after`` holds: the event's date itself, or with a period the
        day after its last day (4 months after lodging on 1/2: from 2/6)."""
        day = self.date(occurrences)
        return day + DAY if day is not None and self.plus is not None else day


def occurred(occurrences: Mapping[str, Sequence[dt.date]], events: Sequence[str],
             low: dt.date | None, high: dt.date | None) -> bool:
    """Whether one of ``events`` happened on a day in ``[low, high]`` (None: open)."""
    for event in events:
        dates = occurrences.get(event)
        if not dates:
            continue
        i = 0 if low is None else bisect.bisect_left(dates, low)
        if i < len(dates) and (high is None or dates[i] <= high):
            return True
    return False


class Season(Strict):
    """Days of the year, the same every year: from ``MM-DD`` up to and including ``MM-DD``
    (``{from: "04-01", to: "06-30"}``: 1 April to 30 June)."""

    start: str = Field(alias="from", pattern=r"^\d{2}-\d{2}$")
    end: str = Field(alias="to", pattern=r"^\d{2}-\d{2}$")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _days(self) -> Season:
        for text in (self.start, self.end):
            month, day = int(text[:2]), int(text[3:])
            try:
                dt.date(2024, month, day)  # a leap year: 02-29 is a day of the year
            except ValueError:
                raise ValueError(f"{text!r} is not a day of the year (MM-DD)") from None
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) comes before 'from' ({self.start}); "
                             "a season runs within one calendar year")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= f"{day.month:02d}-{day.day:02d}" <= self.end


class HappenedSpec(Strict):
    event: list[Id]
    since: Anchor | None = None
    """Only occurrences on or after the anchor event's date count ("since the last
    application"); without a period."""
    within: Anchor | None = None
    """Only occurrences from the anchor event's date up to and including the end of its
    period count ("within 5 years of the status")."""
    between: Validity | None = None
    """Only occurrences dated in this range count (e.g. registered before 1/1/2023)."""
    season: Season | None = None
    """Only occurrences on these days of the year count, whatever the year (a negative
    decision "between 1 April and 30 June")."""

    _lists = field_validator("event", mode="before")(as_list)

    @model_validator(mode="after")
    def _windows(self) -> HappenedSpec:
        if self.since is not None and self.since.plus is not None:
            raise ValueError("'since' takes no period (use 'within' for a window)")
        if self.within is not None and self.within.plus is None:
            raise ValueError("'within' needs a period ('plus'); use 'since' for an open end")
        if self.since is not None and self.within is not None:
            raise ValueError("give 'since' or 'within', not both")
        return self

    def window(self, occurrences: Mapping[str, Sequence[dt.date]]
               ) -> tuple[bool, dt.date | None, dt.date | None]:
        """(anchored, low, high): the dates an occurrence must lie between; ``anchored`` is
        False when the window's anchor event has not happened."""
        low = high = None
        if self.between is not None:
            low, high = self.between.start, self.between.end
        anchor = self.since or self.within
        if anchor is not None:
            start = anchor.base(occurrences)
            if start is None:
                return False, None, None
            low = start if low is None else max(low, start)
            if self.within is not None:
                end = anchor.date(occurrences)
                high = end if high is None else min(high, end)  # type: ignore[type-var]
        return True, low, high


def happened_now(spec: HappenedSpec, occurrences: Mapping[str, Sequence[dt.date]]) -> bool:
    """The compiled form of ``happened`` with a window (bisect on the sorted dates)."""
    anchored, low, high = spec.window(occurrences)
    if not anchored:
        return False
    season = spec.season
    if season is None:
        return occurred(occurrences, spec.event, low, high)
    for event in spec.event:
        dates = occurrences.get(event, ())
        start = 0 if low is None else bisect.bisect_left(dates, low)
        end = len(dates) if high is None else bisect.bisect_right(dates, high)
        if any(season.contains(day) for day in dates[start:end]):
            return True
    return False


@operator
class Happened(Node):
    """True when one of the events happened. Options narrow which occurrences count:
    `since` (on or after an anchor event's date), `within` (from an anchor event's date
    to the end of its period), `between` (dates `from` and `to`) and `season` (days
    of any year: `season: {from: "04-01", to: "06-30"}`, both ends included)."""

    key = "happened"
    example = ("happened: {event: declare_admissible, since: {event: apply, "
               "occurrence: last}}")
    happened: HappenedSpec

    def evaluate(self, case: CaseView, named: Named) -> bool:
        spec = self.happened
        anchored, low, high = spec.window(case.occurrences)
        if not anchored:
            return False
        return any((low is None or low <= d) and (high is None or d <= high)
                   and (spec.season is None or spec.season.contains(d))
                   for e in spec.event for d in case.occurrences.get(e, ()))

    def compile(self, cx: Compiler) -> str:
        spec = self.happened
        if (spec.since is None and spec.within is None and spec.between is None
                and spec.season is None):
            occurrences = cx.local("occurrences")
            return "(" + " or ".join(f"{e!r} in {occurrences}" for e in spec.event) + ")"
        return f"{cx.const(happened_now)}({cx.const(spec)}, {cx.local('occurrences')})"

    def reads(self, named: Named) -> frozenset[Read]:
        spec = self.happened
        anchor = spec.since or spec.within
        events = [*spec.event, *(anchor.event if anchor else [])]
        return frozenset(Read("event", e) for e in events)


class CountSpec(Strict):
    event: list[Id]
    at_least: int = Field(default=1, ge=0)
    below: int | None = Field(default=None, ge=1)

    _lists = field_validator("event", mode="before")(as_list)


@operator
class Count(Node):
    """True when the events happened at least ``at_least`` times (and fewer than ``below``
    times, when given)."""

    key = "count"
    example = "count: {event: apply, at_least: 2}"
    count: CountSpec

    def evaluate(self, case: CaseView, named: Named) -> bool:
        spec = self.count
        n = sum(len(case.occurrences.get(e, ())) for e in spec.event)
        return n >= spec.at_least and (spec.below is None or n < spec.below)

    def compile(self, cx: Compiler) -> str:
        spec, occurrences = self.count, cx.local("occurrences")
        n = " + ".join(f"len({occurrences}.get({e!r}, ()))" for e in spec.event)
        test = f"{spec.at_least} <= ({n})"
        if spec.below is not None:
            test += f" < {spec.below}"
        return f"({test})"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset(Read("event", e) for e in self.count.event)


@operator
class After(Node):
    """True from the anchor on: from the event's date, or with a period from the day after
    its last day (4 months after lodging on 1/2: from 2/6, the day the right to work opens
    too); false while the event has not happened. Flips by itself on that day."""

    key = "after"
    flips = "on the day the anchor is passed"
    example = "after: {event: lodge, plus: {amount: 4, unit: months}}"
    after: Anchor

    def evaluate(self, case: CaseView, named: Named) -> bool:
        day = self.after.passed_from(case.occurrences)
        return day is not None and case.on >= day

    def compile(self, cx: Compiler) -> str:
        day = cx.anchor(self.after)
        return f"({day} is not None and {cx.local('on')} >= {day})"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("date", ""), *(Read("event", e) for e in self.after.event)})

    def temporal(self, named: Named) -> Temporal:
        return Temporal(anchors=(self.after,))


@operator
class Before(Node):
    """The opposite of ``after`` once the event happened: before the event's date, or with
    a period up to and including its last day; false without the event."""

    key = "before"
    flips = "on the day the anchor is passed"
    example = ("before: {event: grant_refugee_status, occurrence: first, "
               "plus: {amount: 3, unit: years}}")
    before: Anchor

    def evaluate(self, case: CaseView, named: Named) -> bool:
        day = self.before.passed_from(case.occurrences)
        return day is not None and case.on < day

    def compile(self, cx: Compiler) -> str:
        day = cx.anchor(self.before)
        return f"({day} is not None and {cx.local('on')} < {day})"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("date", ""), *(Read("event", e) for e in self.before.event)})

    def temporal(self, named: Named) -> Temporal:
        return Temporal(anchors=(self.before,))
