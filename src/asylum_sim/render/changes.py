"""What a step changed compared with the step before: the lines a reader scans."""

from __future__ import annotations

from asylum_sim.engine.steps import Snapshot, Step
from asylum_sim.render.labels import Labeller
from asylum_sim.render.projection import projected_mark

WORDS = {
    "nl": {"due": "uiterlijk", "since": "sinds", "until": "tot", "valid": "geldig tot",
           "open": "loopt", "met": "gehaald", "missed": "gemist", "cancelled": "vervallen",
           "expired": "verstreken"},
    "en": {"due": "due", "since": "since", "until": "until", "valid": "valid until",
           "open": "open", "met": "met", "missed": "missed", "cancelled": "cancelled",
           "expired": "expired"},
}


def word(lab: Labeller, key: str) -> str:
    return WORDS.get(lab.lang, WORDS["en"])[key]


def status_word(lab: Labeller, deadline_id: str, status: str) -> str:
    """A deadline's status in words. A term for an authority (Fedasil's evaluation) or
    for a right the person may use or not (an appeal) has *expired*; only a duty of the
    person is *missed*."""
    definition = lab.defs.deadlines.get(deadline_id)
    if status == "missed" and definition is not None and (
        definition.actor != "person" or definition.optional
    ):
        return word(lab, "expired")
    return word(lab, status)


def step_changes(step: Step, before: Snapshot | None, lab: Labeller) -> list[str]:
    """``+``/``-`` lines: states moved, documents issued or gone, deadlines started or closed,
    entitlements gained or lost."""
    now = step.snapshot
    lines = [
        f"{m.machine}: {lab.state(m.machine, m.source)} → {lab.state(m.machine, m.dest)}"
        for m in step.moves
    ]
    old_docs = {(d.id, d.issued) for d in before.documents} if before else set()
    new_docs = {(d.id, d.issued) for d in now.documents}
    added = sorted(new_docs - old_docs)
    gone = {i for i, _ in old_docs - new_docs}
    renewed = {i for i, _ in added} & gone
    lines += [f"{'↻' if i in renewed else '+'} {lab.document(i)}" for i, _ in added]
    lines += [f"- {lab.document(i)}" for i in sorted(gone - renewed)]
    old_dl = {(d.id, d.start): d.status for d in before.deadlines} if before else {}
    for d in now.deadlines:
        key = (d.id, d.start)
        if key not in old_dl:
            lines.append(f"⏱ {lab.deadline(d.id)}: {word(lab, 'due')} {d.due}"
                         + projected_mark(d, lab.lang))
        elif old_dl[key] != d.status:
            lines.append(f"⏱ {lab.deadline(d.id)}: {status_word(lab, d.id, d.status)}")
    old_ent = {e.id for e in before.entitlements} if before else set()
    new_ent = {e.id for e in now.entitlements}
    lines += [f"+ {lab.entitlement(e.id)}" for e in now.entitlements if e.id not in old_ent]
    lines += [f"- {lab.entitlement(i)}" for i in sorted(old_ent - new_ent)]
    if step.problem:
        lines.append(f"! {step.problem}")
    return lines
