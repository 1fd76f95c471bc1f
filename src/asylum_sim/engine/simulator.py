"""Step a case through the machines on a simulated legal calendar.

One queue merges the scenario's events and the timers they start, ordered by date. On a
given day, ending deadlines fire first (a deadline whose last day is D ends on D+1, before
that day's scenario events: an act not done is then missed, a waiting period met), then
the scenario events in file order, then the evaluations the rules ask for (a right that
opens on a date without any event). Internal events caused by a step are handled right
after it, on the same date. No wall-clock time and no threads: the clock is the queue.
"""

from __future__ import annotations

import datetime as dt
import heapq
from pathlib import Path
from typing import Any

from asylum_sim.engine.deadlines import DeadlineBook, DeadlineRules
from asylum_sim.engine.documents import DocumentBook, DocumentRules
from asylum_sim.engine.runtime import CompiledMachine, MachineModel, compile_machine
from asylum_sim.engine.state import CaseState, ChangeLog, DeadlineInstance
from asylum_sim.engine.steps import Deviation, DocumentHeld, Move, Replay, Snapshot, Step
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Scenario, ScenarioEvent
from asylum_sim.rules.conditions import compile_condition
from asylum_sim.rules.entitlements import EntitlementRules, EntitlementTracker

TIMER, SCENARIO, TICK = 0, 1, 2
"""Queue priorities within one day."""

DATE_REACHED = "date_reached"
"""Event name of a step recorded when rules change on a date without any other event."""


