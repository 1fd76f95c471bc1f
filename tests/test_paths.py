"""``asylum-sim paths``: simple routes through a machine (tests/fixtures/check/valid and the
shipped machines)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asylum_sim.analysis.graph import Edge, machine_graph
from asylum_sim.analysis.paths import format_route, simple_routes
from asylum_sim.cli.main import app
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.machine import MachineFile
from asylum_sim.model.paths import default_machines_dir

VALID = Path(__file__).parent / "fixtures" / "check" / "valid"
runner = CliRunner()


def fixture_machine() -> MachineFile:
    return load_definitions(VALID).machines["procedure"]


def events(route: list[Edge]) -> list[str]:
    return [edge.event for edge in route]


def test_graph_has_one_edge_per_transition_source() -> None:
    """A transition with two 'from' states is two edges; parallel transitions stay apart."""
    graph = machine_graph(fixture_machine())
    assert graph.number_of_nodes() == 9
    assert graph.number_of_edges() == 16
    assert graph.number_of_edges("appeal", "refugee") == 2


def test_routes_to_refugee_include_cgvs_reform_and_annulment() -> None:
    """To refugee: the CGVS decision, the RvV reform, and a route through an annulment."""
    routes = simple_routes(fixture_machine(), "none", "refugee")
    chains = [events(r) for r in routes]
    assert ["apply", "lodge", "transfer_to_cgvs", "grant_refugee_status"] in chains
    assert any(c[-2:] == ["appeal", "rvv_reform_refugee"] for c in chains)
    assert [
        "apply",
        "lodge",
        "transfer_to_cgvs",
        "declare_inadmissible",
        "appeal",
        "rvv_annul",
        "grant_refugee_status",
    ] in chains


def test_parallel_transitions_are_different_routes() -> None:
    """rvv_reform_refugee and rvv_confirm both lead appeal -> refugee: two routes."""
    routes = simple_routes(fixture_machine(), "appeal", "refugee")
    assert sorted(events(r) for r in routes) == [
        ["rvv_annul", "grant_refugee_status"],
        ["rvv_confirm"],
        ["rvv_reform_refugee"],
    ]


def test_self_loops_are_not_part_of_routes() -> None:
    """dvz_interview (lodged -> lodged) never appears in a simple route."""
    routes = simple_routes(fixture_machine(), "none", "finally_refused")
    assert routes
    assert all("dvz_interview" not in events(r) for r in routes)


def test_routes_are_simple_and_connected() -> None:
    """Each route starts at the source, follows on, visits no state twice, ends at target."""
    for route in simple_routes(fixture_machine(), "none", "finally_refused"):
        states = [route[0].source] + [e.dest for e in route]
        assert states[0] == "none" and states[-1] == "finally_refused"
        assert len(states) == len(set(states))
        assert all(a.dest == b.source for a, b in itertools.pairwise(route))


def test_feasible_routes_respect_entered_from_guards() -> None:
    """rvv_confirm [appealed_refugee] cannot follow an appeal against a refusal: feasible
    routes drop it, structural routes keep it."""
    machine = fixture_machine()
    impossible = ["apply", "lodge", "transfer_to_cgvs", "refuse", "appeal", "rvv_confirm"]
    assert impossible in [events(r) for r in simple_routes(machine, "none", "refugee")]
    feasible = [events(r) for r in simple_routes(machine, "none", "refugee", feasible=True)]
    assert impossible not in feasible
    assert ["apply", "lodge", "transfer_to_cgvs", "grant_refugee_status"] in feasible


def test_routes_to_the_same_state_is_one_empty_route() -> None:
    """From a state to itself there is one route: staying."""
    assert simple_routes(fixture_machine(), "appeal", "appeal") == [[]]


def test_format_route_shows_states_and_events() -> None:
    """A route prints as `state --event--> state`, with guards in brackets."""
    route = simple_routes(fixture_machine(), "none", "lodged")[0]
    assert format_route(route, "none") == "none --apply--> applied --lodge--> lodged"
    guarded = simple_routes(fixture_machine(), "lodged", "admissibility")[0]
    assert format_route(guarded, "lodged") == (
        "lodged --transfer_to_cgvs [subsequent]--> admissibility"
    )


def test_simple_routes_unknown_state_is_input_error() -> None:
    """An unknown state is an InputError naming the state meant and the known ones."""
    with pytest.raises(InputError, match="did you mean 'refugee'") as info:
        simple_routes(fixture_machine(), "none", "refuge")
    assert "known states: none, applied" in str(info.value)


def test_cli_lists_numbered_routes_one_step_a_line_and_counts() -> None:
    """`paths procedure` numbers each route to every final state, one step a line in the
    language asked, and ends with the count and what was left out."""
    result = runner.invoke(app, ["paths", "procedure", "--machines", str(VALID),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "procedure: routes from “no application” to “finally refused”"
    assert lines[2:5] == ["  1. no application",
                          "     → apply → application made",
                          "     → lodge → application lodged"]
    assert "routes a case can take: 2" in lines
    # A first application is never a subsequent one (a single `apply` on the route).
    assert lines[-4:] == [
        "left out, because no case can take them: 6",
        "  - 4 with a condition that cannot hold at that point, e.g. transfer to the CGRS",
        "    [if: subsequent application]",
        "  - 2 with a step that can only follow another previous state"]
    assert all(len(line) <= 80 for line in lines)


def test_cli_from_to_and_labels_in_dutch() -> None:
    """--from/--to choose the ends; --lang nl speaks Dutch only: labels, no ids."""
    args = ["paths", "procedure", "--from", "appeal", "--to", "refugee", "--lang", "nl"]
    result = runner.invoke(app, [*args, "--machines", str(VALID)])
    assert result.exit_code == 0, result.output
    assert "  1. beroep bij RvV" in result.output
    assert "     → hervorming → erkend vluchteling" in result.output
    assert "[als: " in result.output
    assert "appealed_refugee" not in result.output and "rvv_confirm" not in result.output
    assert result.output.splitlines()[-1] == "trajecten die een dossier kan volgen: 3"


def test_cli_unknown_machine_lists_known_ones() -> None:
    """An unknown machine is an InputError naming the known machines."""
    result = runner.invoke(app, ["paths", "procedur", "--machines", str(VALID)])
    assert isinstance(result.exception, InputError)
    assert "did you mean 'procedure'" in str(result.exception)
    assert "known machines: procedure" in str(result.exception)


def test_cli_unknown_state_lists_known_ones() -> None:
    """An unknown --to state is an InputError naming the known states."""
    result = runner.invoke(
        app, ["paths", "procedure", "--to", "rejected", "--machines", str(VALID)]
    )
    assert isinstance(result.exception, InputError)
    assert "unknown state 'rejected'" in str(result.exception)
    assert "known states: none, applied, lodged" in str(result.exception)


# -- the shipped machines ---------------------------------------------------------------


def test_shipped_procedure_routes_to_refugee() -> None:
    """In the shipped procedure, refugee is reached by the CGVS, by an RvV reform and after
    an annulment."""
    machine = load_definitions(default_machines_dir()).machines["procedure"]
    chains = [events(r) for r in simple_routes(machine, machine.initial, "refugee")]
    assert any(c[-1] == "grant_refugee_status" and "appeal" not in c for c in chains)
    assert any(c[-2:] == ["appeal", "rvv_reform_refugee"] for c in chains)
    assert any(
        "rvv_annul" in c and c[c.index("rvv_annul") :][-1] == "grant_refugee_status" for c in chains
    )
    assert all("dvz_interview" not in c and "cgvs_interview" not in c for c in chains)


def test_shipped_procedure_leaves_out_routes_whose_guards_contradict() -> None:
    """Issue 12: of the 16 routes to refugee, 8 lodge a first application and transfer it
    as a subsequent one (or the reverse); nothing between the two steps changes the number
    of applications, so no case takes them. Five more need a subsequent application after
    a single one."""
    from asylum_sim.analysis.paths import find_routes

    defs = load_definitions(default_machines_dir())
    found = find_routes(defs, defs.machines["procedure"], None, "refugee")
    assert len(found.contradictory) == 8
    for route, clash in found.contradictory:
        assert clash.guard == "subsequent_application"
        assert [route[clash.first].event, route[clash.second].event] == [
            "lodge", "transfer_to_cgvs"]
    assert len(found.impossible) == 5 and found.entered_from == 10
    assert [events(r) for r in found.routes] == [
        ["apply", "register", "lodge", "transfer_to_cgvs", "grant_refugee_status"],
        ["apply", "register", "lodge", "transfer_to_cgvs", "grant_subsidiary_protection",
         "appeal", "rvv_reform_refugee"],
        ["apply", "register", "lodge", "transfer_to_cgvs", "refuse", "appeal",
         "rvv_reform_refugee"],
    ]
    # From a final refusal, a subsequent application is possible: those routes stay.
    again = find_routes(defs, defs.machines["procedure"], "finally_refused", "refugee")
    assert ["apply", "register", "lodge", "transfer_to_cgvs", "declare_admissible",
            "grant_refugee_status"] in [events(r) for r in again.routes]


def test_a_guard_can_change_when_an_event_it_reads_happens_in_between(tmp_path: Path) -> None:
    """`lodge [not subsequent]` then `transfer [subsequent]` contradict, unless an event the
    guard reads (here a second `apply`, as a self-loop of `lodged`) can happen between."""
    import shutil

    import yaml

    from asylum_sim.analysis.paths import contradiction, find_routes

    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    path = folder / "procedure.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lodge = next(t for t in data["transitions"] if t["event"] == "lodge")
    lodge["unless"] = "subsequent"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    defs = load_definitions(folder)
    machine = defs.machines["procedure"]
    (route,) = simple_routes(machine, "none", "admissibility")
    assert contradiction(machine, route, defs) is not None
    data["transitions"].append({"event": "apply", "from": "lodged", "to": "lodged",
                                "source": "brochure §2.2"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    defs = load_definitions(folder)
    machine = defs.machines["procedure"]
    (route,) = simple_routes(machine, "none", "admissibility")
    assert contradiction(machine, route, defs) is None
    assert len(find_routes(defs, machine, "none", "admissibility").routes) == 1


def test_limit_and_json() -> None:
    """--limit shows the first N and says so; --format json gives ids, labels and the
    routes left out with the guard and the steps that clash."""
    import json

    result = runner.invoke(app, ["paths", "procedure", "--to", "refugee", "--limit", "1",
                                 "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "  2. " not in result.output
    assert "affichés : les 1 premiers (--limit 0 les affiche tous)" in result.output
    result = runner.invoke(app, ["paths", "procedure", "--to", "refugee", "--format", "json",
                                 "--lang", "en"])
    data = json.loads(result.output)
    assert (data["count"], data["shown"]) == (3, 3)
    assert data["routes"][0]["states"][:2] == ["none", "applied"]
    assert data["routes"][0]["steps"][0] == {
        "event": "apply", "label": "make an application for international protection",
        "from": "none", "to": "applied", "guard": None, "unless": None, "timer": None}
    clash = data["left_out"]["contradictory_guards"][0]
    assert clash["guard"] == "subsequent_application" and clash["steps"] == [2, 3]
    assert len(data["left_out"]["contradictory_guards"]) == 8
    assert data["left_out"]["entered_from"] == 10
