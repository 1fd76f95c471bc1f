"""Combining conditions: ``all``, ``any``, ``not``, named conditions (``is``) and ``always``.

A plain YAML list is read as ``all`` (see :mod:`asylum_sim.model.conditions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from asylum_sim.model.common import Id
from asylum_sim.model.conditions.base import (
    CaseView,
    Compiler,
    Named,
    Node,
    Read,
    Temporal,
    operator,
)

if TYPE_CHECKING:
    from asylum_sim.model.conditions import Condition


@operator
class AllOf(Node):
    """True when every part holds. A YAML list means the same."""

    key = "all"
    example = "all: [{is: pending}, {fact: {needy: true}}]"
    all: list[Condition] = Field(min_length=1)

    def children(self) -> tuple[Node, ...]:
        return tuple(self.all)

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return all(part.evaluate(case, named) for part in self.all)

    def compile(self, cx: Compiler) -> str:
        return "(" + " and ".join(cx.sub(part) for part in self.all) + ")"


@operator
class AnyOf(Node):
    """True when at least one part holds."""

    key = "any"
    example = "any: [{state: {procedure: [refugee]}}, {state: {residence: [permanent]}}]"
    any: list[Condition] = Field(min_length=1)

    def children(self) -> tuple[Node, ...]:
        return tuple(self.any)

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return any(part.evaluate(case, named) for part in self.any)

    def compile(self, cx: Compiler) -> str:
        return "(" + " or ".join(cx.sub(part) for part in self.any) + ")"


@operator
class Not(Node):
    """True when the part does not hold."""

    key = "not"
    example = "not: {fact: {employed: true}}"
    negated: Condition = Field(alias="not")

    def children(self) -> tuple[Node, ...]:
        return (self.negated,)

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return not self.negated.evaluate(case, named)

    def compile(self, cx: Compiler) -> str:
        return f"(not {cx.sub(self.negated)})"


@operator
class Is(Node):
    """True when the named condition (``conditions:`` in conditions.yaml) holds. Shared
    conditions are written once and named, so that no entry depends on another."""

    key = "is"
    example = "is: status_holder"
    name: Id = Field(alias="is")

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return named[self.name].evaluate(case, named)

    def compile(self, cx: Compiler) -> str:
        return cx.named(self.name)

    def reads(self, named: Named) -> frozenset[Read]:
        return named[self.name].reads(named) if self.name in named else frozenset()

    def temporal(self, named: Named) -> Temporal:
        return named[self.name].temporal(named) if self.name in named else Temporal()


@operator
class Always(Node):
    """Always true (a rule that holds whenever its entry applies)."""

    key = "always"
    example = "always: true"
    always: Literal[True]

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return True

    def compile(self, cx: Compiler) -> str:
        return "True"
