"""The shipped scenarios: each is well formed, replays without error and carries
expectations; three of them are also pinned by whole-replay golden files.

What each scenario must show on which day is written in the scenario file itself
(``expect:``, worked out by hand from the sources, run by ``asylum-sim test`` and by pytest
through the plugin ``asylum_sim.expect.pytest_plugin``). The golden files
(``tests/golden/<scenario-id>.json``) add a net under everything else a replay shows, for
three varied cases (first-instance recognition; refusal, appeal and an open return place
with an exception; a posted refusal reformed into subsidiary protection with card
renewals). They hold a *reduced* form of ``asylum-sim replay SCENARIO --format json --lang
en`` so that a reviewer can read them:

- per step: ``date``, ``event``, ``origin``, ``cause`` (timer/internal steps), ``states``
  and ``changes``: what the step changed in the documents, deadlines and entitlements, one
  line each, ``+`` added, ``-`` gone, ``~`` changed (the line shows the new value);
- ``final``: the full last snapshot in the same one-line form;
- ``warnings`` (ids) and ``problems``.

One line per item: ``document ID issued..valid_until``, ``deadline ID start..due STATUS
(rule)``, ``entitlement ID since..until (rule)``; ``-`` for a missing date. Labels, sources
and "why" texts are left out (they are tested elsewhere and would bury the dates).

Regenerate after a reviewed change: ``UPDATE_GOLDEN=1 pytest tests/test_scenarios.py``
rewrites the files and then fails ("golden files rewritten; review the diff and rerun"), so
that a stray ``UPDATE_GOLDEN=1`` in the environment never makes the test pass by itself;
under CI (``CI`` set) it refuses to rewrite. Read the diff against the sources, then rerun
without it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render import json_report
from asylum_sim.render.labels import Labeller
from conftest import SCENARIOS, runnable_scenarios

GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
RUNNABLE = runnable_scenarios()
GOLDEN_CASES = ["refugee-sy-2023", "otp-exception-am-2024", "posted-refusal-cm-2025"]
"""The scenarios pinned by a whole-replay golden file (varied on purpose)."""

# Actors whose acts happen on working days only (authorities; persons and structures may
# act on any day).
AUTHORITIES = {"dvz", "cgvs", "rvv", "fedasil", "municipality", "police", "integration_office"}
# A note cites a brochure section, an opvang heading or a law article.
SOURCE_RE = re.compile(r"brochure §\d|opvang \"|law: ")


def _d(value: str | None) -> str:
    return value or "-"


def _document(item: dict[str, Any]) -> tuple[tuple[str, str], str]:
    return (item["id"], item["issued"]), (
        f"document {item['id']} {item['issued']}..{_d(item['valid_until'])}")


def _deadline(item: dict[str, Any]) -> tuple[tuple[str, str, str], str]:
    return (item["id"], item["start"], item["rule"]), (
        f"deadline {item['id']} {item['start']}..{item['due']} {item['status']} ({item['rule']})")


def _entitlement(item: dict[str, Any]) -> tuple[str, str]:
    return item["id"], (
        f"entitlement {item['id']} {item['since']}..{_d(item['until'])} ({item['rule']})")


def _lines(step: dict[str, Any]) -> dict[Any, str]:
    """Every item of a step's snapshot, keyed so that an item can be followed across steps."""
    out: dict[Any, str] = {}
    for kind, key_line in (("documents", _document), ("deadlines", _deadline),
                           ("entitlements", _entitlement)):
        for item in step[kind]:
            key, line = key_line(item)
            # Two instances of one deadline started the same day by the same rule: number them.
            while (kind, key) in out:
                key = (*key, "again") if isinstance(key, tuple) else (key, "again")
            out[(kind, key)] = line
    return out


def reduce_replay(data: dict[str, Any]) -> dict[str, Any]:
    """The reviewable form of a ``replay --format json`` document (see the module doc)."""
    steps = []
    before: dict[Any, str] = {}
    for step in data["steps"]:
        now = _lines(step)
        changes = [f"- {before[k]}" for k in before if k not in now]
        changes += [f"~ {now[k]}" for k in now if k in before and before[k] != now[k]]
        changes += [f"+ {now[k]}" for k in now if k not in before]
        entry: dict[str, Any] = {"date": step["date"], "event": step["event"],
                                 "origin": step["origin"]}
        if step["cause"]:
            entry["cause"] = step["cause"]
        if step["attributes"]:
            entry["attributes"] = step["attributes"]
        entry["states"] = step["states"]
        entry["changes"] = changes
        steps.append(entry)
        before = now
    return {
        "case": data["case"],
        "person": data["person"],
        "warnings": [w["id"] for w in data["warnings"]],
        "problems": data["problems"],
        "steps": steps,
        "final": {"date": data["steps"][-1]["date"], "states": data["steps"][-1]["states"],
                  "items": list(before.values())},
    }


def replay_json(path: Path, defs: Definitions) -> dict[str, Any]:
    """What ``asylum-sim replay PATH --format json --lang en`` prints, as a dict."""
    scenario = load_scenario(path, defs)
    replay = Simulator(defs).replay(scenario, name=str(path))
    text = json_report.dumps(json_report.replay_dict(replay, Labeller(defs, "en")))
    return json.loads(text)


def golden_text(path: Path, defs: Definitions) -> str:
    return json.dumps(reduce_replay(replay_json(path, defs)), ensure_ascii=False,
                      indent=1) + "\n"


def _ids(paths: list[Path] | None = None) -> list[str]:
    return [p.stem for p in (SCENARIO_FILES if paths is None else paths)]


