"""Each dated or timed rule on the day before, the day of and the day after its boundary.

The snapshot of ``sim.status(case, D)`` is the situation at the end of day D. A term's
``due`` is its last day: an act is still in time on it, a waiting period has not yet run;
its consequences (a missed act, a right that opens) start on the next day. Rules valid
between dates hold on both end dates. Cases are built with the fixtures of conftest.py.
Boundaries already pinned in tests/test_simulator.py (refusal handed over 28/11/2025, card A
validity, OTP exception end) and tests/test_catalogue_data.py (mandatory lifting on
13-14/11/2022, applicants out of inburgering on 28/2-1/3/2022, family reunification due
dates) are extended here, not repeated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asylum_sim.model.errors import InputError
from conftest import TO_CGVS, d

ONE = dt.timedelta(days=1)


# --- helpers ------------------------------------------------------------------------------
def ent(snap, entitlement_id: str):
    """The entitlement in force in the snapshot, or None."""
    return next((x for x in snap.entitlements if x.id == entitlement_id), None)


def rule_of(snap, entitlement_id: str) -> str | None:
    found = ent(snap, entitlement_id)
    return found.rule if found else None


def dl(snap, deadline_id: str):
    """The latest instance of a deadline in the snapshot."""
    found = [x for x in snap.deadlines if x.id == deadline_id]
    assert found, f"no deadline {deadline_id} in {[x.id for x in snap.deadlines]}"
    return found[-1]


def held(snap, document_id: str) -> bool:
    return any(x.id == document_id for x in snap.documents)


def around(sim, case, day: str) -> tuple[Any, Any, Any]:
    """Snapshots on the day before, the day of and the day after ``day``."""
    middle = d(day)
    return tuple(sim.status(case, middle + k * ONE)[1] for k in (-1, 0, 1))


def applicant(lodge: str, *extra, person: dict[str, Any] | None = None, make_case):
    """A first application in collective reception lodged on ``lodge`` (a weekday)."""
    day = d(lodge)
    events = [
        (str(day - 14 * ONE), "apply"),
        (str(day - 13 * ONE), "register"),
        (str(day - 13 * ONE), "assign_reception", {"kind": "collective"}),
        (str(day - 12 * ONE), "arrive"),
        (lodge, "lodge"),
        (str(day + 7 * ONE), "transfer_to_cgvs"),
        *extra,
    ]
    return make_case(*events, person=person)


# --- work as an employee: 4 months after lodging (brochure §6.1) ----------------------------
# Lodged Mon 24/3/2025: the waiting period's last day is Thu 24/7/2025.
LODGE = "2025-03-24"
WAIT_LAST_DAY = "2025-07-24"


def test_work_opens_the_day_after_the_last_day_of_the_four_month_wait(sim, make_case):
    """No right on lodge+4 months (the wait's last day) nor before; the right from the day after."""
    case = applicant(LODGE, make_case=make_case)
    before, last, after = around(sim, case, WAIT_LAST_DAY)
    assert dl(last, "work_access").due == d(WAIT_LAST_DAY)
    assert (dl(before, "work_access").status, dl(last, "work_access").status) == ("open", "open")
    assert ent(before, "work_employee") is None and ent(last, "work_employee") is None
    assert dl(after, "work_access").status == "met"
    assert ent(after, "work_employee").since == d(WAIT_LAST_DAY) + ONE


@pytest.mark.parametrize(("refused", "works_on_appeal"), [
    ("2025-07-23", False),  # the day before the wait's last day
    (WAIT_LAST_DAY, False),  # on the last day: still "within those 4 months"
    ("2025-07-25", True),  # the day after: the right had opened that morning
])
def test_refusal_within_the_four_months_means_no_work_during_the_appeal(
    sim, make_case, refused: str, works_on_appeal: bool
):
    """A refusal notified up to and including the wait's last day closes the labour market
    for the rest of the procedure, appeal included; one notified later does not."""
    case = applicant(LODGE, (refused, "refuse"), ("2025-08-05", "appeal"), make_case=make_case)
    _, snap = sim.status(case, d("2025-09-01"))
    assert snap.states["procedure"] == "appeal"
    assert (rule_of(snap, "work_employee") == "work-applicant-after-4-months") is works_on_appeal


# --- appeal deadline (Vw. art. 39/57) ---------------------------------------------------------
def _refused_on(day: str, attrs: dict[str, Any] | None = None):
    return (*TO_CGVS, (day, "refuse", attrs or {}))


def _appeal_window(sim, case, last_day: str) -> list[tuple[str, str]]:
    """(procedure state, deadline status) on the day before, of and after the last day."""
    return [(s.states["procedure"], dl(s, "appeal_deadline").status)
            for s in around(sim, case, last_day)]


def test_posted_refusal_can_be_appealed_up_to_the_30th_day_from_the_third_working_day(
    sim, make_case
):
    """Posted Fri 19/12/2025: day 1 is Wed 24/12 (3rd working day), last day Thu 22/1/2026."""
    case = make_case(*_refused_on("2025-12-19", {"notification": "posted"}))
    assert _appeal_window(sim, case, "2026-01-22") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


def test_handed_refusal_on_the_same_day_has_an_earlier_last_day_than_a_posted_one(
    sim, make_case
):
    """Handed over Fri 19/12/2025: day 30 is Sun 18/1/2026, rolled to Mon 19/1/2026."""
    case = make_case(*_refused_on("2025-12-19", {"notification": "handed"}))
    assert _appeal_window(sim, case, "2026-01-19") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


def test_last_day_on_christmas_sunday_rolls_over_the_holiday_to_tuesday(sim, make_case):
    """Refused Fri 24/11/2023: day 30 is Sun 24/12, Mon 25/12 is Christmas: last day Tue 26/12."""
    case = make_case(
        ("2023-05-08", "apply"), ("2023-05-09", "register"), ("2023-05-24", "lodge"),
        ("2023-06-14", "transfer_to_cgvs"), ("2023-11-24", "refuse"))
    assert _appeal_window(sim, case, "2023-12-26") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


@pytest.mark.parametrize(("appeal_on", "in_time"), [("2026-01-22", True), ("2026-01-23", False)])
def test_appeal_against_a_posted_refusal_in_time_only_up_to_its_last_day(
    sim, make_case, appeal_on: str, in_time: bool
):
    """An appeal on the last day moves to the RvV; on the day after it is not possible."""
    case = make_case(*_refused_on("2025-12-19", {"notification": "posted"}),
                     (appeal_on, "appeal"))
    if in_time:
        assert sim.status(case, d(appeal_on))[1].states["procedure"] == "appeal"
    else:
        with pytest.raises(InputError):
            sim.replay(case)


def test_accelerated_refusal_is_final_the_day_after_its_tenth_day(sim, make_case):
    """Accelerated refusal Mon 2/6/2025: 10 days, last day Thu 12/6/2025."""
    case = make_case(*_refused_on("2025-06-02", {"accelerated": True}))
    assert _appeal_window(sim, case, "2025-06-12") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


SUBSEQUENT = (
    ("2024-01-08", "apply"), ("2024-01-09", "register"), ("2024-01-22", "lodge"),
    ("2024-02-12", "transfer_to_cgvs"), ("2024-06-03", "refuse"),
    ("2025-02-03", "apply"), ("2025-02-04", "register"), ("2025-02-18", "lodge"),
    ("2025-02-25", "transfer_to_cgvs"),
)


def test_subsequent_application_inadmissible_has_ten_days(sim, make_case):
    """Declared inadmissible Fri 7/3/2025: 10 days, last day Mon 17/3/2025."""
    case = make_case(*SUBSEQUENT, ("2025-03-07", "declare_inadmissible"))
    assert dl(sim.status(case, d("2025-03-08"))[1], "appeal_deadline").rule == (
        "appeal-10-days-inadmissible")
    assert _appeal_window(sim, case, "2025-03-17") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


def test_subsequent_application_inadmissible_while_detained_has_five_days(sim, make_case):
    """Detained, declared inadmissible Fri 7/3/2025: 5 days, last day Wed 12/3/2025."""
    case = make_case(*SUBSEQUENT, ("2025-03-07", "declare_inadmissible", {"detained": True}))
    assert dl(sim.status(case, d("2025-03-08"))[1], "appeal_deadline").rule == (
        "appeal-5-days-subsequent-inadmissible-detained")
    assert _appeal_window(sim, case, "2025-03-12") == [
        ("refused", "open"), ("refused", "open"), ("finally_refused", "expired")]


# --- present at the structure within 24 hours (opvang "Code 207 no show") --------------------
def test_no_show_from_the_day_after_the_24_hours(sim, make_case):
    """Assigned Tue 4/3/2025 without arriving: still assigned on 5/3, no show from 6/3."""
    case = make_case(("2025-03-03", "apply"), ("2025-03-04", "register"),
                     ("2025-03-04", "assign_reception", {"kind": "collective"}))
    states = [s.states["reception"] for s in around(sim, case, "2025-03-05")]
    assert states == ["assigned", "assigned", "no_show"]


@pytest.mark.parametrize(("arrive", "ok"), [("2025-03-05", True), ("2025-03-06", False)])
def test_arriving_within_24_hours_is_in_time_and_the_day_after_is_not(
    sim, make_case, arrive: str, ok: bool
):
    """Arrival the next day meets the term; two days later the case is already a no show."""
    case = make_case(("2025-03-03", "apply"), ("2025-03-04", "register"),
                     ("2025-03-04", "assign_reception", {"kind": "collective"}), (arrive, "arrive"))
    if ok:
        assert sim.status(case, d(arrive))[1].states["reception"] == "collective"
    else:
        with pytest.raises(InputError):
            sim.replay(case)


# --- report at the open return place: 5 working days (opvang "Code 207 Open Terugkeerplaats")
OTP = (*TO_CGVS, ("2025-06-02", "refuse"), ("2025-06-20", "appeal"), ("2026-01-16", "rvv_confirm"))


def test_report_at_otp_within_five_working_days_of_the_notification(sim, make_case):
    """Notified Wed 21/1/2026: last day Wed 28/1/2026; reception ends on 29/1 without reporting."""
    case = make_case(*OTP, ("2026-01-21", "notify_otp_assignment"))
    before, last, after = around(sim, case, "2026-01-28")
    assert dl(last, "report_at_otp").due == d("2026-01-28")
    assert [s.states["reception"] for s in (before, last, after)] == [
        "otp_assigned", "otp_assigned", "ended"]
    assert dl(after, "report_at_otp").status == "missed"


def test_report_at_otp_working_days_skip_public_holidays(sim, make_case):
    """Notified Tue 30/4/2024: 1 May and the weekend do not count; last day Wed 8/5/2024."""
    case = make_case(
        ("2023-09-04", "apply"), ("2023-09-05", "register"),
        ("2023-09-05", "assign_reception", {"kind": "collective"}), ("2023-09-06", "arrive"),
        ("2023-09-20", "lodge"), ("2023-10-11", "transfer_to_cgvs"),
        ("2024-01-12", "refuse"), ("2024-02-01", "appeal"), ("2024-04-26", "rvv_confirm"),
        ("2024-04-30", "notify_otp_assignment"))
    states = [s.states["reception"] for s in around(sim, case, "2024-05-08")]
    assert states == ["otp_assigned", "otp_assigned", "ended"]


def test_reporting_on_the_last_working_day_is_in_time(sim, make_case):
    """Reporting on the fifth working day moves the case into the open return place."""
    case = make_case(*OTP, ("2026-01-21", "notify_otp_assignment"), ("2026-01-28", "report_at_otp"))
    _, snap = sim.status(case, d("2026-01-29"))
    assert snap.states["reception"] == "otp"
    assert dl(snap, "report_at_otp").status == "met"


# --- leaving reception after a status (brochure §3.2) -----------------------------------------
def test_leave_reception_two_months_after_the_status(sim, make_case):
    """Refugee status Mon 2/6/2025: in reception up to Sat 2/8/2025, reception ended on 3/8."""
    case = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"))
    before, last, after = around(sim, case, "2025-08-02")
    assert [s.states["reception"] for s in (before, last, after)] == [
        "leaving", "leaving", "ended"]
    assert ent(last, "material_reception").until == d("2025-08-02")
    assert ent(after, "material_reception") is None


def test_resettled_refugee_has_six_months(sim, make_case):
    """Resettled, status Fri 26/4/2024: in reception up to 26/10/2024, ended on 27/10."""
    case = make_case(("2024-03-11", "apply"), ("2024-03-12", "register"),
                     ("2024-03-12", "assign_reception", {"kind": "collective"}),
                     ("2024-03-12", "arrive"), ("2024-03-13", "lodge"),
                     ("2024-03-20", "transfer_to_cgvs"), ("2024-04-26", "grant_refugee_status"),
                     person={"resettled": True})
    states = [s.states["reception"] for s in around(sim, case, "2024-10-26")]
    assert states == ["leaving", "leaving", "ended"]


def test_extend_stay_adds_a_month_at_most_three_times(sim, make_case):
    """Three extensions move the last day from 2/8 to 2/11/2025; a fourth changes nothing."""
    extensions = [("2025-07-25", "extend_stay"), ("2025-08-25", "extend_stay"),
                  ("2025-09-25", "extend_stay", {"exceptional": True})]
    three = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"), *extensions)
    four = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"), *extensions,
                     ("2025-10-27", "extend_stay", {"exceptional": True}))
    for case in (three, four):
        before, last, after = around(sim, case, "2025-11-02")
        assert dl(last, "leave_reception").due == d("2025-11-02")
        assert [s.states["reception"] for s in (before, last, after)] == [
            "leaving", "leaving", "ended"]


