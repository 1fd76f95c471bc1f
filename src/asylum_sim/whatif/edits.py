"""The ``whatif`` options (``--shift``, ``--drop``, ``--add``, ``--sweep``) and their effect
on a :class:`Scenario`.

Referring to an event: ``EVENT`` is its FIRST occurrence in the case, ``EVENT#N`` the N-th
(N from 1), counting in the order the case takes them: by date, same-day events in file
order. Every reference is resolved against the original scenario, so ``--drop appeal#1
--shift appeal#2=+5d`` means the first and second appeal of the file whatever else moves.

Applying: drops first, then shifts, then adds. A shifted event keeps its place in the file,
so among the events of its new day it keeps the file order; an added event goes after the
existing events of its day (several ``--add`` on one day keep the command-line order).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from asylum_sim import calendar
from asylum_sim.model.common import Unit, amount_problem
from asylum_sim.model.dates import out_of_range
from asylum_sim.model.errors import InputError, shown
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Scenario, ScenarioEvent
from asylum_sim.model.scenario_file import (
    attribute_from_text,
    event_problems,
    parse_scenario,
    suggest,
)

UNITS: dict[str, Unit] = {
    "d": Unit.days,
    "wd": Unit.working_days,
    "m": Unit.months,
    "y": Unit.years,
}
"""Suffixes of an offset on the command line."""

_OFFSET = re.compile(r"^([+-]?)(\d+)(d|wd|m|y)$")
_REF = re.compile(r"^([a-z][a-z0-9_]*)(?:#(\d+))?$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

SHIFT_FORM = "EVENT[#N]=+30d (units d, wd, m, y; e.g. refuse=+30d, appeal#2=-5wd)"
DROP_FORM = "EVENT[#N] (e.g. lodge or appeal#2)"
ADD_FORM = "DATE:EVENT[:key=value,...] (e.g. 2023-10-01:appeal:by=applicant)"
SWEEP_FORM = "EVENT[#N]=FROM..TO/STEP (units d, wd, m; e.g. refuse=-60d..+60d/15d)"


# -- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offset:
    """A signed amount of one calendar unit (``+30d``, ``-2m``, ``+5wd``)."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        suffix = next(k for k, v in UNITS.items() if v == self.unit)
        return f"{'-' if self.amount < 0 else '+'}{abs(self.amount)}{suffix}"

    def apply(self, day: dt.date) -> dt.date:
        """``day`` moved by this offset (working days counted both ways)."""
        return calendar.add_period(day, self.amount, self.unit)


@dataclass(frozen=True)
class EventRef:
    """``EVENT`` or ``EVENT#N``: the N-th occurrence (1-based) of an event in the case."""

    event: str
    nth: int = 1

    def __str__(self) -> str:
        return self.event if self.nth == 1 else f"{self.event}#{self.nth}"


@dataclass(frozen=True)
class Shift:
    ref: EventRef
    offset: Offset


@dataclass(frozen=True)
class Add:
    date: dt.date
    event: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Sweep:
    """A range of shifts of one event: ``start``..``end`` (both included) by ``step``."""

    ref: EventRef
    start: Offset
    end: Offset
    step: Offset

    def offsets(self) -> list[Offset]:
        """Every shift of the range, from ``start`` to ``end``."""
        amounts = range(self.start.amount, self.end.amount + 1, self.step.amount)
        return [Offset(a, self.start.unit) for a in amounts]


@dataclass(frozen=True)
class Edits:
    """Everything a variant changes, as parsed from the command line."""

    drops: tuple[EventRef, ...] = ()
    shifts: tuple[Shift, ...] = ()
    adds: tuple[Add, ...] = ()

    def describe(self) -> list[str]:
        """One line per edit, in the command-line spelling."""
        return [
            *(f"--drop {r}" for r in self.drops),
            *(f"--shift {s.ref}={s.offset}" for s in self.shifts),
            *(f"--add {a.date}:{a.event}" + _attrs_text(a.attributes) for a in self.adds),
        ]


