"""What the reports say in words."""

from __future__ import annotations

from asylum_sim.engine.steps import DeadlineView
from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import step_changes
from conftest import TO_CGVS, d


def _view(deadline: str, status: str) -> DeadlineView:
    return DeadlineView(deadline, d("2025-01-01"), d("2025-01-31"), status,  # type: ignore[arg-type]
                        "rule", "brochure §1", "act")


def test_an_unused_appeal_has_expired_but_a_late_lodging_is_missed(defs):
    """An appeal is a right (optional term); reporting at the structure is a duty."""
    nl, en = Labeller(defs, "nl"), Labeller(defs, "en")
    assert en.deadline_status(_view("appeal_deadline", "missed")) == "expired"
    assert nl.status_word(nl.deadline_status(_view("appeal_deadline", "missed"))) == "verstreken"
    assert en.deadline_status(_view("present_at_structure", "missed")) == "missed"
    assert en.deadline_status(_view("reception_evaluation", "missed")) == "expired"  # Fedasil's
    assert en.deadline_status(_view("appeal_deadline", "met")) == "met"


def test_step_changes_list_moves_documents_deadlines_and_entitlements(sim, make_case, defs):
    replay = sim.replay(make_case(*TO_CGVS, ("2025-11-28", "refuse")))
    lab = Labeller(defs, "en")
    refuse = next(s for s in replay.steps if s.event == "refuse")
    before = replay.steps[refuse.index - 1].snapshot
    changes = step_changes(refuse, before, lab)
    assert changes[0].kind == "move"
    assert changes[0].text == (
        "international protection procedure: examination by the CGVS → refused by the CGVS")
    assert any(c.kind == "deadline" and c.text.startswith("time limit for an appeal")
               and "2025-12-29" in c.text for c in changes)
    assert refuse.date == d("2025-11-28")
