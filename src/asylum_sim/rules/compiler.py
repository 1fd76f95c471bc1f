"""The rule catalogue as executable functions: every guard, deadline choice, document
validity, entitlement and warning, compiled once per :class:`Simulator` into Python source.

Two implementations of one interface (:class:`Rules`):

- :class:`CompiledRules` generates one Python module: a function per guard, per deadline
  start and period choice, per document validity, one function that evaluates every
  entitlement and one for the warnings. Each function reads what it needs from the case
  once into locals (the states, the facts, the anchor dates) and tries the alternatives of
  each entry in :func:`~asylum_sim.rules.precedence.precedence` order.
- :class:`ReferenceRules` walks the condition trees (``Node.evaluate``) and picks
  alternatives with :func:`~asylum_sim.rules.precedence.choose`. It is slow and plain:
  the tests run both and compare, so the compiled code cannot drift from the meaning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from asylum_sim.model.catalogue import (
    Alternative,
    DeadlineDef,
    DocumentDef,
    DocumentValidity,
    EntitlementRule,
    PeriodChoice,
)
from asylum_sim.model.conditions import Anchor, CaseView, Node, Temporal
from asylum_sim.model.conditions.facts import age_of
from asylum_sim.model.conditions.records import compile_validity, validity_edges
from asylum_sim.model.loader import Definitions
from asylum_sim.rules.precedence import choose, precedence

Check = Callable[[CaseView], bool]
Pick = Callable[[CaseView], int]
"""The index of the alternative that applies (in file order), or -1 when none does."""


class Rules(Protocol):
    """What the engine asks of the rule catalogue."""

    anchors: AnchorTable

    def guard(self, machine: str, name: str) -> Check: ...

    def starts(self, deadline: str) -> Check | None: ...

    def period(self, deadline: str) -> Pick: ...

    def validity(self, document: str) -> Pick: ...

    def entitlements(self, case: CaseView) -> tuple[int, ...]:
        """For each entitlement (catalogue order), the index of its rule that applies."""

    def warnings(self, case: CaseView) -> tuple[bool, ...]: ...

    def named_check(self, name: str) -> Check:
        """A named condition a deadline watches (``becomes``, ``projected``)."""


def watched_conditions(defs: Definitions) -> list[str]:
    """The named conditions whose becoming true starts a deadline, in file order."""
    names: list[str] = []
    for d in defs.deadlines.values():
        for name in (d.starts.becomes, d.projected.becomes if d.projected else None):
            if name is not None and name not in names:
                names.append(name)
    return names


@dataclass
class AnchorTable:
    """Every anchor (event + period) the rules name, numbered. The engine keeps each one's
    date in ``case.anchors[i]`` as events happen, so a rule reads it instead of searching
    the case's history; the reference rules compute it from the history instead."""

    anchors: list[Anchor] = field(default_factory=list)
    index: dict[tuple[object, ...], int] = field(default_factory=dict)
    by_event: dict[str, list[int]] = field(default_factory=dict)

    def add(self, anchor: Anchor) -> int:
        token = anchor.token()
        if token not in self.index:
            self.index[token] = len(self.anchors)
            self.anchors.append(anchor)
            for event in anchor.event:
                self.by_event.setdefault(event, []).append(self.index[token])
        return self.index[token]


def _period_ready(choice: PeriodChoice | DocumentValidity, case: CaseView,
                  anchors: AnchorTable) -> bool:
    """A period (or a document's validity) counted from an attribute or an earlier event
    needs that date."""
    from_attribute = getattr(choice, "from_attribute", None)
    if from_attribute is not None and not isinstance(case.trigger.get(from_attribute), dt.date):
        return False
    return choice.from_event is None or choice.from_event.base(case.occurrences) is not None


def collect_anchors(defs: Definitions) -> tuple[AnchorTable, list[Temporal]]:
    """The anchor table of every rule, and what makes each entitlement flip by itself."""
    named = defs.named
    table = AnchorTable()
    conditions: list[Node] = [g.when for m in defs.machines.values() for g in m.guards.values()]
    for d in defs.deadlines.values():
        conditions += [c for c in [d.starts.when, *(p.when for p in d.periods)] if c]
        for p in d.periods:
            if p.from_event is not None:
                table.add(p.from_event)
    conditions += [v.when for doc in defs.documents.values() for v in doc.validity if v.when]
    for doc in defs.documents.values():
        for v in doc.validity:
            if v.from_event is not None:
                table.add(v.from_event)
    conditions += [w.when for w in defs.warnings.values()]
    conditions += [named[name] for name in watched_conditions(defs) if name in named]
    temporal = []
    for ent in defs.entitlements.values():
        found = Temporal()
        for rule in ent.rules:
            found = found | rule.when.temporal(named)
            if rule.valid is not None:
                found = found | Temporal(fixed=validity_edges(rule.valid))
        temporal.append(found)
    for node in conditions:
        for anchor in node.temporal(named).anchors:
            table.add(anchor)
    for found in temporal:
        for anchor in found.anchors:
            table.add(anchor)
    return table, temporal


