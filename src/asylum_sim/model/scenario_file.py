"""Read a scenario file and check it against the event catalogue."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from asylum_sim.model.catalogue import attribute_value_ok
from asylum_sim.model.dates import out_of_range
from asylum_sim.model.errors import QUOTE_LIMIT, InputError, Problem, clip, problems_from, shown
from asylum_sim.model.loader import Definitions
from asylum_sim.model.safe_yaml import read_yaml
from asylum_sim.model.scenario import Scenario


def load_scenario(path: Path | str, defs: Definitions) -> Scenario:
    """Parse and validate one scenario; every problem names the file and the entry."""
    path = Path(path)
    data = read_yaml(path, "scenario file")
    scenario = parse_scenario(data, defs, str(path))
    if scenario.id is None:
        scenario = scenario.model_copy(update={"id": path.stem})
    return scenario


def parse_scenario(data: Any, defs: Definitions, name: str = "<scenario>") -> Scenario:
    """Validate already-parsed scenario data (a mapping) against the catalogue."""
    if not isinstance(data, dict):
        raise InputError([Problem(name, "", "expected a mapping with an 'events' list")])
    data = _dates_as_dates(data, defs)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(name, exc)) from None
    problems = [
        Problem(name, f"events[{i}] ({entry.date} {clip(entry.event)})", message)
        for i, entry in enumerate(scenario.events)
        for message in event_problems(entry.event, entry.attributes, defs)
    ]
    problems += date_problems(scenario, defs, name)
    problems += expectation_problems(scenario, defs, name)
    if problems:
        raise InputError(problems)
    return scenario


def date_problems(scenario: Scenario, defs: Definitions, name: str) -> list[Problem]:
    """Dates outside the range asylum-sim handles, events before the person's birth, and
    date attributes (``until``) before their own event's date."""
    found = []
    before_birth: list[str] = []
    birth = scenario.person.birth_date
    if birth is not None and (problem := out_of_range(birth)) is not None:
        found.append(Problem(name, "person.birth_date", problem))
        birth = None
    for i, entry in enumerate(scenario.events):
        where = f"events[{i}] ({entry.date} {clip(entry.event)})"
        if (problem := out_of_range(entry.date)) is not None:
            found.append(Problem(name, where, problem))
            continue
        if birth is not None and entry.date < birth:
            before_birth.append(where)
        spec = defs.events.get(entry.event)
        for key, value in entry.attributes.items():
            attr = spec.attributes.get(key) if spec is not None else None
            if attr is None or attr.type != "date" or not isinstance(value, dt.date):
                continue
            if (problem := out_of_range(value)) is not None:
                found.append(Problem(name, f"{where}.{key}", problem))
            elif value < entry.date:
                found.append(Problem(
                    name, f"{where}.{key}",
                    f"{key} {value} is before the event's own date {entry.date}",
                ))
    if before_birth:  # one line: a wrong birth date would put every event before it
        more = len(before_birth) - 1
        found.insert(0, Problem(
            name, before_birth[0],
            f"the event is dated before the person's birth on {birth} (person.birth_date)"
            + (f"; so {'is' if more == 1 else 'are'} {more} more event{'s' * (more != 1)}"
               if more else ""),
        ))
    for i, exp in enumerate(scenario.expect):
        if (problem := out_of_range(exp.on)) is not None:
            found.append(Problem(name, f"expect[{i}].on", problem))
    return found


def expectation_problems(scenario: Scenario, defs: Definitions, name: str) -> list[Problem]:
    """Ids in ``expect:`` that the machines do not know: a machine or state, a document, a
    deadline, an entitlement or a warning (each with the closest known one)."""
    found = []

    def unknown(where: str, what: str, value: str, known: list[str]) -> None:
        found.append(Problem(name, where, f"unknown {what} {value!r}{suggest(value, known)}"))

    for i, exp in enumerate(scenario.expect):
        at = f"expect[{i}] ({exp.on})"
        for machine_id, state in exp.states.items():
            machine = defs.machines.get(machine_id)
            if machine is None:
                unknown(f"{at}.states", "machine", machine_id, list(defs.machines))
            elif state not in (states := [s.id for s in machine.states]):
                unknown(f"{at}.states.{machine_id}", f"state of {machine_id}", state, states)
        for key, what, table in (
            ("documents", "document", defs.documents),
            ("not_documents", "document", defs.documents),
            ("deadlines", "deadline", defs.deadlines),
            ("entitlements", "entitlement", defs.entitlements),
            ("not_entitlements", "entitlement", defs.entitlements),
            ("warnings", "warning", defs.warnings),
            ("not_warnings", "warning", defs.warnings),
        ):
            for value in getattr(exp, key):
                if value not in table:
                    unknown(f"{at}.{key}", what, value, list(table))
        events = defs.scenario_events()
        for key in ("possible", "not_possible"):
            for value in getattr(exp, key):
                if value not in events:
                    unknown(f"{at}.{key}", "scenario event", value, events)
    return found


def _dates_as_dates(data: dict[str, Any], defs: Definitions) -> dict[str, Any]:
    """Turn ISO text of date-typed event attributes (``until: 2025-01-31``) into dates;
    text that is not a date is left for :func:`event_problems` to report."""
    events = data.get("events")
    if not isinstance(events, list):
        return data
    converted = []
    for entry in events:
        spec = defs.events.get(entry.get("event")) if isinstance(entry, dict) else None
        if spec is not None:
            entry = dict(entry)
            for key, attr in spec.attributes.items():
                if attr.type == "date" and isinstance(entry.get(key), str):
                    with contextlib.suppress(ValueError):
                        entry[key] = dt.date.fromisoformat(entry[key])
        converted.append(entry)
    return {**data, "events": converted}


def event_problems(event: str, attributes: dict[str, Any], defs: Definitions) -> list[str]:
    """What is wrong with one scenario event (unknown name, attributes), in plain words."""
    spec = defs.events.get(event)
    if spec is None:
        return [f"unknown event {shown(event)}{suggest(event, defs.scenario_events())}"]
    if spec.origin in ("timer", "internal"):
        return [f"event {event!r} is fired by the simulator ({spec.origin}), not by a scenario"]
    found = []
    for key, value in attributes.items():
        attr = spec.attributes.get(key)
        if attr is None:
            known = ", ".join(spec.attributes) or "none"
            found.append(f"event {event!r} has no attribute {shown(key)} (known: {known})")
        elif not attribute_value_ok(attr, value):
            allowed = f" one of {attr.values}" if attr.values else ""
            found.append(
                f"attribute {key!r} must be a {attr.type}{allowed}; got {shown(value)}"
            )
    for key, attr in spec.attributes.items():
        if attr.required and key not in attributes:
            found.append(f"event {event!r} needs attribute {key!r}")
    return found


def suggest(name: str, candidates: list[str]) -> str:
    """``; did you mean 'x'?`` for the closest candidate, or nothing."""
    if len(name) > QUOTE_LIMIT:
        return ""  # no id is that long; and difflib's time grows with the length
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


_INT = re.compile(r"^[+-]?\d+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def attribute_from_text(text: str) -> Any:
    """An attribute value typed on a command line or in a CSV cell: true/false, an
    integer, an ISO date, else the text itself."""
    text = text.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INT.match(text):
        return int(text)
    if _ISO_DATE.match(text):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
    return text
