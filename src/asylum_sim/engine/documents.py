"""Documents of a case: issued on entering states or by transitions, replaced, renewed,
revoked, and held until they run out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from asylum_sim import calendar
from asylum_sim.engine.deadlines import in_any
from asylum_sim.engine.state import CaseState, ChangeLog, DocumentInstance
from asylum_sim.model.catalogue import DocumentValidity
from asylum_sim.model.common import Period
from asylum_sim.model.loader import Definitions
from asylum_sim.rules.conditions import Check, compile_condition


class DocumentRules:
    """The documents of the catalogue, indexed by the events that renew or revoke them."""

    def __init__(self, defs: Definitions) -> None:
        self.definitions = defs.documents
        self.revoked_by: dict[str, set[str]] = defaultdict(set)
        self.renewed_by: dict[str, set[str]] = defaultdict(set)
        for doc in defs.documents.values():
            for event in doc.revoked_by:
                self.revoked_by[event].add(doc.id)
            for event in doc.extended_by:
                self.renewed_by[event].add(doc.id)
        self.validity: dict[str, list[tuple[Check, DocumentValidity]]] = {
            doc.id: [(compile_condition(v.when), v) for v in doc.validity]
            for doc in defs.documents.values()
        }


class DocumentBook:
    """The documents of one case. ``on_expiry(doc_id, day)`` tells the engine the first
    day a document is no longer held, so rules reading it are looked at again then."""

    def __init__(self, rules: DocumentRules, case: CaseState, changes: ChangeLog,
                 on_expiry: Callable[[str, dt.date], None]) -> None:
        self.rules = rules
        self.case = case
        self.changes = changes
        self.on_expiry = on_expiry

    def issue(self, document_ids: Iterable[str]) -> None:
        """Hand out documents today; each replaces its own earlier copy and the
        documents it names in ``replaces``."""
        docs, day = self.case.documents, self.case.on
        for doc_id in document_ids:
            definition = self.rules.definitions.get(doc_id)
            if definition is None:
                continue
            gone = {doc_id, *definition.replaces}
            for held in docs:
                if held.ended is None and held.definition.id in gone:
                    self._end(held)
            period = self.validity(doc_id)
            # Counted like a term (Ger.W. art. 54): 5 years from 15/9/2023 runs up to and
            # including 15/9/2028, the day card_a_expiry names too.
            valid_until = calendar.add_period(day, period.amount, period.unit) if period else None
            docs.append(DocumentInstance(definition, day, valid_until))
            self.changes.mark(f"holds:{doc_id}")
            if valid_until is not None:
                self.on_expiry(doc_id, valid_until + dt.timedelta(days=1))

    def validity(self, doc_id: str) -> Period | None:
        """How long a document issued now is valid: the first ``validity`` rule that
        holds, else ``valid_for``."""
        for check, rule in self.rules.validity[doc_id]:
            if check(self.case):
                return rule.valid_for
        return self.rules.definitions[doc_id].valid_for

    def on_event(self, event: str) -> None:
        """Revoke or renew the documents an event concerns."""
        revoked = self.rules.revoked_by.get(event, ())
        renewed = self.rules.renewed_by.get(event, ())
        if not revoked and not renewed:
            return
        day = self.case.on
        for held in self.case.documents:
            if held.ended is not None:
                continue
            doc_id = held.definition.id
            if doc_id in revoked:
                self._end(held)
            elif doc_id in renewed:
                period = held.definition.extended_for or self.validity(doc_id)
                if period is not None:
                    # A renewal runs on from the old end date (asked 45 to 30 days before
                    # it, dofi.ibz.be), or from the renewal when the card had run out.
                    start = max(day, held.valid_until) if held.valid_until else day
                    held.valid_until = calendar.add_period(start, period.amount, period.unit)
                    self.changes.mark(f"holds:{doc_id}")
                    self.on_expiry(doc_id, held.valid_until + dt.timedelta(days=1))

    def on_leaving(self) -> None:
        """End the documents tied to states the case is no longer in."""
        states = self.case.states
        for held in self.case.documents:
            wanted = held.definition.revoked_on_leaving
            if held.ended is None and wanted and not in_any(states, wanted):
                self._end(held)

    def _end(self, held: DocumentInstance) -> None:
        held.ended = self.case.on
        self.changes.mark(f"holds:{held.definition.id}")
