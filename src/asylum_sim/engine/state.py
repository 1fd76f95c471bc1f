"""The mutable state of one case while it is simulated: what conditions look at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from asylum_sim.engine.steps import DeadlineView
from asylum_sim.model.catalogue import DeadlineDef, DocumentDef, PeriodChoice


@dataclass
class DeadlineInstance:
    """One running (or closed) deadline of a case."""

    definition: DeadlineDef
    start: dt.date
    due: dt.date
    rule: str
    source: str
    status: str = "open"
    closed_on: dt.date | None = None
    extensions: int = 0
    seq: int = 0
    choice: PeriodChoice | None = None
    posted: bool = False
    event: str = ""
    counted_from: dt.date | None = None
    """The day the period was counted from (the start, an attribute's date, or the
    previous due date)."""
    _why: dict[str, str] | None = None

    def status_on(self, day: dt.date) -> str:
        """The status as of the end of ``day`` (only the past is known)."""
        if self.closed_on is not None and self.closed_on <= day:
            return self.status
        return "open"

    def _explain(self) -> dict[str, str]:
        return self.why

    @property
    def why(self) -> dict[str, str]:
        """How the due date was counted (computed once, on first use)."""
        if self._why is None:
            from asylum_sim.engine.deadlines import deadline_why

            self._why = deadline_why(self)
        return self._why

    def view(self, day: dt.date) -> DeadlineView:
        """The read-only view as of ``day``."""
        status = self.status_on(day)
        return DeadlineView(
            self.definition.id, self.start, self.due, status,  # type: ignore[arg-type]
            self.rule, self.source, self.definition.kind,
            self.closed_on if status != "open" else None, self._explain,
        )


@dataclass
class DocumentInstance:
    definition: DocumentDef
    issued: dt.date
    valid_until: dt.date | None
    ended: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        if self.issued > day or (self.ended is not None and self.ended <= day):
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass
class CaseState:
    """Everything known about the case up to the date being processed (a ``CaseView``)."""

    on: dt.date
    states: dict[str, str]
    facts: dict[str, Any]
    previous: dict[str, str | None] = field(default_factory=dict)
    occurrences: dict[str, list[dt.date]] = field(default_factory=dict)
    trigger: dict[str, Any] = field(default_factory=dict)
    deadlines: list[DeadlineInstance] = field(default_factory=list)
    latest_deadline: dict[str, DeadlineInstance] = field(default_factory=dict)
    documents: list[DocumentInstance] = field(default_factory=list)

    def deadline_status(self, deadline_id: str) -> str | None:
        instance = self.latest_deadline.get(deadline_id)
        return None if instance is None else instance.status_on(self.on)

    def holds(self, document_id: str) -> bool:
        return any(
            d.definition.id == document_id and d.held_on(self.on) for d in self.documents
        )

    def last(self, event: str) -> dt.date | None:
        dates = self.occurrences.get(event)
        return dates[-1] if dates else None


class ChangeLog:
    """What changed since the rules last looked, as the tokens of
    :func:`asylum_sim.rules.conditions.dependencies` (``move:procedure:at_cgvs:refused``,
    ``event:lodge``, ``deadline:work_access``, ``holds:bgv`` ...), plus version counters
    so that unchanged document lists and `until` dates are not rebuilt at every step."""

    def __init__(self) -> None:
        self.tokens: set[str] | None = None
        """None until the first evaluation: then everything counts as changed."""
        self.documents_version = 0
        self.deadline_versions: dict[str, int] = {}
        """Changes per deadline id (for lists showing one deadline's due date)."""

    def mark(self, token: str) -> None:
        if self.tokens is not None:
            self.tokens.add(token)
        if token.startswith("holds:"):
            self.documents_version += 1
        elif token.startswith("deadline:"):
            versions = self.deadline_versions
            versions[token] = versions.get(token, 0) + 1

    def take(self) -> set[str] | None:
        """The tokens marked so far (None: everything), and start afresh."""
        tokens, self.tokens = self.tokens, set()
        return tokens
