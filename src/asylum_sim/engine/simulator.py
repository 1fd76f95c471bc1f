"""Step a case through the machines on a simulated legal calendar.

One queue merges the scenario's events and the timers they start, ordered by date. On a
given day, ending deadlines fire first (a deadline whose last day is D ends on D+1, before
that day's scenario events: an act not done is then missed, a waiting period met), then
the scenario events in file order, then the evaluations the rules ask for (a right that
opens on a date without any event). Internal events caused by a step are handled right
after it, on the same date.
No wall-clock time and no threads: the clock is the queue.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asylum_sim.engine import calendar
from asylum_sim.engine.runtime import CompiledMachine, MachineModel, compile_machine
from asylum_sim.engine.state import CaseState, DeadlineInstance, DocumentInstance
from asylum_sim.engine.steps import (
    DocumentHeld,
    EntitlementView,
    Move,
    Replay,
    Snapshot,
    Step,
)
from asylum_sim.model.catalogue import DeadlineDef, EntitlementDef, EntitlementRule, PeriodChoice
from asylum_sim.model.common import LANGUAGES, Period
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Scenario
from asylum_sim.rules.conditions import (
    Check,
    Temporal,
    age_points,
    anchor_points,
    compile_condition,
    dependencies,
    temporal_parts,
    validity_edges,
)

_DAY = dt.timedelta(days=1)

TIMER, SCENARIO, TICK = 0, 1, 2
"""Queue priorities within one day."""

DATE_REACHED = "date_reached"
"""Event name of a step recorded when rules change on a date without any other event."""


class NotPossible(Exception):
    """A scenario event that no machine can take in its current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, eq=False)
class _Rule:
    entitlement: EntitlementDef
    rule: EntitlementRule
    check: Check
    why_events: tuple[str, ...] = ()
    """Events whose dates the ``why`` line names."""


class Simulator:
    """Compiled definitions, reusable for any number of cases."""

    def __init__(self, defs: Definitions) -> None:
        self.defs = defs
        self.machines: list[CompiledMachine] = [compile_machine(m) for m in defs.machines.values()]
        self.machine_events = {t.event for m in defs.machines.values() for t in m.transitions}
        self.starts_on_event: dict[str, list[DeadlineDef]] = defaultdict(list)
        self.starts_on_enter: dict[tuple[str, str], list[DeadlineDef]] = defaultdict(list)
        self.met_by: dict[str, list[str]] = defaultdict(list)
        self.cancelled_by: dict[str, list[str]] = defaultdict(list)
        self.extended_by: dict[str, list[str]] = defaultdict(list)
        self.periods: dict[str, list[tuple[Check | None, PeriodChoice]]] = {}
        self.start_checks: dict[str, Check | None] = {}
        for d in defs.deadlines.values():
            for event in d.starts.events:
                self.starts_on_event[event].append(d)
            for machine, states in d.starts.enter.items():
                for state in states:
                    self.starts_on_enter[(machine, state)].append(d)
            for event in d.met_by:
                self.met_by[event].append(d.id)
            for event in d.cancelled_by:
                self.cancelled_by[event].append(d.id)
            for ext in d.extensions:
                self.extended_by[ext.event].append(d.id)
            self.periods[d.id] = [
                (compile_condition(p.when) if p.when else None, p) for p in d.periods
            ]
            self.start_checks[d.id] = compile_condition(d.starts.when) if d.starts.when else None
        self.revoked_by: dict[str, list[str]] = defaultdict(list)
        self.renewed_by: dict[str, list[str]] = defaultdict(list)
        for doc in defs.documents.values():
            for event in doc.revoked_by:
                self.revoked_by[event].append(doc.id)
            for event in doc.extended_by:
                self.renewed_by[event].append(doc.id)
        self.rules: list[list[_Rule]] = [
            [_Rule(e, r, compile_condition(r.when), _why_events(r)) for r in e.rules]
            for e in defs.entitlements.values()
        ]
        self.validity = {
            doc.id: [(compile_condition(v.when), v) for v in doc.validity]
            for doc in defs.documents.values()
        }
        # What can make each entitlement flip by itself, and which events move those dates.
        self.temporal: list[Temporal] = []
        self.anchored_by: dict[str, list[int]] = defaultdict(list)
        for index, rules in enumerate(self.rules):
            parts = Temporal()
            for rule in rules:
                parts = parts | temporal_parts(rule.rule.when)
                if rule.rule.valid is not None:
                    parts = parts | Temporal(fixed=validity_edges(rule.rule.valid))
            self.temporal.append(parts)
            for event in parts.events:
                self.anchored_by[event].append(index)
        # Which entitlements read what (see rules.conditions.dependencies).
        self.readers: dict[str, set[int]] = defaultdict(set)
        for index, rules in enumerate(self.rules):
            for rule in rules:
                for token in dependencies(rule.rule.when):
                    self.readers[token].add(index)
        self.order = {rules[0].entitlement.id: i for i, rules in enumerate(self.rules)}
        self.warnings = [(w, compile_condition(w.when)) for w in defs.warnings.values()]

    def replay(self, scenario: Scenario, *, lenient: bool = False, name: str = "") -> Replay:
        """Every step of the case, until the last timer it started has fired."""
        run = _Run(self, scenario, lenient, name)
        try:
            run.advance(None)
            run.finish()
        finally:
            run.release()
        return run.replay

    def status(
        self, scenario: Scenario, on: dt.date, *, lenient: bool = False, name: str = ""
    ) -> tuple[Replay, Snapshot]:
        """The steps up to the end of day ``on`` and the snapshot on that day."""
        run = _Run(self, scenario, lenient, name)
        try:
            run.advance(on)
            run.finish(on)
            return run.replay, run.snapshot(on)
        finally:
            run.release()


    def possible_events(
        self, scenario: Scenario, on: dt.date, *, lenient: bool = False
    ) -> list[str]:
        """Scenario events some machine could take at the end of day ``on``."""
        run = _Run(self, scenario, lenient, "")
        try:
            run.advance(on)
            run.case.on = on
            return run.possible_events()
        finally:
            run.release()


