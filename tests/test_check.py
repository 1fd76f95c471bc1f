"""``asylum-sim check``: every structural and reference check, on broken copies of a valid
fixture folder (tests/fixtures/check/valid)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from asylum_sim.analysis.check import check_folder, is_placeholder
from asylum_sim.cli.main import app
from asylum_sim.model.errors import InputError
from asylum_sim.model.paths import default_machines_dir

VALID = Path(__file__).parent / "fixtures" / "check" / "valid"
runner = CliRunner()


def broken_copy(tmp_path: Path, file: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the valid folder with ``change`` applied to the data of one file."""
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    path = folder / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    return [str(p) for p in check_folder(folder).problems]


def state_index(data: dict[str, Any], state_id: str) -> int:
    return next(i for i, s in enumerate(data["states"]) if s["id"] == state_id)


def add_state(data: dict[str, Any], state_id: str, **extra: Any) -> None:
    labels = {"nl": state_id, "en": state_id}
    data["states"].append({"id": state_id, "labels": labels, "actor": "cgvs", **extra})


def add_transition(data: dict[str, Any], event: str, source: str, dest: str, **extra: Any) -> None:
    data["transitions"].append(
        {"event": event, "from": source, "to": dest, "source": "brochure §2.4", **extra}
    )


# -- the valid folder, the shipped machines, the CLI -------------------------------------


def test_valid_fixture_has_no_problems() -> None:
    """The fixture folder passes every check."""
    assert problems(VALID) == []


