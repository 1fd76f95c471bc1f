"""Checks of the condition language in a machines folder: named conditions, operators used
where they mean something, and the default and exceptions of each list of alternatives.

Two alternatives of one entry (an entitlement's rules, a deadline's periods, a document's
validities) that no ``exception_to`` or ``default`` relates must never hold together,
or which one applies would depend on their order in the file. :func:`may_overlap` proves
two conditions exclusive where it can (a machine in states of two disjoint sets, a fact
with two different values, date ranges that do not meet, one condition and its
negation); every pair it cannot prove exclusive is reported.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from asylum_sim.analysis.suggest import suggestion
from asylum_sim.model.catalogue import (
    Alternative,
    ConditionsFile,
    DeadlinesFile,
    DocumentsFile,
    EntitlementsFile,
    WarningsFile,
)
from asylum_sim.model.common import Validity
from asylum_sim.model.conditions import (
    Age,
    AllOf,
    Always,
    AnyOf,
    Dated,
    DeadlineIs,
    EnteredFrom,
    FactIs,
    InState,
    Is,
    Node,
    Not,
    Trigger,
)
from asylum_sim.model.conditions.facts import Compare
from asylum_sim.model.errors import Problem
from asylum_sim.model.loader import Definitions
from asylum_sim.model.machine import MachineFile
from asylum_sim.rules.precedence import overrides, precedence

MAX_TERMS = 256
"""Beyond this many conjunctions a condition is not expanded (treated as overlapping)."""


def language_problems(defs: Definitions, files: dict[str, BaseModel]) -> list[Problem]:
    """Every problem of the condition language in the parsed ``files`` of a folder."""
    found: list[Problem] = []
    named = defs.named
    found += _cycles(defs)
    for file, where, context, node in use_sites(files):
        for path, sub in nodes(node, where):
            if isinstance(sub, Is) and sub.name not in named:
                hint = suggestion(sub.name, named, "conditions")
                found.append(Problem(file, path, f"unknown condition {sub.name!r}{hint}"))
        if context is not None:
            found += _contexts(file, where, context, node, named)
        found += _deadline_statuses(defs, file, where, node)
    for file, where, entry, alternatives in alternative_lists(files):
        found += _alternatives(defs, file, where, entry, alternatives)
    return found


# -- where conditions are used -------------------------------------------------------------


def use_sites(files: dict[str, BaseModel]) -> Iterator[tuple[str, str, str | None, Node]]:
    """(file, location, context, condition) of every condition in the parsed files; the
    context is None for a named condition (checked where it is used)."""
    for file, model in files.items():
        if isinstance(model, MachineFile):
            for name, guard in model.guards.items():
                yield file, f"guards.{name}.when", "guard", guard.when
        elif isinstance(model, DeadlinesFile):
            for i, d in enumerate(model.deadlines):
                if d.starts.when is not None:
                    yield file, f"deadlines[{i}].starts.when", "deadline", d.starts.when
                for j, p in enumerate(d.periods):
                    if p.when is not None:
                        yield file, f"deadlines[{i}].periods[{j}].when", "deadline", p.when
        elif isinstance(model, DocumentsFile):
            for i, doc in enumerate(model.documents):
                for j, v in enumerate(doc.validity):
                    if v.when is not None:
                        yield file, f"documents[{i}].validity[{j}].when", "document", v.when
        elif isinstance(model, EntitlementsFile):
            for i, ent in enumerate(model.entitlements):
                for j, r in enumerate(ent.rules):
                    yield file, f"entitlements[{i}].rules[{j}].when", "entitlement", r.when
        elif isinstance(model, WarningsFile):
            for i, w in enumerate(model.warnings):
                yield file, f"warnings[{i}].when", "warning", w.when
        elif isinstance(model, ConditionsFile):
            for name, c in model.conditions.items():
                yield file, f"conditions.{name}.when", None, c.when


def alternative_lists(files: dict[str, BaseModel]
                      ) -> Iterator[tuple[str, str, str, Sequence[Any]]]:
    """(file, location, entry id, alternatives) of every list of alternatives."""
    for file, model in files.items():
        if isinstance(model, EntitlementsFile):
            for i, ent in enumerate(model.entitlements):
                yield file, f"entitlements[{i}].rules", ent.id, ent.rules
        elif isinstance(model, DeadlinesFile):
            for i, d in enumerate(model.deadlines):
                yield file, f"deadlines[{i}].periods", d.id, d.periods
        elif isinstance(model, DocumentsFile):
            for i, doc in enumerate(model.documents):
                if doc.validity:
                    yield file, f"documents[{i}].validity", doc.id, doc.validity


def nodes(node: Node, where: str) -> Iterator[tuple[str, Node]]:
    """Every node of a tree with its location, spelled with the YAML keys."""
    yield where, node
    for name, info in type(node).model_fields.items():
        value = getattr(node, name)
        key = f"{where}.{info.alias or name}"
        if isinstance(value, Node):
            yield from nodes(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Node):
                    yield from nodes(item, f"{key}[{i}]")


def _contexts(file: str, where: str, context: str, node: Node, named: dict[str, Node],
              seen: frozenset[str] = frozenset()) -> list[Problem]:
    found = []
    for path, sub in nodes(node, where):
        if context not in sub.contexts:
            allowed = ", ".join(sorted(sub.contexts))
            found.append(Problem(file, path, (
                f"'{sub.key}' has no meaning in {a_context(context)} (it may be used in: "
                f"{allowed})")))
        if isinstance(sub, Is) and sub.name in named and sub.name not in seen:
            inner = _contexts(file, path, context, named[sub.name], named, seen | {sub.name})
            found += [Problem(p.file, p.where, f"{p.message}, through condition {sub.name!r}")
                      for p in inner]
    return found


def _deadline_statuses(defs: Definitions, file: str, where: str, node: Node) -> list[Problem]:
    """A ``deadline`` condition asking for a status the deadline can never have (an
    appeal term is ``expired`` when unused, never ``missed``)."""
    found = []
    for path, sub in nodes(node, where):
        if not isinstance(sub, DeadlineIs) or sub.deadline.id not in defs.deadlines:
            continue
        d = defs.deadlines[sub.deadline.id]
        possible = {"open", "cancelled", d.expiry_status} | ({"met"} if d.met_by else set())
        for status in sub.deadline.status:
            if status not in possible:
                found.append(Problem(file, f"{path}.deadline.status", (
                    f"deadline {d.id!r} is never {status!r} (it can be: "
                    f"{', '.join(sorted(possible))})")))
    return found


def a_context(context: str) -> str:
    return {"guard": "a machine guard", "deadline": "a deadline", "document": "a document",
            "entitlement": "an entitlement", "warning": "a warning"}[context]


def _cycles(defs: Definitions) -> list[Problem]:
    """Named conditions that use themselves, directly or through others."""
    named = defs.named
    found = []
    for name in named:
        stack, seen = [(name, (name,))], set()
        while stack:
            current, trail = stack.pop()
            for _, sub in nodes(named[current], ""):
                if not isinstance(sub, Is) or sub.name not in named:
                    continue
                if sub.name == name:
                    cycle = " -> ".join((*trail, name))
                    found.append(Problem(defs.files.get(f"condition:{name}", ""),
                                         f"conditions.{name}", f"uses itself: {cycle}"))
                    stack = []
                    break
                if sub.name not in seen:
                    seen.add(sub.name)
                    stack.append((sub.name, (*trail, sub.name)))
    return found


# -- default and exceptions --------------------------------------------------------------


def _alternatives(defs: Definitions, file: str, where: str, entry: str,
                  alternatives: Sequence[Alternative]) -> list[Problem]:
    found = []
    rules = [a.rule for a in alternatives]
    defaults = [i for i, a in enumerate(alternatives) if a.default]
    if len(defaults) > 1:
        found.append(Problem(file, f"{where}[{defaults[1]}].default",
                             f"{entry}: only one alternative can be the default"))
    for i, a in enumerate(alternatives):
        for j, target in enumerate(a.exception_to):
            if target not in rules or target == a.rule:
                hint = suggestion(target, [r for r in rules if r != a.rule], "rules")
                found.append(Problem(file, f"{where}[{i}].exception_to[{j}]",
                                     f"{target!r} is not another rule of {entry}{hint}"))
    try:
        precedence(alternatives)
    except ValueError as exc:
        return [*found, Problem(file, where, f"{entry}: {exc}")]
    for i, a in enumerate(alternatives):
        if getattr(a, "when", None) is None and not a.default and len(alternatives) > 1:
            found.append(Problem(file, f"{where}[{i}]", (
                f"{entry}: rule {a.rule!r} has no condition, so it holds whenever another "
                "does; mark it 'default: true' (it applies when no other holds)")))
            return found
    over = overrides(alternatives)
    named = defs.named
    conditions = [_condition(a) for a in alternatives]
    for i, j in itertools.combinations(range(len(alternatives)), 2):
        a, b = alternatives[i], alternatives[j]
        if a.default or b.default or j in over[i] or i in over[j]:
            continue
        # Where both hold, an exception to both may apply instead: only the rest counts.
        covers = [Not(negated=conditions[k]) for k in range(len(alternatives))
                  if i in over[k] and j in over[k]]
        both = _terms(AllOf(all=[conditions[i], conditions[j], *covers]), named, defs)
        if may_overlap(both, [()], _edges(defs)):
            found.append(Problem(file, f"{where}[{j}]", (
                f"{entry}: rules {a.rule!r} and {b.rule!r} can both hold and neither is an "
                f"exception to the other; say which one applies (exception_to: [{a.rule}] "
                f"on {b.rule!r}, or the reverse), or make their conditions exclusive")))
    return found


def _condition(alternative: Any) -> Node:
    """An alternative's condition, with its validity dates and its period's start."""
    when = getattr(alternative, "when", None)
    parts: list[Any] = [when] if when is not None else []
    valid = getattr(alternative, "valid", None)
    if valid is not None:
        parts.append(Dated(date=valid))
    if not parts:
        return Always(always=True)
    return parts[0] if len(parts) == 1 else AllOf(all=parts)


# -- proving two conditions exclusive ---------------------------------------------------


@dataclass(frozen=True)
class Literal:
    node: Node
    positive: bool


Term = tuple[Literal, ...]
"""A conjunction of literals."""


def _terms(node: Node, named: dict[str, Node], defs: Definitions) -> list[Term] | None:
    """The condition in disjunctive normal form, or None when it grows too large."""
    try:
        return _dnf(node, True, named, frozenset())
    except _TooLarge:
        return None


class _TooLarge(Exception):
    pass


def _dnf(node: Node, positive: bool, named: dict[str, Node],
         seen: frozenset[str]) -> list[Term]:
    if isinstance(node, Is):
        if node.name not in named or node.name in seen:
            return [(Literal(node, positive),)]
        return _dnf(named[node.name], positive, named, seen | {node.name})
    if isinstance(node, Not):
        return _dnf(node.negated, not positive, named, seen)
    if isinstance(node, AllOf | AnyOf):
        parts = [_dnf(p, positive, named, seen) for p in node.children()]
        if isinstance(node, AllOf) == positive:  # a conjunction
            terms: list[Term] = [()]
            for part in parts:
                terms = [t + u for t in terms for u in part]
                if len(terms) > MAX_TERMS:
                    raise _TooLarge
            return terms
        return [t for part in parts for t in part]
    if isinstance(node, Always):
        return [()] if positive else []
    return [(Literal(node, positive),)]


def _edges(defs: Definitions) -> set[tuple[str, str, str]]:
    """(machine, from, to) of every transition."""
    return {(m.id, src, t.dest) for m in defs.machines.values() for t in m.transitions
            for src in t.sources}


def may_overlap(a: list[Term] | None, b: list[Term] | None,
                edges: set[tuple[str, str, str]] | None = None) -> bool:
    """False only when no term of ``a`` can hold together with a term of ``b``."""
    if a is None or b is None:
        return True
    return any(not contradictory(s + t, edges) for s in a for t in b)


def contradictory(term: Term, edges: set[tuple[str, str, str]] | None = None) -> bool:
    """Whether a conjunction of literals can never hold (``edges``: the machines'
    transitions, to rule out a state entered from a state that does not lead to it)."""
    keys = {}
    for literal in term:
        key = _key(literal.node)
        if keys.get(key, literal.positive) != literal.positive:
            return True  # a condition and its negation
        keys[key] = literal.positive
    for kind, attr in ((InState, "state"), (EnteredFrom, "entered_from")):
        if _sets_clash(term, kind, attr):
            return True
    for kind, attr in ((FactIs, "fact"), (Trigger, "trigger")):
        if _values_clash(term, kind, attr):
            return True
    if edges is not None and _no_such_move(term, edges):
        return True
    return _deadlines_clash(term) or _dates_clash(term) or _ages_clash(term)


def _no_such_move(term: Term, edges: set[tuple[str, str, str]]) -> bool:
    """In state S, entered from P: some transition must lead from P to S."""
    now = _positive_sets(term, InState, "state")
    before = _positive_sets(term, EnteredFrom, "entered_from")
    return any(not any((m, p, s) in edges for p in before[m] for s in now[m])
               for m in now.keys() & before.keys())


def _positive_sets(term: Term, kind: type[Node], attr: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for literal in term:
        if literal.positive and isinstance(literal.node, kind):
            for machine, states in getattr(literal.node, attr).items():
                found[machine] = found.get(machine, set(states)) & set(states)
    return found


def _key(node: Node) -> str:
    return json.dumps(node.model_dump(mode="json", by_alias=True), sort_keys=True)


def _sets_clash(term: Term, kind: type[Node], attr: str) -> bool:
    allowed: dict[str, set[str]] = {}
    banned: dict[str, set[str]] = {}
    for literal in term:
        if not isinstance(literal.node, kind):
            continue
        mapping: dict[str, list[str]] = getattr(literal.node, attr)
        if literal.positive:
            for machine, states in mapping.items():
                allowed[machine] = allowed.get(machine, set(states)) & set(states)
        elif len(mapping) == 1:  # not (m in S): a fact about m alone
            ((machine, states),) = mapping.items()
            banned.setdefault(machine, set()).update(states)
    return any(not (states - banned.get(m, set())) for m, states in allowed.items())


def _values_clash(term: Term, kind: type[Node], attr: str) -> bool:
    allowed: dict[str, list[Any]] = {}
    banned: dict[str, list[Any]] = {}
    for literal in term:
        if not isinstance(literal.node, kind):
            continue
        mapping = getattr(literal.node, attr)
        for key, expected in mapping.items():
            if isinstance(expected, Compare):
                continue
            values = expected if isinstance(expected, list) else [expected]
            if literal.positive:
                old = allowed.get(key)
                allowed[key] = values if old is None else [v for v in old if _in(v, values)]
            elif len(mapping) == 1:
                banned.setdefault(key, []).extend(values)
    for key, values in allowed.items():
        left = [v for v in values if not _in(v, banned.get(key, []))]
        if not left:
            return True
        for literal in term:
            node = literal.node
            if literal.positive and isinstance(node, kind):
                expected = getattr(node, attr).get(key)
                if isinstance(expected, Compare) and not any(expected.holds(v) for v in left):
                    return True
    return False


def _in(value: Any, values: list[Any]) -> bool:
    # `True == 1` in Python; a fact is compared the way the engine compares it.
    return any(type(value) is type(v) and value == v for v in values)


def _deadlines_clash(term: Term) -> bool:
    allowed: dict[str, set[str]] = {}
    banned: dict[str, set[str]] = {}
    for literal in term:
        if isinstance(literal.node, DeadlineIs):
            spec = literal.node.deadline
            if literal.positive:
                allowed[spec.id] = allowed.get(spec.id, set(spec.status)) & set(spec.status)
            else:
                banned.setdefault(spec.id, set()).update(spec.status)
    return any(not (s - banned.get(d, set())) for d, s in allowed.items())


def _dates_clash(term: Term) -> bool:
    ranges = [literal.node.date for literal in term
              if isinstance(literal.node, Dated) and literal.positive]
    if len(ranges) < 2:
        return _outside(term, ranges)
    start = max((r.start for r in ranges if r.start), default=None)
    end = min((r.end for r in ranges if r.end), default=None)
    if start is not None and end is not None and start > end:
        return True
    return _outside(term, ranges)


def _outside(term: Term, ranges: list[Validity]) -> bool:
    """A range that lies wholly inside a range the term excludes."""
    for literal in term:
        if isinstance(literal.node, Dated) and not literal.positive:
            ex = literal.node.date
            for r in ranges:
                inside_start = ex.start is None or (r.start is not None and r.start >= ex.start)
                inside_end = ex.end is None or (r.end is not None and r.end <= ex.end)
                if inside_start and inside_end:
                    return True
    return False


def _ages_clash(term: Term) -> bool:
    low, high = 0, 10_000
    for literal in term:
        if isinstance(literal.node, Age) and literal.positive:
            spec = literal.node.age
            low = max(low, spec.at_least or 0)
            high = min(high, spec.below if spec.below is not None else 10_000)
    return low >= high