def test_leave_after_lifting_two_months(sim, make_case):
    """Code 207 lifted Mon 2/6/2025: reception up to 2/8/2025, no code 207 from 3/8."""
    case = make_case(*TO_CGVS, ("2025-06-02", "lift_code_207", {"reason": "work"}))
    before, last, after = around(sim, case, "2025-08-02")
    assert [s.states["reception"] for s in (before, last, after)] == [
        "leaving", "leaving", "no_code_207"]
    assert rule_of(last, "material_reception") == "reception-after-lifting-until-leaving"
    assert ent(after, "material_reception") is None


def test_meal_vouchers_for_one_month_after_leaving_early(sim, make_case):
    """Left early Fri 4/7/2025: the month runs up to and including 4/8/2025 (counted like
    a term), no vouchers from 5/8."""
    case = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"),
                     ("2025-07-04", "leave_early"))
    before, last, after = around(sim, case, "2025-08-04")
    assert ent(before, "meal_vouchers") and ent(last, "meal_vouchers")
    assert ent(after, "meal_vouchers") is None


# --- lifting of the code 207 for work (brochure §3.1) -----------------------------------------
WORKING_2022 = (
    ("2022-01-03", "apply"), ("2022-01-04", "register"),
    ("2022-01-04", "assign_reception", {"kind": "collective"}), ("2022-01-05", "arrive"),
    ("2022-01-10", "lodge"), ("2022-01-20", "transfer_to_cgvs"),
)


