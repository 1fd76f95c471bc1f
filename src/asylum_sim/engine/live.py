"""A case driven event by event from Python (a notebook, a script), through ``transitions``.

    >>> case = LiveCase(Simulator(defs), person={"region": "flanders"})
    >>> case.apply("2023-01-09")            # each scenario event is a method
    >>> case.may_lodge("2023-01-10")        # False: the application is not registered yet
    >>> case.register("2023-01-10"); case.lodge("2023-02-01")
    >>> case.status("2023-06-02").entitlements

Each event method fires the event through the ``transitions`` machines' own triggers (the
reference executor); ``may_EVENT`` asks ``transitions``' ``may_<trigger>``. Timers and
internal consequences happen by themselves, as in a replay. Events go forward in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from asylum_sim.engine.simulator import Run, Simulator
from asylum_sim.engine.steps import Snapshot, Step
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.scenario import Person, Scenario, ScenarioEvent
from asylum_sim.model.scenario_file import event_problems, suggest


def _date(value: str | dt.date) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r}: expected a date as YYYY-MM-DD") from None


class LiveCase:
    """One case, its events given one at a time (see the module docstring)."""

    def __init__(self, sim: Simulator, person: dict[str, Any] | None = None,
                 case_id: str = "live") -> None:
        if sim.executor != "transitions":
            sim = Simulator(sim.defs, evaluator="compiled", executor="transitions")
        self.sim = sim
        self.person = Person.model_validate(person or {})
        self.case_id = case_id
        self._run: Run | None = None
        self._events: list[ScenarioEvent] = []

    # -- events as methods -----------------------------------------------------------------

    def __getattr__(self, name: str) -> Callable[..., Any]:
        events = self.sim.defs.scenario_events()
        if name.startswith("may_") and name[4:] in events:
            return lambda on=None: self.may(name[4:], on)
        if name in events:
            return lambda on, **attributes: self.event(name, on, **attributes)
        raise AttributeError(f"{name!r} is not an event{suggest(name, events)}")

    def event(self, event: str, on: str | dt.date, **attributes: Any) -> list[Step]:
        """Apply ``event`` on ``on``; the steps it caused (with the timers before it)."""
        day = _date(on)
        problems = event_problems(event, attributes, self.sim.defs)
        if problems:
            raise InputError([Problem(self.case_id, f"{day} {event}", p) for p in problems])
        if self._run is not None and day < self._run.case.on:
            raise InputError(f"{event} on {day}: a live case goes forward in time (it is at "
                             f"{self._run.case.on} already)")
        entry = ScenarioEvent.model_validate({"date": day, "event": event, **attributes})
        index = len(self._events)
        self._events.append(entry)
        if self._run is None:
            scenario = Scenario(id=self.case_id, person=self.person, events=[entry])
            self._run = Run(self.sim, scenario, False, self.case_id, "full")
        else:
            self._run.add_event(index, entry)
        before = len(self._run.replay.steps)
        self._run.advance(day)
        return self._run.replay.steps[before:]

    def may(self, event: str, on: str | dt.date | None = None) -> bool:
        """Whether ``event`` could be applied (on ``on``: timers up to then run first)."""
        run = self._run
        if run is None:  # no event yet: every machine is in its initial state
            initial = [(m.definition.initial, event) in m.handles for m in self.sim.machines]
            return any(initial) or event not in self.sim.machine_events
        if on is not None:
            day = _date(on)
            run.advance(day)
            run.case.on = max(run.case.on, day)
        assert run.models is not None
        moves = [m.may(run.models[m.id], event, run.case) for m in self.sim.machines]
        return any(moves) or event not in self.sim.machine_events

    # -- reading the case ------------------------------------------------------------------

    @property
    def steps(self) -> list[Step]:
        return [] if self._run is None else self._run.replay.steps

    def status(self, on: str | dt.date) -> Snapshot:
        """The situation at the end of ``on`` (replayed afresh from the events so far)."""
        if not self._events:
            raise InputError("the case has no events yet")
        scenario = Scenario(id=self.case_id, person=self.person, events=self._events)
        return self.sim.status(scenario, _date(on))[1]

    def close(self) -> None:
        """Let ``transitions`` forget the case's models."""
        if self._run is not None:
            self._run.close()
