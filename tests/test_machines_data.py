"""The machine data in machines/ matches the domain catalogue and is well formed.

The ids of the domain catalogue the project started from are the public vocabulary of the
tool: tests/domain_ids.py keeps them, and these tests assert the YAML defines each one, with
labels, actors, sources and a sound structure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from asylum_sim.model.catalogue import DocumentsFile, EventsFile
from asylum_sim.model.loader import load_definitions, parse_file, read_yaml
from asylum_sim.model.machine import MachineFile
from domain_ids import (
    DOMAIN_ACTORS,
    DOMAIN_DOCUMENTS,
    DOMAIN_EVENTS,
    DOMAIN_STATES,
    INTERNAL_EVENTS,
    LIFE_EVENTS,
    TIMERS,
)

ROOT = Path(__file__).resolve().parents[1]
MACHINES = ROOT / "machines"
MACHINE_IDS = ("procedure", "reception", "residence")
OWN_FILES = ("procedure.yaml", "reception.yaml", "residence.yaml", "events.yaml",
             "documents.yaml")



# --- loading ----------------------------------------------------------------------------------
def _parse(name: str) -> Any:
    path = MACHINES / name
    model, problems = parse_file(path, read_yaml(path))
    assert not problems, "\n".join(map(str, problems))
    return model


@pytest.fixture(scope="module")
def machines() -> dict[str, MachineFile]:
    return {m: _parse(f"{m}.yaml") for m in MACHINE_IDS}


@pytest.fixture(scope="module")
def events() -> EventsFile:
    return _parse("events.yaml")


@pytest.fixture(scope="module")
def documents() -> DocumentsFile:
    return _parse("documents.yaml")


def _graph(machine: MachineFile) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(s.id for s in machine.states)
    for t in machine.transitions:
        for src in t.sources:
            graph.add_edge(src, t.dest, event=t.event)
    return graph


def _finals(machine: MachineFile) -> set[str]:
    return {s.id for s in machine.states if s.final}


# --- ids present ------------------------------------------------------------------------------
@pytest.mark.parametrize("machine_id", MACHINE_IDS)
def test_domain_states_are_defined(machines: dict[str, MachineFile], machine_id: str) -> None:
    """Every state of the catalogue's table is a state of its machine."""
    states = {s.id for s in machines[machine_id].states}
    assert DOMAIN_STATES[machine_id] <= states


@pytest.mark.parametrize("machine_id", MACHINE_IDS)
def test_domain_events_are_handled(machines: dict[str, MachineFile], machine_id: str) -> None:
    """Every event the catalogue lists for a machine moves that machine somewhere."""
    handled = {t.event for t in machines[machine_id].transitions}
    assert DOMAIN_EVENTS[machine_id] <= handled


def test_every_event_is_declared(machines: dict[str, MachineFile], events: EventsFile) -> None:
    """Events of transitions and life events are in events.yaml (timer events elsewhere)."""
    declared = {e.id for e in events.events}
    timer_events = {event for (_, event) in TIMERS}
    used = {t.event for m in machines.values() for t in m.transitions} - timer_events
    assert used <= declared
    assert declared >= LIFE_EVENTS
    assert not timer_events & declared, "timer events belong in timers.yaml"


def test_domain_documents_are_defined(documents: DocumentsFile) -> None:
    """Every document of the domain catalogue is defined, with an issuer."""
    assert {d.id for d in documents.documents} >= DOMAIN_DOCUMENTS


def test_actors_are_defined_with_distinct_colours(events: EventsFile) -> None:
    """The actors of the domain catalogue are declared, each with its own colour."""
    ids = [a.id for a in events.actors]
    assert set(ids) >= DOMAIN_ACTORS
    colours = [a.colour.lower() for a in events.actors]
    assert len(set(colours)) == len(colours)