def test_mandatory_lifting_starts_on_14_11_2022_for_someone_already_working(sim, make_case):
    """Working since June 2022: the obligation holds from 14/11/2022 (its `since`), also after."""
    case = make_case(*WORKING_2022, ("2022-06-01", "start_employment",
                                     {"contract": "indefinite", "income_above_leefloon": True}))
    before, on, after = around(sim, case, "2022-11-14")
    assert ent(before, "code_207_lifting_mandatory") is None
    assert ent(on, "code_207_lifting_mandatory").since == d("2022-11-14")
    assert ent(after, "code_207_lifting_mandatory").since == d("2022-11-14")


def test_no_mandatory_lifting_for_a_contract_under_six_months(sim, make_case):
    """A 5-month contract above the leefloon does not oblige the lifting on 14/11/2022."""
    case = make_case(*WORKING_2022, ("2022-10-03", "start_employment",
                                     {"contract": "fixed", "months": 5,
                                      "income_above_leefloon": True}))
    for snap in around(sim, case, "2022-11-14"):
        assert ent(snap, "code_207_lifting_mandatory") is None


VOLUNTARY = (
    ("2022-02-07", "apply"), ("2022-02-08", "register"),
    ("2022-02-08", "assign_reception", {"kind": "collective"}), ("2022-02-09", "arrive"),
    ("2022-02-23", "lodge"), ("2022-03-16", "transfer_to_cgvs"),
    ("2022-07-01", "start_employment",
     {"contract": "fixed", "months": 12, "income_above_leefloon": True}),
    ("2022-07-01", "sign_lease"),
)


