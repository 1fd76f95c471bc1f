"""A case's books: its deadlines, documents and entitlements, kept by the catalogue's rules.

The three books follow one pattern. The simulator tells each what happened (an event, a
machine entering a state, machines leaving states) and asks each for its view on a day.
A view is computed from the records and the day alone; nothing is remembered between
views except to share what did not change (a closed deadline's view never changes, so the
list of closed ones is shared by every later snapshot).

Deadlines: the due date is the last day (the act is still in time all of that day). On the
day after, a deadline not met or cancelled has ended: a ``waiting`` period is ``met``, an
act is ``missed`` when it was the person's duty, ``expired`` when it was an option (an
appeal) or the term of an authority or structure. The engine fires ``on_expiry`` that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from asylum_sim import calendar
from asylum_sim.engine.explain import deadline_why, entitlement_why
from asylum_sim.engine.steps import DeadlineView, DocumentHeld, EntitlementView
from asylum_sim.model.catalogue import DeadlineDef, DocumentDef, EventDef, PeriodChoice

if TYPE_CHECKING:
    from asylum_sim.engine.case import Case
    from asylum_sim.rules.catalogue import Catalogue

DAY = dt.timedelta(days=1)
Schedule = Callable[[dt.date, Any], None]


def in_any(states: dict[str, str], wanted: dict[str, list[str]]) -> bool:
    """Whether some machine is in one of the states listed for it."""
    for machine, allowed in wanted.items():  # noqa: SIM110 - a loop: called at every step
        if states.get(machine) in allowed:
            return True
    return False


# -- deadlines -------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class DeadlineInstance:
    """One deadline of a case, from its start."""

    definition: DeadlineDef
    seq: int
    start: dt.date
    due: dt.date
    choice: PeriodChoice
    event: str
    posted: bool
    counted_from: dt.date
    status: str = "open"
    """The final status once closed (met, missed, expired, cancelled)."""
    closed_on: dt.date | None = None
    extensions: int = 0
    shown: DeadlineView | None = None
    """The last view made: shared by the snapshots while the deadline shows the same."""

    def status_on(self, day: dt.date) -> str:
        """The status as of the end of ``day``."""
        if self.closed_on is not None and self.closed_on <= day:
            return self.status
        if self.due < day:
            return self.definition.expiry_status
        return "open"

    def view(self, day: dt.date, events: Mapping[str, EventDef]) -> DeadlineView:
        status = self.status_on(day)
        d = self.definition
        closed = None if status == "open" else (self.closed_on or self.due + DAY)
        shown = self.shown
        if (shown is not None and shown.status == status and shown.due == self.due
                and shown.closed_on == closed):
            return shown
        why = partial(deadline_why, events, d, self.choice, self.start, self.due, self.posted,
                      self.event, self.counted_from)
        self.shown = DeadlineView(d.id, self.start, self.due, status,  # type: ignore[arg-type]
                                  self.choice.rule, self.choice.source, d.kind, closed, why,
                                  d.actor)
        return self.shown


class DeadlineList(Sequence[DeadlineView]):
    """The deadlines of a snapshot, in the order they started. The open ones are viewed
    when the snapshot is made; a closed one never changes again, so its view is made from
    the book's shared list of deadlines only when read."""

    __slots__ = ("_count", "_events", "_instances", "_open")

    def __init__(self, instances: list[DeadlineInstance], count: int,
                 open_views: dict[int, DeadlineView], events: Mapping[str, EventDef]) -> None:
        self._instances, self._count, self._open = instances, count, open_views
        self._events = events

    def __len__(self) -> int:
        return self._count

    def _view(self, i: int) -> DeadlineView:
        view = self._open.get(i)
        if view is None:
            instance = self._instances[i]
            view = instance.view(instance.closed_on, self._events)  # type: ignore[arg-type]
        return view

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._view(j) for j in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return self._view(i)

    def __iter__(self) -> Iterator[DeadlineView]:
        return (self._view(i) for i in range(self._count))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DeadlineList({list(self)!r})"


