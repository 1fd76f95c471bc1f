"""The case simulator: dated events on the legal calendar (issue 3)."""

from __future__ import annotations

import pytest

from asylum_sim.model.errors import InputError
from conftest import TO_CGVS, d


def deadline(snap, deadline_id):
    found = [x for x in snap.deadlines if x.id == deadline_id]
    assert found, f"no deadline {deadline_id} in {[x.id for x in snap.deadlines]}"
    return found[-1]


def test_appeal_deadline_of_refusal_handed_over_friday_28_11_2025(sim, make_case):
    """30 days from Fri 28/11/2025: day 30 is Sun 28/12, so the last day is Mon 29/12/2025."""
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse", {"notification": "handed"}))
    _, snap = sim.status(case, d("2025-12-01"))
    appeal = deadline(snap, "appeal_deadline")
    assert appeal.due == d("2025-12-29")
    assert appeal.status == "open"


def test_refusal_is_final_from_the_day_after_the_last_day_not_before(sim, make_case):
    """On the last day the refusal is still open to appeal; on D+1 it is final."""
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"))
    _, last_day = sim.status(case, d("2025-12-29"))
    assert last_day.states["procedure"] == "refused"
    assert deadline(last_day, "appeal_deadline").status == "open"
    _, next_day = sim.status(case, d("2025-12-30"))
    assert next_day.states["procedure"] == "finally_refused"
    # An option the person did not use: expired, not missed.
    assert deadline(next_day, "appeal_deadline").status == "expired"


def test_appeal_on_the_last_day_is_in_time(sim, make_case):
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"), ("2025-12-29", "appeal"))
    _, snap = sim.status(case, d("2025-12-30"))
    assert snap.states["procedure"] == "appeal"
    assert deadline(snap, "appeal_deadline").status == "met"


def test_appeal_the_day_after_the_last_day_is_refused_as_late(sim, make_case):
    """The expiry fires on D+1 before that day's scenario events."""
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"), ("2025-12-30", "appeal"))
    with pytest.raises(InputError) as err:
        sim.replay(case)
    message = str(err.value)
    assert "appeal" in message and "finally_refused" in message
    assert "possible now" in message


def test_lenient_replay_records_the_impossible_event_and_goes_on(sim, make_case):
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"), ("2025-12-30", "appeal"))
    replay = sim.replay(case, lenient=True)
    assert [d.kind for d in replay.deviations] == ["late"]  # after the appeal term
    late = [s for s in replay.steps if s.problem]
    assert late and late[0].event == "appeal" and late[0].moves == ()


def test_posted_refusal_counts_from_the_third_working_day_after_posting(sim, make_case):
    """Posted Fri 28/11/2025: day 1 is Wed 3/12 (3rd working day), day 30 Thu 1/1/2026
    (New Year), rolled to Fri 2/1/2026."""
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse", {"notification": "posted"}))
    _, snap = sim.status(case, d("2025-12-01"))
    assert deadline(snap, "appeal_deadline").due == d("2026-01-02")


def test_timer_step_of_final_refusal_has_origin_timer(sim, make_case):
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"))
    replay = sim.replay(case)
    expired = [s for s in replay.steps if s.event == "appeal_period_expired"]
    assert expired and expired[0].origin == "timer" and expired[0].date == d("2025-12-30")
    internal = [s for s in replay.steps if s.origin == "internal"]
    assert any(s.event == "final_refusal" for s in internal)


def test_status_is_the_end_of_the_day(sim, make_case):
    """Every event dated on or before the day is applied."""
    case = make_case(*TO_CGVS)
    _, snap = sim.status(case, d("2025-03-20"))
    assert snap.states["procedure"] == "lodged"
    _, before = sim.status(case, d("2025-03-19"))
    assert before.states["procedure"] == "registered"


def test_same_input_gives_the_same_replay(sim, make_case):
    case = make_case(*TO_CGVS, ("2025-11-28", "refuse"))
    assert sim.replay(case) == sim.replay(case)


OTP_CASE = (
    *TO_CGVS,
    ("2025-11-28", "refuse"),
    # no appeal: final from 30/12/2025, reception goes to the open return place assignment
    ("2026-01-05", "request_otp_exception", {"reason": "medical"}),
    ("2026-01-07", "grant_otp_exception", {"until": "2026-03-31"}),
)


def test_otp_exception_renewal_is_due_five_days_before_its_end_date(sim, make_case):
    """opvang "Code 207 Open Terugkeerplaats": ask at least 5 days before the end date."""
    _, snap = sim.status(make_case(*OTP_CASE), d("2026-01-08"))
    assert snap.states["reception"] == "otp_postponed"
    assert deadline(snap, "otp_exception_renewal").due == d("2026-03-26")


def test_otp_exception_ends_the_day_after_its_end_date(sim, make_case):
    case = make_case(*OTP_CASE)
    _, last_day = sim.status(case, d("2026-03-31"))
    assert last_day.states["reception"] == "otp_postponed"
    _, after = sim.status(case, d("2026-04-01"))
    assert after.states["reception"] == "otp_assigned"


def document(snap, doc_id):
    found = [x for x in snap.documents if x.id == doc_id]
    assert found, f"no document {doc_id} in {[x.id for x in snap.documents]}"
    return found[-1]


def test_card_a_is_valid_5_years_for_a_refugee(sim, make_case):
    """brochure §2.4: card A valid 5 years, counted like a term (last day included)."""
    case = make_case(*TO_CGVS, ("2025-09-15", "grant_refugee_status"))
    _, snap = sim.status(case, d("2025-09-16"))
    assert document(snap, "verblijfskaart_a").valid_until == d("2030-09-15")


def test_card_a_is_valid_1_year_for_subsidiary_protection_then_renewed_for_2(sim, make_case):
    """brochure §2.4: 1 year, renewable twice for 2 years, from the old end date."""
    case = make_case(*TO_CGVS, ("2025-09-15", "grant_subsidiary_protection"),
                     ("2026-08-10", "renew_card_a"))
    _, before = sim.status(case, d("2026-08-09"))
    assert document(before, "verblijfskaart_a").valid_until == d("2026-09-15")
    _, after = sim.status(case, d("2026-08-10"))
    assert document(after, "verblijfskaart_a").valid_until == d("2028-09-15")