@pytest.mark.parametrize(("day", "rule"), [
    ("2022-07-10", None),
    ("2022-07-11", "code-207-lifting-voluntary-5-conditions"),
    ("2022-07-12", "code-207-lifting-voluntary-5-conditions"),
    ("2022-11-12", "code-207-lifting-voluntary-5-conditions"),
    ("2022-11-13", "code-207-lifting-voluntary-5-conditions"),
    ("2022-11-14", None),
])
def test_voluntary_lifting_window_11_7_to_13_11_2022(sim, make_case, day: str, rule):
    """A Syrian in reception for 4 months, working and housed may ask the lifting only
    between 11/7/2022 and 13/11/2022 (both included)."""
    case = make_case(*VOLUNTARY, person={"nationality": "SY"})
    assert rule_of(sim.status(case, d(day))[1], "code_207_lifting_voluntary") == rule


def test_voluntary_lifting_window_closes_into_the_mandatory_lifting(sim, make_case):
    """From 14/11/2022 the same person (12-month contract above the leefloon) must be lifted."""
    case = make_case(*VOLUNTARY, person={"nationality": "SY"})
    _, snap = sim.status(case, d("2022-11-14"))
    assert rule_of(snap, "code_207_lifting_mandatory") == "code-207-lifting-mandatory-work"


