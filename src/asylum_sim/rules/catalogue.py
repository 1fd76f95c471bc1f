"""The rule catalogue compiled for a simulator: the rules as functions, and the indexes
that say which event or state touches which deadline and document.

One catalogue serves every case; each case keeps its own deadlines, documents and
entitlements in :mod:`asylum_sim.engine.books`, which reads these indexes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from asylum_sim.model.catalogue import DeadlineDef, DocumentDef, EntitlementDef
from asylum_sim.model.conditions import Temporal
from asylum_sim.model.loader import Definitions
from asylum_sim.rules.compiler import Rules, build_rules


@dataclass
class EventIndex:
    """Which entries an event or a state entry starts, ends or changes."""

    starts_on_event: dict[str, list[DeadlineDef]] = field(default_factory=lambda: defaultdict(list))
    starts_on_enter: dict[tuple[str, str], list[DeadlineDef]] = field(
        default_factory=lambda: defaultdict(list))
    met_by: dict[str, Any] = field(default_factory=lambda: defaultdict(set))
    cancelled_by: dict[str, Any] = field(default_factory=lambda: defaultdict(set))
    extended_by: dict[str, Any] = field(default_factory=lambda: defaultdict(set))
    revoked_by: dict[str, Any] = field(default_factory=lambda: defaultdict(set))
    renewed_by: dict[str, Any] = field(default_factory=lambda: defaultdict(set))

    def touches(self, event: str) -> bool:
        """Whether the event meets, cancels, extends, revokes or renews anything."""
        return (event in self.met_by or event in self.cancelled_by or event in self.extended_by
                or event in self.revoked_by or event in self.renewed_by)


class Catalogue:
    """Deadlines, documents, entitlements and warnings of one machines folder, ready to run."""

    def __init__(self, defs: Definitions, evaluator: str = "compiled") -> None:
        self.defs = defs
        self.rules: Rules = build_rules(defs, evaluator)
        self.deadlines: dict[str, DeadlineDef] = defs.deadlines
        self.documents: dict[str, DocumentDef] = defs.documents
        self.entitlements: list[EntitlementDef] = list(defs.entitlements.values())
        self.warnings = list(defs.warnings.values())
        self.index = _index(defs)
        temporal: list[Temporal] = self.rules.temporal  # type: ignore[attr-defined]
        self.fixed_dates: frozenset[dt.date] = frozenset().union(*(t.fixed for t in temporal))
        """Law dates on which some entitlement may flip."""
        self.ages: frozenset[int] = frozenset().union(*(t.ages for t in temporal))
        """Ages whose birthday may flip some entitlement."""
        self.tick_anchors: frozenset[int] = frozenset(
            self.rules.anchors.index[a.token()] for t in temporal for a in t.anchors)
        """Anchors on whose date some entitlement may flip."""
        self.why_events: list[list[tuple[str, ...]]] = [
            [rule.why_events() for rule in ent.rules]
            for ent in self.entitlements]
        """Per entitlement and rule, the events whose dates its ``why`` line names."""
        self.all_why_events = tuple(sorted({e for rules in self.why_events for events in rules
                                            for e in events}))
        self.until_rules = {
            (i, j): rule.until
            for i, ent in enumerate(self.entitlements)
            for j, rule in enumerate(ent.rules) if rule.until is not None
        }


def _index(defs: Definitions) -> EventIndex:
    index = EventIndex()
    for d in defs.deadlines.values():
        for event in d.starts.events:
            index.starts_on_event[event].append(d)
        for machine, states in d.starts.enter.items():
            for state in states:
                index.starts_on_enter[(machine, state)].append(d)
        for event in d.met_by:
            index.met_by[event].add(d.id)
        for event in d.cancelled_by:
            index.cancelled_by[event].add(d.id)
        for ext in d.extensions:
            index.extended_by[ext.event].add(d.id)
    for doc in defs.documents.values():
        for event in doc.revoked_by:
            index.revoked_by[event].add(doc.id)
        for event in doc.extended_by:
            index.renewed_by[event].add(doc.id)
    # Plain dicts from here (a lookup of an unknown event must not add a key), with the
    # ids sorted: the order deadlines are handled in decides the order of same-day timers.
    for name in ("met_by", "cancelled_by", "extended_by", "revoked_by", "renewed_by"):
        setattr(index, name, {k: tuple(sorted(v)) for k, v in getattr(index, name).items()})
    for name in ("starts_on_event", "starts_on_enter"):
        setattr(index, name, dict(getattr(index, name)))
    return index