def test_references_are_known(
    machines: dict[str, MachineFile], events: EventsFile, documents: DocumentsFile
) -> None:
    """Actors, documents and guards named in the data exist."""
    actors = {a.id for a in events.actors}
    docs = {d.id for d in documents.documents}
    for machine in machines.values():
        for state in machine.states:
            assert state.actor in actors, (machine.id, state.id)
            assert set(state.documents) <= docs, (machine.id, state.id)
            assert state.phase is None or state.phase in machine.phases, (machine.id, state.id)
        for t in machine.transitions:
            assert set(t.documents) <= docs
            for name in (t.guard, t.unless):
                assert name is None or name in machine.guards, (machine.id, t.event)
    for event in events.events:
        assert event.actor is None or event.actor in actors, event.id
    for doc in documents.documents:
        assert doc.issuer in actors, doc.id
        assert set(doc.replaces) <= docs, doc.id


def test_every_state_has_a_phase(machines: dict[str, MachineFile]) -> None:
    """Diagrams cluster states by phase, so every state has one."""
    for machine in machines.values():
        assert all(s.phase for s in machine.states), machine.id


# --- labels and sources -----------------------------------------------------------------------
def _labels(obj: Any, where: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "labels" or (key == "phases" and isinstance(value, dict)):
                items = value.values() if key == "phases" else [value]
                found.extend((f"{where}.{key}", item) for item in items)
            if key not in ("phases",):
                found.extend(_labels(value, f"{where}.{key}"))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            found.extend(_labels(item, f"{where}[{i}]"))
    return found


@pytest.mark.parametrize("name", OWN_FILES)
def test_every_label_has_dutch_and_english(name: str) -> None:
    """Every labels mapping (states, events, actors, documents, phases, guards) has nl and en."""
    raw = yaml.safe_load((MACHINES / name).read_text(encoding="utf-8"))
    labels = _labels(raw)
    assert labels
    for where, label in labels:
        assert isinstance(label, dict), where
        assert label.get("nl") and label.get("en"), where


def test_every_transition_has_a_source(machines: dict[str, MachineFile]) -> None:
    """A trainer can trace each transition back to the brochure, the opvang page or the law."""
    for machine in machines.values():
        for t in machine.transitions:
            assert t.source and len(t.source) >= 3, (machine.id, t.event)


def test_documents_carry_rule_and_source(documents: DocumentsFile) -> None:
    """Each document names its rule (kebab-case) and source."""
    for doc in documents.documents:
        assert re.fullmatch(r"[a-z][a-z0-9-]*", doc.rule) and doc.source


# --- structure --------------------------------------------------------------------------------
@pytest.mark.parametrize("machine_id", MACHINE_IDS)
def test_structure_is_sound(machines: dict[str, MachineFile], machine_id: str) -> None:
    """One initial state; all reachable; no dead end; nothing leaves a final; a final is
    reachable from every state; all targets known."""
    machine = machines[machine_id]
    states = {s.id for s in machine.states}
    assert len(states) == len(machine.states), "duplicate state ids"
    assert machine.initial in states
    for t in machine.transitions:
        assert set(t.sources) <= states and t.dest in states, t.event
    graph = _graph(machine)
    finals = _finals(machine)
    assert finals
    assert nx.descendants(graph, machine.initial) | {machine.initial} == states
    for state in states:
        out = {dest for _, dest in graph.out_edges(state)}
        if state in finals:
            assert not out, f"transition out of final state {state}"
        else:
            assert out - {state}, f"dead end: {state}"
            assert nx.descendants(graph, state) & finals, f"no final reachable from {state}"


def test_outcomes_and_final_states_as_decided(machines: dict[str, MachineFile]) -> None:
    """Statuses and a final refusal are not final; the procedure ends in status_ended or
    departed."""
    procedure = machines["procedure"]
    assert _finals(procedure) == {"status_ended", "departed"}
    outcome = {s.id: s.outcome for s in procedure.states}
    assert outcome["refugee"] == outcome["subsidiary_protection"] == "positive"
    assert outcome["refused"] == outcome["finally_refused"] == "negative"
    assert _finals(machines["reception"]) == {"ended"}
    assert _finals(machines["residence"]) == {"ended"}


# --- behaviour encoded as data ----------------------------------------------------------------
def _transitions(machine: MachineFile, event: str) -> list[Any]:
    return [t for t in machine.transitions if t.event == event]


def test_lodge_issues_annex_26_or_26quinquies(machines: dict[str, MachineFile]) -> None:
    """A first application gets a bijlage 26, a subsequent one a bijlage 26quinquies."""
    lodge = {(t.guard, t.unless): t.documents for t in _transitions(machines["procedure"],
                                                                      "lodge")}
    assert lodge == {
        (None, "subsequent_application"): ["bijlage_26"],
        ("subsequent_application", None): ["bijlage_26quinquies"],
    }


def test_appeal_only_in_time(machines: dict[str, MachineFile]) -> None:
    """An appeal needs an open appeal_deadline."""
    (appeal,) = _transitions(machines["procedure"], "appeal")
    assert appeal.guard == "appeal_in_time"
    assert set(appeal.sources) == {"refused", "subsidiary_protection", "refugee"}
    assert machines["procedure"].guards["appeal_in_time"].when.deadline.id == "appeal_deadline"


def test_rvv_confirm_returns_to_the_appealed_decision(machines: dict[str, MachineFile]) -> None:
    """rvv_confirm leads back to what was appealed; only a refusal becomes final."""
    procedure = machines["procedure"]
    dest = {}
    for t in _transitions(procedure, "rvv_confirm"):
        (appealed,) = procedure.guards[t.guard].when.entered_from["procedure"]
        dest[appealed] = (t.dest, t.emits)
    assert dest == {
        "refused": ("finally_refused", ["final_refusal"]),
        "subsidiary_protection": ("subsidiary_protection", []),
        "refugee": ("refugee", []),
    }


def test_timers_use_the_agreed_events_and_deadlines(machines: dict[str, MachineFile]) -> None:
    """Timed transitions name the deadline and timer event agreed with deadlines.yaml."""
    seen = set()
    for machine in machines.values():
        for t in machine.transitions:
            if t.timer is not None:
                assert TIMERS.get((machine.id, t.event)) == t.timer, (machine.id, t.event)
                seen.add((machine.id, t.event))
    assert seen == set(TIMERS)


def test_emitted_events_are_internal_and_handled(
    machines: dict[str, MachineFile], events: EventsFile
) -> None:
    """Every emitted event is declared internal and moves another machine."""
    origin = {e.id: e.origin for e in events.events}
    emitted = {e for m in machines.values() for t in m.transitions for e in t.emits}
    assert emitted == INTERNAL_EVENTS
    for event in emitted:
        assert origin[event] == "internal", event
        handlers = {m.id for m in machines.values() if _transitions(m, event)} - {"procedure"}
        assert handlers == {"reception", "residence"}, event


def test_decision_events_have_notification_attributes(events: EventsFile) -> None:
    """Decisions that start an appeal period say how they were notified."""
    by_id = {e.id: e for e in events.events}
    for event in ("refuse", "grant_refugee_status", "grant_subsidiary_protection",
                  "declare_inadmissible", "dublin_transfer_decision"):
        attrs = by_id[event].attributes
        assert attrs["notification"].values == ["handed", "posted"]
        assert attrs["accelerated"].type == attrs["detained"].type == "bool"
    assert by_id["appeal"].attributes["by"].values == ["applicant", "state"]
    assert by_id["assign_reception"].records == ["kind"]
    assert by_id["start_employment"].sets == {"employed": True}


def test_timer_events_match_deadlines_when_present() -> None:
    """When deadlines.yaml is present, each agreed deadline fires the agreed timer event."""
    path = MACHINES / "deadlines.yaml"
    if not path.is_file():
        pytest.skip("deadlines.yaml not written yet")
    deadlines = {d["id"]: d for d in read_yaml(path)["deadlines"]}
    for (_, event), deadline in TIMERS.items():
        assert deadlines[deadline].get("on_expiry") == event, deadline


def test_the_whole_folder_loads() -> None:
    """machines/ loads as a whole, with the three machines."""
    defs = load_definitions(MACHINES)
    assert set(defs.machines) >= set(MACHINE_IDS)