class DeadlineBook:
    """The deadlines of one case: started, met, cancelled, extended and ended by the rules."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.index = catalogue.index
        self.events = catalogue.defs.events
        self.instances: list[DeadlineInstance] = []
        self.latest: dict[str, DeadlineInstance] = {}
        self.open: dict[str, DeadlineInstance] = {}
        """Open deadlines by id: starting a deadline again cancels its open instance, so
        there is at most one per id."""

    def on_event(self, case: Case, event: str, attributes: dict[str, Any],
                 schedule: Schedule) -> None:
        """Meet, cancel or extend the open deadlines an event concerns; start new ones."""
        index = self.index
        met, cancelled = index.met_by.get(event, ()), index.cancelled_by.get(event, ())
        extended = index.extended_by.get(event, ())
        for did in (*met, *cancelled, *extended):
            instance = self.open.get(did)
            if instance is None or instance.due < case.on:
                continue  # ended already (its timer fires today, before this event)
            if did in met:
                self.close(instance, "met", case.on)
            elif did in cancelled:
                self.close(instance, "cancelled", case.on)
            else:
                self._extend(instance, event, schedule)
        for d in index.starts_on_event.get(event, ()):
            self.start(case, d, attributes, event, schedule)

    def on_enter(self, case: Case, machine: str, state: str, attributes: dict[str, Any],
                 event: str, schedule: Schedule) -> None:
        for d in self.index.starts_on_enter.get((machine, state), ()):
            self.start(case, d, attributes, event, schedule)

    def on_leaving(self, case: Case) -> None:
        """Cancel the open deadlines tied to states the case is no longer in."""
        states = case.states
        for instance in [i for i in self.open.values() if i.definition.cancelled_on_leaving]:
            if not in_any(states, instance.definition.cancelled_on_leaving):
                self.close(instance, "cancelled", case.on)

    def start(self, case: Case, d: DeadlineDef, attributes: dict[str, Any], event: str,
              schedule: Schedule) -> None:
        """Start deadline ``d`` today if its validity, its condition and a period allow."""
        day = case.on
        if d.valid is not None and not d.valid.holds_on(day):
            return
        rules = self.catalogue.rules
        check = rules.starts(d.id)
        if check is not None and not check(case):
            return
        pick = rules.period(d.id)(case)
        if pick < 0:
            return
        choice = d.periods[pick]
        previous = self.latest.get(d.id)
        if previous is not None and previous.status == "open":
            self.close(previous, "cancelled", day)
        posted = d.notification and attributes.get("notification") == "posted"
        base = day
        if choice.from_attribute:
            base = attributes[choice.from_attribute]
        elif choice.from_event is not None:
            base = choice.from_event.base(case.occurrences) or day
        elif choice.from_previous_due and previous is not None:
            base = max(day, previous.due)
        amount = -choice.period.amount if choice.before else choice.period.amount
        due = calendar.last_day(base, amount, choice.period.unit, posted=posted,
                                roll=d.roll_forward)
        instance = DeadlineInstance(d, len(self.instances), day, due, choice, event, posted,
                                    base)
        self.instances.append(instance)
        self.latest[d.id] = instance
        self.open[d.id] = instance
        # A term counted from an earlier date may have run out already (five years from
        # the application, when the status comes later): it ends today.
        schedule(max(due + DAY, day), instance)

    def close(self, instance: DeadlineInstance, status: str, day: dt.date) -> None:
        instance.status, instance.closed_on = status, day
        if self.open.get(instance.definition.id) is instance:
            del self.open[instance.definition.id]

    @staticmethod
    def ends_on(instance: DeadlineInstance, day: dt.date) -> bool:
        """Whether a timer for ``instance`` on ``day`` ends it: False when the deadline was
        met, cancelled or extended since the timer was set (the timer is stale)."""
        return instance.status == "open" and instance.due < day and (
            instance.due + DAY == day or instance.start == day)

    def expire(self, instance: DeadlineInstance, day: dt.date) -> None:
        """Close a deadline whose term ran out (see :meth:`ends_on`)."""
        self.close(instance, instance.definition.expiry_status, day)

    def _extend(self, instance: DeadlineInstance, event: str, schedule: Schedule) -> None:
        for ext in instance.definition.extensions:
            if ext.event == event and instance.extensions < ext.max_times:
                instance.extensions += 1
                instance.due = calendar.add_period(instance.due, ext.period.amount,
                                                   ext.period.unit)
                schedule(instance.due + DAY, instance)
                return

    def views(self, day: dt.date) -> DeadlineList:
        """Every deadline started so far, as of ``day``."""
        open_views = {i.seq: i.view(day, self.events) for i in self.open.values()}
        return DeadlineList(self.instances, len(self.instances), open_views, self.events)


# -- documents -------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class DocumentInstance:
    definition: DocumentDef
    issued: dt.date
    valid_until: dt.date | None
    view: DocumentHeld

    def held_on(self, day: dt.date) -> bool:
        return self.issued <= day and (self.valid_until is None or day <= self.valid_until)


def _document(definition: DocumentDef, issued: dt.date,
              valid_until: dt.date | None) -> DocumentInstance:
    view = DocumentHeld(definition.id, issued, valid_until, definition.rule, definition.source)
    return DocumentInstance(definition, issued, valid_until, view)


class DocumentBook:
    """The documents of one case: issued on entering states or by transitions, replaced,
    renewed, revoked, and held until they run out."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.current: dict[str, DocumentInstance] = {}
        """The copy of each document the person has (held, or run out), by id, in the
        order they were issued."""

    def issue(self, case: Case, document_ids: Sequence[str], schedule: Schedule) -> None:
        """Hand out documents today; each replaces its own earlier copy and the documents
        it names in ``replaces``."""
        for doc_id in document_ids:
            definition = self.catalogue.documents.get(doc_id)
            if definition is None:
                continue
            for gone in (doc_id, *definition.replaces):
                self.current.pop(gone, None)
            period = self._validity(case, definition)
            # Counted like a term (Ger.W. art. 54): 5 years from 15/9/2023 runs up to and
            # including 15/9/2028, the day card_a_expiry names too.
            valid_until = (calendar.add_period(case.on, period.amount, period.unit)
                           if period else None)
            self.current[doc_id] = _document(definition, case.on, valid_until)
            if valid_until is not None:
                schedule(valid_until + DAY, None)

    def _validity(self, case: Case, definition: DocumentDef) -> Any:
        pick = self.catalogue.rules.validity(definition.id)(case)
        return definition.validity[pick].valid_for if pick >= 0 else definition.valid_for

    def on_event(self, case: Case, event: str, schedule: Schedule) -> None:
        """Revoke or renew the documents an event concerns."""
        index = self.catalogue.index
        for doc_id in index.revoked_by.get(event, ()):
            self.current.pop(doc_id, None)
        for doc_id in index.renewed_by.get(event, ()):
            held = self.current.get(doc_id)
            if held is None:
                continue
            period = held.definition.extended_for or self._validity(case, held.definition)
            if period is not None:
                # A renewal runs on from the old end date (asked 45 to 30 days before it,
                # dofi.ibz.be), or from the renewal when the card had run out.
                start = max(case.on, held.valid_until) if held.valid_until else case.on
                until = calendar.add_period(start, period.amount, period.unit)
                self.current[doc_id] = _document(held.definition, held.issued, until)
                schedule(until + DAY, None)

    def on_leaving(self, case: Case) -> None:
        """End the documents tied to states the case is no longer in."""
        for doc_id, held in list(self.current.items()):
            wanted = held.definition.revoked_on_leaving
            if wanted and not in_any(case.states, wanted):
                del self.current[doc_id]

    def views(self, day: dt.date) -> tuple[DocumentHeld, ...]:
        """The documents held on ``day``, in the order they were issued."""
        return tuple(d.view for d in self.current.values() if d.held_on(day))


