"""Deadlines of a case: started, met, cancelled, extended and expired by the rule data.

A deadline's due date is its last day (the act is still in time all of that day); both
kinds end on the day after: an ``act`` not done is then ``missed``, a ``waiting`` period
``met``. The engine fires ``on_expiry`` on that day, before the day's scenario events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from asylum_sim import calendar
from asylum_sim.engine.state import CaseState, ChangeLog, DeadlineInstance
from asylum_sim.engine.steps import DeadlineView
from asylum_sim.model.catalogue import DeadlineDef, PeriodChoice
from asylum_sim.model.loader import Definitions
from asylum_sim.rules.conditions import Check, compile_condition

DAY = dt.timedelta(days=1)


class DeadlineRules:
    """The deadlines of the catalogue, indexed by the events and states that affect them."""

    def __init__(self, defs: Definitions) -> None:
        self.starts_on_event: dict[str, list[DeadlineDef]] = defaultdict(list)
        self.starts_on_enter: dict[tuple[str, str], list[DeadlineDef]] = defaultdict(list)
        self.met_by: dict[str, set[str]] = defaultdict(set)
        self.cancelled_by: dict[str, set[str]] = defaultdict(set)
        self.extended_by: dict[str, set[str]] = defaultdict(set)
        self.periods: dict[str, list[tuple[Check | None, PeriodChoice]]] = {}
        self.start_checks: dict[str, Check | None] = {}
        for d in defs.deadlines.values():
            for event in d.starts.events:
                self.starts_on_event[event].append(d)
            for machine, states in d.starts.enter.items():
                for state in states:
                    self.starts_on_enter[(machine, state)].append(d)
            for event in d.met_by:
                self.met_by[event].add(d.id)
            for event in d.cancelled_by:
                self.cancelled_by[event].add(d.id)
            for ext in d.extensions:
                self.extended_by[ext.event].add(d.id)
            self.periods[d.id] = [
                (compile_condition(p.when) if p.when else None, p) for p in d.periods
            ]
            self.start_checks[d.id] = compile_condition(d.starts.when) if d.starts.when else None


class DeadlineBook:
    """The deadlines of one case. ``schedule`` asks the engine to wake the deadline up on
    the day after its due date."""

    def __init__(self, rules: DeadlineRules, case: CaseState, changes: ChangeLog,
                 schedule: Callable[[dt.date, DeadlineInstance], None]) -> None:
        self.rules = rules
        self.case = case
        self.changes = changes
        self.schedule = schedule
        self.touched: set[int] = set()
        """Deadlines (by ``seq``) started or changed since :meth:`views` last ran."""
        self._views: list[DeadlineView] = []
        self._tuple: tuple[DeadlineView, ...] = ()

    def views(self) -> tuple[DeadlineView, ...]:
        """Every deadline started so far, as read-only views; only those touched since
        the last call are made again (a status only changes through a step)."""
        if self.touched:
            views, deadlines, day = self._views, self.case.deadlines, self.case.on
            for seq in sorted(self.touched):
                view = deadlines[seq].view(day)
                if seq < len(views):
                    views[seq] = view
                else:
                    views.append(view)
            self.touched.clear()
            self._tuple = tuple(views)
        return self._tuple

    def on_event(self, event: str, attributes: dict[str, Any]) -> None:
        """Meet, cancel or extend the open deadlines an event concerns; start new ones."""
        rules = self.rules
        met, cancelled = rules.met_by.get(event, ()), rules.cancelled_by.get(event, ())
        extended = rules.extended_by.get(event, ())
        if met or cancelled or extended:
            for instance in self.case.deadlines:
                if instance.status != "open":
                    continue
                did = instance.definition.id
                if did in met:
                    self._close(instance, "met")
                elif did in cancelled:
                    self._close(instance, "cancelled")
                elif did in extended:
                    self._extend(instance, event)
        for d in rules.starts_on_event.get(event, ()):
            self.start(d, attributes, event)

    def on_enter(self, machine: str, state: str, attributes: dict[str, Any],
                 event: str) -> None:
        """Start the deadlines that entering ``state`` starts."""
        for d in self.rules.starts_on_enter.get((machine, state), ()):
            self.start(d, attributes, event)

    def on_leaving(self) -> None:
        """Cancel open deadlines tied to states the case is no longer in."""
        states = self.case.states
        for instance in self.case.deadlines:
            wanted = instance.definition.cancelled_on_leaving
            if instance.status == "open" and wanted and not in_any(states, wanted):
                self._close(instance, "cancelled")

    def expire(self, instance: DeadlineInstance) -> bool:
        """The day after the due date: close the deadline; False when it was met,
        cancelled or extended since it was scheduled (nothing happens then)."""
        if instance.status != "open" or instance.due + DAY != self.case.on:
            return False
        self._close(instance, "met" if instance.definition.kind == "waiting" else "missed")
        return True

    def start(self, d: DeadlineDef, attributes: dict[str, Any], event: str) -> None:
        """Start deadline ``d`` today, if its validity, condition and a period allow."""
        case, day = self.case, self.case.on
        if d.valid is not None and not d.valid.holds_on(day):
            return
        check = self.rules.start_checks[d.id]
        if check is not None and not check(case):
            return
        for condition, choice in self.rules.periods[d.id]:
            if (condition is None or condition(case)) and _has_start(choice, attributes):
                break
        else:
            return  # no period applies
        previous = case.latest_deadline.get(d.id)
        if previous is not None and previous.status == "open":
            self._close(previous, "cancelled")
        posted = d.notification and attributes.get("notification") == "posted"
        base = attributes[choice.from_attribute] if choice.from_attribute else day
        if choice.from_previous_due and previous is not None:
            base = max(day, previous.due)
        amount = -choice.period.amount if choice.before else choice.period.amount
        due = calendar.last_day(base, amount, choice.period.unit, posted=posted,
                                roll=d.roll_forward)
        instance = DeadlineInstance(d, day, due, choice.rule, choice.source,
                                    seq=len(case.deadlines), choice=choice, posted=posted,
                                    event=event, counted_from=base)
        case.deadlines.append(instance)
        case.latest_deadline[d.id] = instance
        self.touched.add(instance.seq)
        self.changes.mark(f"deadline:{d.id}")
        self.schedule(due + DAY, instance)

    def _close(self, instance: DeadlineInstance, status: str) -> None:
        instance.status, instance.closed_on = status, self.case.on
        self.touched.add(instance.seq)
        self.changes.mark(f"deadline:{instance.definition.id}")

    def _extend(self, instance: DeadlineInstance, event: str) -> None:
        for ext in instance.definition.extensions:
            if ext.event == event and instance.extensions < ext.max_times:
                instance.extensions += 1
                instance.due = calendar.add_period(instance.due, ext.period.amount,
                                                   ext.period.unit)
                self.touched.add(instance.seq)
                self.changes.mark(f"deadline:{instance.definition.id}")
                self.schedule(instance.due + DAY, instance)
                return


def _has_start(choice: PeriodChoice, attributes: dict[str, Any]) -> bool:
    """A choice counted from an attribute needs that attribute to hold a date."""
    return choice.from_attribute is None or isinstance(
        attributes.get(choice.from_attribute), dt.date
    )


def in_any(states: dict[str, str], wanted: dict[str, list[str]]) -> bool:
    """Whether some machine is in one of the states listed for it."""
    return any(states.get(machine) in allowed for machine, allowed in wanted.items())


_WHY_TEXT = {
    "nl": ("{period} na {event} op {start}",
           " (per post: dag 1 is de derde werkdag na de afgifte op de post, {day_one})",
           "; laatste dag verschoven van {unrolled} (weekend of feestdag) naar {due}"),
    "en": ("{period} after {event} on {start}",
           " (posted: day 1 is the third working day after posting, {day_one})",
           "; last day moved from {unrolled} (weekend or public holiday) to {due}"),
}


def deadline_why(instance: DeadlineInstance) -> dict[str, str]:
    """How the due date was counted, in one line per language."""
    choice, start, due = instance.choice, instance.start, instance.due
    posted, event = instance.posted, instance.event
    roll = instance.definition.roll_forward
    assert choice is not None
    texts = {}
    if choice.from_previous_due and instance.counted_from != start:
        for lang in _WHY_TEXT:
            word = "na het vorige einde" if lang == "nl" else "after the previous end"
            texts[lang] = (f"{choice.period.label(lang)} {word} ({instance.counted_from}), "
                           f"{event} on {start}")
        return texts
    if choice.from_attribute:
        for lang in _WHY_TEXT:
            word = ("vóór" if choice.before else "na") if lang == "nl" else (
                "before" if choice.before else "after")
            texts[lang] = (f"{choice.period.label(lang)} {word} {choice.from_attribute} "
                           f"({event}): {due}")
        return texts
    day_one = calendar.notification_day(start, True) + DAY if posted else None
    amount = -choice.period.amount if choice.before else choice.period.amount
    unrolled = calendar.last_day(start, amount, choice.period.unit, posted=posted, roll=False)
    for lang, (base, post, moved) in _WHY_TEXT.items():
        text = base.format(period=choice.period.label(lang), event=event, start=start)
        if posted:
            text += post.format(day_one=day_one)
        if roll and unrolled != due:
            text += moved.format(unrolled=unrolled, due=due)
        texts[lang] = text
    return texts
