"""Entitlements (rights, obligations, restrictions) of a case: which are in force, since
when, until when and by which rule.

After each step only the entitlements that read something the step changed are evaluated
again (``dependencies``); the dates on which a condition flips by itself (4 months after
lodging, a law entering into force, a birthday) are handed to the engine as ticks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from asylum_sim.engine.state import CaseState, ChangeLog
from asylum_sim.engine.steps import EntitlementView
from asylum_sim.model.catalogue import EntitlementDef, EntitlementRule
from asylum_sim.model.common import LANGUAGES
from asylum_sim.model.loader import Definitions
from asylum_sim.rules.conditions import (
    Check,
    Temporal,
    age_points,
    anchor_points,
    compile_condition,
    dependencies,
    temporal_parts,
    validity_edges,
)

_DATE_REF = re.compile(r"\{date:([a-z0-9_]+)\}")


@dataclass(frozen=True, eq=False)
class CompiledRule:
    entitlement: EntitlementDef
    rule: EntitlementRule
    holds: Check
    """The rule's condition, and its validity dates when it has them."""
    why_events: tuple[str, ...] = ()
    """Events whose dates the ``why`` line names."""


def compile_rule(entitlement: EntitlementDef, rule: EntitlementRule) -> CompiledRule:
    check = compile_condition(rule.when)
    valid = rule.valid
    if valid is not None:
        condition = check

        def check(case: CaseState) -> bool:
            return valid.holds_on(case.on) and condition(case)

    return CompiledRule(entitlement, rule, check, _why_events(rule))


class EntitlementRules:
    """The entitlements of the catalogue, compiled, with what each reads and when each
    may flip by itself."""

    def __init__(self, defs: Definitions) -> None:
        self.by_index: list[list[CompiledRule]] = [
            [compile_rule(e, r) for r in e.rules]
            for e in defs.entitlements.values()
        ]
        self.ids = [e.id for e in defs.entitlements.values()]
        self.until_readers: dict[str, set[int]] = defaultdict(set)
        """Deadline tokens whose due dates entitlements show as ``until``."""
        self.why_readers: dict[str, set[int]] = defaultdict(set)
        """Events whose dates the ``why`` lines of entitlements name."""
        for index, rules in enumerate(self.by_index):
            for r in rules:
                if r.rule.until:
                    self.until_readers[f"deadline:{r.rule.until}"].add(index)
                for event in r.why_events:
                    self.why_readers[event].add(index)
        self.temporal: list[Temporal] = []
        self.anchored_by: dict[str, list[int]] = defaultdict(list)
        self.readers: dict[str, set[int]] = defaultdict(set)
        for index, rules in enumerate(self.by_index):
            parts = Temporal()
            for rule in rules:
                parts = parts | temporal_parts(rule.rule.when)
                if rule.rule.valid is not None:
                    parts = parts | Temporal(fixed=validity_edges(rule.rule.valid))
                for token in dependencies(rule.rule.when):
                    self.readers[token].add(index)
            self.temporal.append(parts)
            for event in parts.events:
                self.anchored_by[event].append(index)
        # State-set tokens by machine, to turn a move into the rules it can affect.
        self.state_sets: dict[str, list[tuple[frozenset[str], str]]] = defaultdict(list)
        for token in self.readers:
            if token.startswith("state:"):
                _, machine, states = token.split(":", 2)
                self.state_sets[machine].append((frozenset(states.split("|")), token))
        self._moves: dict[str, frozenset[int]] = {}

    def readers_of(self, token: str) -> Iterable[int]:
        """The entitlements a change can affect. A move ``move:MACHINE:FROM:TO`` affects
        the rules reading a set of states that holds exactly one of FROM and TO (going from
        `lodged` to `at_cgvs` changes nothing for a rule about a pending procedure)."""
        if not token.startswith("move:"):
            return self.readers.get(token, ())
        found = self._moves.get(token)
        if found is None:
            _, machine, source, dest = token.split(":")
            found = frozenset(
                index
                for states, set_token in self.state_sets.get(machine, ())
                if (source in states) != (dest in states)
                for index in self.readers[set_token]
            )
            self._moves[token] = found
        return found


