"""Evaluate conditions against a case, and find the dates on which they may change.

Conditions are compiled once into closures (``compile_condition``): a replay evaluates
them at every step, so the tree is not walked again each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from asylum_sim import calendar
from asylum_sim.model import conditions as c


class CaseView(Protocol):
    """What a condition may look at: the case as of the end of day ``on``."""

    on: dt.date
    states: dict[str, str]
    previous: dict[str, str | None]
    facts: dict[str, Any]
    occurrences: dict[str, list[dt.date]]
    trigger: dict[str, Any]

    def deadline_status(self, deadline_id: str) -> str | None: ...

    def holds(self, document_id: str) -> bool: ...


Check = Callable[[CaseView], bool]


def anchor_date(anchor: c.Anchor, case: CaseView) -> dt.date | None:
    """The date an anchor names: the event's first or last date (so far), plus the period."""
    dates = [d for event in anchor.event for d in case.occurrences.get(event, ())]
    if not dates:
        return None
    base = min(dates) if anchor.occurrence == "first" else max(dates)
    if anchor.plus is None:
        return base
    return calendar.add_period(base, anchor.plus.amount, anchor.plus.unit)


def passed_from(anchor: c.Anchor, case: CaseView) -> dt.date | None:
    """The first day an ``after`` holds (and a ``before`` no longer does): the event's date,
    or the day after the period's last day."""
    day = anchor_date(anchor, case)
    if day is None or anchor.plus is None:
        return day
    return day + dt.timedelta(days=1)


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return value in expected
    return value == expected


def compile_condition(cond: Any) -> Check:
    """A function telling whether ``cond`` holds for a case view."""
    match cond:
        case c.AllOf(all=parts):
            return _all_of([compile_condition(p) for p in parts])
        case c.AnyOf(any=parts):
            return _any_of([compile_condition(p) for p in parts])
        case c.Not(negated=inner):
            check = compile_condition(inner)
            return lambda case: not check(case)
        case c.InState(state=wanted):
            items = [(m, frozenset(states)) for m, states in wanted.items()]
            if len(items) == 1:
                ((machine, states),) = items
                return lambda case: case.states.get(machine) in states
            return lambda case: all(case.states.get(m) in states for m, states in items)
        case c.EnteredFrom(entered_from=wanted):
            items = [(m, frozenset(states)) for m, states in wanted.items()]
            return lambda case: all(case.previous.get(m) in states for m, states in items)
        case c.FactIs(fact=wanted):
            items = list(wanted.items())
            return lambda case: all(_matches(case.facts.get(k), v) for k, v in items)
        case c.Trigger(trigger=wanted):
            items = list(wanted.items())
            return lambda case: all(_matches(case.trigger.get(k), v) for k, v in items)
        case c.Age(age=spec):
            return _age_check(spec)
        case c.After(after=anchor):

            def after(case: CaseView) -> bool:
                day = passed_from(anchor, case)
                return day is not None and case.on >= day

            return after
        case c.Before(before=anchor):

            def before(case: CaseView) -> bool:
                day = passed_from(anchor, case)
                return day is not None and case.on < day

            return before
        case c.Happened(happened=spec):
            return _happened_check(spec)
        case c.Dated(date=validity):
            return lambda case: validity.holds_on(case.on)
        case c.DeadlineIs(deadline=spec):
            wanted = frozenset(spec.status)
            return lambda case: case.deadline_status(spec.id) in wanted
        case c.Holds(holds=document):
            return lambda case: case.holds(document)
        case c.Count(count=spec):
            return lambda case: (
                sum(len(case.occurrences.get(e, ())) for e in spec.event) >= spec.at_least
            )
        case c.Always():
            return lambda case: True
    raise TypeError(f"not a condition: {cond!r}")


def _all_of(checks: list[Check]) -> Check:
    # Plain loops: conditions run at every step, and all()/any() over a generator cost
    # noticeably more in the benchmark.
    def all_of(case: CaseView) -> bool:
        for check in checks:  # noqa: SIM110 - see above
            if not check(case):
                return False
        return True

    return all_of


def _any_of(checks: list[Check]) -> Check:
    def any_of(case: CaseView) -> bool:
        for check in checks:  # noqa: SIM110 - see above
            if check(case):
                return True
        return False

    return any_of


def _age_check(spec: c.AgeSpec) -> Check:
    def age(case: CaseView) -> bool:
        birth = case.facts.get("birth_date")
        if not isinstance(birth, dt.date) or case.on < birth:
            return False  # the age is unknown (no birth date, or a day before the birth)
        years = calendar.age_on(birth, case.on)
        if spec.at_least is not None and years < spec.at_least:
            return False
        return spec.below is None or years < spec.below

    return age


