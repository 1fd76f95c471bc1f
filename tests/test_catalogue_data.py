"""The rule catalogue data (deadlines.yaml, entitlements.yaml, timers.yaml).

Data-level checks: every deadline and entitlement id of the domain catalogue
(tests/domain_ids.py) is defined, every rule carries a rule id and a source, the dated rules
hold exactly between the dates of the catalogue's "Rules that hold only between dates", and
the timer events the machines rely on are the ones the deadlines fire. A few tests replay
small cases to pin the behaviour a rule was written for (the boundary dates of the law).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from asylum_sim.model.catalogue import DeadlineDef, EntitlementDef
from asylum_sim.model.loader import Definitions, parse_file, read_yaml
from conftest import TO_CGVS, d
from domain_ids import DOMAIN_DEADLINES, DOMAIN_ENTITLEMENTS, TIMERS

ROOT = Path(__file__).resolve().parents[1]
MACHINES = ROOT / "machines"

# Timer events the machines use, with the deadline that fires each (the agreed names).
TIMER_DEADLINES = {event: deadline for (_, event), deadline in TIMERS.items()}

# The catalogue's "Rules that hold only between dates": the start of each row -> where the tool
# holds the rule (entitlement or deadline id, rule id) and the (from, to) it must carry.
# `to` None: open-ended. "applicants excluded since 1/3/2022" is held as the applicants'
# rule ending the day before.
DATED_RULES: dict[str, tuple[str, str, dt.date | None, dt.date | None]] = {
    "registration at the Pacheco building": (
        "register_deadline", "register-3-working-days-pacheco", d("2022-08-29"), None),
    "applicants excluded from inburgering": (
        "inburgering_applicant", "inburgering-applicant-after-4-months", None,
        d("2022-02-28")),
    "voluntary lifting of code 207": (
        "code_207_lifting_voluntary", "code-207-lifting-voluntary-5-conditions",
        d("2022-07-11"), d("2022-11-13")),
    "mandatory lifting of code 207": (
        "code_207_lifting_mandatory", "code-207-lifting-mandatory-work", d("2022-11-14"), None),
    "other working applicants may ask": (
        "code_207_lifting_voluntary", "code-207-lifting-working-on-request", d("2022-11-14"),
        d("2023-04-01")),
    "separate-household registration LOG 07": (
        "separate_household_registration", "log-07-applicant", d("2022-12-08"),
        d("2023-04-01")),
    "Brussels inburgering obligation": (
        "inburgering_obligation", "inburgering-brussels", d("2022-06-01"), None),
    "40 h participation track": (
        "inburgering_obligation", "inburgering-flanders-participation-40h", d("2023-01-01"),
        None),
    "reception waiting list": (
        "material_reception", "reception-right-improper-no-show", d("2021-09-01"), None),
    "no high-protection-rate transfers": (
        "transfer_individual_request", "transfer-high-protection-rate", None, d("2021-06-30")),
    "rent premium 2023": ("rent_premium", "rent-premium-2023", d("2023-01-01"), d("2023-12-31")),
}
# Rows whose dates are not taken literally: "applicants excluded since 1/3/2022" is the
# exclusion, so the applicants' rule ends the day before; "since summer 2021" gives no day,
# 30/6/2021 is taken as the last day before; "crisis from September 2021" a month, its first
# day; "2023" the calendar year.

# The numbered sections of the brochure (its headings "1 Inleiding" to "12 ..."); §2's five
# steps are cited as §2.1 to §2.5.
BROCHURE_SECTIONS = (
    "1", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1", "4.1.1", "4.1.2", "4.1.3",
    "5", "5.1", "5.2", "5.3", "6", "6.1", "6.2", "6.3", "6.4", "7", "8", "9", "9.1", "9.2",
    "9.3", "10", "11", "12",
)


def _load(name: str):
    path = MACHINES / name
    model, problems = parse_file(path, read_yaml(path))
    assert not problems, problems
    return model


@pytest.fixture(scope="module")
def deadlines() -> dict[str, DeadlineDef]:
    return {item.id: item for item in _load("deadlines.yaml").deadlines}


@pytest.fixture(scope="module")
def entitlements() -> dict[str, EntitlementDef]:
    return {item.id: item for item in _load("entitlements.yaml").entitlements}


def _rule(item: DeadlineDef | EntitlementDef, rule_id: str):
    rules = item.periods if isinstance(item, DeadlineDef) else item.rules
    found = [r for r in rules if r.rule == rule_id]
    assert found, f"{item.id} has no rule {rule_id}"
    return found[0]


# --- ids of the domain catalogue -------------------------------------------------------------
def test_every_domain_deadline_is_defined(deadlines: dict[str, DeadlineDef]) -> None:
    """Each deadline id of the domain catalogue is in deadlines.yaml."""
    assert sorted(DOMAIN_DEADLINES - set(deadlines)) == []


def test_every_domain_entitlement_is_defined(entitlements: dict[str, EntitlementDef]) -> None:
    """Each entitlement id of the domain catalogue is in entitlements.yaml."""
    assert sorted(DOMAIN_ENTITLEMENTS - set(entitlements)) == []


# --- rule ids and sources ---------------------------------------------------------------------
def test_every_rule_has_an_id_and_a_source(
    defs: Definitions, deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """Every deadline period and entitlement rule names its rule and its source, which
    cites documents of the bibliography (machines/sources.yaml)."""
    from asylum_sim.model.sources import unknown_citations

    rules = [r for x in deadlines.values() for r in x.periods]
    rules += [r for x in entitlements.values() for r in x.rules]
    assert rules
    for rule in rules:
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.rule), rule.rule
        assert rule.source and not unknown_citations(rule.source, defs.sources), (
            rule.rule, rule.source)


def test_rule_ids_are_unique_across_the_catalogue(
    defs: Definitions, deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """A rule id names one rule: no two periods, rules or documents share it."""
    ids = [r.rule for x in deadlines.values() for r in x.periods]
    ids += [r.rule for x in entitlements.values() for r in x.rules]
    ids += [doc.rule for doc in defs.documents.values()]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_cited_brochure_sections_exist_in_the_seed(
    deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """Each `brochure §x.y` cited is a numbered section (or a step of §2) of the brochure."""
    headings = set(BROCHURE_SECTIONS)
    headings |= {f"2.{step}" for step in range(1, 6)}
    sources = [r.source for x in deadlines.values() for r in x.periods]
    sources += [r.source for x in entitlements.values() for r in x.rules]
    parts = [part for src in sources for part in src.split(";") if "brochure" in part]
    cited = {s for part in parts for s in re.findall(r"§(\d+(?:\.\d+)*)", part)}
    assert cited and "6.4" in headings
    assert sorted(cited - headings) == []


def test_every_item_explains_an_interpretation_in_a_note_where_it_adds_an_id(
    deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """Ids beyond the domain catalogue say so in their note, so a reader knows they were added."""
    added = [x for x in deadlines.values() if x.id not in DOMAIN_DEADLINES]
    added += [x for x in entitlements.values() if x.id not in DOMAIN_ENTITLEMENTS]
    assert added
    for item in added:
        assert item.note and "Added id" in item.note, item.id


# --- dated rules ------------------------------------------------------------------------------
@pytest.mark.parametrize("row", sorted(DATED_RULES))
def test_dated_rule_holds_between_its_dates(
    row: str, deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """The rule carries the validity range of the catalogue (a deadline: a `date` condition)."""
    item_id, rule_id, start, end = DATED_RULES[row]
    if item_id in deadlines:
        when = _rule(deadlines[item_id], rule_id).when
        assert when is not None and when.date.start == start and when.date.end == end
        return
    valid = _rule(entitlements[item_id], rule_id).valid
    assert valid is not None, rule_id
    assert (valid.start, valid.end) == (start, end), rule_id


def test_uncertain_dates_say_so(
    deadlines: dict[str, DeadlineDef], entitlements: dict[str, EntitlementDef]
) -> None:
    """Rules whose date the sources leave vague carry a note saying so."""
    summer = _rule(entitlements["transfer_individual_request"], "transfer-high-protection-rate")
    assert "summer" in summer.valid.note.lower() or "zomer" in summer.valid.note.lower()
    end_of_reception = deadlines["reception_end_after_refusal"]
    assert "uncertain" in end_of_reception.valid.note.lower()
    lenient = _rule(deadlines["family_reunification_lenient"],
                    "family-reunification-lenient-6-months-2025")
    assert "secondary sources" in lenient.note


# --- timers -----------------------------------------------------------------------------------
def test_agreed_timers_are_fired_by_their_deadlines(deadlines: dict[str, DeadlineDef]) -> None:
    """Each timer event the machines use is the on_expiry of the agreed deadline."""
    for event, deadline_id in TIMER_DEADLINES.items():
        assert deadlines[deadline_id].on_expiry == event, deadline_id


def test_timers_file_declares_exactly_the_timer_events(deadlines: dict[str, DeadlineDef]) -> None:
    """timers.yaml holds only timer events, one per on_expiry used by a deadline."""
    timers = _load("timers.yaml").events
    assert all(event.origin == "timer" and event.source for event in timers)
    fired = {x.on_expiry for x in deadlines.values() if x.on_expiry}
    assert {event.id for event in timers} == fired


def test_waiting_periods_are_the_two_of_the_brief(deadlines: dict[str, DeadlineDef]) -> None:
    """work_access and permanent_residence are periods to wait, not acts to do."""
    waiting = {x.id for x in deadlines.values() if x.kind == "waiting"}
    assert {"work_access", "permanent_residence"} <= waiting
    # Counted from the last lodging (bijlage 26), started only with the status (issue 14).
    permanent = deadlines["permanent_residence"]
    assert permanent.periods[0].from_event.event == ["lodge"]
    assert permanent.starts.enter == {"procedure": ["refugee", "subsidiary_protection"]}


def test_every_deadline_has_a_default_period(deadlines: dict[str, DeadlineDef]) -> None:
    """The last period of each deadline has no condition, so a started term has a length."""
    for item in deadlines.values():
        assert item.periods[-1].when is None, item.id


def test_appeal_deadline_counts_from_notification_and_rolls_forward(
    deadlines: dict[str, DeadlineDef],
) -> None:
    """Vw. art. 39/57 §2: posted decisions and weekend last days are handled."""
    appeal = deadlines["appeal_deadline"]
    assert appeal.notification and appeal.roll_forward
    assert appeal.met_by == ["appeal"]
    lengths = {p.rule: p.period.amount for p in appeal.periods}
    assert lengths["appeal-30-days"] == 30
    assert lengths["appeal-10-days-accelerated"] == 10
    assert lengths["appeal-5-days-subsequent-inadmissible-detained"] == 5
    assert lengths["appeal-30-days-dublin-annulment"] == 30


# --- behaviour of the rules on the legal calendar ---------------------------------------------
def _ids(items) -> set[str]:
    return {x.id for x in items}


def _entitlement(snap, entitlement_id: str):
    return next((x for x in snap.entitlements if x.id == entitlement_id), None)


def _deadline(snap, deadline_id: str):
    found = [x for x in snap.deadlines if x.id == deadline_id]
    assert found, deadline_id
    return found[-1]


def test_work_from_four_months_after_lodging(sim, make_case) -> None:
    """An applicant without a negative decision may work once the 4-month wait has passed."""
    case = make_case(*TO_CGVS)  # lodged 20/3/2025
    _, snap = sim.status(case, d("2025-07-01"))
    due = _deadline(snap, "work_access").due
    assert due == d("2025-07-20")
    for day in (due - dt.timedelta(days=1), due, due + dt.timedelta(days=1)):
        _, snap = sim.status(case, day)
        work = _entitlement(snap, "work_employee")
        if _deadline(snap, "work_access").status == "met":
            assert work is not None and work.rule == "work-applicant-after-4-months", day
        else:
            assert work is None, day
    assert work is not None  # on due + 1 at the latest


def test_no_work_after_a_refusal_within_four_months_even_on_appeal(sim, make_case) -> None:
    """A refusal notified within the 4 months closes the labour market for this procedure."""
    case = make_case(*TO_CGVS, ("2025-06-02", "refuse"), ("2025-06-20", "appeal"))
    _, snap = sim.status(case, d("2025-09-01"))
    assert snap.states["procedure"] == "appeal"
    assert _entitlement(snap, "work_employee") is None
    assert _deadline(snap, "work_access").status == "cancelled"


def test_accelerated_refusal_gives_ten_days(sim, make_case) -> None:
    """A refusal in the accelerated procedure (`accelerated: true`), decided within 15
    working days of the file reaching the CGVS (10/4/2025), has a 10-day term."""
    case = make_case(*TO_CGVS, ("2025-05-02", "refuse", {"accelerated": True}))
    replay, snap = sim.status(case, d("2025-05-03"))
    appeal = _deadline(snap, "appeal_deadline")
    assert (appeal.rule, appeal.due) == ("appeal-10-days-accelerated", d("2025-05-12"))
    assert replay.warnings == []


def test_resettled_refugee_has_six_months_to_leave_plus_extensions(sim, make_case) -> None:
    """Resettled: 6 months; each extend_stay adds a month."""
    case = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"),
                     ("2025-11-20", "extend_stay"), person={"resettled": True})
    _, snap = sim.status(case, d("2025-11-21"))
    leave = _deadline(snap, "leave_reception")
    assert leave.rule == "leave-reception-6-months-resettled"
    assert leave.due == d("2026-01-02")


@pytest.mark.parametrize(("grant", "due", "rule"), [
    ("2025-08-14", "2026-08-14", "family-reunification-lenient-1-year"),
    ("2025-08-18", "2026-02-18", "family-reunification-lenient-6-months-2025"),
])
def test_lenient_family_reunification_window_by_date_of_recognition(
    sim, make_case, grant: str, due: str, rule: str
) -> None:
    """12 months for recognitions before 18/8/2025, 6 months for refugees from that day."""
    case = make_case(*TO_CGVS, (grant, "grant_refugee_status"))
    _, snap = sim.status(case, d(grant))
    lenient = _deadline(snap, "family_reunification_lenient")
    assert (lenient.rule, lenient.due) == (rule, d(due))
    assert _entitlement(snap, "family_reunification").rule == "family-reunification-lenient"


def test_no_lenient_window_for_subsidiary_protection_from_18_8_2025(sim, make_case) -> None:
    """Since 18/8/2025 subsidiary protection holders reunite under the full conditions."""
    case = make_case(*TO_CGVS, ("2025-08-18", "grant_subsidiary_protection"))
    _, snap = sim.status(case, d("2025-08-19"))
    assert "family_reunification_lenient" not in _ids(snap.deadlines)
    assert _entitlement(snap, "family_reunification").rule == "family-reunification-conditions"


def test_mandatory_lifting_of_code_207_only_from_14_11_2022(sim, make_case) -> None:
    """Working with a long contract above the leefloon: an obligation from 14/11/2022 on."""
    case = make_case(
        ("2022-01-03", "apply"), ("2022-01-04", "register"),
        ("2022-01-04", "assign_reception", {"kind": "collective"}), ("2022-01-05", "arrive"),
        ("2022-01-10", "lodge"), ("2022-01-20", "transfer_to_cgvs"),
        ("2022-06-01", "start_employment",
         {"contract": "fixed", "months": 6, "income_above_leefloon": True}),
    )
    _, before = sim.status(case, d("2022-11-13"))
    _, on = sim.status(case, d("2022-11-14"))
    assert _entitlement(before, "code_207_lifting_mandatory") is None
    assert _entitlement(on, "code_207_lifting_mandatory").rule == "code-207-lifting-mandatory-work"


def test_applicants_leave_the_inburgering_target_group_on_1_3_2022(sim, make_case) -> None:
    """An applicant in Flanders after 4 months was target group until 28/2/2022."""
    case = make_case(("2021-06-01", "apply"), ("2021-06-02", "register"),
                     ("2021-06-10", "lodge"), ("2021-06-20", "transfer_to_cgvs"),
                     person={"region": "flanders"})
    _, last = sim.status(case, d("2022-02-28"))
    _, after = sim.status(case, d("2022-03-01"))
    assert _entitlement(last, "inburgering_applicant") is not None
    assert _entitlement(after, "inburgering_applicant") is None


def test_material_reception_after_status_ends_with_the_leaving_deadline(sim, make_case) -> None:
    """After a status, reception is reported until the leave_reception due date."""
    case = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"))
    _, snap = sim.status(case, d("2025-06-03"))
    reception = _entitlement(snap, "material_reception")
    assert reception.rule == "reception-after-status-until-leaving"
    assert reception.until == d("2025-08-02")
    # in force since the application (brochure §3.1 "vanaf het doen van hun verzoek")
    assert reception.since == d("2025-03-03")


def test_refused_26quater_exception_gives_three_working_days_to_report(sim, make_case) -> None:
    """After a refused OTP exception, a bijlage 26quater holder has 3 working days."""
    case = make_case(
        ("2024-01-08", "apply"), ("2024-01-09", "register"),
        ("2024-01-09", "assign_reception", {"kind": "collective"}), ("2024-01-10", "arrive"),
        ("2024-01-22", "lodge"), ("2024-02-05", "dublin_claim"),
        ("2024-04-05", "dublin_transfer_decision"), ("2024-04-10", "notify_otp_assignment"),
        ("2024-04-11", "request_otp_exception", {"reason": "medical"}),
        ("2024-04-15", "refuse_otp_exception"),
    )
    _, snap = sim.status(case, d("2024-04-17"))
    report = _deadline(snap, "report_at_otp")
    assert (report.rule, report.due, report.status) == (
        "report-at-otp-26quater-3-working-days", d("2024-04-18"), "open")
    assert snap.states["reception"] == "otp_assigned"


@pytest.mark.parametrize(("registered", "rule"), [
    ("2022-12-30", "inburgering-flanders"),
    ("2023-01-02", "inburgering-flanders-participation-40h"),
])
def test_participation_track_only_for_first_registration_from_2023(
    sim, make_case, registered: str, rule: str
) -> None:
    """The 40 h participation track applies to those first registered from 1/1/2023."""
    case = make_case(
        ("2022-03-01", "apply"), ("2022-03-02", "register"), ("2022-03-10", "lodge"),
        ("2022-03-20", "transfer_to_cgvs"), ("2022-09-01", "grant_refugee_status"),
        ("2022-10-03", "inburgering_invitation"), (registered, "register_inburgering"),
        person={"region": "flanders", "birth_date": "1990-01-01"},
    )
    _, snap = sim.status(case, d("2023-03-01"))
    assert _entitlement(snap, "inburgering_obligation").rule == rule
