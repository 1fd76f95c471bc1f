"""``asylum-sim test [PATH...]``: run the ``expect:`` blocks of scenario files.

One line per failing expectation (file, date, what was expected, what came out), then a
count. Exit 0 when every expectation holds (known defects do not count), 1 when one fails
or a known defect now holds (its marker must go), 2 when a file cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from asylum_sim.engine.simulator import Simulator
from asylum_sim.expect.outcomes import CaseRunner, Mismatch, Outcome, Verdict, scenario_files
from asylum_sim.i18n import tr
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario_file import load_scenario

DEFAULT_FOLDER = Path("scenarios")


def describe(mismatch: Mismatch, lang: str) -> str:
    """One mismatch in words; ids stay as written in the scenario file."""
    m = mismatch
    if m.kind == "state":
        return tr("expect.mismatch.state", lang, machine=m.subject, expected=m.expected,
                  got=m.got or tr("expect.nothing", lang))
    if m.kind in ("missing", "present"):
        return tr(f"expect.mismatch.{m.kind}", lang, kind=tr(f"expect.kind.{m.what}", lang),
                  id=m.subject)
    if m.kind == "no_deadline":
        if m.what == "start":
            return tr("expect.mismatch.no_deadline_on", lang, id=m.subject,
                      expected=m.expected, got=m.got or tr("expect.nothing", lang))
        return tr("expect.mismatch.no_deadline", lang, id=m.subject)
    return tr("expect.mismatch.deadline", lang, id=m.subject,
              field=tr(f"expect.field.{m.what}", lang), expected=m.expected, got=m.got)


def outcome_line(file: str, outcome: Outcome, lang: str) -> str:
    """The report line of one outcome that is not a plain pass."""
    details = outcome.error or "; ".join(describe(m, lang) for m in outcome.mismatches)
    key = outcome.verdict.value
    if outcome.name == "case":
        return tr(f"expect.line.case_{key}", lang, file=file, details=details,
                  defect=outcome.defect or "")
    return tr(f"expect.line.{key}", lang, file=file, on=outcome.name, details=details,
              defect=outcome.defect or "")


def run_test(paths: list[Path], lang: str, machines: Path, show_defects: bool = False) -> int:
    """Run every expectation of the files (and folders) named; print; return the exit code."""
    paths = paths or [DEFAULT_FOLDER]
    files = scenario_files(paths)
    if not files:
        raise InputError(tr("expect.no_files", lang, paths=", ".join(map(str, paths))))
    defs = load_definitions(machines)
    sim = Simulator(defs)
    counts = dict.fromkeys(("total", *Verdict), 0)
    unreadable = 0
    for path in files:
        try:
            scenario = load_scenario(path, defs)
        except InputError as exc:
            unreadable += 1
            for problem in exc.problems:
                print(f"{str(problem).lstrip(': ')}")
            continue
        for outcome in CaseRunner(sim, scenario, str(path)).run():
            # A whole-case outcome stands for every expectation of the file.
            weight = max(len(scenario.expect), 1) if outcome.name == "case" else 1
            counts["total"] += weight
            counts[outcome.verdict] += weight
            if outcome.verdict.is_failure or (
                show_defects and outcome.verdict is Verdict.known_defect
            ):
                print(outcome_line(str(path), outcome, lang))
    print(tr("expect.summary", lang, files=len(files), total=counts["total"],
             holds=counts[Verdict.holds], fails=counts[Verdict.fails],
             known=counts[Verdict.known_defect], fixed=counts[Verdict.fixed],
             unreadable=unreadable))
    sys.stdout.flush()
    if unreadable:
        return 2
    return 1 if counts[Verdict.fails] or counts[Verdict.fixed] else 0