def test_cli_valid_fixture_exits_0_with_summary() -> None:
    """On a valid folder check prints the counts and 'no problems' and exits 0."""
    result = runner.invoke(app, ["check", str(VALID), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "machines: 1 (procedure), states: 9, transitions: 15, events: 13" in result.output
    assert "deadlines: 1, rights and obligations: 2" in result.output
    assert result.output.strip().endswith("no problems")


def test_cli_summary_speaks_the_language_asked() -> None:
    """The summary is Dutch by default and French with --lang fr."""
    nl = runner.invoke(app, ["check", str(VALID)])
    fr = runner.invoke(app, ["check", str(VALID), "--lang", "fr"])
    assert "toestanden: 9" in nl.output and nl.output.strip().endswith("geen problemen")
    assert "états : 9" in fr.output and fr.output.strip().endswith("aucun problème")


def test_shipped_machines_have_no_problems() -> None:
    """The machines shipped in machines/ pass check (exit 0)."""
    result = runner.invoke(app, ["check", str(default_machines_dir()), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_check_without_folder_uses_shipped_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` without a folder checks the default machines folder."""
    monkeypatch.setenv("ASYLUM_SIM_MACHINES", str(VALID))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert str(VALID) in result.output


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    """A folder that does not exist is a clear error, not a report."""
    with pytest.raises(InputError, match="no such folder"):
        check_folder(tmp_path / "nope")
    result = runner.invoke(app, ["check", str(tmp_path / "nope")])
    assert isinstance(result.exception, InputError)


def test_cli_lists_every_problem_and_counts_them(tmp_path: Path) -> None:
    """With problems, check prints each one on its own line, a count, and exits 1."""

    def change(data: dict[str, Any]) -> None:
        data["transitions"][8]["to"] = "refusd"
        data["transitions"][0]["event"] = "aply"
        data["states"][0]["actor"] = "persn"

    folder = broken_copy(tmp_path, "procedure.yaml", change)
    result = runner.invoke(app, ["check", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "procedure.yaml at transitions[8].to: unknown target state 'refusd'; "
        "did you mean 'refused'?"
    ) in lines
    assert (
        "procedure.yaml at transitions[0].event: unknown event 'aply'; did you mean 'apply'?"
        in (lines)
    )
    assert any(
        line.startswith("procedure.yaml at states[0].actor: unknown actor 'persn'")
        for line in lines
    )
    assert lines[-1] == "3 problems"


# -- schema (from the loader) ------------------------------------------------------------


def test_schema_error_is_reported_with_its_location(tmp_path: Path) -> None:
    """An unknown key in a state is a schema problem naming the file and the entry."""
    folder = broken_copy(tmp_path, "procedure.yaml", lambda d: d["states"][8].update(finall=True))
    assert any(p.startswith("procedure.yaml at states[8].finall:") for p in problems(folder))


def test_yaml_syntax_error_is_reported(tmp_path: Path) -> None:
    """A file that is not valid YAML is one problem with its line, the others are checked."""
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    (folder / "extra.yaml").write_text("kind: events\nevents: [\n", encoding="utf-8")
    found = problems(folder)
    assert len(found) == 1
    assert "not valid YAML" in found[0]


def test_broken_catalogue_file_does_not_flood_references(tmp_path: Path) -> None:
    """When events.yaml fails its schema, its problem is reported, not every event use."""
    folder = broken_copy(tmp_path, "events.yaml", lambda d: d["events"][0].update(colour="red"))
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith("events.yaml at events[0].colour:")


# -- structure ---------------------------------------------------------------------------


def test_unknown_initial_state(tmp_path: Path) -> None:
    """The initial id must be a state of the machine."""
    folder = broken_copy(tmp_path, "procedure.yaml", lambda d: d.update(initial="non"))
    found = problems(folder)
    assert (
        "procedure.yaml at initial: the initial state 'non' is not a state of the machine; "
        "did you mean 'none'?"
    ) in found


def test_dangling_transition_target(tmp_path: Path) -> None:
    """A transition to an unknown state names it and the state meant."""
    folder = broken_copy(
        tmp_path, "procedure.yaml", lambda d: d["transitions"][8].update(to="refuse")
    )
    found = problems(folder)
    assert found == [
        "procedure.yaml at transitions[8].to: unknown target state 'refuse'; "
        "did you mean 'refused'?"
    ]


def test_dangling_transition_source(tmp_path: Path) -> None:
    """A transition from an unknown state is reported at its place in 'from'."""
    folder = broken_copy(
        tmp_path,
        "procedure.yaml",
        lambda d: d["transitions"][9].update({"from": ["refused", "refuge"]}),
    )
    assert (
        "procedure.yaml at transitions[9].from[1]: unknown source state 'refuge'; "
        "did you mean 'refugee'?"
    ) in problems(folder)


def test_unreachable_state(tmp_path: Path) -> None:
    """A state no transition leads to from the initial state is reported."""

    def change(data: dict[str, Any]) -> None:
        add_state(data, "orphan")
        add_transition(data, "refuse", "orphan", "refused")

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at states[9]: state 'orphan' is not reachable from the initial state "
        "'none'; add a transition into it or remove it"
    ]


def test_dead_end_state(tmp_path: Path) -> None:
    """A non-final state whose only transition is a self-loop is a dead end."""

    def change(data: dict[str, Any]) -> None:
        add_state(data, "stuck")
        add_transition(data, "refuse", "at_cgvs", "stuck")
        add_transition(data, "cgvs_interview", "stuck", "stuck")

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert (
        "procedure.yaml at states[9]: state 'stuck' is a dead end: it is not final and has no "
        "transition to another state; add one or mark it 'final: true'"
    ) in found


def test_transition_out_of_final_state(tmp_path: Path) -> None:
    """Nothing may leave a final state."""
    change = lambda d: add_transition(d, "apply", "finally_refused", "applied")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at transitions[15].from[0]: leaves the final state 'finally_refused'; "
        "a final state has no outgoing transitions (drop 'final: true' or this transition)"
    ]


def test_final_state_not_reachable(tmp_path: Path) -> None:
    """From every state some final state must be reachable: a closed loop fails."""

    def change(data: dict[str, Any]) -> None:
        add_state(data, "loop_a")
        add_state(data, "loop_b")
        add_transition(data, "refuse", "at_cgvs", "loop_a")
        add_transition(data, "appeal", "loop_a", "loop_b")
        add_transition(data, "rvv_annul", "loop_b", "loop_a")

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at states[9]: no final state (finally_refused) is reachable from 'loop_a'",
        "procedure.yaml at states[10]: no final state (finally_refused) is reachable from 'loop_b'",
    ]


def test_machine_without_final_states_need_not_reach_one(tmp_path: Path) -> None:
    """A machine that declares no final state is not asked to reach one (cycles allowed)."""

    def change(data: dict[str, Any]) -> None:
        data["states"][state_index(data, "finally_refused")]["final"] = False
        add_transition(data, "apply", "finally_refused", "applied")

    assert problems(broken_copy(tmp_path, "procedure.yaml", change)) == []


# -- duplicates --------------------------------------------------------------------------


def test_duplicate_transition(tmp_path: Path) -> None:
    """The same event, source, target and guard twice is one transition too many."""
    change = lambda d: d["transitions"].append(dict(d["transitions"][0]))  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at transitions[15]: duplicates transitions[0] ('apply' from 'none' "
        "to 'applied')"
    ]


def test_same_event_with_different_guards_is_not_a_duplicate() -> None:
    """rvv_confirm appeal->... twice with different targets and guards is fine (fixture)."""
    assert problems(VALID) == []


def test_duplicate_state_id(tmp_path: Path) -> None:
    """Two states with one id are reported."""

    def change(data: dict[str, Any]) -> None:
        data["states"].append(dict(data["states"][1]))

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert "procedure.yaml at states[9].id: duplicate state id 'applied'" in found


def test_duplicate_event_id_across_files(tmp_path: Path) -> None:
    """An event defined in two events files is reported at the second."""
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    (folder / "more_events.yaml").write_text(
        "kind: events\nevents:\n  - {id: apply, labels: {nl: x, en: x}}\n", encoding="utf-8"
    )
    found = problems(folder)
    assert found == [
        "more_events.yaml at events[0]: duplicate event id 'apply' (first in events.yaml)"
    ]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    """A mapping key given twice (YAML keeps the last silently) is reported with its line."""
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    path = folder / "procedure.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "guards:\n",
        "guards:\n  subsequent:\n    labels: {nl: a, en: a}\n"
        "    when: {always: true}\n    source: brochure §2.2\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    found = problems(folder)
    assert len(found) == 1
    assert "key 'subsequent' is given twice" in found[0]
    assert found[0].startswith("procedure.yaml at line ")


def test_duplicate_rule_id(tmp_path: Path) -> None:
    """A rule id names one rule of the whole catalogue."""
    change = lambda d: d["entitlements"][1]["rules"][0].update(rule="appeal-30-days")  # noqa: E731
    found = problems(broken_copy(tmp_path, "entitlements.yaml", change))
    assert found == [
        "entitlements.yaml at entitlements[1].rules[0].rule: rule id 'appeal-30-days' is "
        "already used at deadlines.yaml deadlines[0].periods[1]"
    ]


# -- labels and sources ------------------------------------------------------------------


def test_blank_label(tmp_path: Path) -> None:
    """A label of only spaces is empty."""
    change = lambda d: d["states"][2]["labels"].update(en="   ")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == ["procedure.yaml at states[2].labels.en: the 'en' label is empty"]


def test_missing_label_language(tmp_path: Path) -> None:
    """A label without English is a schema problem."""
    change = lambda d: d["events"][0]["labels"].pop("en")  # noqa: E731
    found = problems(broken_copy(tmp_path, "events.yaml", change))
    assert found == ["events.yaml at events[0].labels.en: Field required"]


def test_placeholder_source_on_transition(tmp_path: Path) -> None:
    """A transition citing 'TODO' has no source."""
    change = lambda d: d["transitions"][3].update(source="TODO")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert len(found) == 1
    assert found[0].startswith("procedure.yaml at transitions[3].source: source 'TODO' is a")


def test_placeholder_source_on_deadline_period(tmp_path: Path) -> None:
    """A deadline period citing '???' has no source."""
    change = lambda d: d["deadlines"][0]["periods"][0].update(source="???")  # noqa: E731
    found = problems(broken_copy(tmp_path, "deadlines.yaml", change))
    assert len(found) == 1
    assert found[0].startswith("deadlines.yaml at deadlines[0].periods[0].source:")


def test_placeholders_are_recognised() -> None:
    """TODO, tbd, ?-only texts are placeholders; real citations are not."""
    assert is_placeholder("TODO")
    assert is_placeholder("tbd: find the article")
    assert is_placeholder(" ??? ")
    assert not is_placeholder("brochure §2.4")
    assert not is_placeholder('opvang "Code 207 no show"')
    assert not is_placeholder("law: Vw. art. 39/57")


# -- cross-references --------------------------------------------------------------------


def test_transition_event_not_declared(tmp_path: Path) -> None:
    """Every transition event is declared in an events file."""
    change = lambda d: d["transitions"][7].update(event="grant_refugee")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at transitions[7].event: unknown event 'grant_refugee'; "
        "did you mean 'grant_refugee_status'?"
    ]


def test_emitted_event_not_declared(tmp_path: Path) -> None:
    """Events a transition emits are declared too."""
    change = lambda d: d["transitions"][7].update(emits=["status_granted"])  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert len(found) == 1
    assert found[0].startswith("procedure.yaml at transitions[7].emits[0]: unknown event")


def test_guard_not_defined(tmp_path: Path) -> None:
    """Guard and unless name guards of the machine."""

    def change(data: dict[str, Any]) -> None:
        data["transitions"][4]["guard"] = "subsequant"
        data["transitions"][3]["unless"] = "nothing_like_it"

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert (
        "procedure.yaml at transitions[4].guard: guard 'subsequant' is not defined under "
        "'guards' of this machine; did you mean 'subsequent'?"
    ) in found
    assert any(
        p.startswith("procedure.yaml at transitions[3].unless: guard 'nothing") for p in found
    )
    assert len(found) == 2


def test_timer_is_not_a_deadline(tmp_path: Path) -> None:
    """A timer names a deadline."""
    change = lambda d: d["transitions"][14].update(timer="appeal_deadlin")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at transitions[14].timer: unknown deadline 'appeal_deadlin'; "
        "did you mean 'appeal_deadline'?"
    ]


def test_timer_event_differs_from_on_expiry(tmp_path: Path) -> None:
    """The timer's deadline fires the transition's own event on expiry."""
    change = lambda d: d["deadlines"][0].update(on_expiry="refuse")  # noqa: E731
    found = problems(broken_copy(tmp_path, "deadlines.yaml", change))
    assert found == [
        "procedure.yaml at transitions[14].timer: deadline 'appeal_deadline' fires 'refuse' "
        "on expiry, but this transition waits for 'appeal_period_expired'; make them the "
        "same event"
    ]


def test_unknown_documents_of_states_and_transitions(tmp_path: Path) -> None:
    """Documents issued by states and transitions exist in documents files."""

    def change(data: dict[str, Any]) -> None:
        data["states"][2]["documents"] = ["bijlage_25"]
        data["transitions"][14]["documents"] = ["bvg"]

    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at states[2].documents[0]: unknown document 'bijlage_25'; "
        "did you mean 'bijlage_26'?",
        "procedure.yaml at transitions[14].documents[0]: unknown document 'bvg'; "
        "did you mean 'bgv'?",
    ]


def test_unknown_actor(tmp_path: Path) -> None:
    """The actor of a state is in the actors list."""
    change = lambda d: d["states"][4].update(actor="cgrs")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at states[4].actor: unknown actor 'cgrs' (not in the actors list); "
        "did you mean 'cgvs'?"
    ]


def test_undeclared_phase(tmp_path: Path) -> None:
    """The phase of a state is declared under 'phases'."""
    change = lambda d: d["states"][7].update(phase="appeals")  # noqa: E731
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at states[7].phase: phase 'appeals' is not declared under 'phases'; "
        "did you mean 'appeal'?"
    ]


def test_deadline_events_not_declared(tmp_path: Path) -> None:
    """met_by, cancelled_by and starts events of a deadline exist."""

    def change(data: dict[str, Any]) -> None:
        deadline = data["deadlines"][0]
        deadline["met_by"] = ["appeal_lodged"]
        deadline["cancelled_by"] = ["annul"]
        deadline["starts"]["events"] = ["refuse", "inadmissible"]

    found = problems(broken_copy(tmp_path, "deadlines.yaml", change))
    wheres = [p.split(":")[0] for p in found]
    assert wheres == [
        "deadlines.yaml at deadlines[0].starts.events[1]",
        "deadlines.yaml at deadlines[0].met_by[0]",
        "deadlines.yaml at deadlines[0].cancelled_by[0]",
    ]


def test_state_condition_names_unknown_machine_and_state(tmp_path: Path) -> None:
    """`state` conditions name known machines and states of them."""

    def change(data: dict[str, Any]) -> None:
        data["entitlements"][0]["rules"][0]["when"]["any"][0] = {
            "state": {"procedure": ["applied", "lodgd"], "reseption": ["none"]}
        }

    found = problems(broken_copy(tmp_path, "entitlements.yaml", change))
    assert found == [
        "entitlements.yaml at entitlements[0].rules[0].when.any[0].state.procedure[1]: "
        "unknown state 'lodgd' of machine 'procedure'; did you mean 'lodged'?",
        "entitlements.yaml at entitlements[0].rules[0].when.any[0].state.reseption: "
        "unknown machine 'reseption'; known machines: procedure",
    ]


def test_entered_from_condition_names_unknown_state(tmp_path: Path) -> None:
    """`entered_from` in a guard names states of the machine."""
    change = lambda d: d["guards"]["appealed_refugee"]["when"]["entered_from"].update(  # noqa: E731
        procedure=["refugees"]
    )
    found = problems(broken_copy(tmp_path, "procedure.yaml", change))
    assert found == [
        "procedure.yaml at guards.appealed_refugee.when.entered_from.procedure[0]: "
        "unknown state 'refugees' of machine 'procedure'; did you mean 'refugee'?"
    ]


def test_holds_deadline_and_event_conditions(tmp_path: Path) -> None:
    """`holds` names a document, `deadline` a deadline, `happened` events."""

    def change(data: dict[str, Any]) -> None:
        data["entitlements"][1]["rules"][0]["when"]["all"] = [
            {"holds": "erkenning"},
            {"deadline": {"id": "appeal_term", "status": "open"}},
            {"not": {"happened": {"event": ["rvv_confirmed"]}}},
        ]

    found = problems(broken_copy(tmp_path, "entitlements.yaml", change))
    wheres = [p.split(": ")[0] for p in found]
    assert wheres == [
        "entitlements.yaml at entitlements[1].rules[0].when.all[0].holds",
        "entitlements.yaml at entitlements[1].rules[0].when.all[1].deadline.id",
        "entitlements.yaml at entitlements[1].rules[0].when.all[2].not.happened.event[0]",
    ]
    assert "unknown document 'erkenning'" in found[0]
    assert "unknown deadline 'appeal_term'" in found[1]
    assert "did you mean 'rvv_confirm'?" in found[2]


def test_events_file_with_yaml_error_does_not_flood_references(tmp_path: Path) -> None:
    """An events file that is not valid YAML gives one problem, not one per event use."""
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    path = folder / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - {id: [\n", encoding="utf-8")
    found = problems(folder)
    assert len(found) == 1
    assert "not valid YAML" in found[0]


def test_broken_machine_file_does_not_flood_state_conditions(tmp_path: Path) -> None:
    """When a machine file fails its schema, conditions naming it are not also reported."""
    folder = broken_copy(tmp_path, "procedure.yaml", lambda d: d.update(initial=None))
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith("procedure.yaml at initial:")
