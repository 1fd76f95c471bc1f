"""``asylum-sim whatif``: option parsing, edits of a scenario, comparison, sweep, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from asylum_sim.cli.main import app
from asylum_sim.model.common import Unit
from asylum_sim.model.errors import InputError
from asylum_sim.whatif.compare import compare_status
from asylum_sim.whatif.edits import (
    Edits,
    EventRef,
    Offset,
    apply_edits,
    parse_add,
    parse_drop,
    parse_edits,
    parse_shift,
    parse_sweep,
)
from asylum_sim.whatif.sweep import find_flips

ROOT = Path(__file__).resolve().parents[1]
REFUSAL = ROOT / "scenarios" / "refusal-no-appeal-2025.yaml"
REFUGEE = ROOT / "scenarios" / "refugee-sy-2023.yaml"

runner = CliRunner()

TO_CGVS = [
    {"date": "2025-03-03", "event": "apply"},
    {"date": "2025-03-04", "event": "register"},
    {"date": "2025-03-04", "event": "assign_reception", "kind": "collective"},
    {"date": "2025-03-05", "event": "arrive"},
    {"date": "2025-03-20", "event": "lodge"},
    {"date": "2025-04-10", "event": "transfer_to_cgvs"},
]
APPEAL_CASE = {
    "id": "appeal-case",
    "person": {"birth_date": "1990-06-15", "nationality": "GN", "region": "brussels"},
    "events": [
        *TO_CGVS,
        {"date": "2025-07-01", "event": "refuse", "notification": "handed"},
        {"date": "2025-07-30", "event": "appeal", "by": "applicant"},
    ],
}
"""Refused 3 months 11 days after lodging (within 4 months: no right to work), appealed."""


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def write(tmp_path: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def whatif(*args: str) -> Any:
    return runner.invoke(app, ["whatif", *args])


def whatif_json(*args: str) -> dict[str, Any]:
    result = whatif(*args, "--format", "json")
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def diff(report: dict[str, Any], field: str) -> dict[str, Any] | None:
    return next((x for x in report["differences"] if x["field"] == field), None)


# -- parsing ------------------------------------------------------------------------------


def test_shift_parses_event_and_signed_offset() -> None:
    """``refuse=+30d`` is the first refuse moved 30 calendar days later."""
    shift = parse_shift("refuse=+30d")
    assert shift.ref == EventRef("refuse", 1)
    assert shift.offset == Offset(30, Unit.days)


def test_shift_parses_nth_occurrence_and_every_unit() -> None:
    """``EVENT#N`` picks the N-th occurrence; units d, wd, m, y; no sign means later."""
    assert parse_shift("appeal#2=-5wd").ref == EventRef("appeal", 2)
    assert parse_shift("appeal#2=-5wd").offset == Offset(-5, Unit.working_days)
    assert parse_shift("lodge=-2m").offset == Offset(-2, Unit.months)
    assert parse_shift("lodge=1y").offset == Offset(1, Unit.years)


@pytest.mark.parametrize("text", ["refuse", "refuse=30", "refuse=+30x", "Refuse=+1d",
                                  "refuse#0=+1d", "=+1d"])
def test_malformed_shift_says_the_expected_form(text: str) -> None:
    """A malformed --shift names the option and shows the expected form with an example."""
    with pytest.raises(InputError) as exc:
        parse_shift(text)
    assert "--shift" in str(exc.value)
    assert "refuse=+30d" in str(exc.value)


def test_drop_parses_reference() -> None:
    """``--drop appeal#2`` names the second appeal."""
    assert parse_drop("appeal#2") == EventRef("appeal", 2)


def test_add_parses_date_event_and_typed_attributes() -> None:
    """``--add`` values: true/false are booleans, digits integers, ISO dates dates."""
    add = parse_add("2022-10-03:start_employment:contract=indefinite,months=12,"
                    "income_above_leefloon=true,until=2023-01-01")
    assert add.date == d("2022-10-03")
    assert add.event == "start_employment"
    assert add.attributes == {"contract": "indefinite", "months": 12,
                              "income_above_leefloon": True, "until": d("2023-01-01")}


@pytest.mark.parametrize("text", ["2025-13-01:appeal", "appeal", "2025-12-01:",
                                  "2025-12-01:appeal:by", "2025-12-01:appeal:by=x,by=y"])
def test_malformed_add_is_an_input_error(text: str) -> None:
    """A malformed --add is refused with a message naming the option."""
    with pytest.raises(InputError) as exc:
        parse_add(text)
    assert "--add" in str(exc.value)


