"""The JSON of the contract (``status``, ``replay``), as plain dicts.

Ids and dates are the data; ``label``, ``why`` and ``message`` are words in the language of
the :class:`Labeller`, and a deadline's ``status`` is the one every output shows."""

from __future__ import annotations

import json
from typing import Any

from asylum_sim.engine.steps import Replay, Snapshot, Step
from asylum_sim.render.bibliography import report_sources, source_dict
from asylum_sim.render.labels import Labeller


def _iso(day: Any) -> str | None:
    return None if day is None else day.isoformat()


def snapshot_body(snap: Snapshot, lab: Labeller) -> dict[str, Any]:
    """states, documents, deadlines and entitlements of one snapshot."""
    return {
        "states": dict(snap.states),
        "documents": [
            {
                "id": d.id,
                "label": lab.document(d.id),
                "issued": _iso(d.issued),
                "valid_until": _iso(d.valid_until),
                "rule": d.rule,
                "source": d.source,
            }
            for d in snap.documents
        ],
        "deadlines": [
            {
                "id": d.id,
                "label": lab.deadline(d.id),
                "kind": d.kind,
                "actor": d.actor,
                "start": _iso(d.start),
                "due": _iso(d.due),
                "status": lab.deadline_status(d),
                "projected": d.projected,
                "rule": d.rule,
                "source": d.source,
                "why": lab.reason(d),
            }
            for d in snap.deadlines
        ],
        "entitlements": [
            {
                "id": e.id,
                "kind": e.kind,
                "label": lab.entitlement(e.id),
                "since": _iso(e.since),
                "until": _iso(e.until),
                "rule": e.rule,
                "source": e.source,
                "why": lab.reason(e),
            }
            for e in snap.entitlements
        ],
    }


def warnings_list(replay: Replay, lab: Labeller) -> list[dict[str, str]]:
    out = []
    for wid in replay.warnings:
        w = lab.defs.warnings[wid]
        out.append({"id": wid, "message": lab.warning(wid), "rule": w.rule, "source": w.source})
    return out


def status_dict(replay: Replay, snap: Snapshot, lab: Labeller) -> dict[str, Any]:
    """``status --format json``."""
    return {
        "case": replay.case,
        "on": _iso(snap.on),
        **snapshot_body(snap, lab),
        "warnings": warnings_list(replay, lab),
        "problems": [d.message for d in replay.deviations],
        "sources": [source_dict(s) for s in report_sources(replay, [snap], lab.defs)],
    }


def step_dict(step: Step, lab: Labeller) -> dict[str, Any]:
    return {
        "date": _iso(step.date),
        "event": step.event,
        "label": lab.event(step.event),
        "origin": step.origin,
        "attributes": {k: (_iso(v) if hasattr(v, "isoformat") else v)
                       for k, v in step.attributes.items()},
        "cause": step.cause,
        "note": step.note,
        "problem": step.problem,
        "moves": [
            {"machine": m.machine, "from": m.source, "to": m.dest} for m in step.moves
        ],
        **snapshot_body(step.snapshot, lab),
    }


def replay_dict(replay: Replay, lab: Labeller) -> dict[str, Any]:
    """``replay --format json``."""
    return {
        "case": replay.case,
        "person": replay.person,
        "steps": [step_dict(s, lab) for s in replay.steps],
        "warnings": warnings_list(replay, lab),
        "problems": [d.message for d in replay.deviations],
        "sources": [source_dict(s) for s in report_sources(
            replay, (step.snapshot for step in replay.steps), lab.defs)],
    }


def dumps(data: Any) -> str:
    """Deterministic JSON text (same input, same bytes)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
