"""Check a scenario's ``expect:`` list against the simulator.

Each expectation is compared with :meth:`Simulator.status` on its date. The result is an
:class:`Outcome`: it holds, it fails, it is a *known defect* (marked ``defect:`` and still
failing: the expectation states the law, the model does not follow it yet) or it is
*fixed* (marked, yet it holds: the marker must go, so markers do not rot).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from asylum_sim.engine.simulator import Simulator
from asylum_sim.engine.steps import DeadlineView, Replay, Snapshot
from asylum_sim.model.errors import InputError
from asylum_sim.model.scenario import DeadlineExpectation, Expectation, Scenario

SUFFIXES = (".yaml", ".yml")


class Verdict(StrEnum):
    holds = "holds"
    fails = "fails"
    known_defect = "known_defect"
    fixed = "fixed"

    @property
    def is_failure(self) -> bool:
        return self in (Verdict.fails, Verdict.fixed)


@dataclass(frozen=True)
class Mismatch:
    """One thing that came out otherwise than expected.

    ``kind`` says what was compared: ``state`` (``subject`` is the machine), ``missing``
    and ``present`` (a document, deadline, entitlement or warning that should be there or
    should not; ``subject`` is its id, ``what`` its kind), ``deadline`` (``what`` is the
    field: start, due, status or projected), ``no_deadline`` (no instance of it, or none
    started on the expected day), ``document`` (``what``: valid_until) and
    ``entitlement`` (``what``: rule)."""

    kind: str
    subject: str
    what: str = ""
    expected: str = ""
    got: str = ""


@dataclass(frozen=True)
class Outcome:
    """The verdict on one expectation (or, with ``expectation`` None, on a whole case that
    could not be simulated)."""

    name: str
    """``2023-06-05``, ``2023-06-05#2`` for a second expectation on the same day, or
    ``case`` for the whole file."""
    verdict: Verdict
    expectation: Expectation | None = None
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None
    """Why the case could not be simulated (an event the model refuses, ...)."""
    defect: str | None = None


def expectation_names(scenario: Scenario) -> list[str]:
    """One name per expectation: its date, with ``#2``, ``#3`` for more on the same day."""
    seen: Counter[dt.date] = Counter()
    names = []
    for exp in scenario.expect:
        seen[exp.on] += 1
        names.append(str(exp.on) if seen[exp.on] == 1 else f"{exp.on}#{seen[exp.on]}")
    return names


class CaseRunner:
    """The snapshots of one case on the days its expectations name, each computed once."""

    def __init__(self, sim: Simulator, scenario: Scenario, name: str) -> None:
        self.sim = sim
        self.scenario = scenario
        self.name = name
        self._days: dict[dt.date, tuple[Replay, Snapshot]] = {}

    def on(self, day: dt.date) -> tuple[Replay, Snapshot]:
        """``Simulator.status`` on ``day``; raises :class:`InputError` when the case cannot
        be simulated up to then."""
        if day not in self._days:
            self._days[day] = self.sim.status(self.scenario, day, name=self.name)
        return self._days[day]

    def replay_error(self) -> str | None:
        """Why the whole case cannot be simulated (up to its last event), or None."""
        try:
            self.sim.replay(self.scenario, name=self.name)
        except InputError as exc:
            return "; ".join(f"{p.where}: {p.message}" if p.where else p.message
                             for p in exc.problems)
        return None

    def possible_on(self, day: dt.date) -> list[str]:
        """The scenario events the machines allow at the end of ``day``."""
        return self.sim.possible_events(self.scenario, day)

    def outcome(self, exp: Expectation, name: str) -> Outcome:
        """The verdict on one expectation (errors of the simulation propagate)."""
        replay, snapshot = self.on(exp.on)
        found = tuple(compare(exp, replay, snapshot, lambda: self.possible_on(exp.on)))
        return Outcome(name, judge(exp.defect, found), exp, found, defect=exp.defect)

    def run(self) -> list[Outcome]:
        """Every expectation's outcome. The whole case is replayed first: a case that
        cannot be simulated (up to its last event) gives one outcome, ``case``, for the
        file. A file-level ``defect`` decides the case as a whole."""
        error = self.replay_error()
        if error is not None:
            verdict = Verdict.known_defect if self.scenario.defect else Verdict.fails
            return [Outcome("case", verdict, error=error, defect=self.scenario.defect)]
        names = expectation_names(self.scenario)
        outcomes = [self.outcome(e, n) for e, n in zip(self.scenario.expect, names, strict=True)]
        if self.scenario.defect is None:
            return outcomes
        failing = tuple(m for o in outcomes if o.verdict is not Verdict.holds
                        for m in o.mismatches)
        return [Outcome("case", judge(self.scenario.defect, failing), mismatches=failing,
                        defect=self.scenario.defect)]


