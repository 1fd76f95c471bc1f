"""The file format of one machine (``machines/<id>.yaml``, ``kind: machine``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from asylum_sim.model.common import Id, Labels, Source, Strict
from asylum_sim.model.conditions import Condition


class StateDef(Strict):
    id: Id
    labels: Labels
    actor: Id
    """Who acts or decides while the case is in this state (see ``actors`` in events.yaml)."""
    phase: Id | None = None
    """Groups states for diagrams (e.g. ``access``, ``first_instance``, ``appeal``)."""
    final: bool = False
    outcome: Literal["positive", "negative"] | None = None
    """An outcome of the procedure, styled apart in diagrams (final or not)."""
    documents: list[Id] = []
    """Documents issued on entering the state."""
    source: Source | None = None
    note: str | None = None


class GuardDef(Strict):
    """A named condition on a transition, e.g. ``subsequent_application``."""

    labels: Labels
    when: Condition
    source: Source


class TransitionDef(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    event: Id
    sources: list[Id] = Field(alias="from", min_length=1)
    dest: Id = Field(alias="to")
    guard: Id | None = None
    """Name of a guard of this machine; the transition is taken only when it holds."""
    unless: Id | None = None
    """Name of a guard that must not hold."""
    timer: Id | None = None
    """Deadline id: the transition fires by itself when that deadline expires (``act``) or
    is reached (``waiting``)."""
    documents: list[Id] = []
    """Documents issued when the transition is taken (besides those of the target state)."""
    emits: list[Id] = []
    """Internal events fired after this transition, routed to every machine (same date)."""
    source: Source
    note: str | None = None

    @field_validator("sources", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class MachineFile(Strict):
    kind: Literal["machine"]
    id: Id
    labels: Labels
    source: Source
    initial: Id
    states: list[StateDef] = Field(min_length=1)
    transitions: list[TransitionDef] = []
    guards: dict[Id, GuardDef] = {}
    phases: dict[Id, Labels] = {}
    """Labels of the phases states are grouped in."""
    note: str | None = None

    def state(self, state_id: str) -> StateDef | None:
        return next((s for s in self.states if s.id == state_id), None)