def _attrs_text(attributes: dict[str, Any]) -> str:
    if not attributes:
        return ""
    return ":" + ",".join(f"{k}={_value_text(v)}" for k, v in attributes.items())


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# -- parsing ------------------------------------------------------------------------------


def parse_offset(text: str, option: str, whole: str, form: str) -> Offset:
    """``+30d`` / ``-2m`` / ``5wd`` (no sign means later)."""
    match = _OFFSET.match(text.strip())
    if not match:
        raise InputError(
            f"{option} {whole!r}: {text!r} is not an offset like +30d, -2m, +5wd or +1y; "
            f"expected {form}"
        )
    sign, amount, unit = match.groups()
    if len(amount) > 9:  # far beyond the bound below; int() of a long string is slow
        amount = "9" * 10
    offset = Offset(-int(amount) if sign == "-" else int(amount), UNITS[unit])
    problem = amount_problem(offset.amount, offset.unit)
    if problem is not None:
        raise InputError(f"{option} {shown(whole)}: {problem}")
    return offset


def parse_ref(text: str, option: str, whole: str, form: str) -> EventRef:
    """``EVENT`` or ``EVENT#N`` with N >= 1."""
    match = _REF.match(text.strip())
    if not match or (match.group(2) is not None and int(match.group(2)) < 1):
        raise InputError(
            f"{option} {whole!r}: {text!r} is not an event reference; expected {form}"
        )
    event, nth = match.groups()
    return EventRef(event, int(nth) if nth else 1)


def parse_shift(text: str) -> Shift:
    """``EVENT[#N]=OFFSET``."""
    ref_text, sep, offset_text = text.partition("=")
    if not sep:
        raise InputError(f"--shift {text!r}: missing '='; expected {SHIFT_FORM}")
    return Shift(
        parse_ref(ref_text, "--shift", text, SHIFT_FORM),
        parse_offset(offset_text, "--shift", text, SHIFT_FORM),
    )


def parse_drop(text: str) -> EventRef:
    """``EVENT[#N]``."""
    return parse_ref(text, "--drop", text, DROP_FORM)


def parse_add(text: str) -> Add:
    """``DATE:EVENT[:key=value,...]``."""
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise InputError(f"--add {text!r}: expected {ADD_FORM}")
    try:
        day = dt.date.fromisoformat(parts[0].strip())
    except ValueError:
        raise InputError(
            f"--add {text!r}: {parts[0]!r} is not a date YYYY-MM-DD; expected {ADD_FORM}"
        ) from None
    if (problem := out_of_range(day)) is not None:
        raise InputError(f"--add {text!r}: {problem}")
    event = parts[1].strip()
    if not _KEY.match(event):
        raise InputError(f"--add {text!r}: {event!r} is not an event id; expected {ADD_FORM}")
    attributes: dict[str, Any] = {}
    if len(parts) == 3 and parts[2].strip():
        for item in parts[2].split(","):
            key, sep, value = item.partition("=")
            key = key.strip()
            if not sep or not _KEY.match(key):
                raise InputError(
                    f"--add {text!r}: {item!r} is not key=value; expected {ADD_FORM}"
                )
            if key in attributes:
                raise InputError(f"--add {text!r}: attribute {key!r} given twice")
            attributes[key] = attribute_from_text(value.strip())
    return Add(day, event, attributes)


