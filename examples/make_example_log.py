"""Make the example event log ``examples/dossiers.csv`` and its ``activiteiten.csv``.

The log looks like an export of a case-management system: Dutch column names
(``DossierNr;Activiteit;Datum``), ``;``-separated, UTF-8 with a BOM, CRLF line ends, dates
day-first with a time (``09/01/2023 14:35``), activities as the system's labels rather than
our event ids. ``activiteiten.csv`` maps those labels to event ids (and to the attribute a
label implies, such as the kind of reception place).

How the cases are made (seeded: the same files every run):
- each case follows one of the shipped scenarios (routes mixed at random), shifted by a
  whole number of weeks so that weekdays stay weekdays; only shifts under which the route
  replays without a deviation are used, so that what deviates is what was put in below;
- a few realistic deviations are put in: appeals lodged after the 30 days
  (``late``), a label the mapping does not know (``Dossier gearchiveerd``), an arrival
  recorded twice (``not_possible``), and letters to a lawyer that the mapping leaves out.

Run from the repository root: ``python examples/make_example_log.py`` (``--check`` compares
with the shipped files instead of writing them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario import Scenario, ScenarioEvent
from asylum_sim.model.scenario_file import load_scenario

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "examples"
SEED = 2026
CASES = 300

VARIANTS = {  # how the system spells an attribute in its labels
    ("kind", "collective"): "collectieve plaats",
    ("kind", "individual"): "individuele plaats",
    ("notification", "handed"): "overhandigd",
    ("notification", "posted"): "aangetekend verstuurd",
    ("by", "applicant"): "door de verzoeker",
    ("by", "state"): "door de Belgische Staat",
}
UNKNOWN_LABEL = "Dossier gearchiveerd"
IGNORED_LABEL = "Brief aan advocaat verstuurd"
ATTRIBUTES = ("kind", "notification", "by")
"""Attributes spelled in the labels; routes with others are not used."""


def label(event: str, attributes: dict[str, Any], defs: Any) -> str:
    text = defs.events[event].labels.nl
    text = text[0].upper() + text[1:]
    parts = [VARIANTS[(k, str(v))] for k, v in sorted(attributes.items())]
    return f"{text} ({', '.join(parts)})" if parts else text


def usable(scenario: Scenario) -> bool:
    return all(set(e.attributes) <= set(ATTRIBUTES) and all(
        (k, str(v)) in VARIANTS for k, v in e.attributes.items()) for e in scenario.events)


def shifted(scenario: Scenario, weeks: int, case_id: str) -> Scenario:
    delta = dt.timedelta(weeks=weeks)
    events = [e.model_copy(update={"date": e.date + delta, "note": None})
              for e in scenario.events]
    return Scenario(id=case_id, events=events)


def clean(sim: Simulator, scenario: Scenario) -> bool:
    try:
        replay = sim.replay(scenario, lenient=True, detail="states")
    except Exception:  # a shift the route does not survive: not used
        return False
    return not replay.deviations


def make(defs: Any) -> tuple[list[list[str]], list[list[str]]]:
    """(log rows, mapping rows) without headers."""
    rng = random.Random(SEED)
    sim = Simulator(defs)
    templates = [s for s in (load_scenario(p, defs) for p in sorted(
        (ROOT / "scenarios").glob("*.yaml"))) if usable(s)]
    cases: list[Scenario] = []
    while len(cases) < CASES:
        base = rng.choice(templates)
        case_id = f"2024/{len(cases) + 1:05d}"
        candidate = shifted(base, rng.randint(-60, 30), case_id)
        if clean(sim, candidate):
            cases.append(candidate)
    rows: list[tuple[str, dt.date, int, str]] = []  # (case, date, order, label)
    labels: dict[str, tuple[str, dict[str, Any]]] = {}
    refused = [c for c in cases if [e.event for e in c.events][-1] == "refuse"]
    late = {c.id for c in rng.sample(refused, min(3, len(refused)))}
    archived = {c.id for c in rng.sample(cases, 4)}
    twice = {c.id for c in rng.sample(cases, 2)}
    letters = {c.id for c in rng.sample(cases, 25)}
    for case in cases:
        events: list[ScenarioEvent] = list(case.events)
        if case.id in late:  # the appeal comes 40 days after the refusal: too late
            events.append(ScenarioEvent(date=events[-1].date + dt.timedelta(days=40),
                                        event="appeal", by="applicant"))
        for n, event in enumerate(events):
            text = label(event.event, event.attributes, defs)
            labels[text] = (event.event, event.attributes)
            rows.append((case.id, event.date, n, text))
            if event.event == "arrive" and case.id in twice:
                rows.append((case.id, event.date, n, text))
        last = max(e.date for e in events)
        if case.id in archived:
            rows.append((case.id, last + dt.timedelta(days=30), 99, UNKNOWN_LABEL))
        if case.id in letters:
            rows.append((case.id, events[0].date + dt.timedelta(days=3), 98, IGNORED_LABEL))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    log = []
    previous: tuple[str, dt.date] | None = None
    for case_id, day, _order, text in rows:  # office hours, later for each next act that day
        if previous != (case_id, day):
            moment = dt.datetime.combine(day, dt.time(rng.randint(8, 11), rng.choice((0, 30))))
        else:
            moment += dt.timedelta(minutes=rng.randint(10, 90))
        previous = (case_id, day)
        log.append([case_id, text, moment.strftime("%d/%m/%Y %H:%M")])
    mapping = [[text, event, *(str(attrs.get(a, "")) for a in ATTRIBUTES)]
               for text, (event, attrs) in sorted(labels.items())]
    mapping.append([IGNORED_LABEL, "", *("" for _ in ATTRIBUTES)])
    return log, mapping


def as_csv(header: list[str], rows: list[list[str]], bom: bool) -> bytes:
    def line(cells: list[str]) -> str:
        return ";".join(f'"{c}"' if ";" in c or '"' in c else c for c in cells)

    text = "\r\n".join(line(r) for r in [header, *rows]) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped files instead of writing them")
    args = parser.parse_args()
    defs = load_definitions(ROOT / "machines")
    log, mapping = make(defs)
    files = {
        HERE / "dossiers.csv": as_csv(["DossierNr", "Activiteit", "Datum"], log, bom=True),
        HERE / "activiteiten.csv": as_csv(["label", "event", *ATTRIBUTES], mapping, bom=False),
    }
    stale = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not what the script makes (the machines or the "
                  "engine changed?): run python examples/make_example_log.py and commit the "
                  "files", file=sys.stderr)
        return 1 if stale else 0
    for path, data in files.items():
        path.write_bytes(data)
    print(f"{len(log)} rows of {CASES} cases; {len(mapping)} labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
