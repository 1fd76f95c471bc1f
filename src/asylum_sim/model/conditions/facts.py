"""What is known about the person and the event: ``fact``, ``trigger`` and ``age``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from asylum_sim import calendar
from asylum_sim.model.common import Strict
from asylum_sim.model.conditions.base import (
    AT_AN_EVENT,
    CaseView,
    Compiler,
    Named,
    Node,
    Read,
    Temporal,
    matches,
    operator,
)

Scalar = str | int | bool | float


class Compare(Strict):
    """A numeric comparison: ``{at_least: 6}`` (>=), ``{at_most: 5}`` (<=), ``{above: 5}``
    (>), ``{below: 6}`` (<); several bounds must all hold. An unknown or non-numeric value
    never compares."""

    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> Compare:
        if all(v is None for v in (self.at_least, self.at_most, self.above, self.below)):
            raise ValueError("a comparison needs at_least, at_most, above or below")
        return self

    def holds(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return ((self.at_least is None or value >= self.at_least)
                and (self.at_most is None or value <= self.at_most)
                and (self.above is None or value > self.above)
                and (self.below is None or value < self.below))

    def compile(self, var: str) -> str:
        bounds = [(self.at_least, ">="), (self.at_most, "<="), (self.above, ">"),
                  (self.below, "<")]
        tests = " and ".join(f"{var} {op} {value!r}" for value, op in bounds if value is not None)
        return f"(type({var}) in (int, float) and {tests})"


def _expected(value: Any) -> Any:
    """A value, one of a list of values (``null`` is "unknown"), or a comparison; checked
    here rather than by a pydantic union so that a mistake gets one message, not six."""
    if isinstance(value, dict | Compare):
        return Compare.model_validate(value)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is not None and not isinstance(item, Scalar):
            raise ValueError(f"expected a value, a list of values or a comparison, "
                             f"got {item!r}")
    return value


Expected = Annotated[Any, AfterValidator(_expected)]


def compile_match(var: str, expected: Any, cx: Compiler) -> str:
    """The expression of :func:`matches` for a local variable ``var``."""
    if isinstance(expected, Compare):
        return expected.compile(var)
    if isinstance(expected, list):
        return f"({var} in {cx.const(tuple(expected))})"
    return f"({var} == {expected!r})"


@operator
class FactIs(Node):
    """True when each fact has the value given, one of a list, or passes a comparison. Facts
    are the person's attributes (``person:`` block) and what events set or record (e.g.
    ``employed``, ``region``, ``months``); an unknown fact is ``null``."""

    key = "fact"
    example = "fact: {region: [flanders, brussels], months: {at_least: 6}}"
    fact: dict[str, Expected]

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return all(matches(case.facts.get(k), v) for k, v in self.fact.items())

    def compile(self, cx: Compiler) -> str:
        parts = [compile_match(cx.local("fact", k), v, cx) for k, v in self.fact.items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset(Read("fact", k) for k in self.fact)


@operator
class Trigger(Node):
    """True when the event being applied has these attributes (``accelerated: true`` on a
    refusal). Only where an event is being applied: guards, deadlines, documents."""

    key = "trigger"
    contexts = AT_AN_EVENT
    example = "trigger: {accelerated: true}"
    trigger: dict[str, Expected]

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return all(matches(case.trigger.get(k), v) for k, v in self.trigger.items())

    def compile(self, cx: Compiler) -> str:
        parts = [compile_match(cx.local("trigger", k), v, cx) for k, v in self.trigger.items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset(Read("trigger", k) for k in self.trigger)


class AgeSpec(Strict):
    at_least: int | None = Field(default=None, ge=0, le=150)
    below: int | None = Field(default=None, ge=0, le=150)


def age_of(case: CaseView) -> int | None:
    """Completed years on ``case.on``; None when the birth date is unknown or later."""
    birth = case.facts.get("birth_date")
    if not isinstance(birth, dt.date) or case.on < birth:
        return None
    return calendar.age_on(birth, case.on)


@operator
class Age(Node):
    """True when the person's age on the day (from ``birth_date``) is in the range; false
    when the birth date is unknown (or the day comes before it). Flips on birthdays."""

    key = "age"
    flips = "on the birthdays of the ages it names"
    example = "age: {at_least: 6, below: 18}"
    age: AgeSpec

    def evaluate(self, case: CaseView, named: Named) -> bool:
        years = age_of(case)
        return years is not None and self._in_range(years)

    def _in_range(self, years: int) -> bool:
        spec = self.age
        return ((spec.at_least is None or years >= spec.at_least)
                and (spec.below is None or years < spec.below))

    def compile(self, cx: Compiler) -> str:
        age, spec = cx.local("age"), self.age
        tests = [f"{age} is not None"]
        if spec.at_least is not None:
            tests.append(f"{age} >= {spec.at_least}")
        if spec.below is not None:
            tests.append(f"{age} < {spec.below}")
        return "(" + " and ".join(tests) + ")"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("fact", "birth_date"), Read("date", "")})

    def temporal(self, named: Named) -> Temporal:
        spec = self.age
        return Temporal(ages=frozenset(a for a in (spec.at_least, spec.below) if a is not None))
