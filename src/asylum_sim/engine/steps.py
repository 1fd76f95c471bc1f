"""Value objects the engine returns and the renderers read.

The ones made at every step (``Move``, ``DocumentHeld``, ``Snapshot``, ``Step``) are named
tuples: as immutable as frozen dataclasses and several times cheaper to create.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Explain = Callable[[], "dict[str, str] | None"]
"""Computes a one-line reason, by language, only when a renderer asks for it."""

Origin = Literal["scenario", "timer", "internal"]


class Move(NamedTuple):
    """One machine taking one transition."""

    machine: str
    source: str
    dest: str
    event: str


class DocumentHeld(NamedTuple):
    id: str
    issued: dt.date
    valid_until: dt.date | None
    rule: str
    source: str


@dataclass(frozen=True, slots=True)
class DeadlineView:
    id: str
    start: dt.date
    due: dt.date
    status: Literal["open", "met", "missed", "expired", "cancelled"]
    rule: str
    source: str
    kind: Literal["act", "waiting"]
    closed_on: dt.date | None = None
    explain: Explain | None = field(default=None, compare=False, repr=False)
    actor: str = "person"
    """Whose act it is: ``person``, or the id of the authority or structure."""

    @property
    def why(self) -> dict[str, str] | None:
        """How the due date was counted, by language."""
        return self.explain() if self.explain is not None else None


@dataclass(frozen=True, slots=True)
class EntitlementView:
    id: str
    kind: Literal["right", "obligation", "restriction"]
    since: dt.date
    until: dt.date | None
    rule: str
    source: str
    explain: Explain | None = field(default=None, compare=False, repr=False)

    @property
    def why(self) -> dict[str, str] | None:
        """Why it holds, in one line, by language."""
        return self.explain() if self.explain is not None else None


class Snapshot(NamedTuple):
    """The situation after a step (or at the end of a day)."""

    on: dt.date
    states: dict[str, str]
    documents: tuple[DocumentHeld, ...]
    deadlines: Sequence[DeadlineView]
    """Every deadline started so far, in the order they started (a sequence that shares
    the closed ones with earlier snapshots)."""
    entitlements: tuple[EntitlementView, ...]


class Step(NamedTuple):
    """One event applied to the case, with the situation at its end."""

    index: int
    date: dt.date
    event: str
    origin: Origin
    attributes: dict[str, Any]
    moves: tuple[Move, ...]
    snapshot: Snapshot
    note: str | None = None
    cause: str | None = None
    """For timer and internal steps: the deadline or event that caused it."""
    problem: str | None = None
    """Set (with ``--lenient``) when the event was not possible; the case did not move."""


DeviationKind = Literal["not_possible", "late", "unknown_activity", "bad_attribute",
                        "unreadable"]


@dataclass(frozen=True, slots=True)
class Deviation:
    """A place where a case departs from the law or from the model: an event not possible
    in its state, an act after its deadline, an input that could not be used. Recorded,
    not raised, when a case is replayed leniently (conformance checking)."""

    date: dt.date | None
    event: str
    kind: DeviationKind
    states: dict[str, str]
    """The states of the machines when it happened."""
    rule: str | None
    """The rule broken (a deadline's rule id), when there is one."""
    message: str
    index: int | None = None
    """The event's index in the scenario, when it comes from one."""


@dataclass
class Replay:
    """A whole case: its steps in order, and warnings (e.g. outside the modelled law)."""

    case: str
    person: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Ids of the warnings (see machines/warnings.yaml) that hold for the case."""
    deviations: list[Deviation] = field(default_factory=list)
    """Departures from the law or the model: acts after their deadline, and (replayed
    with ``--lenient``) events that were not possible."""
    final: Snapshot | None = None
    """The situation at the end of the replay (in ``states`` detail: without
    entitlements)."""