# --- inburgering (brochure §5.2) ----------------------------------------------------------
def test_applicant_becomes_inburgering_target_group_after_four_months(sim, make_case):
    """Lodged 10/6/2021 in Flanders: the 4 months run up to and including 10/10/2021; target
    group from 11/10/2021, the day the right to work opens too."""
    case = make_case(("2021-06-01", "apply"), ("2021-06-02", "register"), ("2021-06-10", "lodge"),
                     ("2021-06-20", "transfer_to_cgvs"), person={"region": "flanders"})
    before, on, after = around(sim, case, "2021-10-11")
    assert ent(before, "inburgering_applicant") is None
    assert ent(on, "inburgering_applicant") is not None
    assert ent(after, "inburgering_applicant") is not None


def test_applicant_inburgering_ends_on_28_2_2022_also_the_day_before(sim, make_case):
    """Still target group on 27/2 and 28/2/2022; excluded from 1/3/2022."""
    case = make_case(("2021-06-01", "apply"), ("2021-06-02", "register"), ("2021-06-10", "lodge"),
                     ("2021-06-20", "transfer_to_cgvs"), person={"region": "flanders"})
    snaps = around(sim, case, "2022-02-28")
    assert [ent(s, "inburgering_applicant") is not None for s in snaps] == [True, True, False]


BRUSSELS_2022 = (
    ("2021-09-06", "apply"), ("2021-09-07", "register"), ("2021-09-20", "lodge"),
    ("2021-10-11", "transfer_to_cgvs"), ("2022-03-04", "grant_refugee_status"),
)


def test_brussels_inburgering_obligation_from_1_6_2022(sim, make_case):
    """A refugee in Brussels since March 2022: obliged from 1/6/2022, not on 31/5."""
    case = make_case(*BRUSSELS_2022, person={"region": "brussels", "birth_date": "1990-01-01"})
    snaps = around(sim, case, "2022-06-01")
    assert [rule_of(s, "inburgering_obligation") for s in snaps] == [
        None, "inburgering-brussels", "inburgering-brussels"]


def test_brussels_inburgering_obligation_only_in_the_first_three_years(sim, make_case):
    """Status Fri 4/3/2022: the 3 years run up to and including 4/3/2025; no obligation
    from 5/3/2025."""
    case = make_case(*BRUSSELS_2022, person={"region": "brussels", "birth_date": "1990-01-01"})
    snaps = around(sim, case, "2025-03-04")
    assert [rule_of(s, "inburgering_obligation") for s in snaps] == [
        "inburgering-brussels", "inburgering-brussels", None]


def test_inburgering_registration_due_three_months_after_the_invitation(sim, make_case):
    """Invited Mon 1/9/2025: register by 1/12/2025; missed on 2/12."""
    case = make_case(*TO_CGVS, ("2025-06-02", "grant_refugee_status"),
                     ("2025-09-01", "inburgering_invitation"), person={"region": "flanders"})
    snaps = around(sim, case, "2025-12-01")
    assert [dl(s, "inburgering_registration").status for s in snaps] == ["open", "open", "missed"]


# --- family reunification (brochure §9.1; law of 18/7/2025) -----------------------------------
def test_lenient_family_reunification_for_twelve_months(sim, make_case):
    """Recognised Mon 3/6/2024: lenient conditions up to 3/6/2025, full conditions from 4/6."""
    case = applicant("2024-01-22", ("2024-06-03", "grant_refugee_status"), make_case=make_case)
    snaps = around(sim, case, "2025-06-03")
    assert [rule_of(s, "family_reunification") for s in snaps] == [
        "family-reunification-lenient", "family-reunification-lenient",
        "family-reunification-conditions"]


def test_lenient_family_reunification_for_six_months_from_18_8_2025(sim, make_case):
    """Recognised Mon 18/8/2025: lenient up to 18/2/2026, full conditions from 19/2."""
    case = make_case(*TO_CGVS, ("2025-08-18", "grant_refugee_status"))
    snaps = around(sim, case, "2026-02-18")
    assert [rule_of(s, "family_reunification") for s in snaps] == [
        "family-reunification-lenient", "family-reunification-lenient",
        "family-reunification-conditions"]


