"""Step a case through the machines on a simulated legal calendar.

One queue merges the scenario's events, the deadlines' expiry timers and the days on which
a rule flips by itself (a right that opens 4 months after lodging, a law entering into
force, a birthday, a document running out). On a given day, ending deadlines fire first (a
deadline whose last day is D ends on D+1, before that day's scenario events: an act not
done is then missed, a waiting period met), then the scenario events in file order, then
the days rules flip. Internal events caused by a step are handled right after it, on the
same date. No wall-clock time and no threads: the clock is the queue.

Every step's snapshot is computed from the case as it stands that day: every entitlement
rule is evaluated at every step (compiled, see :mod:`asylum_sim.rules.compiler`), deadline
statuses follow from their dates, documents from their validity.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from asylum_sim import calendar
from asylum_sim.engine.books import DeadlineInstance
from asylum_sim.engine.case import Case
from asylum_sim.engine.runtime import CompiledMachine, compile_machine
from asylum_sim.engine.steps import Deviation, Move, Replay, Snapshot, Step
from asylum_sim.model.dates import LAST_DATE
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions
from asylum_sim.model.machine import TransitionDef
from asylum_sim.model.scenario import Scenario, ScenarioEvent
from asylum_sim.rules.catalogue import Catalogue

TIMER, SCENARIO, TICK = 0, 1, 2
"""Queue priorities within one day."""

DATE_REACHED = "date_reached"
"""Event name of a step recorded when the situation changes on a date without an event."""

Detail = Literal["full", "states"]
"""``full``: a whole snapshot after every step. ``states``: the machines' states only (what
``batch`` writes); the final snapshot still has documents and deadlines."""

MAX_STEPS_PER_DAY = 500
"""More steps than this on one day can only be internal events or timers that cause each
other without end: the replay stops with a message naming them."""
LAST_DAY = LAST_DATE
"""Timers are not followed beyond this day (a cycle of timers would never end)."""


@dataclass(frozen=True, slots=True)
class EventPlan:
    """Everything an event touches, from the catalogue's indexes: the machines that handle
    it, the facts it sets, the anchors it moves, the deadlines it meets or starts."""

    machines: tuple[CompiledMachine, ...]
    moves_a_machine: bool
    sets: tuple[tuple[str, Any], ...]
    records: tuple[str, ...]
    anchors: tuple[int, ...]
    met: tuple[str, ...]
    touches_books: bool

    @classmethod
    def of(cls, sim: Simulator, event: str) -> EventPlan:
        spec = sim.defs.events.get(event)
        index = sim.catalogue.index
        return cls(
            machines=tuple(m for m in sim.machines
                           if any(e == event for (_, e) in m.handles)),
            moves_a_machine=event in sim.machine_events,
            sets=tuple(spec.sets.items()) if spec else (),
            records=tuple(spec.records) if spec else (),
            anchors=tuple(sim.catalogue.rules.anchors.by_event.get(event, ())),
            met=tuple(index.met_by.get(event, ())),
            touches_books=index.touches(event) or event in index.starts_on_event,
        )


class NotPossible(Exception):
    """A scenario event that no machine can take in its current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Simulator:
    """Compiled definitions, reusable for any number of cases.

    ``evaluator="reference"`` evaluates the rules by walking the condition trees instead of
    running the compiled code; ``executor="transitions"`` lets the ``transitions`` library
    pick and take every transition instead of the engine's own index. Both are slow
    references: the tests check that they give the same replays.
    """

    def __init__(self, defs: Definitions, *, evaluator: str = "compiled",
                 executor: str = "index") -> None:
        self.defs = defs
        self.executor = executor
        self.catalogue = Catalogue(defs, evaluator)
        rules = self.catalogue.rules
        self.machines: list[CompiledMachine] = [
            compile_machine(m, rules) for m in defs.machines.values()]
        self.machine_events = {t.event for m in defs.machines.values() for t in m.transitions}
        self.state_documents = {
            (m.id, s.id): s.documents for m in defs.machines.values() for s in m.states}
        self.plans: dict[str, EventPlan] = {}

    def plan(self, event: str) -> EventPlan:
        """What ``event`` touches, looked up once per simulator."""
        found = self.plans.get(event)
        if found is None:
            found = self.plans[event] = EventPlan.of(self, event)
        return found

    def replay(self, scenario: Scenario, *, lenient: bool = False, name: str = "",
               detail: Detail = "full") -> Replay:
        """Every step of the case, until no scenario event and no running deadline is left."""
        with Run(self, scenario, lenient, name, detail) as run:
            run.advance(None)
            run.finish(None)
            return run.replay

    def status(self, scenario: Scenario, on: dt.date, *, lenient: bool = False,
               name: str = "") -> tuple[Replay, Snapshot]:
        """The steps up to the end of day ``on`` and the snapshot on that day."""
        with Run(self, scenario, lenient, name, "full") as run:
            run.advance(on)
            run.finish(on)
            assert run.replay.final is not None
            return run.replay, run.replay.final

    def possible_events(self, scenario: Scenario, on: dt.date, *,
                        lenient: bool = False) -> list[str]:
        """Scenario events some machine could take at the end of day ``on``."""
        with Run(self, scenario, lenient, "", "states") as run:
            run.advance(on)
            run.case.on = on
            return run.possible_events()