class GoldenRewritten(AssertionError):
    """UPDATE_GOLDEN=1 rewrote a golden file: the run must not pass."""


def check_golden(golden: Path, text: str, environ: Mapping[str, str]) -> None:
    """Compare a reduced replay with its golden file.

    With ``UPDATE_GOLDEN=1`` the file is rewritten and :class:`GoldenRewritten` is raised
    (a rewritten run never passes); under CI (``CI`` set) the rewrite is refused.
    """
    if environ.get("UPDATE_GOLDEN") == "1":
        if environ.get("CI"):
            raise AssertionError("UPDATE_GOLDEN=1 is refused under CI: golden files are "
                                 "rewritten on a developer's machine and reviewed")
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        raise GoldenRewritten("golden files rewritten; review the diff and rerun")
    assert golden.is_file(), f"no golden file {golden.name}: run UPDATE_GOLDEN=1 pytest"
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(text)


# --- the scenario files themselves ----------------------------------------------------------
def test_at_least_sixteen_scenarios_are_shipped() -> None:
    """The library has the two original scenarios and at least 14 more."""
    names = {p.name for p in SCENARIO_FILES}
    assert {"refugee-sy-2023.yaml", "refusal-no-appeal-2025.yaml"} <= names
    assert len(names) >= 16


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_has_id_title_person_and_a_sourced_note_on_every_event(path: Path) -> None:
    """Each file: id equal to its file name, a title, a person, and a note citing a source
    on every event."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == path.stem
    assert data.get("title") and data.get("person")
    for index, event in enumerate(data["events"]):
        assert SOURCE_RE.search(event.get("note") or ""), (index, event)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_authority_acts_fall_on_working_days(path: Path, defs: Definitions) -> None:
    """Acts of the DVZ, CGVS, RvV, Fedasil, municipality and police are dated on working
    days (no Saturday, Sunday or Belgian public holiday)."""
    from asylum_sim.calendar import is_working_day

    scenario = load_scenario(path, defs)
    for event in scenario.events:
        actor = defs.events[event.event].actor
        if actor in AUTHORITIES:
            assert is_working_day(event.date), (event.date, event.event)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_events_are_in_date_order(path: Path, defs: Definitions) -> None:
    """Files list events in date order, so that they read as a story."""
    dates = [e.date for e in load_scenario(path, defs).events]
    assert dates == sorted(dates)


# --- replay, expectations and golden files ---------------------------------------------------
@pytest.mark.parametrize("path", RUNNABLE, ids=_ids(RUNNABLE))
def test_scenario_replays_without_problems(path: Path, defs: Definitions) -> None:
    """Every shipped scenario replays strictly (no impossible event, no problem), except
    those marked as a known defect of the whole case."""
    data = replay_json(path, defs)
    assert data["problems"] == []
    assert data["steps"] and all(s["problem"] is None for s in data["steps"])
    assert dt.date.fromisoformat(data["steps"][-1]["date"])


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_scenario_has_expectations_with_their_sources(path: Path) -> None:
    """Each file carries an ``expect:`` list, with a comment citing the sources."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert len(data.get("expect") or []) >= 3, path.name
    tail = text[text.index("\nexpect:"):]
    assert SOURCE_RE.search(tail) or re.search(r"# .*(brochure|opvang|Vw\.)", tail)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=_ids())
def test_known_defect_markers_name_their_issue(path: Path) -> None:
    """A ``defect:`` marker says which defect it is (``issue 12 #N: ...`` or ``new: ...``),
    so that the markers form a work list."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    markers = [data["defect"]] if "defect" in data else []
    markers += [e["defect"] for e in data.get("expect") or [] if "defect" in e]
    for marker in markers:
        assert re.match(r"^(issue \d+ #\d+|new): \S", marker), marker


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_scenario_matches_its_golden_file(name: str, defs: Definitions) -> None:
    """The reduced replay equals tests/golden/<id>.json (UPDATE_GOLDEN=1 rewrites, then
    fails)."""
    text = golden_text(SCENARIOS / f"{name}.yaml", defs)
    try:
        check_golden(GOLDEN / f"{name}.json", text, os.environ)
    except GoldenRewritten as exc:
        pytest.fail(str(exc))


def test_every_golden_file_belongs_to_a_golden_case() -> None:
    """No golden file is left behind for a scenario no longer pinned by one."""
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(GOLDEN_CASES)


def test_update_golden_rewrites_and_then_fails(tmp_path: Path) -> None:
    """UPDATE_GOLDEN=1 by accident: the file is rewritten, and the test fails anyway."""
    golden = tmp_path / "case.json"
    golden.write_text('{"old": 1}\n', encoding="utf-8")
    with pytest.raises(GoldenRewritten, match="review the diff and rerun"):
        check_golden(golden, '{"new": 2}\n', {"UPDATE_GOLDEN": "1"})
    assert json.loads(golden.read_text(encoding="utf-8")) == {"new": 2}
    # Without the variable the rewritten file is compared as usual.
    check_golden(golden, '{"new": 2}\n', {})


def test_update_golden_is_refused_under_ci(tmp_path: Path) -> None:
    """Under CI the golden files are never rewritten."""
    golden = tmp_path / "case.json"
    golden.write_text('{"old": 1}\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="refused under CI"):
        check_golden(golden, '{"new": 2}\n', {"UPDATE_GOLDEN": "1", "CI": "true"})
    assert json.loads(golden.read_text(encoding="utf-8")) == {"old": 1}