def _happened_check(spec: c.HappenedSpec) -> Check:
    def happened(case: CaseView) -> bool:
        dates = [d for event in spec.event for d in case.occurrences.get(event, ())]
        if spec.between is not None:
            dates = [d for d in dates if spec.between.holds_on(d)]
        if spec.within is not None:
            # Without ``plus`` the window is open-ended: "since that event".
            start = anchor_date(spec.within.model_copy(update={"plus": None}), case)
            if start is None:
                return False
            end = anchor_date(spec.within, case) if spec.within.plus else None
            dates = [d for d in dates if start <= d and (end is None or d <= end)]
        return any(d <= case.on for d in dates)

    return happened


@dataclass(frozen=True)
class Temporal:
    """The parts of a condition that can make it flip on a date without any event."""

    fixed: frozenset[dt.date] = frozenset()
    """Law dates: the first day a dated rule holds and the day after it ends."""
    ages: frozenset[int] = frozenset()
    """Ages whose birthday matters."""
    anchors: tuple[c.Anchor, ...] = ()
    """Anchors (event + period) whose date matters; they move only when their event happens."""

    @property
    def events(self) -> frozenset[str]:
        return frozenset(e for anchor in self.anchors for e in anchor.event)

    def __or__(self, other: Temporal) -> Temporal:
        return Temporal(self.fixed | other.fixed, self.ages | other.ages,
                        self.anchors + other.anchors)


def temporal_parts(cond: Any) -> Temporal:
    """Collect, once, what :func:`anchor_points` and the engine need to schedule ticks."""
    match cond:
        case c.AllOf(all=parts) | c.AnyOf(any=parts):
            found = Temporal()
            for part in parts:
                found = found | temporal_parts(part)
            return found
        case c.Not(negated=inner):
            return temporal_parts(inner)
        case c.After(after=anchor) | c.Before(before=anchor):
            return Temporal(anchors=(anchor,))
        case c.Dated(date=validity):
            return Temporal(fixed=validity_edges(validity))
        case c.Age(age=spec):
            return Temporal(ages=frozenset(a for a in (spec.at_least, spec.below)
                                           if a is not None))
    return Temporal()


def validity_edges(validity: Any) -> frozenset[dt.date]:
    """The first day a range holds and the first day after it."""
    edges = set()
    if validity.start is not None:
        edges.add(validity.start)
    if validity.end is not None:
        edges.add(validity.end + dt.timedelta(days=1))
    return frozenset(edges)


def anchor_points(parts: Temporal, case: CaseView) -> Iterator[dt.date]:
    """The dates the anchors of ``parts`` name for this case, as far as known now."""
    for anchor in parts.anchors:
        if (day := passed_from(anchor, case)) is not None:
            yield day


def age_points(parts: Temporal, case: CaseView) -> Iterator[dt.date]:
    """The birthdays on which an age condition of ``parts`` may flip."""
    birth = case.facts.get("birth_date")
    if isinstance(birth, dt.date):
        for years in parts.ages:
            yield calendar.birthday(birth, years)


def dependencies(cond: Any) -> frozenset[str]:
    """What a condition reads, as tokens (``state:procedure:appeal|refused``, ``fact:region``,
    ``event:lodge``, ``deadline:work_access``, ``holds:bgv``): after a step the engine
    re-evaluates only the rules that read something the step changed. Time itself is not a
    token: the dates on which a condition flips by itself are scheduled (:class:`Temporal`).
    """
    match cond:
        case c.AllOf(all=parts) | c.AnyOf(any=parts):
            return frozenset().union(*(dependencies(p) for p in parts))
        case c.Not(negated=inner):
            return dependencies(inner)
        case c.InState(state=wanted):
            # Only a move into or out of this set of states can change the answer: see
            # state_set_token and EntitlementRules.readers_of.
            return frozenset(state_set_token(m, states) for m, states in wanted.items())
        case c.EnteredFrom(entered_from=wanted):
            return frozenset(f"prev:{m}" for m in wanted)
        case c.FactIs(fact=wanted):
            return frozenset(f"fact:{k}" for k in wanted)
        case c.Age():
            return frozenset({"fact:birth_date"})
        case c.After(after=anchor) | c.Before(before=anchor):
            return frozenset(f"event:{e}" for e in anchor.event)
        case c.Happened(happened=spec):
            anchors = spec.within.event if spec.within else []
            return frozenset(f"event:{e}" for e in [*spec.event, *anchors])
        case c.Count(count=spec):
            return frozenset(f"event:{e}" for e in spec.event)
        case c.DeadlineIs(deadline=spec):
            return frozenset({f"deadline:{spec.id}"})
        case c.Holds(holds=document):
            return frozenset({f"holds:{document}"})
    return frozenset()


def state_set_token(machine: str, states: Iterable[str]) -> str:
    """The token of "``machine`` is in one of ``states``": ``state:procedure:appeal|refused``."""
    return f"state:{machine}:{'|'.join(sorted(states))}"