def test_sweep_range_includes_both_ends() -> None:
    """``-60d..+60d/15d`` gives 9 shifts, -60d and +60d included."""
    sweep = parse_sweep("refuse=-60d..+60d/15d")
    offsets = [str(o) for o in sweep.offsets()]
    assert offsets[0] == "-60d" and offsets[-1] == "+60d" and len(offsets) == 9


@pytest.mark.parametrize("text", ["refuse=-60d..+60wd/15d", "refuse=-60d..+60d/0d",
                                  "refuse=+60d..-60d/15d", "refuse=-60d+60d/15d",
                                  "refuse=-1y..+1y/1y"])
def test_bad_sweep_is_refused(text: str) -> None:
    """Mixed units, a zero step, a reversed range, a missing '..' or years are errors."""
    with pytest.raises(InputError) as exc:
        parse_sweep(text)
    assert "--sweep" in str(exc.value)


# -- dates --------------------------------------------------------------------------------


def test_working_days_back_skips_weekend_and_holiday() -> None:
    """One working day before Tue 2/1/2024 is Fri 29/12/2023 (1/1 is a holiday)."""
    assert Offset(-1, Unit.working_days).apply(d("2024-01-02")) == d("2023-12-29")
    assert Offset(-1, Unit.working_days).apply(d("2025-12-01")) == d("2025-11-28")


def test_offsets_in_months_and_working_days_forward() -> None:
    """-1m from 31/3 is 28/2 (month end); +1wd from Friday is Monday."""
    assert Offset(-1, Unit.months).apply(d("2025-03-31")) == d("2025-02-28")
    assert Offset(1, Unit.working_days).apply(d("2025-11-28")) == d("2025-12-01")


# -- edits on a scenario ------------------------------------------------------------------


def test_edits_apply_drops_shifts_and_adds(make_case, defs) -> None:
    """Drop, shift and add together; the scenario itself is left unchanged."""
    case = make_case(*[(e["date"], e["event"], {k: v for k, v in e.items()
                                                  if k not in ("date", "event")})
                       for e in TO_CGVS], ("2025-07-01", "refuse"))
    edits = parse_edits(["refuse=+10d"], ["transfer_to_cgvs"], ["2025-04-01:transfer_to_cgvs"])
    variant = apply_edits(case, edits, defs)
    events = [(str(e.date), e.event) for e in variant.events]
    assert ("2025-04-10", "transfer_to_cgvs") not in events
    assert ("2025-07-11", "refuse") in events
    assert events[-1] == ("2025-04-01", "transfer_to_cgvs")
    assert len(case.events) == 7


def test_shift_without_number_moves_the_first_occurrence(make_case, defs) -> None:
    """Without #N the FIRST occurrence (in case order) moves; #2 moves the second."""
    case = make_case(("2025-03-03", "apply"), ("2025-03-04", "register"),
                     ("2025-03-10", "dvz_interview"), ("2025-03-01", "dvz_interview"))
    first = apply_edits(case, parse_edits(["dvz_interview=+1d"], [], []), defs)
    assert [str(e.date) for e in first.events if e.event == "dvz_interview"] == [
        "2025-03-10", "2025-03-02"]
    second = apply_edits(case, parse_edits(["dvz_interview#2=+1d"], [], []), defs)
    assert [str(e.date) for e in second.events if e.event == "dvz_interview"] == [
        "2025-03-11", "2025-03-01"]


def test_added_event_goes_after_same_day_events(make_case, defs) -> None:
    """An added event is taken after the scenario's events of the same day."""
    case = make_case(*[(e["date"], e["event"], {k: v for k, v in e.items()
                                                  if k not in ("date", "event")})
                       for e in TO_CGVS[:2]])
    variant = apply_edits(case, parse_edits([], [], ["2025-03-04:assign_reception:"
                                                     "kind=individual"]), defs)
    ordered = [e.event for _, e in variant.ordered_events()]
    assert ordered == ["apply", "register", "assign_reception"]
    assert variant.events[-1].attributes == {"kind": "individual"}


def test_missing_occurrence_is_an_input_error(make_case, defs) -> None:
    """``lodge#2`` when the case lodges once: says how many there are."""
    case = make_case(("2025-03-03", "apply"))
    with pytest.raises(InputError) as exc:
        apply_edits(case, parse_edits([], ["apply#2"], []), defs)
    assert "occurs only once" in str(exc.value)


