"""Boundaries of the fidelity fixes of issue 12 that the scenario files do not reach: each
on the day before, the day of and the day after (the snapshot of ``sim.status(case, D)`` is
the situation at the end of day D)."""

from __future__ import annotations

import datetime as dt

import pytest

from asylum_sim.model.errors import InputError
from conftest import TO_CGVS, d

ONE = dt.timedelta(days=1)


def around(sim, case, day: str):
    """Snapshots on the day before, the day of and the day after ``day``."""
    middle = d(day)
    return tuple(sim.status(case, middle + k * ONE)[1] for k in (-1, 0, 1))


def entitlements(snap) -> set[str]:
    return {e.id for e in snap.entitlements}


def latest(snap, deadline_id: str):
    return [x for x in snap.deadlines if x.id == deadline_id][-1]


# --- a missed report at the open return place: code 207 no show (opvang) --------------------
FINAL = (*TO_CGVS, ("2025-06-02", "refuse"), ("2025-06-20", "appeal"),
         ("2026-01-16", "rvv_confirm"), ("2026-01-21", "notify_otp_assignment"))


def test_a_no_show_after_the_return_place_keeps_medical_costs_until_reception_ends(
        sim, make_case):
    """Final refusal Fri 16/1/2026, not reported by Wed 28/1: a code 207 no show from 29/1
    (opvang "Code 207 Open Terugkeerplaats"), with Fedasil's medical costs and no material
    reception; the right to reception ends 30 days after the final refusal (last day Sun
    15/2/2026, fedasilinfo.be), so reception has ended on 16/2."""
    case = make_case(*FINAL)
    _, snap = sim.status(case, d("2026-01-29"))
    assert snap.states["reception"] == "no_show"
    assert "medical_costs_fedasil" in entitlements(snap)
    assert "material_reception" not in entitlements(snap)
    before, last, after = around(sim, case, "2026-02-15")
    assert latest(last, "reception_end_after_refusal").due == d("2026-02-15")
    assert [s.states["reception"] for s in (before, last, after)] == [
        "no_show", "no_show", "ended"]
    assert "medical_costs_fedasil" not in entitlements(after)
    assert "urgent_medical_aid" in entitlements(after)


# --- travel while a granted status is appealed (brochure §2.5, §11) -------------------------
GRANTED = (*TO_CGVS, ("2025-06-02", "grant_subsidiary_protection"))


def test_own_appeal_restricts_travel_and_the_states_appeal_does_not(sim, make_case):
    """Appealed Mon 16/6/2025: by the holder himself (to be recognised as a refugee) he is
    still asking for protection, so no travel and no travel document; by the state, he
    keeps the status and its rights, the travel document included."""
    own = make_case(*GRANTED, ("2025-06-16", "appeal"))
    before, on, after = around(sim, own, "2025-06-16")
    assert "travel_document" in entitlements(before) and "no_travel" not in entitlements(before)
    for snap in (on, after):
        assert "no_travel" in entitlements(snap)
        assert "travel_document" not in entitlements(snap)
    state = make_case(*GRANTED, ("2025-06-16", "appeal", {"by": "state"}))
    _, snap = sim.status(state, d("2025-06-17"))
    assert snap.states["procedure"] == "appeal"
    assert "travel_document" in entitlements(snap) and "no_travel" not in entitlements(snap)


# --- civic integration: 40 hours for first registrations from 1/1/2023 (brochure §5.2) -------


def _inburgering_rule(sim, case, day: str) -> str | None:
    _, snap = sim.status(case, d(day))
    return next((e.rule for e in snap.entitlements if e.id == "inburgering_obligation"), None)


def test_forty_hours_follow_the_first_registration_date(sim, make_case):
    """Recognised Mon 14/11/2022 in Flanders. Registered Fri 30/12/2022: the programme
    without the 40 hours, also in 2023. Registered Mon 2/1/2023: without them up to 1/1,
    with them from the registration on."""
    base = (("2022-06-01", "apply"), ("2022-06-02", "register"), ("2022-06-15", "lodge"),
            ("2022-07-01", "transfer_to_cgvs"), ("2022-11-14", "grant_refugee_status"))
    person = {"region": "flanders", "birth_date": "1990-01-01"}
    early = make_case(*base, ("2022-12-30", "register_inburgering"), person=person)
    assert _inburgering_rule(sim, early, "2023-01-02") == "inburgering-flanders"
    late = make_case(*base, ("2023-01-02", "register_inburgering"), person=person)
    assert [_inburgering_rule(sim, late, day) for day in ("2023-01-01", "2023-01-02")] == [
        "inburgering-flanders", "inburgering-flanders-participation-40h"]
    unrecorded = make_case(*base, person=person)
    assert _inburgering_rule(sim, unrecorded, "2023-06-01") == "inburgering-flanders"


