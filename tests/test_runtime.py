"""The fast dispatcher agrees with transitions' own trigger."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from asylum_sim.engine.runtime import compile_machine
from asylum_sim.engine.state import CaseState


def _case(machine_id: str, state: str) -> CaseState:
    return CaseState(on=dt.date(2024, 1, 1), states={machine_id: state}, facts={})


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fire_and_transitions_trigger_take_the_same_transitions(defs, data):
    """For random event sequences, set_state dispatch and Model.trigger end in the same
    states with the same transitions taken."""
    for definition in defs.machines.values():
        compiled = compile_machine(definition)
        events = sorted({t.event for t in definition.transitions})
        fast, slow = compiled.new_model(), compiled.new_model()
        for event in data.draw(st.lists(st.sampled_from(events), max_size=12)):
            case = _case(definition.id, fast.state)
            taken_fast = compiled.fire(fast, event, case)
            taken_slow = compiled.fire_via_trigger(slow, event, case)
            assert taken_fast is taken_slow
            assert fast.state == slow.state


def test_released_models_start_again_in_the_initial_state(defs):
    compiled = compile_machine(defs.machines["procedure"])
    model = compiled.new_model()
    compiled.fire(model, "apply", _case("procedure", model.state))
    assert model.state == "applied"
    compiled.release(model)
    again = compiled.new_model()
    assert again is model and again.state == defs.machines["procedure"].initial