def test_unknown_event_suggests_the_closest(make_case, defs) -> None:
    """A misspelt event name gets a 'did you mean'."""
    case = make_case(("2025-03-03", "apply"), ("2025-03-04", "register"))
    with pytest.raises(InputError) as exc:
        apply_edits(case, parse_edits(["registr=+1d"], [], []), defs)
    assert "unknown event 'registr'" in str(exc.value)
    assert "did you mean 'register'" in str(exc.value)


def test_event_absent_from_case_lists_its_events(make_case, defs) -> None:
    """A known event the case does not contain: the message lists the case's events."""
    case = make_case(("2025-03-03", "apply"))
    with pytest.raises(InputError) as exc:
        apply_edits(case, parse_edits(["refuse=+1d"], [], []), defs)
    assert "no 'refuse' event" in str(exc.value) and "apply" in str(exc.value)


def test_added_event_is_checked_against_the_catalogue(make_case, defs) -> None:
    """An added event with a wrong attribute value is refused before any replay."""
    case = make_case(("2025-03-03", "apply"))
    with pytest.raises(InputError) as exc:
        apply_edits(case, parse_edits([], [], ["2025-03-04:assign_reception:kind=tent"]), defs)
    assert "--add" in str(exc.value) and "kind" in str(exc.value)


def test_dropping_every_event_is_an_input_error(make_case, defs) -> None:
    """A variant without events is refused with a clear message."""
    case = make_case(("2025-03-03", "apply"))
    with pytest.raises(InputError, match="no events left"):
        apply_edits(case, Edits(drops=(EventRef("apply"),)), defs)


# -- comparing status dicts ---------------------------------------------------------------


def _status(**parts: Any) -> dict[str, Any]:
    return {"case": "c", "on": "2025-01-01", "states": {}, "documents": [], "deadlines": [],
            "entitlements": [], "warnings": [], "problems": [], **parts}


def test_compare_reports_states_and_list_items_by_id() -> None:
    """A changed state, an entitlement only in the variant and a moved due date differ."""
    ent = {"id": "work_employee", "since": "2025-07-20", "until": None, "rule": "r",
           "source": "brochure §6.1", "why": "w", "label": "x"}
    dl = {"id": "appeal_deadline", "due": "2025-12-29", "status": "open", "rule": "a",
          "source": "s", "label": "x"}
    base = _status(states={"procedure": "refused"}, deadlines=[dl])
    variant = _status(states={"procedure": "appeal"}, entitlements=[ent],
                      deadlines=[{**dl, "due": "2026-01-27"}])
    found = compare_status(base, variant)
    assert [f["field"] for f in found] == ["states.procedure", "deadlines.appeal_deadline",
                                           "entitlements.work_employee"]
    assert found[2]["baseline"] is None and found[2]["variant"] == ent
    assert found[2]["rule"] == "r" and found[2]["source"] == "brochure §6.1"


def test_compare_ignores_labels_and_unmeaningful_fields() -> None:
    """Only meaningful fields count: a different label or start is no difference."""
    dl = {"id": "x", "due": "2025-12-29", "status": "open", "start": "2025-01-01",
          "label": "a"}
    found = compare_status(_status(deadlines=[dl]),
                           _status(deadlines=[{**dl, "label": "b", "start": "2025-01-02"}]))
    assert found == []


def test_compare_numbers_repeated_ids() -> None:
    """A deadline started twice is compared occurrence by occurrence (``id#2``)."""
    one = {"id": "x", "due": "2025-01-10", "status": "met"}
    two = {"id": "x", "due": "2025-02-10", "status": "open"}
    found = compare_status(_status(deadlines=[one, two]), _status(deadlines=[one]))
    assert [f["field"] for f in found] == ["deadlines.x#2"]
    assert found[0]["variant"] is None


def test_flips_mark_first_shift_with_new_value() -> None:
    """A flip is reported at the first shift showing the new value."""
    def row(shift: str, ents: list[str], impossible: str | None = None) -> dict[str, Any]:
        status = _status(entitlements=[{"id": e, "rule": "r"} for e in ents])
        return {"shift": shift, "date": "2025-01-01", "impossible": impossible,
                "_status": status}

    flips = find_flips([row("-1d", []), row("+0d", ["w"]), row("+1d", ["w"]),
                        row("+2d", [], "boom")])
    assert [(f["field"], f["shift"], f["before"], f["after"]) for f in flips] == [
        ("entitlements.w", "+0d", None, "r"), ("variant", "+2d", "possible", "impossible")]