# --- the orange card covers the whole procedure (brochure §2.2, §2.5; dofi.ibz.be) ---------
def _card(snap):
    return next((x.valid_until for x in snap.documents
                 if x.id == "attest_van_immatriculatie"), None)


def test_the_orange_card_lasts_through_the_appeal_and_goes_with_the_final_refusal(
        sim, make_case):
    """Lodged Thu 20/3/2025, checked 1/4: valid up to 20/7/2025, then 8 months at a time
    (20/3/2026, 20/11/2026) while the refusal and the appeal run; the RvV confirms on Fri
    4/12/2026: the order to leave, no card."""
    case = make_case(*TO_CGVS, ("2025-04-01", "residence_check"),
                     ("2025-06-02", "refuse"), ("2025-06-20", "appeal"),
                     ("2026-12-04", "rvv_confirm"))
    cards = [_card(sim.status(case, d(day))[1]) for day in (
        "2025-07-20", "2025-07-21", "2026-03-20", "2026-03-21", "2026-12-03", "2026-12-04")]
    assert cards == [d("2025-07-20"), d("2026-03-20"), d("2026-03-20"), d("2026-11-20"),
                     d("2027-07-20"), None]


# --- the mandatory lifting of the code 207, projected (brochure §3.1, opvang "Code 207") ---
WORKING = (*TO_CGVS, ("2025-08-01", "start_employment",
                      {"contract": "indefinite", "income_above_leefloon": True}))


def test_the_projected_lifting_falls_away_when_the_job_ends(sim, make_case):
    """Works above the leefloon from Fri 1/8/2025: the two months are projected up to
    1/10/2025; the job ends on 15/9: the projection is cancelled and reception goes on."""
    case = make_case(*WORKING, ("2025-09-15", "end_employment"))
    _, snap = sim.status(case, d("2025-09-14"))
    lifting = latest(snap, "leave_after_lifting")
    assert (lifting.due, lifting.status, lifting.projected) == (d("2025-10-01"), "open", True)
    _, snap = sim.status(case, d("2025-10-02"))
    assert latest(snap, "leave_after_lifting").status == "cancelled"
    assert "material_reception" in entitlements(snap)


def test_the_projected_lifting_ends_reception_without_moving_the_register(sim, make_case):
    """No lifting recorded: reception up to the projected last day (Wed 1/10/2025) and not
    the day after; the code 207 itself (the reception machine) stays as recorded."""
    _, last, after = around(sim, make_case(*WORKING), "2025-10-01")
    assert "material_reception" in entitlements(last)
    assert next(e for e in last.entitlements if e.id == "material_reception").until == d(
        "2025-10-01")
    assert "material_reception" not in entitlements(after)
    assert after.states["reception"] == "collective"
    assert latest(after, "leave_after_lifting").status == "expired"


# --- transfers to an adapted place (opvang "Behandelingstermijn en beslissing") ----------
REFUSED_FOR_LACK = (*TO_CGVS, ("2025-06-02", "request_transfer", {"reason": "other"}),
                    ("2025-06-10", "refuse_transfer", {"lack_of_place": True}))


