"""What the reports say in words."""

from __future__ import annotations

from asylum_sim.render.changes import status_word, step_changes
from asylum_sim.render.labels import Labeller
from conftest import TO_CGVS, d


def test_an_unused_appeal_has_expired_but_a_late_lodging_is_missed(defs):
    """An appeal is a right (optional term); reporting at the structure is a duty."""
    nl, en = Labeller(defs, "nl"), Labeller(defs, "en")
    assert status_word(en, "appeal_deadline", "missed") == "expired"
    assert status_word(nl, "appeal_deadline", "missed") == "verstreken"
    assert status_word(en, "present_at_structure", "missed") == "missed"
    assert status_word(en, "reception_evaluation", "missed") == "expired"  # Fedasil's term


def test_step_changes_list_moves_documents_deadlines_and_entitlements(sim, make_case, defs):
    replay = sim.replay(make_case(*TO_CGVS, ("2025-11-28", "refuse")))
    lab = Labeller(defs, "en")
    refuse = next(s for s in replay.steps if s.event == "refuse")
    before = replay.steps[refuse.index - 1].snapshot
    lines = step_changes(refuse, before, lab)
    assert lines[0].startswith("procedure: examination by the CGVS → refused")
    assert any(line.startswith("⏱ time limit for an appeal") and "2025-12-29" in line
               for line in lines)
    assert refuse.date == d("2025-11-28")