# -- end to end ---------------------------------------------------------------------------


def test_shift_refusal_moves_appeal_deadline() -> None:
    """Refusal 30 days later: the appeal deadline and the BGV move with it."""
    report = whatif_json(str(REFUSAL), "--shift", "refuse=+30d")
    assert set(report) >= {"baseline", "variant", "differences"}
    found = diff(report, "deadlines.appeal_deadline")
    assert found is not None
    assert found["baseline"]["due"] == "2025-12-29"
    assert found["variant"]["due"] == "2026-01-27"
    assert found["rule"] and found["source"]


def test_default_date_is_the_last_either_timeline_reaches() -> None:
    """Without --on both sides are compared on the later of the two last steps."""
    late = whatif_json(str(REFUSAL), "--shift", "refuse=+30d")
    early = whatif_json(str(REFUSAL), "--shift", "refuse=-30d")
    assert late["baseline"]["on"] == late["variant"]["on"] == late["on"]
    assert late["on"] > early["on"]


def test_on_sets_the_comparison_date() -> None:
    """--on compares both sides at the end of that day."""
    report = whatif_json(str(REFUSAL), "--shift", "refuse=+30d", "--on", "2025-12-01")
    assert report["baseline"]["on"] == report["variant"]["on"] == "2025-12-01"
    assert diff(report, "states.procedure") == {
        "field": "states.procedure", "baseline": "refused", "variant": "at_cgvs",
        **{k: diff(report, "states.procedure")[k] for k in ("rule", "source", "why")}}


def test_add_an_appeal_keeps_the_procedure_open() -> None:
    """Adding an appeal in time: the variant is in appeal, the baseline finally refused."""
    report = whatif_json(str(REFUSAL), "--add", "2025-12-15:appeal:by=applicant")
    found = diff(report, "states.procedure")
    assert found is not None
    assert (found["baseline"], found["variant"]) == ("finally_refused", "appeal")
    assert found["source"]


def test_drop_combined_with_shift_and_add(tmp_path: Path) -> None:
    """Drop, shift and add together in one variant."""
    path = write(tmp_path, APPEAL_CASE)
    report = whatif_json(str(path), "--drop", "appeal", "--shift", "refuse=+5d",
                         "--add", "2025-07-20:appeal", "--on", "2025-08-01")
    assert report["variant"]["states"]["procedure"] == "appeal"
    assert report["edits"] == ["--drop appeal", "--shift refuse=+5d",
                               "--add 2025-07-20:appeal"]


def test_shift_on_the_refugee_scenario() -> None:
    """Lodging 10 days later on the shipped refugee case: the wait for work moves too."""
    report = whatif_json(str(REFUGEE), "--shift", "lodge=+10d")
    found = diff(report, "deadlines.work_access")
    assert found is not None and found["variant"]["due"] == "2023-06-11"


def test_dropping_lodge_makes_the_variant_impossible() -> None:
    """A variant the machines cannot follow is reported (exit 4), not a crash."""
    result = whatif(str(REFUSAL), "--drop", "lodge", "--format", "json")
    assert result.exit_code == 4
    report = json.loads(result.stdout)
    assert report["variant"] is None
    assert report["impossible"].startswith("the variant is impossible: ")
    assert "transfer_to_cgvs" in report["impossible"] and "registered" in report["impossible"]
    assert report["baseline"]["states"]["procedure"] == "finally_refused"


def test_refusal_after_the_appeal_is_impossible_in_table(tmp_path: Path) -> None:
    """Moving the refusal after the appeal: the table names the event, date and states."""
    path = write(tmp_path, APPEAL_CASE)
    result = whatif(str(path), "--shift", "refuse=+60d", "--lang", "en")
    assert result.exit_code == 4
    assert "THE VARIANT IS IMPOSSIBLE" in result.stdout
    out = " ".join(result.stdout.split())
    assert "On 2025-07-30 appeal to the RvV is not possible: international protection " \
        "procedure: examination by the CGVS" in out
    assert "Possible then: personal interview at the CGVS" in out
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unknown_event_is_exit_2_with_suggestion() -> None:
    """An unknown event name is an InputError (exit 2) with a suggestion."""
    result = whatif(str(REFUSAL), "--shift", "refuze=+30d")
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    assert "did you mean 'refuse'" in str(result.exception)


def test_malformed_option_is_an_input_error() -> None:
    """A malformed option is an InputError showing the expected form."""
    result = whatif(str(REFUSAL), "--add", "tomorrow:appeal")
    assert isinstance(result.exception, InputError)
    assert "DATE:EVENT" in str(result.exception)


