"""Machine definitions loaded into ``transitions`` machines, for execution.

Our own typed model stays the source of truth. Each machine is built once in ``transitions``
(``auto_transitions=False``), which validates it and holds every case's state; cases take a
model object from a pool, so thousands of cases share the compiled machines.

Dispatch: ``fire`` picks the transition from our (state, event) index, evaluates its guards
and moves the model with ``Machine.set_state``. Going through ``Model.trigger`` does the
same but costs about 45 µs a call (EventData, callbacks), more than a whole step's budget
in the benchmark; ``fire_via_trigger`` keeps that path, and a test proves both agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData, Machine

from asylum_sim.model.machine import MachineFile, TransitionDef
from asylum_sim.rules.conditions import CaseView, Check, compile_condition


@dataclass
class Fire:
    """What a case passes to a trigger; the transition taken is written back into it."""

    case: CaseView
    taken: list[TransitionDef] = field(default_factory=list)


class MachineModel:
    """The per-case object ``transitions`` moves between states."""

    state: str


@dataclass
class CompiledMachine:
    """One machine definition, executable."""

    definition: MachineFile
    machine: Machine
    handles: dict[tuple[str, str], list[TransitionDef]]
    """(state, event) -> the transitions that event may take from that state."""
    guards: dict[str, Check]

    @property
    def id(self) -> str:
        return self.definition.id

    pool: list[MachineModel] = field(default_factory=list)

    def new_model(self) -> MachineModel:
        """A model in the initial state (reused from the pool when one is free)."""
        if self.pool:
            model = self.pool.pop()
            self.machine.set_state(self.definition.initial, model)
            return model
        model = MachineModel()
        self.machine.add_model(model, initial=self.definition.initial)
        return model

    def release(self, model: MachineModel) -> None:
        """Give a case's model back to the pool."""
        self.pool.append(model)

    def events_from(self, state: str) -> list[str]:
        """Events this machine handles in ``state`` (guards not evaluated)."""
        return sorted({event for (src, event) in self.handles if src == state})

    def allowed(self, tdef: TransitionDef, case: CaseView) -> bool:
        """Whether the transition's guards let it be taken now."""
        if tdef.guard and not self.guards[tdef.guard](case):
            return False
        return not (tdef.unless and self.guards[tdef.unless](case))

    def fire(self, model: MachineModel, event: str, case: CaseView) -> TransitionDef | None:
        """Take the first transition of ``event`` whose guards hold; None when none does."""
        for tdef in self.handles.get((model.state, event), ()):
            if self.allowed(tdef, case):
                self.machine.set_state(tdef.dest, model)
                return tdef
        return None

    def fire_via_trigger(
        self, model: MachineModel, event: str, case: CaseView
    ) -> TransitionDef | None:
        """The same as :meth:`fire`, through ``transitions``' own trigger (slower)."""
        if (model.state, event) not in self.handles:
            return None
        fire = Fire(case)
        model.trigger(event, fire=fire)
        return fire.taken[0] if fire.taken else None


def compile_machine(definition: MachineFile) -> CompiledMachine:
    """Build the ``transitions`` machine of a definition."""
    guards = {name: compile_condition(g.when) for name, g in definition.guards.items()}
    machine = Machine(
        model=None,
        states=[s.id for s in definition.states],
        initial=definition.initial,
        auto_transitions=False,
        send_event=True,
        name=definition.id,
    )
    handles: dict[tuple[str, str], list[TransitionDef]] = defaultdict(list)
    for tdef in definition.transitions:
        conditions = [_guard(guards[tdef.guard])] if tdef.guard else []
        unless = [_guard(guards[tdef.unless])] if tdef.unless else []
        machine.add_transition(
            tdef.event,
            tdef.sources,
            tdef.dest,
            conditions=conditions,
            unless=unless,
            after=[_recorder(tdef)],
        )
        for src in tdef.sources:
            handles[(src, tdef.event)].append(tdef)
    return CompiledMachine(definition, machine, dict(handles), guards)


def _guard(check: Check) -> Any:
    def condition(event_data: EventData) -> bool:
        return check(event_data.kwargs["fire"].case)

    return condition


def _recorder(tdef: TransitionDef) -> Any:
    def after(event_data: EventData) -> None:
        event_data.kwargs["fire"].taken.append(tdef)

    return after
