"""``asylum-sim check``: validate a folder of machine definitions.

The loader already rejects what the schema can see (YAML syntax, unknown keys, missing
fields, duplicate ids). This module adds what needs the whole folder: the structure of each
machine (python-statemachine's checks: the initial state exists, every state is reachable,
no dead ends, nothing leaves a final state, a final state is reachable from everywhere),
labels and sources, and every cross-reference between machines and the rule catalogue.
Every problem is collected, none stops the others; each names the file, the place in it and,
where it can, what would be right.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel

from asylum_sim.analysis.graph import machine_graph, timer_cycles
from asylum_sim.analysis.partial import Dropped, partial_model
from asylum_sim.analysis.suggest import suggestion
from asylum_sim.model.catalogue import (
    DeadlineDef,
    DeadlinesFile,
    DocumentsFile,
    EntitlementsFile,
    EventsFile,
)
from asylum_sim.model.common import LANGUAGES, Labels
from asylum_sim.model.conditions import (
    Anchor,
    DeadlineIs,
    EnteredFrom,
    HappenedSpec,
    Holds,
    InState,
)
from asylum_sim.model.conditions.events import CountSpec
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import (
    FILE_KINDS,
    Definitions,
    LoadedFile,
    add_model,
    definitions_from,
    read_folder,
)
from asylum_sim.model.machine import MachineFile
from asylum_sim.model.sources import did_you_mean as cited_suggestion
from asylum_sim.model.sources import unknown_citations

KIND_LINE = re.compile(r"^kind:\s*['\"]?([a-z_]+)", re.MULTILINE)

PLACEHOLDERS = {"todo", "tbd", "fixme", "xxx", "unknown", "n/a", "na", "none", "source", "?"}
"""Texts that stand in for a source someone still has to look up."""


@dataclass
class CheckReport:
    """What ``check`` found in one folder: the problems and what was counted."""

    folder: Path
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    machines: list[str] = field(default_factory=list)
    machine_labels: dict[str, Labels] = field(default_factory=dict)
    """The labels of the machines, to name them in the summary."""

    @property
    def ok(self) -> bool:
        return not self.problems


# -- helpers -----------------------------------------------------------------------------


def walk(obj: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every model, list item and mapping value inside ``obj`` with its location, spelled
    with the keys of the YAML file (``transitions[3].from[0]``, ``guards.x.when.all[1]``)."""
    yield where, obj
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value is None:
                continue
            key = info.alias or name
            yield from walk(value, f"{where}.{key}" if where else key)
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from walk(item, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from walk(value, f"{where}.{key}" if where else str(key))


# -- the checker -------------------------------------------------------------------------


class Checker:
    """Runs every check over the parsed files of one folder, collecting problems."""

    def __init__(
        self,
        defs: Definitions,
        files: dict[str, BaseModel],
        incomplete: frozenset[str] | set[str] = frozenset(),
        dropped: Dropped | None = None,
    ) -> None:
        self.defs = defs
        self.files = files
        self.problems: list[Problem] = []
        # Entries left out of a file that failed its schema (reported by the loader):
        # references to them are not reported again.
        self.dropped = dropped or Dropped()
        self._nodes: dict[str, list[tuple[str, Any]]] = {}
        # A catalogue file that failed to load would make every reference to it look
        # dangling; its problems are reported, references to its kind are not checked.
        self.have_events = "events" not in incomplete
        self.have_documents = "documents" not in incomplete
        self.have_deadlines = "deadlines" not in incomplete
        self.have_machines = "machine" not in incomplete
        self.have_sources = "sources" not in incomplete

    def add(self, file: str, where: str, message: str) -> None:
        self.problems.append(Problem(file, where, message))

    def run(self) -> list[Problem]:
        for name, model in self.files.items():
            if isinstance(model, MachineFile):
                self.check_machine(name, model)
            elif isinstance(model, EventsFile):
                self.check_events(name, model)
            elif isinstance(model, DocumentsFile):
                self.check_documents(name, model)
            elif isinstance(model, DeadlinesFile):
                self.check_deadlines(name, model)
            self.check_labels(name)
            self.check_sources(name)
            self.check_conditions(name)
        self.check_rule_ids()
        self.check_bibliography()
        self.problems.extend(check_language(self.defs, self.files))
        return self.problems

    # -- references ------------------------------------------------------------------

    def ref_event(self, file: str, where: str, event: str) -> None:
        if self.have_events and event not in self.defs.events and not self.dropped.event(event):
            self.add(
                file,
                where,
                f"unknown event {event!r}{suggestion(event, self.defs.events, 'events')}",
            )

    def ref_document(self, file: str, where: str, doc: str) -> None:
        if (
            self.have_documents
            and doc not in self.defs.documents
            and not self.dropped.has("document", doc)
        ):
            hint = suggestion(doc, self.defs.documents, "documents")
            self.add(file, where, f"unknown document {doc!r}{hint}")

    def ref_deadline(self, file: str, where: str, deadline: str) -> DeadlineDef | None:
        found = self.defs.deadlines.get(deadline)
        if found is None and self.have_deadlines and not self.dropped.has("deadline", deadline):
            hint = suggestion(deadline, self.defs.deadlines, "deadlines")
            self.add(file, where, f"unknown deadline {deadline!r}{hint}")
        return found

    def ref_actor(self, file: str, where: str, actor: str) -> None:
        if self.have_events and actor not in self.defs.actors and not self.dropped.has(
            "actor", actor
        ):
            hint = suggestion(actor, self.defs.actors, "actors")
            self.add(file, where, f"unknown actor {actor!r} (not in the actors list){hint}")

    def ref_states(self, file: str, where: str, states: dict[str, list[str]]) -> None:
        """``{machine: [state, ...]}`` names known machines and their states."""
        for machine_id, state_ids in states.items():
            machine = self.defs.machines.get(machine_id)
            if machine is None:
                if not self.have_machines:
                    continue
                hint = suggestion(machine_id, self.defs.machines, "machines")
                self.add(file, f"{where}.{machine_id}", f"unknown machine {machine_id!r}{hint}")
                continue
            known = [s.id for s in machine.states]
            for i, state in enumerate(state_ids):
                if state not in known and not self.dropped.has("state", state, machine_id):
                    self.add(
                        file,
                        f"{where}.{machine_id}[{i}]",
                        f"unknown state {state!r} of machine {machine_id!r}"
                        + suggestion(state, known, "states"),
                    )

    # -- machines --------------------------------------------------------------------

    def check_machine(self, file: str, machine: MachineFile) -> None:
        states = {s.id: s for s in machine.states}
        index = {s.id: i for i, s in reversed(list(enumerate(machine.states)))}
        known = list(states)

        def missing(kind: str, name: str, defined: Any) -> bool:
            return name not in defined and not self.dropped.has(kind, name, machine.id)

        if missing("state", machine.initial, states):
            self.add(
                file,
                "initial",
                f"the initial state {machine.initial!r} is not a state of the machine"
                + suggestion(machine.initial, known, "states"),
            )

        for i, state in enumerate(machine.states):
            self.ref_actor(file, f"states[{i}].actor", state.actor)
            if state.phase is not None and missing("phase", state.phase, machine.phases):
                hint = suggestion(state.phase, machine.phases, "phases")
                self.add(
                    file,
                    f"states[{i}].phase",
                    f"phase {state.phase!r} is not declared under 'phases'{hint}",
                )
            for j, doc in enumerate(state.documents):
                self.ref_document(file, f"states[{i}].documents[{j}]", doc)

        seen: dict[tuple[Any, ...], int] = {}
        for i, t in enumerate(machine.transitions):
            where = f"transitions[{i}]"
            for j, source in enumerate(t.sources):
                if missing("state", source, states):
                    self.add(
                        file,
                        f"{where}.from[{j}]",
                        f"unknown source state {source!r}" + suggestion(source, known, "states"),
                    )
                elif source in states and states[source].final:
                    self.add(
                        file,
                        f"{where}.from[{j}]",
                        f"leaves the final state {source!r}; a final state has no outgoing "
                        "transitions (drop 'final: true' or this transition)",
                    )
                if t.sources.index(source) != j:
                    self.add(file, f"{where}.from[{j}]", f"lists {source!r} twice")
                    continue
                key = (t.event, source, t.dest, t.guard, t.unless)
                if key in seen:
                    self.add(
                        file,
                        where,
                        f"duplicates transitions[{seen[key]}] ({t.event!r} from {source!r} to "
                        f"{t.dest!r}{f' with guard {t.guard!r}' if t.guard else ''})",
                    )
                else:
                    seen[key] = i
            if missing("state", t.dest, states):
                self.add(
                    file,
                    f"{where}.to",
                    f"unknown target state {t.dest!r}" + suggestion(t.dest, known, "states"),
                )
            self.ref_event(file, f"{where}.event", t.event)
            for key_name, guard in (("guard", t.guard), ("unless", t.unless)):
                if guard is not None and missing("guard", guard, machine.guards):
                    hint = suggestion(guard, machine.guards, "guards")
                    self.add(
                        file,
                        f"{where}.{key_name}",
                        f"guard {guard!r} is not defined under 'guards' of this machine{hint}",
                    )
            if t.timer is not None:
                deadline = self.ref_deadline(file, f"{where}.timer", t.timer)
                if deadline is not None and deadline.on_expiry != t.event:
                    fires = (
                        f"fires {deadline.on_expiry!r}"
                        if deadline.on_expiry
                        else "has no on_expiry event"
                    )
                    self.add(
                        file,
                        f"{where}.timer",
                        f"deadline {t.timer!r} {fires} on expiry, but this transition waits "
                        f"for {t.event!r}; make them the same event",
                    )
            for j, doc in enumerate(t.documents):
                self.ref_document(file, f"{where}.documents[{j}]", doc)
            for j, event in enumerate(t.emits):
                self.ref_event(file, f"{where}.emits[{j}]", event)

        if machine.id not in self.dropped.unreadable:  # else the graph is incomplete
            self.check_structure(file, machine, index)
        self.check_timer_cycles(file, machine, index)

    def check_timer_cycles(self, file: str, machine: MachineFile, index: dict[str, int]) -> None:
        """States a case would go round on its own, by timers alone: a replay never ends."""
        for edges in timer_cycles(machine, self.defs.deadlines):
            states = list(dict.fromkeys(e.source for e in edges))
            timers = ", ".join(f"{e.timer} ({self.duration(e.timer)})" for e in edges)
            first = min(states, key=lambda s: index[s])
            self.add(
                file,
                f"states[{index[first]}]",
                f"states {', '.join(map(repr, states))} form a cycle of timers ({timers}): each "
                "starts again when its state is entered, so a case that gets there moves on "
                "by itself forever and its replay never ends; let a scenario event or a "
                "final state break the cycle",
            )

    def duration(self, deadline: str) -> str:
        """``0 days`` / ``30 days or 10 days``: the periods a deadline can run."""
        periods = self.defs.deadlines[deadline].periods
        return " or ".join(dict.fromkeys(c.period.label("en") for c in periods))

    def check_structure(self, file: str, machine: MachineFile, index: dict[str, int]) -> None:
        """Reachability, dead ends and final states, on the graph of known states."""
        graph = machine_graph(machine)
        finals = [s.id for s in machine.states if s.final]
        # States and transitions left out for their schema errors still lead somewhere.
        left_out = self.dropped.edges.get(machine.id, [])
        graph.add_nodes_from(self.dropped.states_of(machine.id))
        graph.add_edges_from((s, d) for s, d in left_out if s in graph and d in graph)
        finals += [s for s in self.dropped.states_of(machine.id)
                   if f"{machine.id}:{s}" in self.dropped.finals]

        if machine.initial in graph:
            reachable = nx.descendants(graph, machine.initial) | {machine.initial}
            for state in machine.states:
                if state.id not in reachable:
                    self.add(
                        file,
                        f"states[{index[state.id]}]",
                        f"state {state.id!r} is not reachable from the initial state "
                        f"{machine.initial!r}; add a transition into it or remove it",
                    )

        # Dead ends count every way out, also to an unknown state (reported above), so one
        # typo gives one problem, not two.
        exits = {source for t in machine.transitions for source in t.sources if source != t.dest}
        exits |= {source for source, dest in left_out if source != dest}
        for state in machine.states:
            if not state.final and state.id not in exits:
                self.add(
                    file,
                    f"states[{index[state.id]}]",
                    f"state {state.id!r} is a dead end: it is not final and has no transition "
                    "to another state; add one or mark it 'final: true'",
                )

        # Like python-statemachine: only a machine that declares final states must be able
        # to reach one (a machine whose every outcome can be appealed has none).
        if finals:
            reaches_final = set(finals)
            for final in finals:
                reaches_final |= nx.ancestors(graph, final)
            for state in machine.states:
                if state.id not in reaches_final:
                    self.add(
                        file,
                        f"states[{index[state.id]}]",
                        f"no final state ({', '.join(finals)}) is reachable from {state.id!r}",
                    )

    # -- catalogue -------------------------------------------------------------------

    def check_events(self, file: str, model: EventsFile) -> None:
        for i, event in enumerate(model.events):
            if event.actor is not None:
                self.ref_actor(file, f"events[{i}].actor", event.actor)

    def check_documents(self, file: str, model: DocumentsFile) -> None:
        for i, doc in enumerate(model.documents):
            where = f"documents[{i}]"
            self.ref_actor(file, f"{where}.issuer", doc.issuer)
            for key, events in (("extended_by", doc.extended_by), ("revoked_by", doc.revoked_by)):
                for j, event in enumerate(events):
                    self.ref_event(file, f"{where}.{key}[{j}]", event)
            for j, other in enumerate(doc.replaces):
                self.ref_document(file, f"{where}.replaces[{j}]", other)
            self.ref_states(file, f"{where}.revoked_on_leaving", doc.revoked_on_leaving)

    def check_deadlines(self, file: str, model: DeadlinesFile) -> None:
        for i, deadline in enumerate(model.deadlines):
            where = f"deadlines[{i}]"
            self.ref_actor(file, f"{where}.actor", deadline.actor)
            for key, events in (
                ("starts.events", deadline.starts.events),
                ("met_by", deadline.met_by),
                ("cancelled_by", deadline.cancelled_by),
            ):
                for j, event in enumerate(events):
                    self.ref_event(file, f"{where}.{key}[{j}]", event)
            self.ref_states(file, f"{where}.starts.enter", deadline.starts.enter)
            self.ref_states(file, f"{where}.cancelled_on_leaving", deadline.cancelled_on_leaving)
            if not (deadline.starts.events or deadline.starts.enter or deadline.starts.becomes
                    or deadline.projected):
                self.add(
                    file,
                    f"{where}.starts",
                    f"deadline {deadline.id!r} never starts: give 'events', 'enter' or "
                    "'becomes'",
                )
            if deadline.on_expiry is not None:
                self.ref_event(file, f"{where}.on_expiry", deadline.on_expiry)
            for j, extension in enumerate(deadline.extensions):
                self.ref_event(file, f"{where}.extensions[{j}].event", extension.event)

    def check_rule_ids(self) -> None:
        """A rule id names one rule of the whole catalogue (reports and JSON cite it)."""
        first: dict[str, str] = {}
        for file in self.files:
            for where, obj in self.nodes(file):
                rule = getattr(obj, "rule", None) if isinstance(obj, BaseModel) else None
                if not isinstance(rule, str):
                    continue
                if rule in first:
                    self.add(
                        file, f"{where}.rule", f"rule id {rule!r} is already used at {first[rule]}"
                    )
                else:
                    first[rule] = f"{file} {where}"

    # -- everywhere ------------------------------------------------------------------

    def nodes(self, file: str) -> list[tuple[str, Any]]:
        """Every place in one file's model (:func:`walk`), walked once for every check."""
        if file not in self._nodes:
            self._nodes[file] = list(walk(self.files[file]))
        return self._nodes[file]

    def check_labels(self, file: str) -> None:
        for where, obj in self.nodes(file):
            if not isinstance(obj, Labels):
                continue
            for lang in (*LANGUAGES, "fr"):
                text = getattr(obj, lang, None)
                if text is None and lang not in LANGUAGES:
                    continue
                if text is None or not text.strip():
                    self.add(file, f"{where}.{lang}", f"the {lang!r} label is empty")

    def check_sources(self, file: str) -> None:
        """Every ``source`` cites documents of the bibliography (model/sources.py)."""
        ids = list(self.defs.sources)
        for where, obj in self.nodes(file):
            if not isinstance(obj, BaseModel) or "source" not in type(obj).model_fields:
                continue
            text = getattr(obj, "source", None)
            if text is None:
                continue
            place = f"{where}.source" if where else "source"
            if is_placeholder(text):
                self.add(
                    file,
                    place,
                    f"source {text!r} is a placeholder; cite the brochure section, the opvang "
                    'heading or the law (e.g. "brochure §2.4", "Vw. art. 39/57")',
                )
                continue
            if not (self.have_sources and ids):
                continue  # check_bibliography reports the missing bibliography once
            for citation in unknown_citations(text, ids):
                self.add(
                    file,
                    place,
                    f"source {citation!r} cites no document of the bibliography (a file of "
                    f"kind 'sources'){cited_suggestion(citation, ids)}",
                )

    def check_bibliography(self) -> None:
        """A folder whose data cites sources has a bibliography."""
        if self.have_sources and not self.defs.sources:
            self.add("sources.yaml", "", "no bibliography: add a file with 'kind: sources' "
                     "listing every document the data cites (id, title, publisher, date, url)")

    def check_conditions(self, file: str) -> None:
        """Every name a condition uses: machines, states, documents, deadlines, events."""
        model = self.files[file]
        for where, obj in self.nodes(file):
            if isinstance(obj, InState):
                self.ref_states(file, f"{where}.state", obj.state)
            elif isinstance(obj, EnteredFrom):
                self.ref_states(file, f"{where}.entered_from", obj.entered_from)
            elif isinstance(obj, Holds):
                self.ref_document(file, f"{where}.holds", obj.holds)
            elif isinstance(obj, DeadlineIs):
                self.ref_deadline(file, f"{where}.deadline.id", obj.deadline.id)
            elif isinstance(obj, Anchor | HappenedSpec | CountSpec):
                for i, event in enumerate(obj.event):
                    self.ref_event(file, f"{where}.event[{i}]", event)
        entitlements = model.entitlements if isinstance(model, EntitlementsFile) else []
        for i, ent in enumerate(entitlements):
            for j, rule in enumerate(ent.rules):
                if rule.until is not None:
                    self.ref_deadline(file, f"entitlements[{i}].rules[{j}].until", rule.until)


def check_language(defs: Definitions, files: dict[str, BaseModel]) -> list[Problem]:
    """Named conditions, operators used where they have a meaning, and the default and
    exceptions of every list of alternatives (see :mod:`asylum_sim.analysis.language`)."""
    from asylum_sim.analysis.language import language_problems

    return language_problems(defs, files)


def is_placeholder(text: str) -> bool:
    """``TODO``, ``???``, ``tbd: find article``: a source nobody has looked up yet."""
    cleaned = text.strip().lower()
    if not cleaned.strip("?!.-_ *"):
        return True
    words = cleaned.replace(":", " ").replace("(", " ").split()
    return cleaned in PLACEHOLDERS or any(w in {"todo", "tbd", "fixme", "xxx"} for w in words)


# -- entry points ------------------------------------------------------------------------


def checkable_files(
    loaded: list[LoadedFile], defs: Definitions
) -> tuple[dict[str, BaseModel], set[str], Dropped]:
    """The model of each file, by file name; of a file that fails its schema, what of it
    still validates (see :mod:`asylum_sim.analysis.partial`; added to ``defs`` as well);
    the kinds of the files of which nothing could be read; and what was left out."""
    files: dict[str, BaseModel] = {}
    incomplete: set[str] = set()
    dropped = Dropped()
    for item in loaded:
        model = item.model
        if model is None:
            model = partial_model(item.path.name, item.data, FILE_KINDS, dropped)
            if model is not None:
                add_model(defs, item.path.name, model)
        if model is not None:
            files[item.path.name] = model
            continue
        if isinstance(item.data, dict) and item.data.get("kind") in FILE_KINDS:
            kind = item.data["kind"]
        else:  # unreadable: guess the kind from the text, or distrust every kind
            found = None
            if item.path.is_file():  # not a FIFO: reading it would wait for a writer
                with contextlib.suppress(OSError):
                    text = item.path.read_bytes().decode("utf-8", "replace")
                    found = KIND_LINE.search(text)
            kind = found.group(1) if found else None
        incomplete |= {kind} if kind in FILE_KINDS else set(FILE_KINDS)
    return files, incomplete, dropped


def check_folder(folder: Path | str) -> CheckReport:
    """Every problem in a folder of machine definitions; raises :class:`InputError` only
    when the folder does not exist."""
    folder = Path(folder)
    loaded = read_folder(folder)
    report = CheckReport(folder=folder)
    defs = definitions_from(folder, loaded, collect=report.problems)
    before = len(defs.duplicates)
    files, incomplete, dropped = checkable_files(loaded, defs)
    found = defs.duplicates[before:]  # among the entries of partial files
    found += Checker(defs, files, incomplete, dropped).run()
    # Entries of a partial file are named by their place in the file, not in the model.
    report.problems.extend(
        Problem(p.file, dropped.in_file(p.file, p.where),
                p.message if ".yaml " in p.message else dropped.in_file(p.file, p.message))
        for p in found
    )
    # The loader names a file it cannot read by its path; name every file the same way.
    report.problems = sorted(
        (
            Problem(Path(p.file).name, p.where, p.message)
            if p.file and Path(p.file).parent == folder
            else p
            for p in report.problems
        ),
        key=lambda p: p.file,
    )
    report.machines = list(defs.machines)
    report.machine_labels = {m.id: m.labels for m in defs.machines.values()}
    report.counts = {
        "machines": len(defs.machines),
        "states": sum(len(m.states) for m in defs.machines.values()),
        "transitions": sum(len(m.transitions) for m in defs.machines.values()),
        "events": len(defs.events),
        "actors": len(defs.actors),
        "documents": len(defs.documents),
        "deadlines": len(defs.deadlines),
        "entitlements": len(defs.entitlements),
        "sources": len(defs.sources),
    }
    return report


def require_valid(folder: Path | str) -> None:
    """Raise :class:`InputError` (exit 2) with check's own messages, each naming its file
    inside ``folder``, when ``check`` finds any problem in ``folder``."""
    folder = Path(folder)
    report = check_folder(folder)
    if report.problems:
        raise InputError([
            Problem(str(folder / p.file) if p.file and os.path.lexists(folder / p.file) else p.file,
                    p.where, p.message)
            for p in report.problems
        ])


def _label(labels: Labels | None, lang: str, ident: str) -> str:
    return (getattr(labels, lang, None) or labels.en) if labels is not None else ident


def print_report(report: CheckReport, lang: str = "nl") -> None:
    """Every problem, one a line (``file at where: message``, in English: they speak to
    whoever edits the machine files), then what was counted and how many problems."""
    from asylum_sim.i18n import tr

    for problem in report.problems:
        print(problem)
    parts = []
    for what, n in report.counts.items():
        parts.append(tr(f"cli.check.{what}", lang, n=n))
        if what == "machines" and report.machines:
            names = [_label(report.machine_labels.get(m), lang, m) for m in report.machines]
            parts[-1] += f" ({', '.join(names)})"
    print(f"{report.folder}: {', '.join(parts)}")
    n = len(report.problems)
    print(tr("cli.check.no_problems", lang) if n == 0
          else tr("cli.check.problems_one" if n == 1 else "cli.check.problems", lang, n=n))


__all__ = ["CheckReport", "check_folder", "print_report", "require_valid"]