# -- entitlements ----------------------------------------------------------------------------


class EntitlementBook:
    """Which entitlements are in force, since when and by which rule. Every rule is
    evaluated at every step; ``since`` is the first day of the current spell in force."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.choices: tuple[int, ...] = ()
        """The rule that applies, per entitlement (-1: not in force), as last evaluated."""
        self.since: list[dt.date | None] = [None] * len(catalogue.entitlements)
        self._shown: list[tuple[tuple[Any, ...], EntitlementView] | None] = (
            [None] * len(catalogue.entitlements))
        """Per entitlement, the view last shown and what it shows (to share it while that
        stays the same)."""
        self._views: tuple[EntitlementView, ...] = ()
        self._key: tuple[Any, ...] | None = None
        """What the last views show: the rules in force (their ``since`` follows), the
        ``until`` dates and the dates the reasons name."""

    def evaluate(self, case: Case) -> bool:
        """Evaluate every entitlement for ``case.on``; True when any came, went or changed
        rule."""
        choices = self.catalogue.rules.entitlements(case)
        if choices == self.choices:
            return False
        previous = self.choices or (-1,) * len(choices)
        since = self.since
        for i, (old, new) in enumerate(zip(previous, choices, strict=True)):
            if new < 0:
                since[i] = None
            elif old < 0:
                since[i] = case.on
        self.choices = choices
        return True

    def views(self, case: Case) -> tuple[EntitlementView, ...]:
        """The entitlements in force, in catalogue order. A view whose rule, dates and
        reason did not change is the same object as before (and so is the whole tuple)."""
        catalogue, shown = self.catalogue, self._shown
        untils = self._untils(case)
        key = (self.choices, untils, tuple(case.last(e) for e in catalogue.all_why_events))
        if key == self._key:
            return self._views
        self._key = key
        views, same = [], True
        for i, pick in enumerate(self.choices):
            if pick < 0:
                if shown[i] is not None:
                    shown[i], same = None, False
                continue
            events = catalogue.why_events[i][pick]
            dates = tuple(case.last(e) for e in events) if events else ()
            key = (pick, self.since[i], untils.get(i), dates)
            old = shown[i]
            if old is None or old[0] != key:
                old = shown[i] = (key, self._view(i, pick, key[1], key[2], events, dates))
                same = False
            views.append(old[1])
        if not same:
            self._views = tuple(views)
        return self._views

    def _view(self, i: int, pick: int, since: Any, until: dt.date | None,
              events: tuple[str, ...], dates: tuple[Any, ...]) -> EntitlementView:
        ent = self.catalogue.entitlements[i]
        rule = ent.rules[pick]
        why = None
        if rule.why is not None:
            why = partial(entitlement_why, rule.why, dict(zip(events, dates, strict=True)))
        return EntitlementView(ent.id, ent.kind, since, until, rule.rule,  # type: ignore[arg-type]
                               rule.source, why)

    def _untils(self, case: Case) -> dict[int, dt.date]:
        """The end dates shown: the due date of an ``until`` deadline while it is open."""
        found = {}
        for (i, j), deadline_id in self.catalogue.until_rules.items():
            if self.choices[i] == j:
                instance = case.deadlines.latest.get(deadline_id)
                if instance is not None and instance.status_on(case.on) == "open":
                    found[i] = instance.due
        return found


