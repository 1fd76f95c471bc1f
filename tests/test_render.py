"""What the reports say in words."""

from __future__ import annotations

from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import step_changes
from conftest import TO_CGVS, d


def test_an_unused_appeal_has_expired_but_a_no_show_is_missed(defs, sim):
    """An appeal is a right (an option): unused, it has *expired*; reporting at the
    structure is a duty: not done, it is *missed*. Table, Markdown, HTML and JSON all read
    the status from one place, so they agree."""
    from asylum_sim.model.scenario_file import load_scenario
    from asylum_sim.render.json_report import status_dict
    from asylum_sim.render.report_model import status_report
    from conftest import SCENARIOS

    scenario = load_scenario(SCENARIOS / "no-show-ps-2024.yaml", defs)
    replay = sim.replay(scenario)
    snap = replay.steps[-1].snapshot
    nl = Labeller(defs, "nl")
    situation = status_report(replay, snap, nl).situation
    words = {(row.id, row.status_text) for row in situation.deadlines}
    assert ("appeal_deadline", "verstreken") in words
    assert ("present_at_structure", "gemist") in words
    data = status_dict(replay, snap, nl)
    assert {(d["id"], d["status"]) for d in data["deadlines"]} >= {
        ("appeal_deadline", "expired"), ("present_at_structure", "missed")}


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