def test_a_new_transfer_request_within_thirty_days_of_a_refusal_is_flagged(sim, make_case):
    """Refused for lack of a place on Tue 10/6/2025: the 30 days run up to Thu 10/7. A new
    request on 10/7 is too early (warned), one on 11/7 is not; after a refusal on the
    merits there is no wait."""
    early = make_case(*REFUSED_FOR_LACK, ("2025-07-10", "request_transfer"))
    assert sim.status(early, d("2025-07-10"))[0].warnings == ["transfer_request_too_early"]
    in_time = make_case(*REFUSED_FOR_LACK, ("2025-07-11", "request_transfer"))
    replay, snap = sim.status(in_time, d("2025-07-11"))
    assert replay.warnings == []
    assert [x.status for x in snap.deadlines if x.id == "transfer_request_wait"] == ["met"]
    merits = make_case(*TO_CGVS, ("2025-06-02", "request_transfer"),
                       ("2025-06-10", "refuse_transfer"), ("2025-06-12", "request_transfer"))
    replay, snap = sim.status(merits, d("2025-06-12"))
    assert replay.warnings == []
    assert not [x for x in snap.deadlines if x.id == "transfer_request_wait"]


def test_the_structure_that_does_not_notify_in_time_lets_its_term_expire(sim, make_case):
    """A duty of the structure: not notified by the second working day (Thu 12/6/2025),
    the term has expired on 13/6; it is never the person's missed act."""
    before, last, after = around(sim, make_case(*REFUSED_FOR_LACK), "2025-06-12")
    assert [latest(s, "transfer_notification").status for s in (before, last, after)] == [
        "open", "open", "expired"]


# --- grounds for an exception to the open return place (opvang) -----------------------
DUBLIN_OTP = (("2024-01-08", "apply"), ("2024-01-09", "register"),
              ("2024-01-09", "assign_reception", {"kind": "collective"}),
              ("2024-01-10", "arrive"), ("2024-01-22", "lodge"), ("2024-02-05", "dublin_claim"),
              ("2024-04-05", "dublin_transfer_decision"),
              ("2024-04-10", "notify_otp_assignment"))


def test_with_an_annex_26quater_only_medical_or_pregnancy_grounds(sim, make_case):
    """opvang "Bijzondere uitzondering voor bewoners met een 26 quater": only a medical
    contra-indication or a pregnancy; the school-children ground is refused (exit 3)."""
    for reason in ("medical", "pregnancy"):
        case = make_case(*DUBLIN_OTP, ("2024-04-11", "request_otp_exception",
                                       {"reason": reason}))
        assert sim.status(case, d("2024-04-11"))[1].states["reception"] == "otp_assigned"
    school = make_case(*DUBLIN_OTP, ("2024-04-11", "request_otp_exception",
                                     {"reason": "school_children"}))
    with pytest.raises(InputError) as refused:
        sim.replay(school)
    assert refused.value.exit_code == 3


def _school_exception(make_case, rvv_day: str, reason: str = "school_children"):
    """A final refusal by the RvV on ``rvv_day``, the open return place notified the next
    day and an exception asked the day after, on the school ground ``reason``."""
    day = d(rvv_day)
    return make_case(
        *TO_CGVS, ("2025-06-02", "refuse", {"notification": "handed"}),
        ("2025-06-10", "appeal", {"by": "applicant"}),
        (rvv_day, "rvv_confirm"),
        ((day + dt.timedelta(days=1)).isoformat(), "notify_otp_assignment"),
        ((day + dt.timedelta(days=2)).isoformat(), "request_otp_exception", {"reason": reason}))


@pytest.mark.parametrize(("rvv_day", "allowed"), [
    ("2026-03-31", False), ("2026-04-01", True), ("2026-06-30", True), ("2026-07-01", False)])
@pytest.mark.parametrize("reason", ["school_children", "school_former_nbmv"])
def test_school_grounds_only_after_an_rvv_decision_from_1_april_to_30_june(
        sim, make_case, rvv_day, allowed, reason):
    """opvang "Code 207 Open Terugkeerplaats": families with school-going children (and
    school-going former unaccompanied minors) whose negative RvV decision came between
    1 April and 30 June may ask the exception; a decision on 31/3 or 1/7 gives no school
    ground (the request is refused, exit 3). A medical ground has no such window."""
    asked = d(rvv_day) + dt.timedelta(days=2)
    case = _school_exception(make_case, rvv_day, reason)
    if allowed:
        assert sim.status(case, asked)[1].states["reception"] == "otp_assigned"
    else:
        with pytest.raises(InputError) as refused:
            sim.status(case, asked)
        assert refused.value.exit_code == 3
    medical = _school_exception(make_case, rvv_day, "medical")
    assert sim.status(medical, asked)[1].states["reception"] == "otp_assigned"
