"""One case while it is simulated: what conditions read (a ``CaseView``) and its books.

Everything here grows by appending as the case goes forward in time (occurrences, anchor
dates, deadline and document records), so reading the situation on the current day costs
the same in a case of twenty events as in one of twenty thousand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from asylum_sim.engine.books import DeadlineBook, DocumentBook, EntitlementBook
from asylum_sim.rules.catalogue import Catalogue


class Case:
    """The case as of the end of day ``on`` (a :class:`~asylum_sim.model.conditions.CaseView`)."""

    __slots__ = ("anchors", "deadlines", "documents", "entitlements", "facts", "occurrences",
                 "on", "previous", "states", "trigger")

    def __init__(self, catalogue: Catalogue, on: dt.date, states: dict[str, str],
                 facts: dict[str, Any]) -> None:
        self.on = on
        self.states = states
        self.previous: dict[str, str | None] = dict.fromkeys(states)
        self.facts = facts
        self.trigger: dict[str, Any] = {}
        self.occurrences: dict[str, list[dt.date]] = {}
        """Every event that happened, with its dates in order (only up to ``on``)."""
        self.anchors: list[dt.date | None] = [None] * len(catalogue.rules.anchors.anchors)
        """The date of each anchor of the rule catalogue (see ``AnchorTable``)."""
        self.deadlines = DeadlineBook(catalogue)
        self.documents = DocumentBook(catalogue)
        self.entitlements = EntitlementBook(catalogue)

    # -- what conditions read --------------------------------------------------------------

    def deadline_status(self, deadline_id: str) -> str | None:
        instance = self.deadlines.latest.get(deadline_id)
        return None if instance is None else instance.status_on(self.on)

    def holds(self, document_id: str) -> bool:
        held = self.documents.current.get(document_id)
        return held is not None and held.held_on(self.on)

    def last(self, event: str) -> dt.date | None:
        dates = self.occurrences.get(event)
        return dates[-1] if dates else None