def parse_sweep(text: str) -> Sweep:
    """``EVENT[#N]=FROM..TO/STEP`` with one unit (d, wd or m) throughout."""
    ref_text, sep, rest = text.partition("=")
    span, slash, step_text = rest.partition("/")
    start_text, dots, end_text = span.partition("..")
    if not sep or not slash or not dots:
        raise InputError(f"--sweep {text!r}: expected {SWEEP_FORM}")
    ref = parse_ref(ref_text, "--sweep", text, SWEEP_FORM)
    start, end, step = (
        parse_offset(t, "--sweep", text, SWEEP_FORM) for t in (start_text, end_text, step_text)
    )
    if len({start.unit, end.unit, step.unit}) != 1:
        raise InputError(
            f"--sweep {text!r}: use one unit for the range and the step; expected {SWEEP_FORM}"
        )
    if start.unit == Unit.years:
        raise InputError(f"--sweep {text!r}: units d, wd or m only; expected {SWEEP_FORM}")
    if step.amount <= 0:
        raise InputError(f"--sweep {text!r}: the step must be positive, e.g. /15d")
    if end.amount < start.amount:
        raise InputError(
            f"--sweep {text!r}: the range runs from the earlier to the later shift, "
            "e.g. -60d..+60d"
        )
    if (end.amount - start.amount) // step.amount >= 1000:
        raise InputError(f"--sweep {text!r}: more than 1000 shifts; use a larger step")
    return Sweep(ref, start, end, step)


def parse_edits(shifts: list[str], drops: list[str], adds: list[str]) -> Edits:
    """The options of one variant."""
    return Edits(
        drops=tuple(parse_drop(t) for t in drops),
        shifts=tuple(parse_shift(t) for t in shifts),
        adds=tuple(parse_add(t) for t in adds),
    )


# -- applying -----------------------------------------------------------------------------


def resolve(scenario: Scenario, ref: EventRef, option: str, defs: Definitions) -> int:
    """The index in ``scenario.events`` of the event ``ref`` names, or a clear error."""
    indexes = [i for i, entry in scenario.ordered_events() if entry.event == ref.event]
    if not indexes:
        present = sorted({e.event for e in scenario.events})
        if ref.event not in defs.events:
            hint = suggest(ref.event, present) or suggest(ref.event, defs.scenario_events())
            raise InputError(f"{option} {ref}: unknown event {ref.event!r}{hint}")
        raise InputError(
            f"{option} {ref}: the scenario has no {ref.event!r} event "
            f"(its events: {', '.join(present)})"
        )
    if ref.nth > len(indexes):
        count = len(indexes)
        usable = ref.event if count == 1 else f"{ref.event}#1..{ref.event}#{count}"
        times = "once" if count == 1 else f"{count} times"
        raise InputError(
            f"{option} {ref}: there is no occurrence #{ref.nth}; {ref.event!r} occurs only "
            f"{times} in the scenario (use {usable})"
        )
    return indexes[ref.nth - 1]


def apply_edits(
    scenario: Scenario, edits: Edits, defs: Definitions, name: str = "variant"
) -> Scenario:
    """The variant: drops, then shifts, then adds; validated against the catalogue."""
    dropped = {resolve(scenario, r, "--drop", defs) for r in edits.drops}
    moved: dict[int, Shift] = {}
    for shift in edits.shifts:
        index = resolve(scenario, shift.ref, "--shift", defs)
        if index in dropped:
            raise InputError(f"--shift {shift.ref}: that event is also dropped (--drop)")
        if index in moved:
            raise InputError(f"--shift {shift.ref}: that event is shifted twice")
        moved[index] = shift
    events: list[ScenarioEvent] = []
    for index, entry in enumerate(scenario.events):
        if index in dropped:
            continue
        if index in moved:
            entry = entry.model_copy(update={"date": moved[index].offset.apply(entry.date)})
        events.append(entry)
    for add in edits.adds:
        problems = event_problems(add.event, add.attributes, defs)
        if problems:
            raise InputError(f"--add {add.date}:{add.event}: {'; '.join(problems)}")
        events.append(
            ScenarioEvent.model_validate({"date": add.date, "event": add.event, **add.attributes})
        )
    if not events:
        raise InputError("the variant has no events left (every event was dropped)")
    data = scenario.model_dump()
    data["events"] = [e.model_dump(exclude_none=True) for e in events]
    return parse_scenario(data, defs, name)
