"""The states of the machines: ``state`` and ``entered_from``."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from asylum_sim.model.common import Id
from asylum_sim.model.conditions.base import CaseView, Compiler, Named, Node, Read, operator


def as_list(value: Any) -> Any:
    """One id may stand for a list of one."""
    return [value] if isinstance(value, str) else value


def lists_by_key(value: Any) -> Any:
    return {k: as_list(v) for k, v in value.items()} if isinstance(value, dict) else value


@operator
class InState(Node):
    """True when each named machine is in one of the listed states (that day, after the
    step being applied)."""

    key = "state"
    example = "state: {procedure: [at_cgvs, appeal], reception: collective}"
    state: dict[Id, list[Id]]

    _lists = field_validator("state", mode="before")(lists_by_key)

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return all(case.states.get(m) in states for m, states in self.state.items())

    def compile(self, cx: Compiler) -> str:
        parts = [f"({cx.local('state', m)} in {cx.const(frozenset(s))})"
                 for m, s in self.state.items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset(Read("state", m) for m in self.state)


@operator
class EnteredFrom(Node):
    """True when the machine entered its current state from one of the listed states (the
    decision appealed against: ``appeal`` entered from ``refused``)."""

    key = "entered_from"
    example = "entered_from: {procedure: [refused]}"
    entered_from: dict[Id, list[Id]]

    _lists = field_validator("entered_from", mode="before")(lists_by_key)

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return all(case.previous.get(m) in states for m, states in self.entered_from.items())

    def compile(self, cx: Compiler) -> str:
        parts = [f"({cx.local('previous', m)} in {cx.const(frozenset(s))})"
                 for m, s in self.entered_from.items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset(Read("previous", m) for m in self.entered_from)
