"""The expectation keys added for issue 12: a document's last day of validity
(``valid_until``), the rule by which an entitlement holds (``rules``) and whether a deadline
is a projection (``projected``)."""

from __future__ import annotations

import pytest

from asylum_sim.expect.command import describe
from asylum_sim.expect.outcomes import CaseRunner, Verdict
from asylum_sim.model.errors import InputError
from test_expect import SCENARIO, parse


def outcome(text: str, defs, sim):
    (found,) = CaseRunner(sim, parse(SCENARIO + "expect:\n" + text, defs), "case.yaml").run()
    return found


def test_valid_until_and_rules_hold_or_say_what_came_out(defs, sim) -> None:
    """Refused Fri 28/11/2025 (appeal term to Mon 29/12): the right to stay holds by the
    rule of the appeal period; the order to leave has no end date."""
    holds = outcome("  - on: 2025-12-29\n"
                    "    rules: {stay_during_procedure: stay-during-appeal-period}\n", defs, sim)
    assert holds.verdict is Verdict.holds
    wrong = outcome("  - on: 2025-12-29\n"
                    "    rules: {stay_during_procedure: stay-during-appeal}\n"
                    "    valid_until: {bgv: 2026-01-28}\n", defs, sim)
    assert wrong.verdict is Verdict.fails
    assert [(m.kind, m.what, m.expected, m.got) for m in wrong.mismatches] == [
        ("document", "valid_until", "2026-01-28", "-"),
        ("entitlement", "rule", "stay-during-appeal", "stay-during-appeal-period")]
    assert describe(wrong.mismatches[1], "en") == (
        "entitlement stay_during_procedure, rule: expected stay-during-appeal, got "
        "stay-during-appeal-period")
    absent = outcome("  - on: 2025-12-30\n    rules: {stay_during_procedure: "
                     "stay-during-appeal-period}\n", defs, sim)
    assert [(m.kind, m.subject) for m in absent.mismatches] == [
        ("missing", "stay_during_procedure")]


def test_a_deadline_that_is_not_projected(defs, sim) -> None:
    ok = outcome("  - on: 2025-12-29\n    deadlines: {appeal_deadline: {projected: false}}\n",
                 defs, sim)
    assert ok.verdict is Verdict.holds
    wrong = outcome("  - on: 2025-12-29\n    deadlines: {appeal_deadline: {projected: true}}\n",
                    defs, sim)
    assert [(m.kind, m.what, m.expected, m.got) for m in wrong.mismatches] == [
        ("deadline", "projected", "True", "False")]


@pytest.mark.parametrize(("expect", "where", "words"), [
    ("  - on: 2025-12-29\n    rules: {stay_during_procedure: stay-in-appeal}\n",
     "expect[0] (2025-12-29).rules.stay_during_procedure",
     "unknown rule of stay_during_procedure 'stay-in-appeal'; did you mean"),
    ("  - on: 2025-12-29\n    rules: {stay_during_procedur: stay-during-appeal}\n",
     "expect[0] (2025-12-29).rules", "unknown entitlement 'stay_during_procedur'"),
    ("  - on: 2025-12-29\n    valid_until: {bgvv: 2026-01-01}\n",
     "expect[0] (2025-12-29).valid_until", "unknown document 'bgvv'; did you mean 'bgv'?"),
])
def test_unknown_ids_in_the_new_keys_are_refused(defs, expect, where, words) -> None:
    with pytest.raises(InputError) as info:
        parse(SCENARIO + "expect:\n" + expect, defs)
    (problem,) = info.value.problems
    assert problem.where == where and words in problem.message