class _Run:
    """One case being simulated."""

    def __init__(self, sim: Simulator, scenario: Scenario, lenient: bool, name: str) -> None:
        self.sim = sim
        self.lenient = lenient
        self.name = name or (scenario.id or "scenario")
        self.models: list[tuple[CompiledMachine, MachineModel]] = [
            (m, m.new_model()) for m in sim.machines
        ]
        facts: dict[str, Any] = scenario.person.model_dump()
        first = min(e.date for e in scenario.events)
        self.case = CaseState(
            on=first,
            states={m.id: model.state for m, model in self.models},
            facts=facts,
            previous={m.id: None for m, _ in self.models},
        )
        self.replay = Replay(case=scenario.id or self.name, person=_person_json(facts))
        self.queue: list[tuple[dt.date, int, int, Any]] = []
        self.seq = 0
        self.real_items = 0
        for index, entry in scenario.ordered_events():
            self._push(entry.date, SCENARIO, ("scenario", index, entry))
        self.ticks: dict[dt.date, set[int]] = {}
        """Dates on which some entitlements must be evaluated again, and which ones."""
        self.active: dict[str, tuple[dt.date, _Rule]] = {}
        self.views: dict[str, tuple[tuple[Any, ...], EntitlementView]] = {}
        """Entitlement views reused while nothing they show changed."""
        self.dirty: set[str] | None = None
        """What changed since the last evaluation (None: everything, at the start)."""
        for index, parts in enumerate(sim.temporal):
            self._schedule_ticks(index, [*parts.fixed, *age_points(parts, self.case)])

    # -- the queue -------------------------------------------------------------------------

    def _push(self, day: dt.date, priority: int, item: Any) -> None:
        self.seq += 1
        if priority != TICK:
            self.real_items += 1
        heapq.heappush(self.queue, (day, priority, self.seq, item))

    def advance(self, until: dt.date | None) -> None:
        """Process the queue up to the end of ``until`` (or until only rule ticks remain)."""
        while self.queue:
            day, priority, _, item = self.queue[0]
            if until is not None and day > until:
                return
            if until is None and priority == TICK and self.real_items == 0:
                return
            heapq.heappop(self.queue)
            if priority != TICK:
                self.real_items -= 1
            self.case.on = day
            if priority == SCENARIO:
                _, index, entry = item
                self._scenario_event(index, entry)
            elif priority == TIMER:
                self._expire(day, item)
            else:
                self._tick(day, indices=self.ticks.pop(day))

    def release(self) -> None:
        for machine, model in self.models:
            machine.release(model)

    def finish(self, on: dt.date | None = None) -> None:
        """Record the warnings that hold for the case (as of ``on`` when given)."""
        if on is not None:
            self.case.on = on
        self.replay.warnings = [w.id for w, check in self.sim.warnings if check(self.case)]

    # -- items -----------------------------------------------------------------------------

    def _scenario_event(self, index: int, entry: Any) -> None:
        try:
            self._apply(entry.event, entry.attributes, "scenario", note=entry.note)
        except NotPossible as exc:
            where = f"events[{index}] ({entry.date} {entry.event})"
            if not self.lenient:
                raise InputError([Problem(self.name, where, exc.message)], exit_code=3) from None
            self.replay.problems.append(f"{where}: {exc.message}")
            self._record(entry.event, entry.attributes, "scenario", (), entry.note,
                         None, problem=exc.message)

    def _expire(self, day: dt.date, instance: DeadlineInstance) -> None:
        d = instance.definition
        if instance.status != "open" or instance.due + _DAY != day:
            return  # met, cancelled or extended since it was scheduled
        instance.status = "met" if d.kind == "waiting" else "missed"
        instance.closed_on = day
        self._changed(f"deadline:{d.id}")
        if d.on_expiry:
            self._apply(d.on_expiry, {}, "timer", cause=d.id)
        else:
            self._tick(day, cause=d.id, indices=self._dirty_readers())

    def _tick(self, day: dt.date, cause: str | None = None,
              indices: set[int] | None = None) -> None:
        changed = self._evaluate(indices)
        if changed:
            self._record(DATE_REACHED, {}, "timer", (), None, cause or ", ".join(changed))

    # -- applying one event ----------------------------------------------------------------

    def _apply(
        self,
        event: str,
        attributes: dict[str, Any],
        origin: str,
        *,
        note: str | None = None,
        cause: str | None = None,
    ) -> None:
        case, sim = self.case, self.sim
        day = case.on
        case.trigger = attributes
        moves: list[Move] = []
        taken = []
        for machine, model in self.models:
            source = model.state
            tdef = machine.fire(model, event, case)
            if tdef is None:
                continue
            moves.append(Move(machine.id, source, model.state, event))
            taken.append((machine.id, tdef))
            self._changed(f"state:{machine.id}")
            case.previous[machine.id] = source
            case.states[machine.id] = model.state
        if not moves and origin == "scenario" and event in sim.machine_events:
            raise NotPossible(self._not_possible(event))
        case.occurrences.setdefault(event, []).append(day)
        self._changed(f"event:{event}")
        for index in sim.anchored_by.get(event, ()):
            self._schedule_ticks(index, anchor_points(sim.temporal[index], case))
        spec = sim.defs.events.get(event)
        if spec is not None:
            case.facts.update(spec.sets)
            for key in spec.sets:
                self._changed(f"fact:{key}")
            for key in spec.records:
                if key in attributes:
                    case.facts[key] = attributes[key]
                    self._changed(f"fact:{key}")
        self._deadlines_on_event(event, attributes, day)
        self._documents_on_event(event, day)
        for (machine_id, tdef), move in zip(taken, moves, strict=True):
            if move.source == move.dest:
                # Staying in a state is not entering it again: no new state documents,
                # no restarted deadlines (extend_stay must not restart the leaving term).
                self._issue(tdef.documents, day)
                continue
            state = sim.defs.machines[machine_id].state(move.dest)
            self._issue([*(state.documents if state else []), *tdef.documents], day)
            for d in sim.starts_on_enter.get((machine_id, move.dest), ()):
                self._start(d, day, attributes, event)
        self._on_leaving(day)
        case.trigger = {}
        self._record(event, attributes, origin, tuple(moves), note, cause)
        for _, tdef in taken:
            for emitted in tdef.emits:
                self._apply(emitted, {}, "internal", cause=event)

    def _not_possible(self, event: str) -> str:
        states = ", ".join(f"{m} is in {s!r}" for m, s in self.case.states.items())
        possible = self.possible_events()
        return (
            f"event {event!r} is not possible now: {states}; possible now: "
            + (", ".join(possible) if possible else "none")
        )

    def possible_events(self) -> list[str]:
        """Scenario events some machine would take now (guards evaluated)."""
        found = set()
        events = self.sim.defs.events
        for machine, model in self.models:
            for event in machine.events_from(model.state):
                spec = events.get(event)
                if spec is not None and spec.origin not in ("scenario", "any"):
                    continue
                options = machine.handles[(model.state, event)]
                if any(machine.allowed(t, self.case) for t in options):
                    found.add(event)
        return sorted(found)

    # -- deadlines -------------------------------------------------------------------------

    def _deadlines_on_event(self, event: str, attributes: dict[str, Any], day: dt.date) -> None:
        case, sim = self.case, self.sim
        for instance in case.deadlines:
            if instance.status != "open":
                continue
            did = instance.definition.id
            if did in sim.met_by.get(event, ()):
                instance.status, instance.closed_on = "met", day
            elif did in sim.cancelled_by.get(event, ()):
                instance.status, instance.closed_on = "cancelled", day
            elif did in sim.extended_by.get(event, ()):
                self._extend(instance, event)
            else:
                continue
            self._changed(f"deadline:{did}")
        for d in sim.starts_on_event.get(event, ()):
            self._start(d, day, attributes, event)

    def _extend(self, instance: DeadlineInstance, event: str) -> None:
        for ext in instance.definition.extensions:
            if ext.event == event and instance.extensions < ext.max_times:
                instance.extensions += 1
                instance.due = calendar.add_period(
                    instance.due, ext.period.amount, ext.period.unit
                )
                self._schedule(instance)
                return

    def _start(
        self, d: DeadlineDef, day: dt.date, attributes: dict[str, Any], event: str
    ) -> None:
        case = self.case
        if d.valid is not None and not d.valid.holds_on(day):
            return
        check = self.sim.start_checks[d.id]
        if check is not None and not check(case):
            return
        choice = next(
            (p for c, p in self.sim.periods[d.id]
             if (c is None or c(case)) and _has_start(p, attributes)), None
        )
        if choice is None:
            return
        previous = case.latest_deadline.get(d.id)
        if previous is not None and previous.status == "open":
            previous.status, previous.closed_on = "cancelled", day
        posted = d.notification and attributes.get("notification") == "posted"
        base = attributes[choice.from_attribute] if choice.from_attribute else day
        if choice.from_previous_due and previous is not None:
            base = max(day, previous.due)
        amount = -choice.period.amount if choice.before else choice.period.amount
        due = calendar.last_day(base, amount, choice.period.unit, posted=posted,
                                roll=d.roll_forward)
        instance = DeadlineInstance(d, day, due, choice.rule, choice.source,
                                    seq=len(case.deadlines), choice=choice, posted=posted,
                                    event=event)
        case.deadlines.append(instance)
        case.latest_deadline[d.id] = instance
        self._changed(f"deadline:{d.id}")
        self._schedule(instance)

    def _schedule(self, instance: DeadlineInstance) -> None:
        """Both kinds end the day after their last day: an act is then ``missed``, a
        waiting period ``met`` (4 months after lodging on 1/2 run to 1/6 inclusive; the
        right opens on 2/6, Ger.W. art. 52-54)."""
        self._push(instance.due + _DAY, TIMER, instance)

    def _on_leaving(self, day: dt.date) -> None:
        """Cancel deadlines and end documents tied to states the case has left."""
        states = self.case.states
        for instance in self.case.deadlines:
            rule = instance.definition.cancelled_on_leaving
            if instance.status == "open" and rule and not _in_any(states, rule):
                instance.status, instance.closed_on = "cancelled", day
                self._changed(f"deadline:{instance.definition.id}")
        for doc in self.case.documents:
            rule = doc.definition.revoked_on_leaving
            if doc.ended is None and rule and not _in_any(states, rule):
                doc.ended = day
                self._changed(f"holds:{doc.definition.id}")

    # -- documents -------------------------------------------------------------------------

    def _issue(self, document_ids: list[str], day: dt.date) -> None:
        docs = self.case.documents
        for doc_id in document_ids:
            definition = self.sim.defs.documents.get(doc_id)
            if definition is None:
                continue
            gone = {doc_id, *definition.replaces}
            for held in docs:
                if held.ended is None and held.definition.id in gone:
                    held.ended = day
                    self._changed(f"holds:{held.definition.id}")
            period = self._validity(doc_id)
            valid_until = None
            if period is not None:
                # Same counting as a term (Ger.W. art. 54): 5 years from 15/9/2023 runs up
                # to and including 15/9/2028, the day card_a_expiry names too.
                valid_until = calendar.add_period(day, period.amount, period.unit)
            docs.append(DocumentInstance(definition, day, valid_until))
            self._changed(f"holds:{doc_id}")
            if valid_until is not None:
                for index in self.sim.readers.get(f"holds:{doc_id}", ()):
                    self._schedule_ticks(index, [valid_until + _DAY])

    def _validity(self, doc_id: str) -> Period | None:
        """How long a document issued now is valid: the first ``validity`` rule that
        holds, else ``valid_for``."""
        for check, rule in self.sim.validity[doc_id]:
            if check(self.case):
                return rule.valid_for
        return self.sim.defs.documents[doc_id].valid_for

    def _documents_on_event(self, event: str, day: dt.date) -> None:
        revoked = self.sim.revoked_by.get(event, ())
        renewed = self.sim.renewed_by.get(event, ())
        if not revoked and not renewed:
            return
        for held in self.case.documents:
            if held.ended is not None:
                continue
            if held.definition.id in revoked:
                held.ended = day
                self._changed(f"holds:{held.definition.id}")
            elif held.definition.id in renewed:
                period = held.definition.extended_for or self._validity(held.definition.id)
                if period is not None:
                    # A renewal runs on from the old end date (asked 45 to 30 days before
                    # it, dofi.ibz.be), or from the renewal when the card had run out.
                    start = max(day, held.valid_until) if held.valid_until else day
                    held.valid_until = calendar.add_period(start, period.amount, period.unit)

    # -- entitlements ----------------------------------------------------------------------

    def _evaluate(self, indices: set[int] | None = None) -> list[str]:
        """Update which entitlements are in force on the current date, keeping ``since``;
        return the ids that came, went or changed rule.

        ``indices``: only these entitlements (a tick re-evaluates only the ones whose
        conditions name that date); None: those that read something changed since the
        last evaluation."""
        case = self.case
        day = case.on
        rules_by_index = self.sim.rules
        changed = []
        if indices is None:
            indices = self._dirty_readers()
        for i in sorted(indices):
            rules = rules_by_index[i]
            found = None
            for rule in rules:
                valid = rule.rule.valid
                if (valid is None or valid.holds_on(day)) and rule.check(case):
                    found = rule
                    break
            ent_id = rules[0].entitlement.id
            current = self.active.get(ent_id)
            if found is None:
                if current is not None:
                    del self.active[ent_id]
                    changed.append(ent_id)
            elif current is None:
                self.active[ent_id] = (day, found)
                changed.append(ent_id)
            elif current[1] is not found:
                self.active[ent_id] = (current[0], found)
                changed.append(ent_id)
        return changed

    def _changed(self, token: str) -> None:
        if self.dirty is not None:
            self.dirty.add(token)

    def _dirty_readers(self) -> set[int]:
        """The entitlements that read something changed since the last evaluation."""
        dirty, self.dirty = self.dirty, set()
        if dirty is None:
            return set(range(len(self.sim.rules)))
        readers = self.sim.readers
        found: set[int] = set()
        for token in dirty:
            found.update(readers.get(token, ()))
        return found

    def _schedule_ticks(self, index: int, points: Any) -> None:
        """Evaluate entitlement ``index`` again on each of ``points`` still to come."""
        today = self.case.on
        for point in points:
            if point <= today:
                continue
            waiting = self.ticks.get(point)
            if waiting is None:
                self.ticks[point] = {index}
                self._push(point, TICK, None)
            else:
                waiting.add(index)

    # -- output ----------------------------------------------------------------------------

    def _record(
        self,
        event: str,
        attributes: dict[str, Any],
        origin: str,
        moves: tuple[Move, ...],
        note: str | None,
        cause: str | None,
        problem: str | None = None,
    ) -> None:
        if event != DATE_REACHED:
            self._evaluate()
        step = Step(
            index=len(self.replay.steps),
            date=self.case.on,
            event=event,
            origin=origin,  # type: ignore[arg-type]
            attributes=dict(attributes),
            moves=moves,
            snapshot=self.snapshot(self.case.on, evaluate=False),
            note=note,
            cause=cause,
            problem=problem,
        )
        self.replay.steps.append(step)

    def snapshot(self, day: dt.date, *, evaluate: bool = True) -> Snapshot:
        """The situation at the end of ``day`` (the queue must have been processed to it)."""
        case = self.case
        case.on = day
        if evaluate:
            self._evaluate()
        documents = tuple(
            DocumentHeld(d.definition.id, d.issued, d.valid_until, d.definition.rule,
                         d.definition.source)
            for d in case.documents
            if d.held_on(day)
        )
        deadlines = tuple(i.view(day) for i in case.deadlines if i.start <= day)
        entitlements = []
        views = self.views
        for ent_id, (since, rule) in self.active.items():
            until = None
            if rule.rule.until is not None:
                instance = case.latest_deadline.get(rule.rule.until)
                if instance is not None and instance.status_on(day) == "open":
                    until = instance.due
            key = (since, rule, until, *(case.last(e) for e in rule.why_events))
            cached = views.get(ent_id)
            if cached is None or cached[0] != key:
                view = EntitlementView(
                    ent_id, rule.entitlement.kind, since, until, rule.rule.rule,
                    rule.rule.source, _why(rule.rule, case),
                )
                views[ent_id] = cached = (key, view)
            entitlements.append(cached[1])
        order = self.sim.order
        entitlements.sort(key=lambda e: order[e.id])
        return Snapshot(day, dict(case.states), documents, deadlines, tuple(entitlements))


