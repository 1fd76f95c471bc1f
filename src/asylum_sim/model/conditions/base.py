"""What every operator of the condition language shares: the node base class, the case it
reads, what it reports about itself, and the registry that makes the language.

Each operator is one class (see the sibling modules) holding everything about it: its
schema (pydantic fields), its meaning (``evaluate``, the reference tree-walker), its
compilation to Python source (``compile``), what it reads (``reads``), the dates on which it
can flip by itself (``temporal``) and where it may be used (``contexts``). Nothing else in
the program lists the operators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict

Context = Literal["guard", "deadline", "document", "entitlement", "warning"]
"""Where a condition is used: a machine guard, a deadline's start or period choice, a
document's validity, an entitlement rule, a warning."""
CONTEXTS: frozenset[str] = frozenset(get_args(Context))
AT_AN_EVENT: frozenset[str] = frozenset({"guard", "deadline", "document"})
"""Contexts evaluated while an event is applied, so its attributes are known."""


class CaseView(Protocol):
    """What a condition may look at: the case as of the end of day ``on``."""

    on: dt.date
    states: Mapping[str, str]
    previous: Mapping[str, str | None]
    """The state each machine was in before its last move."""
    facts: Mapping[str, Any]
    trigger: Mapping[str, Any]
    """The attributes of the event being applied (empty between events)."""
    occurrences: Mapping[str, Sequence[dt.date]]
    """The dates of every event that happened, in order."""

    def deadline_status(self, deadline_id: str) -> str | None: ...

    def holds(self, document_id: str) -> bool: ...


@dataclass(frozen=True, order=True)
class Read:
    """One thing a condition reads: ``Read("state", "procedure")``, ``Read("event", "lodge")``,
    ``Read("fact", "region")``, ``Read("deadline", "appeal_deadline")``, ``Read("document",
    "bgv")``, ``Read("trigger", "accelerated")``, ``Read("previous", "procedure")``,
    ``Read("date", "")`` (the day itself)."""

    kind: str
    name: str


class Named(Protocol):
    """Named conditions by name (the ``conditions:`` section), for ``is``."""

    def __getitem__(self, name: str) -> Node: ...

    def __contains__(self, name: object) -> bool: ...


class Compiler(Protocol):
    """What an operator needs to turn itself into a Python expression."""

    def sub(self, node: Node) -> str:
        """The expression of a child node."""

    def const(self, value: Any) -> str:
        """A name bound to ``value`` in the generated module."""

    def local(self, kind: str, name: str = "") -> str:
        """A local variable of the generated function, computed once per call:
        ``state``/``previous``/``fact``/``trigger`` NAME, ``age``, ``on``, ``case``,
        ``first`` (first dates by event), ``occurrences``."""

    def anchor(self, anchor: Any) -> str:
        """An expression for the first day an ``after`` on ``anchor`` holds (None when the
        anchor's event has not happened)."""

    def named(self, name: str) -> str:
        """The expression of the named condition ``name``."""


@dataclass(frozen=True)
class Temporal:
    """The dates on which a condition can flip without any event."""

    fixed: frozenset[dt.date] = frozenset()
    """Law dates: the first day a dated rule holds and the day after it ends."""
    ages: frozenset[int] = frozenset()
    """Ages whose birthday matters."""
    anchors: tuple[Any, ...] = ()
    """Anchors (event + period) whose date matters; they move only when their event happens."""

    def __or__(self, other: Temporal) -> Temporal:
        anchors = self.anchors + tuple(a for a in other.anchors if a not in self.anchors)
        return Temporal(self.fixed | other.fixed, self.ages | other.ages, anchors)


class Node(BaseModel):
    """One operator in a condition tree: a mapping with exactly one key, the operator's."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    key: ClassVar[str]
    """The operator's key in YAML."""
    contexts: ClassVar[frozenset[str]] = CONTEXTS
    """Where it may be used."""
    example: ClassVar[str]
    """A YAML example for the reference (docs/conditions.md)."""
    flips: ClassVar[str] = ""
    """When it changes without any event, if it can (for the reference)."""

    def children(self) -> tuple[Node, ...]:
        return ()

    def evaluate(self, case: CaseView, named: Named) -> bool:
        """Whether the condition holds for ``case`` (the reference: a plain tree walk)."""
        raise NotImplementedError

    def compile(self, cx: Compiler) -> str:
        """A Python expression with the same value as :meth:`evaluate`."""
        raise NotImplementedError

    def reads(self, named: Named) -> frozenset[Read]:
        """What the condition looks at (``is`` follows the named condition)."""
        return frozenset().union(*(c.reads(named) for c in self.children()))

    def temporal(self, named: Named) -> Temporal:
        """The dates on which it can flip by itself."""
        found = Temporal()
        for child in self.children():
            found = found | child.temporal(named)
        return found


OPERATORS: dict[str, type[Node]] = {}
"""Every operator by its key, in the order they are documented."""


def operator(cls: type[Node]) -> type[Node]:
    """Register an operator class under its key."""
    if cls.key in OPERATORS:
        raise ValueError(f"operator {cls.key!r} defined twice")
    OPERATORS[cls.key] = cls
    return cls


def walk(node: Node) -> Iterable[Node]:
    """The node and every node below it (``is`` is not followed)."""
    yield node
    for child in node.children():
        yield from walk(child)


def matches(value: Any, expected: Any) -> bool:
    """Whether a fact or attribute value fits ``expected``: a value, a list of values
    (one of), or a comparison (see :class:`asylum_sim.model.conditions.facts.Compare`)."""
    if isinstance(expected, list):
        return value in expected
    if isinstance(expected, BaseModel):
        return expected.holds(value)  # type: ignore[attr-defined]
    return value == expected
