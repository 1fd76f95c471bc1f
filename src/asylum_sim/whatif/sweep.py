"""``--sweep EVENT=FROM..TO/STEP``: one variant per shift of an event, and where along the
range the outcome flips.

All variants and the baseline are compared on ONE date, so that the rows can be read side
by side: ``--on`` when given, else the last date any of them reaches (the baseline and
every possible variant replayed to their ends: their last timers included). Other
``--shift``/``--drop``/``--add`` options apply to every variant.

A flip is a point where a field's qualitative value (:func:`compare.gist`: a state, an
entitlement's rule or its absence, a deadline's status, a document's presence) changes
from one shift to the next; dates that merely move with the event are not flips.
Impossible variants are rows of their own (``impossible``), and the field ``variant``
flips between ``possible`` and ``impossible``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.dates import out_of_range
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Scenario
from asylum_sim.render.labels import Labeller
from asylum_sim.whatif.cases import Outcome, run_to_end, side_on, without_index
from asylum_sim.whatif.compare import compare_status, keyed, values
from asylum_sim.whatif.edits import Edits, Shift, Sweep, apply_edits, resolve


def sweep_report(
    sim: Simulator,
    lab: Labeller,
    scenario: Scenario,
    edits: Edits,
    sweep: Sweep,
    on: dt.date | None,
    name: str,
) -> dict[str, Any]:
    """``{"baseline", "on", "event", "edits", "sweep": [...], "flips": [...]}``."""
    defs: Definitions = sim.defs
    if any(s.ref == sweep.ref for s in edits.shifts):
        raise InputError(f"--sweep {sweep.ref}: that event is also moved with --shift")
    if sweep.ref in edits.drops:
        raise InputError(f"--sweep {sweep.ref}: that event is also dropped with --drop")
    original = scenario.events[resolve(scenario, sweep.ref, "--sweep", defs)].date
    offsets = sweep.offsets()
    for offset in (offsets[0], offsets[-1]):
        if (problem := out_of_range(offset.apply(original))) is not None:
            raise InputError(f"--sweep {sweep.ref}: shifting it by {offset}: {problem}")
    if edits.drops or edits.shifts or edits.adds:
        apply_edits(scenario, edits, defs, f"variant of {name}")  # their own problems first
    baseline = run_to_end(sim, scenario, name, variant=False)
    rows = []
    for offset in offsets:
        variant_edits = Edits(edits.drops, (*edits.shifts, Shift(sweep.ref, offset)), edits.adds)
        try:
            variant = apply_edits(scenario, variant_edits, defs, f"variant of {name}")
        except InputError as exc:  # this shift makes the case invalid (before the birth)
            outcome = Outcome(scenario, name, impossible=without_index(exc))
        else:
            outcome = run_to_end(sim, variant, f"variant of {name}", variant=True)
        rows.append((offset, offset.apply(original), outcome))
    if on is None:
        on = max([baseline.last, *(o.last for _, _, o in rows if o.last)])  # type: ignore[type-var]
    base = side_on(sim, lab, baseline, on)
    sweep_rows: list[dict[str, Any]] = []
    for offset, day, outcome in rows:
        row: dict[str, Any] = {"shift": str(offset), "date": day.isoformat()}
        if outcome.impossible is not None:
            row.update(states=None, differences=None, impossible=outcome.impossible)
        else:
            side = side_on(sim, lab, outcome, on)
            row.update(
                states=side.status["states"],
                differences=compare_status(
                    base.status, side.status, {"baseline": base.origins, "variant": side.origins}
                ),
                impossible=None,
            )
            row["_status"] = side.status
        sweep_rows.append(row)
    flips = find_flips(sweep_rows)
    for row in sweep_rows:
        row.pop("_status", None)
    return {
        "baseline": base.status,
        "on": on.isoformat(),
        "event": str(sweep.ref),
        "edits": edits.describe(),
        "sweep": sweep_rows,
        "flips": flips,
    }


def find_flips(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where a field's value changes from one shift to the next possible one.

    Each flip: ``{"field", "shift", "date", "before", "after", "rule", "source"}`` with
    ``shift`` the first shift showing the new value; ``before``/``after`` are gists (null:
    absent). Ordered by shift, then field.
    """
    flips: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    previous_possible: bool | None = None
    for index, row in enumerate(rows):
        possible = row["impossible"] is None
        if previous_possible is not None and possible != previous_possible:
            flips.append({
                "field": "variant",
                "shift": row["shift"], "date": row["date"],
                "before": "possible" if previous_possible else "impossible",
                "after": "possible" if possible else "impossible",
                "rule": None, "source": None,
            })
        previous_possible = possible
        if not possible:
            continue
        status = row["_status"]
        now = values(status)
        if previous is not None:
            for field in sorted(set(previous) | set(now)):
                if previous.get(field) != now.get(field):
                    item = _item(status, field) or _item(rows_status(rows, index), field)
                    flips.append({
                        "field": field, "shift": row["shift"], "date": row["date"],
                        "before": previous.get(field), "after": now.get(field),
                        "rule": (item or {}).get("rule"), "source": (item or {}).get("source"),
                    })
        previous = now
    return flips


def rows_status(rows: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """The status of the last possible row before ``index`` (where a vanished item was)."""
    for row in reversed(rows[:index]):
        if row["impossible"] is None:
            return row["_status"]
    return {}


def _item(status: dict[str, Any], field: str) -> dict[str, Any] | None:
    section, _, key = field.partition(".")
    if section not in ("documents", "deadlines", "entitlements"):
        return None
    return keyed(status.get(section, [])).get(key)