# -- the reference -------------------------------------------------------------------------


class ReferenceRules:
    """The rules by walking the condition trees: the meaning the compiled code must keep."""

    def __init__(self, defs: Definitions) -> None:
        self.defs = defs
        self.named = defs.named
        self.anchors, self.temporal = collect_anchors(defs)
        self.ambiguities: list[tuple[str, list[str]]] = []
        """Entries for which unrelated alternatives held together (rule ids); the tests
        require none."""

    def _holds(self, node: Node | None, case: CaseView) -> bool:
        return node is None or node.evaluate(case, self.named)

    def _pick(self, entry: str, alternatives: Sequence[Alternative],
              holds: Callable[[Any], bool]) -> int:
        holding = [i for i, a in enumerate(alternatives) if holds(a)]
        chosen, rest = choose(alternatives, holding)
        if rest:
            rules = [alternatives[i].rule for i in [chosen, *rest] if i is not None]
            self.ambiguities.append((entry, rules))
        return -1 if chosen is None else chosen

    def guard(self, machine: str, name: str) -> Check:
        node = self.defs.machines[machine].guards[name].when
        return lambda case: node.evaluate(case, self.named)

    def starts(self, deadline: str) -> Check | None:
        node = self.defs.deadlines[deadline].starts.when
        return None if node is None else (lambda case: node.evaluate(case, self.named))

    def period(self, deadline: str) -> Pick:
        d: DeadlineDef = self.defs.deadlines[deadline]
        return lambda case: self._pick(deadline, d.periods, lambda p: (
            self._holds(p.when, case) and _period_ready(p, case, self.anchors)))

    def validity(self, document: str) -> Pick:
        doc: DocumentDef = self.defs.documents[document]
        return lambda case: self._pick(document, doc.validity, lambda v: (
            self._holds(v.when, case) and _period_ready(v, case, self.anchors)))

    def entitlements(self, case: CaseView) -> tuple[int, ...]:
        def holds(rule: EntitlementRule) -> bool:
            if rule.valid is not None and not rule.valid.holds_on(case.on):
                return False
            return rule.when.evaluate(case, self.named)

        return tuple(self._pick(e.id, e.rules, holds) for e in self.defs.entitlements.values())

    def warnings(self, case: CaseView) -> tuple[bool, ...]:
        return tuple(w.when.evaluate(case, self.named) for w in self.defs.warnings.values())

    def named_check(self, name: str) -> Check:
        node = self.named[name]
        return lambda case: node.evaluate(case, self.named)


# -- the compiled rules -------------------------------------------------------------------


class _Module:
    """The generated module: constants and function sources."""

    def __init__(self) -> None:
        self.constants: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}
        self.functions: list[str] = []

    def const(self, value: Any) -> str:
        key = id(value)
        if key not in self._by_id:
            name = f"K{len(self.constants)}"
            self.constants[name] = value
            self._by_id[key] = name
        return self._by_id[key]


_INITS = {
    "on": "case.on",
    "case": "case",
    "occurrences": "case.occurrences",
    "state": "case.states.get({name!r})",
    "previous": "case.previous.get({name!r})",
    "fact": "case.facts.get({name!r})",
    "trigger": "case.trigger.get({name!r})",
}


class _Function:
    """One generated function: the locals it reads once, then its body (a Compiler)."""

    def __init__(self, module: _Module, named: dict[str, Node], anchors: AnchorTable) -> None:
        self.module = module
        self.named_nodes = named
        self.anchors = anchors
        self.lines: list[str] = []
        self._locals: dict[tuple[str, str], str] = {}

    def sub(self, node: Node) -> str:
        return node.compile(self)

    def const(self, value: Any) -> str:
        return self.module.const(value)

    def _bind(self, key: tuple[str, str], init: str) -> str:
        if key not in self._locals:
            var = f"v{len(self._locals)}"
            self._locals[key] = var
            self.lines.append(f"    {var} = {init}")
        return self._locals[key]

    def local(self, kind: str, name: str = "") -> str:
        if kind == "age":
            return self._bind((kind, name), f"{self.const(age_of)}(case)")
        return self._bind((kind, name), _INITS[kind].format(name=name))

    def anchor(self, anchor: Anchor) -> str:
        index = self.anchors.add(anchor)
        return self._bind(("anchor", str(index)), f"case.anchors[{index}]")

    def named(self, name: str) -> str:
        key = ("named", name)
        if key not in self._locals:
            expression = self.named_nodes[name].compile(self)  # binds what it reads first
            return self._bind(key, expression)
        return self._locals[key]

    def expression(self, node: Node | None) -> str:
        return "True" if node is None else node.compile(self)

    def source(self, name: str, body: list[str]) -> str:
        return "\n".join([f"def {name}(case):", *self.lines, *body]) + "\n"


