"""Expected outcomes in scenario files: validation, verdicts, ``asylum-sim test`` and the
pytest plugin (one code path for both)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asylum_sim.cli.main import app
from asylum_sim.expect.outcomes import CaseRunner, Verdict
from asylum_sim.model.errors import InputError
from asylum_sim.model.scenario_file import parse_scenario
from conftest import ROOT

SCENARIO = """\
id: refusal
person: {birth_date: 1990-06-15}
events:
  - {date: 2025-03-03, event: apply}
  - {date: 2025-03-04, event: register}
  - {date: 2025-03-20, event: lodge}
  - {date: 2025-04-10, event: transfer_to_cgvs}
  - {date: 2025-11-28, event: refuse, notification: handed}
"""

HOLDS = """\
expect:
  - on: 2025-12-29
    states: {procedure: refused}
    deadlines: {appeal_deadline: {due: 2025-12-29, status: open}}
    documents: [bgv]
    possible: [appeal]
  - on: 2025-12-30
    states: {procedure: finally_refused}
    not_entitlements: [stay_during_procedure]
    not_possible: [appeal]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASYLUM_SIM_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "asylum_sim", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=False)


def parse(text: str, defs):
    """A scenario from YAML text, read as the loader reads files (dates stay text)."""
    import yaml

    from asylum_sim.model.loader import _SafeLoaderTextDates

    return parse_scenario(yaml.load(text, Loader=_SafeLoaderTextDates), defs, "case.yaml")


def outcomes(text: str, defs, sim) -> list:
    return CaseRunner(sim, parse(text, defs), "case.yaml").run()


# -- the format -----------------------------------------------------------------------------
def test_the_bare_key_on_is_read_as_the_date_key(defs) -> None:
    """YAML 1.1 reads ``on:`` as true; the expectation still gets its date."""
    scenario = parse(SCENARIO + HOLDS, defs)
    assert [str(e.on) for e in scenario.expect] == ["2025-12-29", "2025-12-30"]


@pytest.mark.parametrize(("expect", "where", "words"), [
    ("  - on: 2025-12-29\n    states: {procedur: refused}\n", "expect[0] (2025-12-29).states",
     "unknown machine 'procedur'; did you mean 'procedure'?"),
    ("  - on: 2025-12-29\n    states: {procedure: refusd}\n",
     "expect[0] (2025-12-29).states.procedure", "did you mean 'refused'?"),
    ("  - on: 2025-12-29\n    documents: [bgvv]\n", "expect[0] (2025-12-29).documents",
     "unknown document 'bgvv'; did you mean 'bgv'?"),
    ("  - on: 2025-12-29\n    deadlines: {apeal_deadline: {status: open}}\n",
     "expect[0] (2025-12-29).deadlines", "did you mean 'appeal_deadline'?"),
    ("  - on: 2025-12-29\n    not_entitlements: [leeflon]\n",
     "expect[0] (2025-12-29).not_entitlements", "did you mean 'leefloon'?"),
    ("  - on: 2025-12-29\n    possible: [apeal]\n", "expect[0] (2025-12-29).possible",
     "unknown scenario event 'apeal'"),
    ("  - on: 2025-02-30\n    states: {procedure: refused}\n", "expect[0].on",
     "valid date"),
    ("  - on: 2025-12-29\n", "expect[0]", "expects nothing"),
    ("  - on: 2025-12-29\n    deadlines: {appeal_deadline: {}}\n",
     "expect[0].deadlines.appeal_deadline", "give at least one of start, due, status"),
    ("  - on: 2025-12-29\n    deadlines: {appeal_deadline: {status: lapsed}}\n",
     "expect[0].deadlines.appeal_deadline.status", "'open', 'met', 'missed', 'expired'"),
])
def test_a_wrong_expectation_is_refused_with_its_place(defs, expect, where, words) -> None:
    """Unknown ids (with the closest known one), impossible dates and empty expectations
    are refused with the file and the place in it."""
    with pytest.raises(InputError) as info:
        parse(SCENARIO + "expect:\n" + expect, defs)
    (problem,) = info.value.problems
    assert problem.file == "case.yaml" and problem.where == where
    assert words in problem.message


# -- verdicts -------------------------------------------------------------------------------
def test_expectations_that_hold(defs, sim) -> None:
    """The last day of the appeal term and the day after, as the sources say."""
    found = outcomes(SCENARIO + HOLDS, defs, sim)
    assert [(o.name, o.verdict) for o in found] == [
        ("2025-12-29", Verdict.holds), ("2025-12-30", Verdict.holds)]


def test_a_wrong_expectation_fails_saying_what_came_out(defs, sim) -> None:
    found = outcomes(SCENARIO + "expect:\n  - on: 2025-12-30\n    states: {procedure: refused}\n"
                     "    deadlines: {appeal_deadline: {due: 2025-12-28}}\n", defs, sim)
    (outcome,) = found
    assert outcome.verdict is Verdict.fails
    assert [(m.kind, m.expected, m.got) for m in outcome.mismatches] == [
        ("state", "refused", "finally_refused"), ("deadline", "2025-12-28", "2025-12-29")]


def test_a_known_defect_is_not_a_failure_until_it_holds(defs, sim) -> None:
    """A marked expectation that fails is a known defect; one that holds must lose its
    marker (it fails as "fixed")."""
    marked = ("  - on: 2025-12-29\n    states: {procedure: appeal}\n    defect: \"new: x\"\n"
              "  - on: 2025-12-29\n    states: {procedure: refused}\n    defect: \"new: y\"\n")
    first, second = outcomes(SCENARIO + "expect:\n" + marked, defs, sim)
    assert first.verdict is Verdict.known_defect and first.defect == "new: x"
    assert second.name == "2025-12-29#2" and second.verdict is Verdict.fixed
    assert second.verdict.is_failure and not first.verdict.is_failure