def test_missing_nth_occurrence_from_the_cli() -> None:
    """``refuse#2`` in a case with one refusal is an InputError."""
    result = whatif(str(REFUSAL), "--drop", "refuse#2")
    assert isinstance(result.exception, InputError)
    assert "no occurrence #2" in str(result.exception)


def test_no_edit_is_an_input_error() -> None:
    """whatif without any edit says what to give."""
    result = whatif(str(REFUSAL))
    assert isinstance(result.exception, InputError)
    assert "--shift" in str(result.exception)


def test_shift_across_a_dated_rule_start(tmp_path: Path) -> None:
    """Employment before 14/11/2022: the mandatory lifting holds only from that date;
    shifted past it, from the start of the employment."""
    data = {
        "id": "worker-2022",
        "person": {"nationality": "GN", "region": "flanders"},
        "events": [
            {"date": "2022-06-01", "event": "apply"},
            {"date": "2022-06-02", "event": "register"},
            {"date": "2022-06-02", "event": "assign_reception", "kind": "collective"},
            {"date": "2022-06-03", "event": "arrive"},
            {"date": "2022-06-10", "event": "lodge"},
            {"date": "2022-07-01", "event": "transfer_to_cgvs"},
            {"date": "2022-10-03", "event": "start_employment", "contract": "indefinite",
             "income_above_leefloon": True},
        ],
    }
    path = write(tmp_path, data)
    report = whatif_json(str(path), "--shift", "start_employment=+60d", "--on", "2022-12-15")
    found = diff(report, "entitlements.code_207_lifting_mandatory")
    assert found is not None
    assert found["baseline"]["since"] == "2022-11-14"
    assert found["variant"]["since"] == "2022-12-02"


def test_sweep_over_refusal_finds_when_work_appears(tmp_path: Path) -> None:
    """Refused within 4 months of lodging: no right to work during the appeal; the sweep
    shows from which shift of the refusal the right to work appears."""
    path = write(tmp_path, APPEAL_CASE)
    report = whatif_json(str(path), "--sweep", "refuse=+10d..+25d/5d", "--on", "2025-10-01")
    assert [r["shift"] for r in report["sweep"]] == ["+10d", "+15d", "+20d", "+25d"]
    assert "work_employee" not in {e["id"] for e in report["baseline"]["entitlements"]}
    flip = next(f for f in report["flips"] if f["field"] == "entitlements.work_employee")
    assert flip["before"] is None and flip["after"] == "work-applicant-after-4-months"
    assert flip["shift"] == "+20d" and flip["date"] == "2025-07-21"
    assert flip["source"]


def test_sweep_reports_impossible_shifts_as_rows(tmp_path: Path) -> None:
    """Shifts that put the refusal after the appeal are rows marked impossible."""
    path = write(tmp_path, APPEAL_CASE)
    report = whatif_json(str(path), "--sweep", "refuse=+0d..+40d/20d")
    rows = {r["shift"]: r for r in report["sweep"]}
    assert rows["+0d"]["impossible"] is None
    assert rows["+40d"]["impossible"] and rows["+40d"]["states"] is None
    assert any(f["field"] == "variant" and f["after"] == "impossible" for f in report["flips"])


def test_sweep_table_lists_flips(tmp_path: Path) -> None:
    """The sweep table has one row per shift and the flips underneath."""
    path = write(tmp_path, APPEAL_CASE)
    result = whatif(str(path), "--sweep", "refuse=+10d..+25d/5d", "--on", "2025-10-01",
                    "--lang", "en")
    assert result.exit_code == 0, result.exception
    out = " ".join(result.stdout.split())
    assert "+ work as an employee" in out
    assert "Flips:" in out
    assert "work as an employee: absent → holds (rule work-applicant-after-4-months) from " \
        "+20 days (2025-07-21)" in out
    assert "work_employee" not in out


def test_table_marks_differences_with_rule_in_80_columns() -> None:
    """The table marks differences with ≠, names their rules, no colour, 80 columns."""
    result = whatif(str(REFUSAL), "--shift", "refuse=+30d", "--lang", "en")
    assert result.exit_code == 0, result.exception
    assert "≠" in result.stdout and "appeal-30-days" in result.stdout
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_output_is_deterministic() -> None:
    """Same input, same bytes."""
    args = (str(REFUSAL), "--shift", "refuse=+30d", "--format", "json")
    assert whatif(*args).stdout == whatif(*args).stdout
