"""The command line as a user meets it: outputs, exit codes, clear errors (no tracebacks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCENARIOS

REFUGEE = SCENARIOS / "refugee-sy-2023.yaml"
REFUSAL = SCENARIOS / "refusal-no-appeal-2025.yaml"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asylum_sim", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def assert_clear_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr, result.stderr


def test_status_json_has_the_contract_keys():
    result = cli("status", REFUGEE, "--on", "2023-06-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"] == "refugee-sy-2023" and data["on"] == "2023-06-01"
    assert data["states"] == {"procedure": "at_cgvs", "reception": "collective",
                              "residence": "applicant"}
    for item in data["documents"]:
        assert {"id", "label", "issued", "valid_until"} <= item.keys()
    work = next(d for d in data["deadlines"] if d["id"] == "work_access")
    assert (work["start"], work["due"]) == ("2023-02-01", "2023-06-01")
    assert {"status", "rule", "source"} <= work.keys()
    for item in data["entitlements"]:
        assert {"id", "kind", "label", "since", "until", "rule", "source"} <= item.keys()
    assert data["warnings"] == []


def test_replay_json_steps_carry_origin_and_are_deterministic(tmp_path):
    out = tmp_path / "replay.json"
    first = cli("replay", REFUSAL, "--format", "json", "-o", out)
    assert first.returncode == 0, first.stderr
    data = json.loads(out.read_text())
    assert set(data) >= {"case", "person", "steps"}
    origins = {s["origin"] for s in data["steps"]}
    assert origins == {"scenario", "timer", "internal"}
    for step in data["steps"]:
        assert {"date", "event", "origin", "states", "documents", "deadlines",
                "entitlements"} <= step.keys()
    second = cli("replay", REFUSAL, "--format", "json")
    assert second.stdout == out.read_text()


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_replay_renders_in_every_format_and_language(fmt):
    nl = cli("replay", REFUGEE, "--format", fmt, "--lang", "nl")
    en = cli("replay", REFUGEE, "--format", fmt, "--lang", "en")
    assert nl.returncode == en.returncode == 0
    assert "erkend vluchteling" in nl.stdout
    assert "recognised refugee" in en.stdout.lower()


def test_table_fits_an_80_column_terminal():
    result = cli("status", REFUGEE, "--on", "2023-10-01")
    assert result.returncode == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_schema_is_json_schema_with_event_names():
    result = cli("schema")
    schema = json.loads(result.stdout)
    events = schema["$defs"]["ScenarioEvent"]["properties"]["event"]["enum"]
    assert "lodge" in events and "appeal_period_expired" not in events


def bad_scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


def test_unknown_event_suggests_the_closest_name(tmp_path):
    path = bad_scenario(tmp_path, "events:\n  - {date: 2024-01-02, event: aply}\n")
    assert_clear_error(cli("replay", path), 2, "bad.yaml", "events[0]", "did you mean 'apply'")


def test_impossible_date_is_refused(tmp_path):
    path = bad_scenario(tmp_path, "events:\n  - {date: 2024-02-30, event: apply}\n")
    assert_clear_error(cli("replay", path), 2, "bad.yaml", "events[0].date")


def test_missing_field_is_refused(tmp_path):
    path = bad_scenario(tmp_path, "events:\n  - {event: apply}\n")
    assert_clear_error(cli("replay", path), 2, "events[0].date", "required")


def test_wrong_attribute_type_is_refused(tmp_path):
    path = bad_scenario(
        tmp_path,
        "events:\n  - {date: 2024-01-02, event: apply}\n  - {date: 2024-01-03, event: register}\n"
        "  - {date: 2024-01-03, event: assign_reception, kind: palace}\n",
    )
    assert_clear_error(cli("replay", path), 2, "events[2]", "kind")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = bad_scenario(tmp_path, "events:\n  - {date: 2024-01-02, event: apply\n")
    assert_clear_error(cli("replay", path), 2, "bad.yaml", "line")


def test_missing_file_and_bad_date_option():
    assert_clear_error(cli("replay", "nope.yaml"), 2, "nope.yaml")
    assert_clear_error(cli("status", REFUGEE, "--on", "01/06/2023"), 2, "YYYY-MM-DD")


def test_impossible_event_names_state_and_possible_events(tmp_path):
    path = bad_scenario(
        tmp_path, "events:\n  - {date: 2024-01-02, event: apply}\n"
        "  - {date: 2024-01-03, event: refuse}\n")
    result = cli("replay", path)
    assert_clear_error(result, 3, "refuse", "2024-01-03", "'applied'", "possible now", "register")


def test_lenient_records_the_problem_and_exits_zero(tmp_path):
    path = bad_scenario(
        tmp_path, "events:\n  - {date: 2024-01-02, event: apply}\n"
        "  - {date: 2024-01-03, event: refuse}\n")
    result = cli("replay", path, "--lenient", "--format", "json")
    assert result.returncode == 0
    assert "refuse" in json.loads(result.stdout)["problems"][0]


def test_output_file_is_not_left_half_written_on_error(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous")
    path = bad_scenario(tmp_path, "events:\n  - {date: 2024-01-02, event: aply}\n")
    cli("replay", path, "-o", out)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_input_scenario_is_never_modified(tmp_path):
    before = REFUGEE.read_bytes()
    cli("replay", REFUGEE, "--format", "json")
    assert REFUGEE.read_bytes() == before


def test_version_is_printed():
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("asylum-sim ")
