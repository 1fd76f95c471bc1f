"""``batch``: replay many cases from one event log.

The event log is JSON Lines (one event per line: ``{"case": ..., "date": ..., "event": ...,
...attributes}``, optionally ``"person": {...}``) or CSV with the columns ``case,date,event``
and optional ``attributes`` (``key=value;key=value``) and ``person`` (same form). Events of a
case may be anywhere in the log; within a case, same-day events keep log order.
The result is one line per case (JSON Lines or CSV), in the order cases first appear.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.scenario_file import attribute_from_text
from asylum_sim.render.output import write_atomic

_SIM = None


def _pairs(text: str, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "=" not in part:
            raise InputError([Problem(where, "", f"expected key=value, got {part!r}")])
        key, value = part.split("=", 1)
        out[key.strip()] = attribute_from_text(value)
    return out


def read_eventlog(path: Path) -> dict[str, dict[str, Any]]:
    """Cases by id: ``{"id", "person", "events"}`` as scenario data, in log order."""
    if not path.is_file():
        raise InputError([Problem(str(path), "", "no such event log")])
    text = path.read_text(encoding="utf-8")
    cases: dict[str, dict[str, Any]] = {}

    def add(case: str, person: dict[str, Any], entry: dict[str, Any]) -> None:
        data = cases.setdefault(case, {"id": case, "person": {}, "events": []})
        data["person"].update(person)
        data["events"].append(entry)

    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problem = Problem(str(path), f"line {n}", f"not JSON: {exc.msg}")
                raise InputError([problem]) from None
            if not isinstance(row, dict) or "case" not in row:
                raise InputError([Problem(str(path), f"line {n}", "needs a 'case' key")])
            case = str(row.pop("case"))
            person = row.pop("person", {}) or {}
            add(case, person, row)
    else:
        reader = csv.DictReader(io.StringIO(text))
        missing = {"case", "date", "event"} - set(reader.fieldnames or [])
        if missing:
            raise InputError([Problem(str(path), "header", f"missing columns {sorted(missing)}")])
        for n, row in enumerate(reader, 2):
            where = f"{path} line {n}"
            entry = {"date": row["date"], "event": row["event"],
                     **_pairs(row.get("attributes") or "", where)}
            add(row["case"], _pairs(row.get("person") or "", where), entry)
    if not cases:
        raise InputError([Problem(str(path), "", "holds no events")])
    return cases


def _init(machines: str) -> None:
    global _SIM
    from asylum_sim.engine.simulator import Simulator
    from asylum_sim.model.loader import load_definitions

    _SIM = Simulator(load_definitions(machines))


def replay_case(job: tuple[dict[str, Any], str | None]) -> dict[str, Any]:
    """One case's result line; errors are reported in the line, not raised."""
    import datetime as dt

    from asylum_sim.model.scenario_file import parse_scenario

    data, on = job
    assert _SIM is not None
    result: dict[str, Any] = {"case": data["id"], "events": len(data["events"])}
    try:
        scenario = parse_scenario(data, _SIM.defs, f"case {data['id']}")
        if on is None:
            replay = _SIM.replay(scenario, name=f"case {data['id']}")
            snap = replay.steps[-1].snapshot
        else:
            replay, snap = _SIM.status(scenario, dt.date.fromisoformat(on),
                                       name=f"case {data['id']}")
    except InputError as exc:
        return {**result, "error": "; ".join(str(p) for p in exc.problems)}
    return {
        **result,
        "steps": len(replay.steps),
        "on": snap.on.isoformat(),
        "states": snap.states,
        "documents": [d.id for d in snap.documents],
        "deadlines_open": [d.id for d in snap.deadlines if d.status == "open"],
        "deadlines_missed": [d.id for d in snap.deadlines if d.status == "missed"],
        "entitlements": [e.id for e in snap.entitlements],
        "warnings": replay.warnings,
        "error": None,
    }


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    machines = sorted({m for r in rows for m in (r.get("states") or {})})
    fields = ["case", "events", "steps", "on", *(f"state.{m}" for m in machines),
              "documents", "deadlines_open", "deadlines_missed", "entitlements", "warnings",
              "error"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        flat = {k: (";".join(v) if isinstance(v, list) else v) for k, v in r.items()
                if k != "states"}
        flat.update({f"state.{m}": s for m, s in (r.get("states") or {}).items()})
        writer.writerow(flat)
    return buffer.getvalue()


def run_batch(eventlog: Path, output: Path | None, fmt: str, workers: int, on: str | None,
              machines: Path) -> None:
    from asylum_sim.cli.reports import parse_date

    if on is not None:
        parse_date(on)
    cases = read_eventlog(eventlog)
    from asylum_sim.model.loader import load_definitions

    load_definitions(machines)  # fail once, clearly, before starting workers
    jobs = [(data, on) for data in cases.values()]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(workers, _init, (str(machines),)) as pool:
            rows = pool.map(replay_case, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    else:
        _init(str(machines))
        rows = [replay_case(job) for job in jobs]
    if fmt == "csv":
        text = _csv(rows)
    else:
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    failed = sum(1 for r in rows if r.get("error"))
    print(f"{len(rows)} cases, {failed} with errors", file=sys.stderr)
