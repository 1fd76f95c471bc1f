"""The condition language: one home per operator, documented, checked where it is used,
with named conditions and explicit defaults and exceptions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from asylum_sim.analysis.check import check_folder
from asylum_sim.model.conditions import OPERATORS, Condition
from asylum_sim.model.conditions.events import happened_now
from asylum_sim.model.conditions.reference import BEGIN, END, operators_markdown
from asylum_sim.model.loader import load_definitions
from conftest import MACHINES, ROOT

DOC = ROOT / "docs" / "conditions.md"


def parse(data: object):
    return TypeAdapter(Condition).validate_python(data)


class View:
    """A hand-made case for one condition."""

    def __init__(self, on: str, **kw: object) -> None:
        self.on = dt.date.fromisoformat(on)
        self.states = kw.get("states", {})
        self.previous = kw.get("previous", {})
        self.facts = kw.get("facts", {})
        self.trigger = kw.get("trigger", {})
        self.occurrences = {e: [dt.date.fromisoformat(d) for d in ds]
                            for e, ds in kw.get("occurrences", {}).items()}

    def deadline_status(self, deadline_id: str) -> str | None:
        return None

    def holds(self, document_id: str) -> bool:
        return False


def test_every_operator_is_documented_and_the_reference_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    for key in OPERATORS:
        assert f"### `{key}`" in text, key
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert generated.strip() == operators_markdown().strip(), (
        "docs/conditions.md is stale: python -m asylum_sim.model.conditions.reference")


def test_a_list_means_all_and_numbers_compare() -> None:
    cond = parse([{"fact": {"employed": True}}, {"fact": {"months": {"at_least": 6}}}])
    assert cond.key == "all"
    assert cond.evaluate(View("2024-01-01", facts={"employed": True, "months": 6}), {})
    assert not cond.evaluate(View("2024-01-01", facts={"employed": True, "months": 5}), {})
    assert not cond.evaluate(View("2024-01-01", facts={"employed": True}), {})  # unknown


def test_since_counts_occurrences_from_the_last_anchor_event() -> None:
    cond = parse({"happened": {"event": "declare_admissible",
                               "since": {"event": "apply", "occurrence": "last"}}})
    old = View("2024-06-01", occurrences={"apply": ["2023-01-01", "2024-01-01"],
                                          "declare_admissible": ["2023-03-01"]})
    new = View("2024-06-01", occurrences={"apply": ["2023-01-01", "2024-01-01"],
                                          "declare_admissible": ["2023-03-01", "2024-02-01"]})
    assert not cond.evaluate(old, {})
    assert cond.evaluate(new, {})


@pytest.mark.parametrize(("day", "inside"), [
    ("2025-03-31", False), ("2025-04-01", True), ("2024-06-30", True), ("2024-07-01", False)])
def test_a_season_counts_occurrences_on_those_days_of_any_year(day: str, inside: bool) -> None:
    """`season` (a negative RvV decision "between 1 April and 30 June"): both ends count,
    in any year; the compiled form (happened_now) gives the reference's answer."""
    cond = parse({"happened": {"event": "rvv_confirm",
                               "season": {"from": "04-01", "to": "06-30"}}})
    view = View("2026-01-01", occurrences={"rvv_confirm": [day]})
    assert cond.evaluate(view, {}) is inside
    assert happened_now(cond.happened, view.occurrences) is inside


@pytest.mark.parametrize("season", [{"from": "07-01", "to": "06-30"},
                                    {"from": "04-31", "to": "06-30"},
                                    {"from": "4-1", "to": "6-30"}])
def test_a_season_runs_within_one_year_between_real_days(season: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        parse({"happened": {"event": "rvv_confirm", "season": season}})


def test_after_holds_from_the_day_after_the_periods_last_day() -> None:
    """4 months after lodging on 1/2 run up to and including 1/6: `after` from 2/6."""
    cond = parse({"after": {"event": "lodge", "plus": {"amount": 4, "unit": "months"}}})
    lodged = {"lodge": ["2023-02-01"]}
    assert not cond.evaluate(View("2023-06-01", occurrences=lodged), {})
    assert cond.evaluate(View("2023-06-02", occurrences=lodged), {})


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "machines"
    shutil.copytree(MACHINES, folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in check_folder(folder).problems]


def test_check_refuses_an_operator_where_it_has_no_meaning(tmp_path: Path) -> None:
    """`trigger` reads the event being applied: meaningless in an entitlement (it used to
    pass check and be silently false)."""
    folder = _copy(tmp_path)

    def change(data):
        rule = data["entitlements"][0]["rules"][0]
        rule["when"] = {"all": [rule["when"], {"trigger": {"accelerated": True}}]}

    _edit(folder, "entitlements.yaml", change)
    found = _problems(folder)
    assert any("'trigger' has no meaning in an entitlement" in p for p in found), found


def test_check_refuses_an_operator_misused_through_a_named_condition(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "entitlements.yaml", lambda data: data["entitlements"][0]["rules"][0]
          .update(when={"is": "detained"}))  # detained reads the decision's attributes
    found = _problems(folder)
    assert any("through condition 'detained'" in p for p in found), found


def test_a_folder_without_one_entitlement_still_loads_and_checks_clean(tmp_path: Path) -> None:
    """Shared conditions are named, not YAML anchors: deleting the entitlement that first
    wrote `pending` used to break the whole file."""
    folder = _copy(tmp_path)
    _edit(folder, "entitlements.yaml", lambda data: data["entitlements"].pop(1))
    defs = load_definitions(folder)
    assert "no_travel" not in defs.entitlements
    assert _problems(folder) == []


def test_check_refuses_unknown_and_circular_named_conditions(tmp_path: Path) -> None:
    folder = _copy(tmp_path)

    def change(data):
        data["conditions"]["needy"]["when"] = {"is": "needier"}
        data["conditions"]["pending"]["when"] = {"any": [{"is": "pending"}]}

    _edit(folder, "conditions.yaml", change)
    found = _problems(folder)
    assert any("unknown condition 'needier'" in p for p in found), found
    assert any("uses itself: pending -> pending" in p for p in found), found


@pytest.mark.parametrize(("change", "words"), [
    # two unrelated rules that can hold together: which applies would depend on order
    (lambda rules: rules[0].pop("exception_to"), "can both hold"),
    (lambda rules: rules[0].update(exception_to=["no-such-rule"]), "'no-such-rule' is not"),
    (lambda rules: [r.update(default=True) for r in rules], "only one alternative"),
])
def test_check_wants_defaults_and_exceptions_said_out_loud(tmp_path: Path, change,
                                                           words) -> None:
    folder = _copy(tmp_path)

    def edit(data):
        ent = next(e for e in data["entitlements"] if e["id"] == "pro_deo_lawyer")
        change(ent["rules"])

    _edit(folder, "entitlements.yaml", edit)
    found = _problems(folder)
    assert any(words in p for p in found), found


def test_check_refuses_a_deadline_status_it_can_never_have(tmp_path: Path) -> None:
    """An unused appeal term is `expired`, never `missed`."""
    folder = _copy(tmp_path)

    def change(data):
        ent = next(e for e in data["entitlements"] if e["id"] == "health_insurance")
        ent["rules"][0]["when"] = {"deadline": {"id": "appeal_deadline", "status": "missed"}}

    _edit(folder, "entitlements.yaml", change)
    found = _problems(folder)
    assert any("'appeal_deadline' is never 'missed'" in p for p in found), found
