"""Running the baseline and its variants through the simulator, for ``whatif``.

A variant the machines cannot follow (an event not possible in its state: the simulator's
:class:`InputError` with exit code 3) is not an error of the command: it is an outcome,
reported as "impossible" with the simulator's message (which names the event, its date, the
states and the events possible then).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from asylum_sim.engine.simulator import Simulator
from asylum_sim.engine.steps import Replay, Snapshot
from asylum_sim.model.errors import InputError
from asylum_sim.model.scenario import Scenario
from asylum_sim.render.json_report import status_dict
from asylum_sim.render.labels import Labeller

_INDEX = re.compile(r"^events\[\d+\]\s*")

NOT_POSSIBLE = 3
"""Exit code of the simulator's InputError for an event impossible in its state."""

@dataclass
class Outcome:
    """A case replayed to its end: its last date, or why it cannot be replayed."""

    scenario: Scenario
    name: str
    last: dt.date | None = None
    impossible: str | None = None


@dataclass
class Side:
    """One case on the comparison date."""

    replay: Replay
    snapshot: Snapshot
    status: dict[str, Any]
    origins: dict[str, dict[str, Any]]


def run_to_end(sim: Simulator, scenario: Scenario, name: str, *, variant: bool) -> Outcome:
    """Replay the whole case. For a variant, an impossible event becomes ``impossible``;
    for the baseline it stays an error (the scenario itself is wrong)."""
    try:
        replay = sim.replay(scenario, name=name)
    except InputError as exc:
        if not variant or exc.exit_code != NOT_POSSIBLE:
            raise
        return Outcome(scenario, name, impossible=without_index(exc))
    last = max((s.date for s in replay.steps), default=min(e.date for e in scenario.events))
    return Outcome(scenario, name, last=last)


def blocked_at(sim: Simulator, scenario: Scenario, name: str) -> dict[str, Any] | None:
    """Where an impossible case gets stuck: ``{"date", "event", "states", "possible"}`` of
    the first event no machine could take, the states then and the events possible instead
    (ids; renderers put them in words). Replayed leniently to find it, so only asked for
    when a report shows it."""
    replay = sim.replay(scenario, lenient=True, name=name)
    stuck = next((d for d in replay.deviations if d.kind == "not_possible"), None)
    if stuck is None or stuck.date is None:
        return None
    before = [event for index, event in scenario.ordered_events()
              if (event.date, index) < (stuck.date, stuck.index or 0)]
    possible = (sim.possible_events(scenario.model_copy(update={"events": before}), stuck.date)
                if before else [])
    return {"date": stuck.date.isoformat(), "event": stuck.event, "states": stuck.states,
            "possible": possible}


def without_index(exc: InputError) -> str:
    """The simulator's message without the file name and ``events[i]``: the index is the
    variant's, not the file's, and would mislead; the date and event name the entry."""
    return "; ".join(
        f"{_INDEX.sub('', p.where).strip('() ')}: {p.message}" if p.where else p.message
        for p in exc.problems
    )


def side_on(sim: Simulator, lab: Labeller, outcome: Outcome, on: dt.date) -> Side:
    """The ``status`` of a case on ``on``, with how each machine reached its state."""
    replay, snap = sim.status(outcome.scenario, on, name=outcome.name)
    return Side(replay, snap, status_dict(replay, snap, lab), state_origins(replay, lab))


def state_origins(replay: Replay, lab: Labeller) -> dict[str, dict[str, Any]]:
    """Per machine, the transition that brought it into its current state: its source and
    "by EVENT on DATE" in words (``rule`` is null: transitions carry a source, not a rule
    id)."""
    found: dict[str, dict[str, Any]] = {}
    machines = lab.defs.machines
    for step in replay.steps:
        for move in step.moves:
            machine = machines.get(move.machine)
            source = None
            if machine is not None:
                source = next(
                    (t.source for t in machine.transitions
                     if t.event == move.event and move.source in t.sources
                     and t.dest == move.dest),
                    None,
                )
            text = lab.t("whatif.by_event", event=lab.event(move.event), date=step.date)
            found[move.machine] = {"rule": None, "source": source, "why": text}
    return found
