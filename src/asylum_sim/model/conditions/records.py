"""What the case holds: deadlines (``deadline``), documents (``holds``) and the law of the
day (``date``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import field_validator

from asylum_sim.model.common import Id, Strict, Validity
from asylum_sim.model.conditions.base import (
    CaseView,
    Compiler,
    Named,
    Node,
    Read,
    Temporal,
    operator,
)
from asylum_sim.model.conditions.machines import as_list

DeadlineStatus = Literal["open", "met", "missed", "expired", "cancelled"]


class DeadlineSpec(Strict):
    id: Id
    status: list[DeadlineStatus]

    _lists = field_validator("status", mode="before")(as_list)


@operator
class DeadlineIs(Node):
    """True when the latest deadline with that id has one of the statuses that day (a
    deadline that never started has none). Flips by itself when the deadline runs out:
    the engine wakes up on that day."""

    key = "deadline"
    flips = "on the day after the deadline's last day"
    example = "deadline: {id: appeal_deadline, status: open}"
    deadline: DeadlineSpec

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return case.deadline_status(self.deadline.id) in self.deadline.status

    def compile(self, cx: Compiler) -> str:
        statuses = cx.const(frozenset(self.deadline.status))
        return f"({cx.local('case')}.deadline_status({self.deadline.id!r}) in {statuses})"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("deadline", self.deadline.id), Read("date", "")})


@operator
class Holds(Node):
    """True when the person holds the document that day (issued, not replaced, revoked or
    run out). Flips by itself when the document runs out: the engine wakes up then."""

    key = "holds"
    flips = "on the day after the document's last day of validity"
    example = "holds: bijlage_26"
    holds: Id

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return case.holds(self.holds)

    def compile(self, cx: Compiler) -> str:
        return f"{cx.local('case')}.holds({self.holds!r})"

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("document", self.holds), Read("date", "")})


def validity_edges(validity: Validity) -> frozenset[dt.date]:
    """The first day a range holds and the first day after it."""
    edges = set()
    if validity.start is not None:
        edges.add(validity.start)
    if validity.end is not None:
        edges.add(validity.end + dt.timedelta(days=1))
    return frozenset(edges)


def compile_validity(validity: Validity, cx: Compiler) -> str:
    on = cx.local("on")
    tests = []
    if validity.start is not None:
        tests.append(f"{cx.const(validity.start)} <= {on}")
    if validity.end is not None:
        tests.append(f"{on} <= {cx.const(validity.end)}")
    return "(" + " and ".join(tests) + ")" if tests else "True"


@operator
class Dated(Node):
    """True between two dates (both included): the law as of the day evaluated. Flips by
    itself on the first day and on the day after the last."""

    key = "date"
    flips = "on the first day of the range and on the day after its end"
    example = "date: {from: 2022-11-14, to: 2023-04-01}"
    date: Validity

    def evaluate(self, case: CaseView, named: Named) -> bool:
        return self.date.holds_on(case.on)

    def compile(self, cx: Compiler) -> str:
        return compile_validity(self.date, cx)

    def reads(self, named: Named) -> frozenset[Read]:
        return frozenset({Read("date", "")})

    def temporal(self, named: Named) -> Temporal:
        return Temporal(fixed=validity_edges(self.date))