class Run:
    """One case being simulated."""

    def __init__(self, sim: Simulator, scenario: Scenario, lenient: bool, name: str,
                 detail: Detail) -> None:
        self.sim = sim
        self.catalogue = sim.catalogue
        self.lenient = lenient
        self.detail = detail
        self.name = name or (scenario.id or "scenario")
        first_day = min(e.date for e in scenario.events)
        facts: dict[str, Any] = scenario.person.model_dump()
        states = {m.id: m.definition.initial for m in sim.machines}
        self.case = Case(self.catalogue, first_day, states, facts)
        self.replay = Replay(case=scenario.id or self.name, person=_person_json(facts))
        self.queue: list[tuple[dt.date, int, int, Any]] = []
        self.seq = 0
        self.scenario_left = 0
        """Scenario events still in the queue."""
        self.models = (
            {m.id: m.new_model() for m in sim.machines} if sim.executor == "transitions"
            else None)
        """Per machine, the model ``transitions`` moves (with the transitions executor)."""
        self.tick_days: set[dt.date] = set()
        self.last_step_day: dt.date | None = None
        self.steps_today = 0
        for index, entry in scenario.ordered_events():
            self._push(entry.date, SCENARIO, (index, entry))
        self._schedule_fixed_ticks(first_day, facts)

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let ``transitions`` forget this case's models (it keeps all it is given)."""
        if self.models is not None:
            for machine in self.sim.machines:
                machine.drop_model(self.models[machine.id])
            self.models = None

    # -- the queue -------------------------------------------------------------------------

    def add_event(self, index: int, entry: ScenarioEvent) -> None:
        """One more scenario event (a live case); not before the day processed."""
        self._push(entry.date, SCENARIO, (index, entry))

    def _push(self, day: dt.date, priority: int, item: Any) -> None:
        self.seq += 1
        if priority == SCENARIO:
            self.scenario_left += 1
        heapq.heappush(self.queue, (day, priority, self.seq, item))

    def schedule(self, day: dt.date, item: DeadlineInstance | None, *,
                 watch: bool = False) -> None:
        """Wake up on ``day``: a deadline's expiry, or (None) a day a rule may flip. Days
        a rule may flip are kept only in ``full`` detail, unless ``watch``: a condition
        that starts a deadline (``becomes``) may flip then, which changes the case."""
        if isinstance(item, DeadlineInstance):
            if day > LAST_DAY:
                raise InputError([Problem(self.name, "", (
                    f"the deadline {item.definition.id!r} would end after {LAST_DAY}: timers "
                    "that start each other without end, or a date out of range"))])
            self._push(day, TIMER, item)
        elif ((watch or self.detail == "full") and day not in self.tick_days
              and day > self.case.on):
            self.tick_days.add(day)
            self._push(day, TICK, None)

    def _schedule_fixed_ticks(self, first_day: dt.date, facts: dict[str, Any]) -> None:
        catalogue, full = self.catalogue, self.detail == "full"
        for day in (catalogue.fixed_dates if full else ()):
            self.schedule(day, None)
        for day in catalogue.watch_days:
            self.schedule(day, None, watch=True)
        birth = facts.get("birth_date")
        if isinstance(birth, dt.date):
            for years in catalogue.ages | catalogue.watch_ages:
                self.schedule(calendar.birthday(birth, years), None,
                              watch=years in catalogue.watch_ages)

    def advance(self, until: dt.date | None) -> None:
        """Process the queue up to the end of ``until``; without ``until``, until the case
        is done: no scenario event left, no deadline running (each open deadline has its
        timer in the queue), and the rule flips of the last step's day handled."""
        queue, case = self.queue, self.case
        while queue:
            day, priority, _, item = queue[0]
            if until is not None and day > until:
                return
            if (until is None and not self.scenario_left and not case.deadlines.open
                    and (self.last_step_day is None or day > self.last_step_day)):
                return
            heapq.heappop(queue)
            if priority == SCENARIO:
                self.scenario_left -= 1
            elif priority == TICK:
                self.tick_days.discard(day)
            if priority == TIMER and not case.deadlines.ends_on(item, day):
                continue  # a stale timer: the deadline was met, cancelled or extended
            case.on = day
            if priority == SCENARIO:
                self._scenario_event(*item)
            elif priority == TIMER:
                self._expire(item)
            else:
                started = case.deadlines.watch(case, self.schedule)
                self._changes_by_date(started[0] if started else None)

    def finish(self, on: dt.date | None) -> None:
        """The final snapshot (on ``on`` when given) and the warnings that hold then."""
        case = self.case
        if on is not None:
            case.on = on
        flags = self.catalogue.rules.warnings(case)
        self.replay.warnings = [w.id for w, hold in zip(self.catalogue.warnings, flags,
                                                        strict=True) if hold]
        if self.detail == "full":
            case.entitlements.evaluate(case)
        self.replay.final = self.snapshot(full=True)

    # -- items -----------------------------------------------------------------------------

    def _scenario_event(self, index: int, entry: ScenarioEvent) -> None:
        try:
            self._apply(entry.event, entry.attributes, "scenario", note=entry.note,
                        index=index)
        except NotPossible as exc:
            where = f"events[{index}] ({entry.date} {entry.event})"
            if not self.lenient:
                raise InputError([Problem(self.name, where, exc.message)], exit_code=3) from None
            kind, late = self._why_not_possible(entry.event)
            message = exc.message if late is None else (
                f"{entry.event} on {entry.date} is late: the last day of "
                f"{late.definition.id} was {late.due}")
            self.replay.deviations.append(Deviation(
                entry.date, entry.event, kind, dict(self.case.states),
                None if late is None else late.choice.rule, f"{where}: {message}", index))
            self._record(entry.event, entry.attributes, "scenario", (), entry.note, None,
                         problem=exc.message)

    def _why_not_possible(self, event: str) -> tuple[str, DeadlineInstance | None]:
        """``late`` (with the deadline) when a deadline this event would meet has ended;
        else ``not_possible``."""
        case = self.case
        for deadline_id in self.catalogue.index.met_by.get(event, ()):
            instance = case.deadlines.latest.get(deadline_id)
            if instance is not None and instance.status_on(case.on) in ("missed", "expired"):
                return "late", instance
        return "not_possible", None

    def _expire(self, instance: DeadlineInstance) -> None:
        case = self.case
        case.deadlines.expire(instance, case.on)
        d = instance.definition
        if d.on_expiry:
            self._apply(d.on_expiry, {}, "timer", cause=d.id)
        else:
            case.deadlines.watch(case, self.schedule)
            self._changes_by_date(d.id)

    def _changes_by_date(self, cause: str | None) -> None:
        """A day with no event: record a step when the situation changed (an entitlement,
        a document, or a deadline that ended and no step today shows it yet)."""
        if self.detail != "full":
            return
        case = self.case
        changed = case.entitlements.evaluate(case)
        first_today = self.last_step_day != case.on
        previous = self.replay.steps[-1].snapshot if self.replay.steps else None
        documents = case.documents.views(case.on)
        if changed or (cause is not None and first_today) or (
                previous is not None and previous.documents != documents):
            reason = cause or ", ".join(self._flipped(previous))
            self._record(DATE_REACHED, {}, "timer", (), None, reason or None, evaluated=True)

    def _flipped(self, previous: Snapshot | None) -> list[str]:
        """The entitlements and documents that differ from the last step (a step's cause)."""
        if previous is None:
            return []
        case = self.case
        before = {e.id: e.rule for e in previous.entitlements}
        now = {e.id: e.rule for e in case.entitlements.views(case)}
        changed = [i for i in {*before, *now} if before.get(i) != now.get(i)]
        docs_before = {d.id for d in previous.documents}
        docs_now = {d.id for d in case.documents.views(case.on)}
        return sorted(changed) + sorted(docs_before ^ docs_now)

    # -- applying one event ----------------------------------------------------------------

    def _apply(self, event: str, attributes: dict[str, Any], origin: str, *,
               note: str | None = None, cause: str | None = None,
               index: int | None = None) -> None:
        case, sim = self.case, self.sim
        plan = sim.plan(event)
        case.trigger = attributes
        moves: list[Move] = []
        taken: list[TransitionDef] = []
        states, models = case.states, self.models
        for machine in plan.machines:
            source = states[machine.id]
            if models is None:
                tdef = machine.pick(source, event, case)
            else:
                tdef = machine.pick_via_transitions(models[machine.id], source, event, case)
            if tdef is not None:
                moves.append(Move(machine.id, source, tdef.dest, event))
                taken.append(tdef)
        if not moves and origin == "scenario" and plan.moves_a_machine:
            case.trigger = {}
            raise NotPossible(self._not_possible(event))
        for move in moves:
            case.previous[move.machine] = move.source
            states[move.machine] = move.dest
        self._happened(event, plan)
        facts = case.facts
        for key, value in plan.sets:
            facts[key] = value
        for key in plan.records:
            if key in attributes:
                facts[key] = attributes[key]
        if plan.met:
            self._note_late(event, plan.met, index)
        deadlines, documents = case.deadlines, case.documents
        if plan.touches_books:
            deadlines.on_event(case, event, attributes, self.schedule)
            documents.on_event(case, event, self.schedule)
        for tdef, move in zip(taken, moves, strict=True):
            if move.source == move.dest:
                # Staying in a state is not entering it again: no new state documents,
                # no restarted deadlines (extend_stay must not restart the leaving term).
                if tdef.documents:
                    documents.issue(case, tdef.documents, self.schedule)
                continue
            state_docs = sim.state_documents.get((move.machine, move.dest), ())
            if state_docs or tdef.documents:
                documents.issue(case, [*state_docs, *tdef.documents], self.schedule)
            deadlines.on_enter(case, move.machine, move.dest, attributes, event, self.schedule)
        if moves or plan.touches_books:  # what may have left its states, or just begun
            deadlines.on_leaving(case)
            documents.on_leaving(case)
        case.trigger = {}
        if sim.catalogue.watched:
            deadlines.watch(case, self.schedule)
        self._record(event, attributes, origin, tuple(moves), note, cause)
        for tdef in taken:
            for emitted in tdef.emits:
                self._apply(emitted, {}, "internal", cause=event)

    def _happened(self, event: str, plan: EventPlan) -> None:
        """Record the occurrence and move the anchors it names (scheduling the day a rule
        reading one may flip)."""
        case, day = self.case, self.case.on
        dates = case.occurrences.get(event)
        if dates is None:
            case.occurrences[event] = [day]
        else:
            dates.append(day)
        if not plan.anchors:
            return
        table = self.catalogue.rules.anchors
        for i in plan.anchors:
            anchor = table.anchors[i]
            if anchor.occurrence == "first" and case.anchors[i] is not None:
                continue
            if anchor.plus is None:
                point = day
            else:
                point = calendar.add_period(day, anchor.plus.amount, anchor.plus.unit)
                point += dt.timedelta(days=1)
            case.anchors[i] = point
            if i in self.catalogue.tick_anchors or i in self.catalogue.watch_anchors:
                self.schedule(point, None, watch=i in self.catalogue.watch_anchors)

    def _note_late(self, event: str, met: tuple[str, ...], index: int | None) -> None:
        """An act done after its deadline ended is a deviation (recorded, not refused)."""
        case = self.case
        for deadline_id in met:
            instance = case.deadlines.latest.get(deadline_id)
            if instance is None or instance.status in ("met", "cancelled"):
                continue
            if instance.status_on(case.on) in ("missed", "expired"):
                self.replay.deviations.append(Deviation(
                    case.on, event, "late", dict(case.states), instance.choice.rule,
                    f"{event} on {case.on}, after the last day of {deadline_id} "
                    f"({instance.due})", index))

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
        for machine in self.sim.machines:
            state = self.case.states[machine.id]
            for event in machine.events_from(state):
                spec = events.get(event)
                if spec is not None and spec.origin not in ("scenario", "any"):
                    continue
                if machine.pick(state, event, self.case) is not None:
                    found.add(event)
        return sorted(found)

    # -- output ----------------------------------------------------------------------------

    def _record(self, event: str, attributes: dict[str, Any], origin: str,
                moves: tuple[Move, ...], note: str | None, cause: str | None,
                problem: str | None = None, evaluated: bool = False) -> None:
        case, day = self.case, self.case.on
        if self.last_step_day == day:
            self.steps_today += 1
            if self.steps_today > MAX_STEPS_PER_DAY:
                raise InputError([Problem(self.name, "", self._endless(day))])
        else:
            self.last_step_day, self.steps_today = day, 1
        if self.detail == "full" and not evaluated:
            case.entitlements.evaluate(case)
        self.replay.steps.append(Step(
            index=len(self.replay.steps),
            date=day,
            event=event,
            origin=origin,  # type: ignore[arg-type]
            attributes=dict(attributes),
            moves=moves,
            snapshot=self.snapshot(full=self.detail == "full"),
            note=note,
            cause=cause,
            problem=problem,
        ))

    def _endless(self, day: dt.date) -> str:
        recent = Counter(s.event for s in self.replay.steps[-MAX_STEPS_PER_DAY:])
        cycle = ", ".join(e for e, _ in recent.most_common(4))
        return (f"more than {MAX_STEPS_PER_DAY} steps on {day}: events that cause each other "
                f"without end ({cycle}); check the machines' emits and timers")

    def snapshot(self, *, full: bool) -> Snapshot:
        """The situation at the end of the current day, as far as processed."""
        case, day = self.case, self.case.on
        if not full:
            return Snapshot(day, dict(case.states), (), (), ())
        entitlements = case.entitlements.views(case) if self.detail == "full" else ()
        return Snapshot(day, dict(case.states), case.documents.views(day),
                        case.deadlines.views(day), entitlements)


def _person_json(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in facts.items()}