def _pick_body(alternatives: Sequence[Alternative], tests: list[str]) -> list[str]:
    """``return i`` for the first alternative that holds, in precedence order."""
    body = []
    for i in precedence(alternatives):
        body.append(f"    if {tests[i]}:\n        return {i}")
    return [*body, "    return -1"]


class CompiledRules:
    """The rules as generated Python functions (see the module docstring)."""

    def __init__(self, defs: Definitions) -> None:
        self.defs = defs
        named = defs.named
        self.anchors, self.temporal = collect_anchors(defs)
        module = _Module()
        names: dict[tuple[str, ...], str] = {}

        def function(key: tuple[str, ...], build: Callable[[_Function], list[str]]) -> None:
            fn = _Function(module, named, self.anchors)
            body = build(fn)
            name = f"f{len(names)}"
            names[key] = name
            module.functions.append(f"# {' '.join(key)}\n" + fn.source(name, body))

        for machine in defs.machines.values():
            for gname, guard in machine.guards.items():
                function(("guard", machine.id, gname),
                         lambda fn, g=guard: [f"    return {fn.expression(g.when)}"])
        for d in defs.deadlines.values():
            if d.starts.when is not None:
                function(("starts", d.id),
                         lambda fn, d=d: [f"    return {fn.expression(d.starts.when)}"])
            function(("period", d.id), lambda fn, d=d: _pick_body(
                d.periods, [self._period_test(fn, p) for p in d.periods]))
        for doc in defs.documents.values():
            function(("validity", doc.id), lambda fn, doc=doc: _pick_body(
                doc.validity, [self._validity_test(fn, v) for v in doc.validity]))
        function(("entitlements",), self._entitlements_body)
        for name in watched_conditions(defs):
            function(("named", name), lambda fn, name=name: [f"    return {fn.named(name)}"])
        function(("warnings",), lambda fn: [
            "    return (" + "".join(f"{fn.expression(w.when)}, "
                                     for w in defs.warnings.values()) + ")"])
        self.source = "\n\n".join(module.functions)
        namespace: dict[str, Any] = dict(module.constants)
        exec(compile(self.source, "<asylum-sim rules>", "exec"), namespace)
        self._functions = {key: namespace[name] for key, name in names.items()}
        self.entitlements = self._functions[("entitlements",)]
        self.warnings = self._functions[("warnings",)]

    def _period_test(self, fn: _Function, choice: PeriodChoice) -> str:
        tests = [fn.expression(choice.when)]
        if choice.from_attribute is not None:
            tests.append(f"isinstance({fn.local('trigger', choice.from_attribute)}, "
                         f"{fn.const(dt.date)})")
        if choice.from_event is not None:
            tests.append(f"({fn.anchor(choice.from_event)} is not None)")
        return " and ".join(tests)

    def _validity_test(self, fn: _Function, validity: DocumentValidity) -> str:
        test = fn.expression(validity.when)
        if validity.from_event is not None:
            test += f" and ({fn.anchor(validity.from_event)} is not None)"
        return test

    def _entitlements_body(self, fn: _Function) -> list[str]:
        body, results = [], []
        for n, ent in enumerate(self.defs.entitlements.values()):
            tests = []
            for rule in ent.rules:
                test = fn.expression(rule.when)
                if rule.valid is not None:
                    test = f"{compile_validity(rule.valid, fn)} and {test}"
                tests.append(test)
            chain = " else ".join(f"{i} if {tests[i]}" for i in precedence(ent.rules))
            body.append(f"    e{n} = {chain} else -1")
            results.append(f"e{n}")
        return [*body, "    return (" + "".join(f"{r}, " for r in results) + ")"]

    def guard(self, machine: str, name: str) -> Check:
        return self._functions[("guard", machine, name)]

    def starts(self, deadline: str) -> Check | None:
        return self._functions.get(("starts", deadline))

    def period(self, deadline: str) -> Pick:
        return self._functions[("period", deadline)]

    def validity(self, document: str) -> Pick:
        return self._functions[("validity", document)]

    def named_check(self, name: str) -> Check:
        return self._functions[("named", name)]


def build_rules(defs: Definitions, evaluator: str = "compiled") -> Rules:
    """The rules of ``defs``: ``compiled`` (fast) or ``reference`` (the tree walker)."""
    if evaluator == "reference":
        return ReferenceRules(defs)
    return CompiledRules(defs)
