"""Machine definitions made executable: a fast ``(state, event)`` index for the engine, and
a ``transitions`` machine as the reference executor and the live case's event methods.

The engine picks a transition from its own index and evaluates the compiled guards: one
dictionary lookup and a function call. ``transitions`` does the same with all its
machinery (``EventData``, callbacks, ~45 µs a trigger), which is too slow for whole event
logs but is the well-known library a reader can trust: a property test drives both through
random cases and checks they take the same transitions, and :mod:`asylum_sim.engine.live`
gives a case ``case.lodge(...)`` / ``case.may_lodge()`` trigger methods through it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData, Machine

from asylum_sim.model.conditions import CaseView
from asylum_sim.model.machine import MachineFile, TransitionDef
from asylum_sim.rules.compiler import Check, Rules


@dataclass
class Fire:
    """What a case passes to a trigger; the transition taken is written back into it."""

    case: CaseView
    taken: list[TransitionDef] = field(default_factory=list)


class MachineModel:
    """The object ``transitions`` moves between states (one per case and machine)."""

    state: str


@dataclass
class CompiledMachine:
    """One machine definition, executable."""

    definition: MachineFile
    handles: dict[tuple[str, str], list[TransitionDef]]
    """(state, event) -> the transitions that event may take from that state, in order."""
    guards: dict[str, Check]
    _machine: Machine | None = None

    @property
    def id(self) -> str:
        return self.definition.id

    def events_from(self, state: str) -> list[str]:
        """Events this machine handles in ``state`` (guards not evaluated)."""
        return sorted({event for (src, event) in self.handles if src == state})

    def allowed(self, tdef: TransitionDef, case: CaseView) -> bool:
        """Whether the transition's guards let it be taken now."""
        if tdef.guard and not self.guards[tdef.guard](case):
            return False
        return not (tdef.unless and self.guards[tdef.unless](case))

    def pick(self, state: str, event: str, case: CaseView) -> TransitionDef | None:
        """The first transition of ``event`` from ``state`` whose guards hold, if any."""
        for tdef in self.handles.get((state, event), ()):
            if self.allowed(tdef, case):
                return tdef
        return None

    # -- through transitions ----------------------------------------------------------------

    @property
    def machine(self) -> Machine:
        """The ``transitions`` machine (built on first use: start-up stays fast)."""
        if self._machine is None:
            self._machine = _transitions_machine(self.definition, self.guards)
        return self._machine

    def new_model(self, state: str | None = None) -> MachineModel:
        """A model ``transitions`` moves, in ``state`` (default: the initial state)."""
        model = MachineModel()
        self.machine.add_model(model, initial=state or self.definition.initial)
        return model

    def drop_model(self, model: MachineModel) -> None:
        """Let ``transitions`` forget the model (it keeps every model it was given)."""
        self.machine.remove_model(model)

    def trigger(self, model: MachineModel, event: str, case: CaseView) -> TransitionDef | None:
        """Fire ``event`` through ``transitions``' own trigger; the transition taken."""
        if (model.state, event) not in self.handles:
            return None
        fire = Fire(case)
        model.trigger(event, fire=fire)
        return fire.taken[0] if fire.taken else None

    def pick_via_transitions(self, model: MachineModel, state: str, event: str,
                             case: CaseView) -> TransitionDef | None:
        """:meth:`pick` done by ``transitions``: the model is put in ``state`` and the
        event triggered; the transition ``transitions`` took (None: none)."""
        self.machine.set_state(state, model)
        return self.trigger(model, event, case)

    def may(self, model: MachineModel, event: str, case: CaseView) -> bool:
        """Whether ``transitions`` would take ``event`` now (its ``may_<event>``)."""
        if (model.state, event) not in self.handles:
            return False
        return bool(getattr(model, f"may_{event}")(fire=Fire(case)))


def compile_machine(definition: MachineFile, rules: Rules) -> CompiledMachine:
    """The executable form of one machine, with its guards from the compiled ``rules``."""
    guards = {name: rules.guard(definition.id, name) for name in definition.guards}
    handles: dict[tuple[str, str], list[TransitionDef]] = defaultdict(list)
    for tdef in definition.transitions:
        for src in tdef.sources:
            handles[(src, tdef.event)].append(tdef)
    return CompiledMachine(definition, dict(handles), guards)


def _transitions_machine(definition: MachineFile, guards: dict[str, Check]) -> Machine:
    machine = Machine(
        model=None,
        states=[s.id for s in definition.states],
        initial=definition.initial,
        auto_transitions=False,
        send_event=True,
        name=definition.id,
    )
    for tdef in definition.transitions:
        machine.add_transition(
            tdef.event,
            tdef.sources,
            tdef.dest,
            conditions=[_guard(guards[tdef.guard])] if tdef.guard else [],
            unless=[_guard(guards[tdef.unless])] if tdef.unless else [],
            after=[_recorder(tdef)],
        )
    return machine


def _guard(check: Check) -> Any:
    def condition(event_data: EventData) -> bool:
        return check(event_data.kwargs["fire"].case)

    return condition


def _recorder(tdef: TransitionDef) -> Any:
    def after(event_data: EventData) -> None:
        event_data.kwargs["fire"].taken.append(tdef)

    return after