@pytest.mark.parametrize(("granted", "due"), [
    ("2025-08-17", "2026-08-17"),  # the day before the change: 12 months
    ("2025-08-18", "2026-02-18"),
    ("2025-08-19", "2026-02-19"),
])
def test_lenient_window_length_by_the_date_of_recognition(
    sim, make_case, granted: str, due: str
):
    """12 months for a recognition on 17/8/2025, 6 months from 18/8/2025 on."""
    case = make_case(*TO_CGVS, (granted, "grant_refugee_status"))
    assert dl(sim.status(case, d(granted))[1], "family_reunification_lenient").due == d(due)


@pytest.mark.parametrize(("applied", "status"), [
    ("2025-06-02", "met"), ("2025-06-03", "met"), ("2025-06-04", "expired")])
def test_family_reunification_applied_in_the_window_meets_it(
    sim, make_case, applied: str, status: str
):
    """An application on or before the window's last day (3/6/2025) meets it, later not."""
    case = applicant("2024-01-22", ("2024-06-03", "grant_refugee_status"),
                     (applied, "apply_family_reunification"), make_case=make_case)
    _, snap = sim.status(case, d("2025-06-10"))
    assert dl(snap, "family_reunification_lenient").status == status


# --- card A and permanent residence (brochure §2.4) -------------------------------------------
def test_subsidiary_card_a_expires_after_one_year_without_renewal(sim, make_case):
    """Subsidiary protection Mon 15/9/2025: card A held up to 15/9/2026, gone on 16/9."""
    case = make_case(*TO_CGVS, ("2025-09-15", "grant_subsidiary_protection"))
    snaps = around(sim, case, "2026-09-15")
    assert [held(s, "verblijfskaart_a") for s in snaps] == [True, True, False]
    assert [dl(s, "card_a_expiry").status for s in snaps] == ["open", "open", "missed"]


def test_refugee_card_a_expiry_is_due_five_years_after_the_recognition(sim, make_case):
    """Refugee status Mon 15/9/2025: card_a_expiry due 15/9/2030 (not the hand-over date)."""
    case = make_case(*TO_CGVS, ("2025-09-15", "grant_refugee_status"),
                     ("2025-10-06", "issue_card_a"))
    assert dl(sim.status(case, d("2025-10-06"))[1], "card_a_expiry").due == d("2030-09-15")


def test_permanent_residence_the_day_after_five_years_from_lodging(sim, make_case):
    """Lodged Wed 1/2/2023, refugee: temporary up to 1/2/2028, permanent from 2/2/2028."""
    case = applicant("2023-02-01", ("2023-09-15", "grant_refugee_status"), make_case=make_case)
    snaps = around(sim, case, "2028-02-01")
    assert [s.states["residence"] for s in snaps] == [
        "refugee_temporary", "refugee_temporary", "permanent"]
    assert [held(s, "verblijfskaart_b") for s in snaps] == [False, False, True]


def test_subsidiary_protection_stays_temporary_when_the_country_became_safe(sim, make_case):
    """With `country_safe` recorded, five years after lodging give no permanent residence."""
    case = applicant("2023-02-01", ("2023-09-15", "grant_subsidiary_protection"),
                     ("2027-06-01", "country_safe"), make_case=make_case)
    snaps = around(sim, case, "2028-02-01")
    assert [s.states["residence"] for s in snaps] == ["subsidiary_temporary"] * 3


# --- EU Pact on Migration and Asylum (warning) ------------------------------------------------
@pytest.mark.parametrize(("lodged", "warned"), [
    ("2026-06-11", False), ("2026-06-12", True), ("2026-06-13", True)])
def test_eu_pact_warning_for_lodging_from_12_6_2026(sim, make_case, lodged: str, warned: bool):
    """Lodged on 11/6/2026: old law, no warning; on or after 12/6/2026: the warning."""
    case = make_case(("2026-06-01", "apply"), ("2026-06-02", "register"), (lodged, "lodge"))
    replay, _ = sim.status(case, d("2026-07-01"))
    assert ("eu_pact_regime" in replay.warnings) is warned


def test_eu_pact_warning_appears_only_once_the_lodging_date_is_reached(sim, make_case):
    """Before the lodging on 12/6/2026 the status of the case shows no warning yet."""
    case = make_case(("2026-06-01", "apply"), ("2026-06-02", "register"), ("2026-06-12", "lodge"))
    assert "eu_pact_regime" not in sim.status(case, d("2026-06-11"))[0].warnings
    assert "eu_pact_regime" in sim.status(case, d("2026-06-12"))[0].warnings
