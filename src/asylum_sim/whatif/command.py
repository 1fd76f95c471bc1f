"""The ``whatif`` command: a case and a variant side by side, or a sweep of shifts.

Exit codes: 0 when the comparison was made; 2 for bad options or files (unknown event,
malformed option, an ``EVENT#N`` that does not occur); 3 when the baseline scenario itself
is impossible; 4 when the VARIANT is impossible (an event it moves, drops or adds leaves
some event not possible in its state; the whole variant is replayed, so this holds also for
an event after ``--on``). With 4 the report is still printed: the baseline,
and "the variant is impossible: ..." naming the event, its date, the states and the events
possible then (JSON: ``"variant": null`` and ``"impossible": "..."``). A sweep reports
impossible shifts as rows and exits 0.

Comparison date: ``--on``, else the last date either timeline reaches (the latest step of
the two replays, timers included); for a sweep see :mod:`asylum_sim.whatif.sweep`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import typer

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.dates import parse_cli_date
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario import Scenario
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render.json_report import dumps
from asylum_sim.render.labels import Labeller
from asylum_sim.render.terminal import terminal_for
from asylum_sim.whatif.cases import blocked_at, run_to_end, side_on
from asylum_sim.whatif.compare import compare_status
from asylum_sim.whatif.edits import Edits, apply_edits, parse_edits, parse_sweep

VARIANT_IMPOSSIBLE = 4
"""Exit code when the variant cannot be replayed (the report is printed all the same)."""

IMPOSSIBLE = "the variant is impossible: {}"


def whatif_report(
    sim: Simulator, lab: Labeller, scenario: Scenario, edits: Edits, on: dt.date | None,
    name: str,
) -> dict[str, Any]:
    """``{"baseline", "variant", "differences", "on", "edits", "impossible", "blocked"}``
    (``blocked``: where an impossible variant gets stuck, see :func:`cases.blocked_at`)."""
    variant_name = f"variant of {name}"
    variant = apply_edits(scenario, edits, sim.defs, variant_name)
    baseline = run_to_end(sim, scenario, name, variant=False)
    outcome = run_to_end(sim, variant, variant_name, variant=True)
    if on is None:
        on = max(d for d in (baseline.last, outcome.last) if d is not None)
    base = side_on(sim, lab, baseline, on)
    if outcome.impossible is not None:
        return {"baseline": base.status, "variant": None, "differences": [],
                "on": on.isoformat(), "edits": edits.describe(),
                "impossible": IMPOSSIBLE.format(outcome.impossible),
                "blocked": blocked_at(sim, variant, variant_name)}
    other = side_on(sim, lab, outcome, on)
    differences = compare_status(
        base.status, other.status, {"baseline": base.origins, "variant": other.origins}
    )
    return {"baseline": base.status, "variant": other.status, "differences": differences,
            "on": on.isoformat(), "edits": edits.describe(), "impossible": None,
            "blocked": None}


def _date(text: str | None) -> dt.date | None:
    return None if text is None else parse_cli_date(text, "--on")


def run_whatif(
    scenario: Path,
    shifts: list[str],
    drops: list[str],
    adds: list[str],
    sweep: str | None,
    on: str | None,
    fmt: str,
    lang: str,
    machines_dir: Path,
) -> None:
    """Parse the options, replay baseline and variant(s), print the comparison."""
    from asylum_sim.whatif import render
    from asylum_sim.whatif.sweep import sweep_report

    day = _date(on)
    edits = parse_edits(shifts, drops, adds)
    sweep_spec = parse_sweep(sweep) if sweep is not None else None
    if sweep_spec is None and not (edits.drops or edits.shifts or edits.adds):
        raise InputError(
            "nothing to compare: give at least one --shift EVENT=+30d, --drop EVENT, "
            "--add DATE:EVENT or --sweep EVENT=-60d..+60d/15d"
        )
    defs = load_definitions(machines_dir)
    case = load_scenario(scenario, defs)
    sim = Simulator(defs)
    lab = Labeller(defs, lang)
    terminal = terminal_for()
    if sweep_spec is not None:
        report = sweep_report(sim, lab, case, edits, sweep_spec, day, str(scenario))
        text = dumps(report) if fmt == "json" else render.sweep_table(
            report, lab, sweep_spec.ref, edits, sweep_spec.offsets(), terminal=terminal)
        sys.stdout.write(text)
        return
    report = whatif_report(sim, lab, case, edits, day, str(scenario))
    text = dumps(report) if fmt == "json" else render.whatif_table(report, lab, edits,
                                                                   terminal=terminal)
    sys.stdout.write(text)
    if report["impossible"] is not None:
        if fmt == "json":  # the table already says it in words; JSON readers get stderr
            sys.stdout.flush()
            print(f"error: {report['impossible']}", file=sys.stderr)
        raise typer.Exit(VARIANT_IMPOSSIBLE)