def _has_start(choice: PeriodChoice, attributes: dict[str, Any]) -> bool:
    """A choice counted from an attribute needs that attribute to hold a date."""
    return choice.from_attribute is None or isinstance(
        attributes.get(choice.from_attribute), dt.date
    )


def _in_any(states: dict[str, str], wanted: dict[str, list[str]]) -> bool:
    return any(states.get(machine) in allowed for machine, allowed in wanted.items())


_DATE_REF = re.compile(r"\{date:([a-z0-9_]+)\}")


def _why_events(rule: EntitlementRule) -> tuple[str, ...]:
    if rule.why is None:
        return ()
    texts = [rule.why.get(lang) for lang in LANGUAGES]
    return tuple(sorted({m for text in texts for m in _DATE_REF.findall(text)}))


def _why(rule: EntitlementRule, case: CaseState) -> dict[str, str] | None:
    if rule.why is None:
        return None

    def fill(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            last = case.last(match.group(1))
            return last.isoformat() if last else "?"

        return _DATE_REF.sub(one, text)

    return {lang: fill(rule.why.get(lang)) for lang in LANGUAGES}


_WHY_TEXT = {
    "nl": ("{period} na {event} op {start}",
           " (per post: dag 1 is de derde werkdag na de afgifte op de post, {day_one})",
           "; laatste dag verschoven van {unrolled} (weekend of feestdag) naar {due}"),
    "en": ("{period} after {event} on {start}",
           " (posted: day 1 is the third working day after posting, {day_one})",
           "; last day moved from {unrolled} (weekend or public holiday) to {due}"),
}


def deadline_why(
    choice: PeriodChoice, start: dt.date, due: dt.date, posted: bool, roll: bool, event: str
) -> dict[str, str]:
    """How the due date was counted, in one line per language."""
    day_one = calendar.notification_day(start, True) + dt.timedelta(days=1) if posted else None
    amount = -choice.period.amount if choice.before else choice.period.amount
    unrolled = calendar.last_day(start, amount, choice.period.unit, posted=posted, roll=False)
    if choice.from_attribute:
        unrolled = due  # counted from an attribute: the rolled/unrolled note does not apply
    texts = {}
    for lang, (base, post, moved) in _WHY_TEXT.items():
        if choice.from_attribute:
            word = ("vóór" if choice.before else "na") if lang == "nl" else (
                "before" if choice.before else "after")
            text = f"{choice.period.label(lang)} {word} {choice.from_attribute} ({event})"
            texts[lang] = text + f": {due}"
            continue
        text = base.format(period=choice.period.label(lang), event=event, start=start)
        if posted:
            text += post.format(day_one=day_one)
        if roll and unrolled != due:
            text += moved.format(unrolled=unrolled, due=due)
        texts[lang] = text
    return texts


def _person_json(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in facts.items()}


def replay_scenario_file(path: Path, defs: Definitions, *, lenient: bool = False) -> Replay:
    """Load a scenario file and replay it (for the diagram highlight and quick use)."""
    from asylum_sim.model.scenario_file import load_scenario

    scenario = load_scenario(path, defs)
    return Simulator(defs).replay(scenario, lenient=lenient, name=str(path))
