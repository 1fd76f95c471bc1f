"""One case of a log: the scenario built from its rows is the one a scenario file gives."""

from __future__ import annotations

import datetime as dt

from asylum_sim.eventlog.replay import new_event
from asylum_sim.model.scenario import ScenarioEvent


def test_events_built_without_validation_equal_validated_ones():
    day = dt.date(2025, 3, 4)
    cases = [("register", None, {}), ("assign_reception", None, {"kind": "collective"}),
             ("refuse", "handed over on Friday", {"notification": "handed"})]
    for event, note, attributes in cases:
        built = new_event(day, event, note, attributes)
        given = {"note": note} if note is not None else {}  # as in a scenario file
        validated = ScenarioEvent(date=day, event=event, **given, **attributes)
        assert built == validated
        assert built.attributes == validated.attributes == attributes
        assert built.model_dump() == validated.model_dump()
        assert built.model_fields_set == validated.model_fields_set
        assert built.model_copy(update={"note": "x"}).note == "x"