def judge(defect: str | None, mismatches: tuple[Mismatch, ...]) -> Verdict:
    """Holds / fails without a defect marker; known defect / fixed with one."""
    if defect is None:
        return Verdict.fails if mismatches else Verdict.holds
    return Verdict.known_defect if mismatches else Verdict.fixed


def compare(exp: Expectation, replay: Replay, snapshot: Snapshot,
            possible: Callable[[], list[str]] | None = None) -> list[Mismatch]:
    """What differs between an expectation and the situation at the end of its day;
    ``possible`` gives the events allowed then (asked only when the expectation names
    some)."""
    found = []
    for machine, state in exp.states.items():
        got = snapshot.states.get(machine, "")
        if got != state:
            found.append(Mismatch("state", machine, expected=state, got=got))
    held = {d.id for d in snapshot.documents}
    in_force = {e.id for e in snapshot.entitlements}
    warned = set(replay.warnings)
    allowed = set(possible()) if possible and (exp.possible or exp.not_possible) else set()
    for what, wanted, unwanted, present in (
        ("document", exp.documents, exp.not_documents, held),
        ("entitlement", exp.entitlements, exp.not_entitlements, in_force),
        ("warning", exp.warnings, exp.not_warnings, warned),
        ("event", exp.possible, exp.not_possible, allowed),
    ):
        found += [Mismatch("missing", item, what) for item in wanted if item not in present]
        found += [Mismatch("present", item, what) for item in unwanted if item in present]
    documents = {d.id: d for d in snapshot.documents}
    for document_id, until in exp.valid_until.items():
        held_doc = documents.get(document_id)
        if held_doc is None:
            found.append(Mismatch("missing", document_id, "document"))
        elif held_doc.valid_until != until:
            found.append(Mismatch("document", document_id, "valid_until", str(until),
                                  str(held_doc.valid_until or "-")))
    rules = {e.id: e.rule for e in snapshot.entitlements}
    for entitlement_id, rule in exp.rules.items():
        if entitlement_id not in rules:
            found.append(Mismatch("missing", entitlement_id, "entitlement"))
        elif rules[entitlement_id] != rule:
            found.append(Mismatch("entitlement", entitlement_id, "rule", rule,
                                  rules[entitlement_id]))
    for deadline_id, spec in exp.deadlines.items():
        found += compare_deadline(deadline_id, spec, snapshot.deadlines)
    return found


def compare_deadline(deadline_id: str, spec: DeadlineExpectation,
                     deadlines: tuple[DeadlineView, ...]) -> list[Mismatch]:
    """A deadline against its expectation: the instance started on ``spec.start`` when
    given, else the one started last (a second appeal term after an annulment)."""
    instances = [d for d in deadlines if d.id == deadline_id]
    if spec.start is not None:
        chosen = [d for d in instances if d.start == spec.start]
        if not chosen:
            starts = ", ".join(str(d.start) for d in instances)
            return [Mismatch("no_deadline", deadline_id, "start", str(spec.start), starts)]
    else:
        chosen = instances
    if not chosen:
        return [Mismatch("no_deadline", deadline_id)]
    view = max(enumerate(chosen), key=lambda pair: (pair[1].start, pair[0]))[1]
    found = []
    projected = view.projected
    for what, wanted, got in (("due", spec.due, view.due), ("status", spec.status, view.status),
                              ("projected", spec.projected, projected)):
        if wanted is not None and str(wanted) != str(got):
            found.append(Mismatch("deadline", deadline_id, what, str(wanted), str(got)))
    return found


def scenario_files(paths: list[Path]) -> list[Path]:
    """The scenario files named, and those inside the folders named (recursively), in
    order; a path that does not exist is an :class:`InputError`."""
    from asylum_sim.model.errors import Problem

    files: list[Path] = []
    missing = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Problem(str(path), "", "no such file or folder"))
    if missing:
        raise InputError(missing)
    return list(dict.fromkeys(files))