def test_a_case_that_cannot_be_simulated_fails_unless_marked_as_a_whole(defs, sim) -> None:
    """An event the model refuses fails the file; a file-level ``defect:`` makes it a
    known defect, and once the case runs with every expectation holding it is "fixed"."""
    refused = SCENARIO + "  - {date: 2025-12-01, event: rvv_confirm}\n" + HOLDS
    (outcome,) = outcomes(refused, defs, sim)
    assert outcome.name == "case" and outcome.verdict is Verdict.fails
    assert "not possible now" in outcome.error
    (outcome,) = outcomes('defect: "new: refused"\n' + refused, defs, sim)
    assert outcome.verdict is Verdict.known_defect
    (outcome,) = outcomes('defect: "new: fixed"\n' + SCENARIO + HOLDS, defs, sim)
    assert outcome.verdict is Verdict.fixed


def test_a_deadline_is_chosen_by_its_start_or_else_the_latest(defs, sim) -> None:
    found = outcomes(SCENARIO + "expect:\n  - on: 2025-12-29\n    deadlines:\n"
                     "      appeal_deadline: {start: 2025-11-01}\n", defs, sim)
    (mismatch,) = found[0].mismatches
    assert (mismatch.kind, mismatch.expected, mismatch.got) == (
        "no_deadline", "2025-11-01", "2025-11-28")


# -- asylum-sim test ------------------------------------------------------------------------
def test_the_shipped_scenarios_pass() -> None:
    """Done when: `asylum-sim test` passes on the shipped scenarios."""
    result = run_cli("test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fail: 0" in result.stdout and "fixed (remove the marker): 0" in result.stdout


def test_one_wrong_expectation_in_a_copy_fails_with_a_clear_line(tmp_path: Path) -> None:
    """Done when: it fails with a clear message on a copy with one wrong expectation."""
    text = (ROOT / "scenarios" / "refusal-no-appeal-2025.yaml").read_text(encoding="utf-8")
    wrong = text.replace("appeal_deadline: {due: 2025-12-29, status: open}}\n    entitlements:"
                         " [stay_during_procedure, work_employee]",
                         "appeal_deadline: {due: 2025-12-28, status: open}}\n    entitlements:"
                         " [stay_during_procedure, work_employee]")
    assert wrong != text
    path = write(tmp_path, "copy.yaml", wrong)
    result = run_cli("test", str(path), "--lang", "en")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{path} 2025-12-29: deadline appeal_deadline, last day: expected "
                        "2025-12-28, got 2025-12-29")
    assert lines[-1].startswith("files: 1 · expectations: 13 · hold: ")
    assert " · fail: 1 · " in lines[-1]
    assert "Traceback" not in result.stderr


def test_exit_codes_and_languages(tmp_path: Path) -> None:
    """0 all hold, 1 one fails or a marker is stale, 2 a file cannot be read; the report
    speaks the language asked."""
    good = write(tmp_path, "good.yaml", SCENARIO + HOLDS)
    fixed = write(tmp_path, "fixed.yaml", SCENARIO + HOLDS.replace(
        "not_possible: [appeal]\n", "not_possible: [appeal]\n    defect: \"new: done\"\n"))
    broken = write(tmp_path, "broken.yaml", SCENARIO + "expect:\n  - on: 2025-12-29\n")
    assert run_cli("test", str(good)).returncode == 0
    result = run_cli("test", str(fixed), "--lang", "fr")
    assert result.returncode == 1
    assert "corrigé, retirez le marqueur (new: done)" in result.stdout
    result = run_cli("test", str(tmp_path), "--lang", "nl")
    assert result.returncode == 2
    assert f"{broken} at expect[0]: expects nothing" in result.stdout
    assert "bestanden: 3" in result.stdout and "onleesbaar: 1" in result.stdout
    result = run_cli("test", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr


# -- pytest ---------------------------------------------------------------------------------
def test_pytest_collects_each_expectation_as_an_item(tmp_path: Path) -> None:
    """The plugin names items ``file.yaml::DATE``; a known defect is an expected failure, a
    wrong expectation a failure; YAML files without ``expect:`` are left alone."""
    write(tmp_path, "good.yaml", SCENARIO + HOLDS)
    write(tmp_path, "defect.yaml", SCENARIO + "expect:\n  - on: 2025-12-29\n"
          "    states: {procedure: appeal}\n    defect: \"new: x\"\n")
    write(tmp_path, "wrong.yaml", SCENARIO + "expect:\n  - on: 2025-12-29\n"
          "    states: {procedure: appeal}\n")
    write(tmp_path, "other.yaml", "events: 1\nsomething: else\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    out = result.stdout
    assert result.returncode == 1, out
    assert "PASSED good.yaml::2025-12-29" in out and "PASSED good.yaml::2025-12-30" in out
    assert "XFAIL defect.yaml::2025-12-29" in out
    assert "FAILED wrong.yaml::2025-12-29" in out
    assert "state of procedure: expected appeal, got refused" in out
    assert "other.yaml" not in out


def test_the_readme_test_command_collects_the_scenarios() -> None:
    """`pytest` (testpaths) runs the expectations of scenarios/ too."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-o", "addopts="],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert "scenarios/refugee-sy-2023.yaml::2023-01-09" in result.stdout
    assert "scenarios/refugee-sy-2023.yaml::2023-01-09#2" in result.stdout


def test_typer_knows_the_command() -> None:
    assert "test" in {c.name for c in app.registered_commands}