class NotPossible(Exception):
    """A scenario event that no machine can take in its current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Simulator:
    """Compiled definitions, reusable for any number of cases."""

    def __init__(self, defs: Definitions) -> None:
        self.defs = defs
        self.machines: list[CompiledMachine] = [compile_machine(m) for m in defs.machines.values()]
        self.machine_events = {t.event for m in defs.machines.values() for t in m.transitions}
        self.deadlines = DeadlineRules(defs)
        self.documents = DocumentRules(defs)
        self.entitlements = EntitlementRules(defs)
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
        self.case = CaseState(
            on=min(e.date for e in scenario.events),
            states={m.id: model.state for m, model in self.models},
            facts=facts,
            previous={m.id: None for m, _ in self.models},
        )
        self.replay = Replay(case=scenario.id or self.name, person=_person_json(facts))
        self.queue: list[tuple[dt.date, int, int, Any]] = []
        self.seq = 0
        self.real_items = 0
        """Queued items other than ticks: when none is left, a replay ends (after the
        rule ticks of that last day)."""
        self.last_real_day = self.case.on
        self.ticks: dict[dt.date, set[int]] = {}
        """Dates on which some entitlements must be evaluated again, and which ones."""
        for index, entry in scenario.ordered_events():
            self._push(entry.date, SCENARIO, (index, entry))
        self.changes = ChangeLog()
        self.deadlines = DeadlineBook(sim.deadlines, self.case, self.changes,
                                      lambda day, item: self._push(day, TIMER, item))
        self.entitlements = EntitlementTracker(sim.entitlements, self.case, self.changes,
                                               self._tick_on)
        self.documents = DocumentBook(sim.documents, self.case, self.changes,
                                      self.entitlements.on_document_expiry)
        self._last_documents: tuple[int, dt.date | None, tuple[DocumentHeld, ...]] | None = None

    # -- the queue -------------------------------------------------------------------------

    def _push(self, day: dt.date, priority: int, item: Any) -> None:
        self.seq += 1
        if priority != TICK:
            self.real_items += 1
        heapq.heappush(self.queue, (day, priority, self.seq, item))

    def _tick_on(self, day: dt.date, index: int) -> None:
        """Evaluate entitlement ``index`` again on ``day`` (one queue item per day)."""
        waiting = self.ticks.get(day)
        if waiting is None:
            self.ticks[day] = {index}
            self._push(day, TICK, None)
        else:
            waiting.add(index)

    def advance(self, until: dt.date | None) -> None:
        """Process the queue up to the end of ``until`` (or until only rule ticks after the
        last timer remain)."""
        while self.queue:
            day, priority, _, item = self.queue[0]
            if until is not None and day > until:
                return
            if until is None and priority == TICK and self.real_items == 0 and (
                day > self.last_real_day
            ):
                return  # nothing but rule ticks after the last timer: the case is done
            heapq.heappop(self.queue)
            if priority != TICK:
                self.real_items -= 1
                self.last_real_day = day
            self.case.on = day
            if priority == SCENARIO:
                self._scenario_event(*item)
            elif priority == TIMER:
                self._expire(item)
            else:
                self._tick(self.ticks.pop(day))

    def release(self) -> None:
        for machine, model in self.models:
            machine.release(model)

    def finish(self, on: dt.date | None = None) -> None:
        """Record the warnings that hold for the case (as of ``on`` when given)."""
        if on is not None:
            self.case.on = on
        self.replay.warnings = [w.id for w, check in self.sim.warnings if check(self.case)]

    # -- items -----------------------------------------------------------------------------

    def _scenario_event(self, index: int, entry: ScenarioEvent) -> None:
        try:
            self._apply(entry.event, entry.attributes, "scenario", note=entry.note)
        except NotPossible as exc:
            where = f"events[{index}] ({entry.date} {entry.event})"
            if not self.lenient:
                raise InputError([Problem(self.name, where, exc.message)], exit_code=3) from None
            self.replay.deviations.append(Deviation(
                entry.date, entry.event, "not_possible", dict(self.case.states), None,
                f"{where}: {exc.message}", index))
            self._record(entry.event, entry.attributes, "scenario", (), entry.note,
                         None, problem=exc.message)

    def _expire(self, instance: DeadlineInstance) -> None:
        if not self.deadlines.expire(instance):
            return
        d = instance.definition
        if d.on_expiry:
            self._apply(d.on_expiry, {}, "timer", cause=d.id)
        else:
            self._tick(None, cause=d.id)

    def _tick(self, indices: set[int] | None, cause: str | None = None) -> None:
        """Evaluate entitlements on a date without an event; a step only if some changed."""
        changed = self.entitlements.evaluate(indices)
        if changed:
            self._record(DATE_REACHED, {}, "timer", (), None, cause or ", ".join(changed),
                         evaluated=True)

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
        case, sim, mark = self.case, self.sim, self.changes.mark
        case.trigger = attributes
        moves: list[Move] = []
        taken = []
        for machine, model in self.models:
            source = model.state
            tdef = machine.fire(model, event, case)
            if tdef is None:
                continue
            moves.append(Move(machine.id, source, model.state, event))
            taken.append(tdef)
            mark(f"move:{machine.id}:{source}:{model.state}")
            mark(f"prev:{machine.id}")
            case.previous[machine.id] = source
            case.states[machine.id] = model.state
        if not moves and origin == "scenario" and event in sim.machine_events:
            raise NotPossible(self._not_possible(event))
        case.occurrences.setdefault(event, []).append(case.on)
        mark(f"event:{event}")
        self.entitlements.on_event(event)
        self._update_facts(event, attributes)
        self.deadlines.on_event(event, attributes)
        self.documents.on_event(event)
        for tdef, move in zip(taken, moves, strict=True):
            if move.source == move.dest:
                # Staying in a state is not entering it again: no new state documents,
                # no restarted deadlines (extend_stay must not restart the leaving term).
                self.documents.issue(tdef.documents)
                continue
            state = sim.defs.machines[move.machine].state(move.dest)
            self.documents.issue([*(state.documents if state else []), *tdef.documents])
            self.deadlines.on_enter(move.machine, move.dest, attributes, event)
        self.deadlines.on_leaving()
        self.documents.on_leaving()
        case.trigger = {}
        self._record(event, attributes, origin, tuple(moves), note, cause)
        for tdef in taken:
            for emitted in tdef.emits:
                self._apply(emitted, {}, "internal", cause=event)

    def _update_facts(self, event: str, attributes: dict[str, Any]) -> None:
        """Facts an event sets (``employed: true``) or records from its attributes."""
        spec = self.sim.defs.events.get(event)
        if spec is None:
            return
        for key, value in spec.sets.items():
            self.case.facts[key] = value
            self.changes.mark(f"fact:{key}")
        for key in spec.records:
            if key in attributes:
                self.case.facts[key] = attributes[key]
                self.changes.mark(f"fact:{key}")

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
        evaluated: bool = False,
    ) -> None:
        if not evaluated:
            self.entitlements.evaluate()
        self.replay.steps.append(Step(
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
        ))

    def snapshot(self, day: dt.date, *, evaluate: bool = True) -> Snapshot:
        """The situation at the end of ``day`` (the queue must have been processed to it)."""
        case = self.case
        case.on = day
        if evaluate:
            self.entitlements.evaluate()
        return Snapshot(day, dict(case.states), self._documents_held(day),
                        self.deadlines.views(), self.entitlements.views())

    def _documents_held(self, day: dt.date) -> tuple[DocumentHeld, ...]:
        """The documents held on ``day``; the last list is reused while no document
        changed and none ran out (days only move forward within a run)."""
        cached = self._last_documents
        version = self.changes.documents_version
        if cached is not None and cached[0] == version and (cached[1] is None or day <= cached[1]):
            return cached[2]
        held = [d for d in self.case.documents if d.held_on(day)]
        documents = tuple(
            DocumentHeld(d.definition.id, d.issued, d.valid_until, d.definition.rule,
                         d.definition.source)
            for d in held
        )
        ends = [d.valid_until for d in held if d.valid_until is not None]
        self._last_documents = (version, min(ends) if ends else None, documents)
        return documents


def _person_json(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in facts.items()}


def replay_scenario_file(path: Path, defs: Definitions, *, lenient: bool = False) -> Replay:
    """Load a scenario file and replay it (for the diagram highlight and quick use)."""
    from asylum_sim.model.scenario_file import load_scenario

    scenario = load_scenario(path, defs)
    return Simulator(defs).replay(scenario, lenient=lenient, name=str(path))