class EntitlementTracker:
    """The entitlements of one case. ``schedule(day, index)`` asks the engine to evaluate
    entitlement ``index`` again on ``day``."""

    def __init__(self, rules: EntitlementRules, case: CaseState, changes: ChangeLog,
                 schedule: Callable[[dt.date, int], None]) -> None:
        self.rules = rules
        self.case = case
        self.changes = changes
        self.schedule = schedule
        self.active: dict[int, tuple[dt.date, CompiledRule]] = {}
        """In force now: index -> (since, the rule that holds)."""
        # Views are rebuilt only for the entitlements whose shown facts may have changed:
        # the rule or since (evaluate), the `until` deadline, an event the `why` names.
        self._views: dict[int, EntitlementView] = {}
        self._stale: set[int] = set()
        self._until_seen: dict[str, int] = {}
        self._tuple: tuple[EntitlementView, ...] = ()
        for index, parts in enumerate(rules.temporal):
            self._schedule(index, [*parts.fixed, *age_points(parts, case)])

    def on_event(self, event: str) -> None:
        """An event happened: the anchors it moves (lodging + 4 months) are new ticks."""
        for index in self.rules.anchored_by.get(event, ()):
            self._schedule(index, anchor_points(self.rules.temporal[index], self.case))
        self._stale.update(self.rules.why_readers.get(event, ()))

    def on_document_expiry(self, doc_id: str, day: dt.date) -> None:
        """The first day a document is no longer held: rules reading it look again."""
        for index in self.rules.readers.get(f"holds:{doc_id}", ()):
            self._schedule(index, [day])

    def changed_readers(self) -> set[int]:
        """The entitlements that read something changed since the last evaluation."""
        tokens = self.changes.take()
        if tokens is None:
            return set(range(len(self.rules.by_index)))
        readers_of = self.rules.readers_of
        found: set[int] = set()
        for token in tokens:
            found.update(readers_of(token))
        return found

    def evaluate(self, indices: Iterable[int] | None = None) -> list[str]:
        """Update which entitlements are in force today, keeping ``since``; return the ids
        that came, went or changed rule. ``indices``: only these (a tick); None: those
        that read something changed since the last evaluation."""
        case, day, active = self.case, self.case.on, self.active
        by_index, ids = self.rules.by_index, self.rules.ids
        changed = []
        for i in sorted(self.changed_readers() if indices is None else indices):
            found = None
            for rule in by_index[i]:
                if rule.holds(case):
                    found = rule
                    break
            current = active.get(i)
            if found is None:
                if current is not None:
                    del active[i]
                    changed.append(ids[i])
                    self._stale.add(i)
            elif current is None:
                active[i] = (day, found)
                changed.append(ids[i])
                self._stale.add(i)
            elif current[1] is not found:
                active[i] = (current[0], found)
                changed.append(ids[i])
                self._stale.add(i)
        return changed

    def views(self) -> tuple[EntitlementView, ...]:
        """The entitlements in force, in catalogue order, as read-only views (each rebuilt
        only when what it shows may have changed)."""
        stale, versions = self._stale, self.changes.deadline_versions
        for token, readers in self.rules.until_readers.items():
            version = versions.get(token, 0)
            if self._until_seen.get(token, 0) != version:
                self._until_seen[token] = version
                stale.update(readers)
        if not stale:
            return self._tuple
        for index in stale:
            entry = self.active.get(index)
            if entry is None:
                self._views.pop(index, None)
            else:
                self._views[index] = self._view(*entry)
        stale.clear()
        self._tuple = tuple(self._views[i] for i in sorted(self._views))
        return self._tuple

    def _view(self, since: dt.date, rule: CompiledRule) -> EntitlementView:
        case = self.case
        until = None
        if rule.rule.until is not None:
            instance = case.latest_deadline.get(rule.rule.until)
            if instance is not None and instance.status_on(case.on) == "open":
                until = instance.due
        explain = None
        if rule.rule.why is not None:
            explain = partial(_explain, rule, tuple(case.last(e) for e in rule.why_events))
        return EntitlementView(rule.entitlement.id, rule.entitlement.kind, since, until,
                               rule.rule.rule, rule.rule.source, explain)

    def _schedule(self, index: int, points: Iterable[dt.date]) -> None:
        today = self.case.on
        for point in points:
            if point > today:
                self.schedule(point, index)


def _why_events(rule: EntitlementRule) -> tuple[str, ...]:
    if rule.why is None:
        return ()
    texts = [rule.why.get(lang) for lang in LANGUAGES]
    return tuple(sorted({m for text in texts for m in _DATE_REF.findall(text)}))


def _explain(rule: CompiledRule, dates: tuple[dt.date | None, ...]) -> dict[str, str]:
    """The rule's one-line reason with ``{date:EVENT}`` filled in from ``dates`` (the last
    dates of ``rule.why_events`` when the view was made)."""
    why = rule.rule.why
    assert why is not None
    known = dict(zip(rule.why_events, dates, strict=True))

    def one(match: re.Match[str]) -> str:
        day = known.get(match.group(1))
        return day.isoformat() if day else "?"

    return {lang: _DATE_REF.sub(one, why.get(lang)) for lang in LANGUAGES}
