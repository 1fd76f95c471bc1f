"""The report model: one case in words of one language, read by every renderer of case
reports (terminal table, Markdown, HTML, PDF).

Built from the engine's :class:`~asylum_sim.engine.steps.Replay` and a
:class:`~asylum_sim.render.labels.Labeller`; renderers only lay it out. No renderer reads
another renderer's output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Literal

from asylum_sim.engine.steps import Replay, Snapshot, Step
from asylum_sim.model.sources import citations as _citations
from asylum_sim.render.bibliography import cited_places
from asylum_sim.render.labels import Labeller

ChangeKind = Literal["move", "issued", "renewed", "withdrawn", "deadline", "gained", "lost",
                     "problem"]
Tone = Literal["neutral", "gained", "lost", "open", "met", "missed", "expired", "cancelled",
               "problem", "duty"]
"""How a change or a span is coloured: ``duty`` is an obligation or restriction in force."""


@dataclass(frozen=True)
class Change:
    """One thing a step changed, in words: a state moved, a document issued, ..."""

    kind: ChangeKind
    text: str
    tone: Tone


@dataclass(frozen=True)
class StepEntry:
    """One step of the case: the event, how it came about, what it changed."""

    index: int
    date: dt.date
    event_id: str
    event: str
    origin: str
    """``scenario``, ``timer`` or ``internal``."""
    origin_text: str
    cause: str | None
    """For a timer or internal step: what caused it, in words."""
    note: str | None
    """The note of the scenario file, as its author wrote it (left out when it only
    repeats a citation of the step)."""
    citations: tuple[str, ...]
    """Sources of the transitions the step took."""
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class StateRow:
    machine_id: str
    machine: str
    state_id: str
    state: str


@dataclass(frozen=True)
class DocumentRow:
    id: str
    label: str
    issued: dt.date
    valid_until: dt.date | None
    citations: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineRow:
    id: str
    label: str
    start: dt.date
    due: dt.date
    status: str
    """One of :data:`asylum_sim.render.labels.STATUSES`, the same in every output."""
    status_text: str
    actor: str
    rule: str
    citations: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class EntitlementRow:
    id: str
    label: str
    kind: str
    kind_text: str
    since: dt.date
    until: dt.date | None
    rule: str
    citations: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class Situation:
    """The situation at the end of one day (or after one step)."""

    on: dt.date
    states: tuple[StateRow, ...]
    documents: tuple[DocumentRow, ...]
    deadlines: tuple[DeadlineRow, ...]
    entitlements: tuple[EntitlementRow, ...]


@dataclass(frozen=True)
class Notice:
    """A warning that holds for the case (e.g. a law the model does not describe)."""

    id: str
    text: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    """A stretch of time on a timeline lane: a state, a deadline, an entitlement."""

    label: str
    start: dt.date
    end: dt.date
    """Last day (inclusive)."""
    tone: Tone
    initial: bool = False
    """A machine's initial state (nothing happened yet): drawn faintly."""


@dataclass(frozen=True)
class Lane:
    group: Literal["states", "deadlines", "entitlements"]
    label: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    lanes: tuple[Lane, ...]


@dataclass(frozen=True)
class SourceEntry:
    """A document cited in a report, as the bibliography (machines/sources.yaml) gives it."""

    id: str
    """How it is cited (``brochure``, ``Vw.``)."""
    places: tuple[str, ...]
    """The places of it the report cites (``§2.1``, ``art. 50 §1``)."""
    title: str | None
    publisher: str | None
    date: str
    """Its date, or the word for undated."""
    url: str | None


@dataclass(frozen=True)
class CaseReport:
    """A whole case for a reader: who, what warns, each step, the situation at the end."""

    lang: str
    case: str
    title: str | None
    """The scenario's own title, as its author wrote it."""
    person: tuple[tuple[str, str], ...]
    warnings: tuple[Notice, ...]
    problems: tuple[str, ...]
    steps: tuple[StepEntry, ...]
    situation: Situation | None
    timeline: Timeline | None
    sources: tuple[SourceEntry, ...]
    """Every document cited in the report, with the places cited in it."""


# -- building -------------------------------------------------------------------------------

def case_report(replay: Replay, lab: Labeller, *, title: str | None = None,
                explain: bool = False) -> CaseReport:
    """The report model of a replayed case. ``explain`` adds the reasons of deadlines and
    entitlements (computing them costs time on long cases)."""
    steps = []
    before: Snapshot | None = None
    problems_by_step = _problems_by_step(replay, lab)
    for step in replay.steps:
        steps.append(step_entry(step, before, lab, problems_by_step.get(step.index)))
        before = step.snapshot
    situation = (situation_of(replay.steps[-1].snapshot, lab, explain=explain)
                 if replay.steps else None)
    report = CaseReport(
        lang=lab.lang,
        case=replay.case,
        title=title,
        person=person_rows(replay.person, lab),
        warnings=notices(replay, lab),
        problems=tuple(lab.deviation(d) for d in replay.deviations),
        steps=tuple(steps),
        situation=situation,
        timeline=timeline(replay, lab),
        sources=(),
    )
    return _with_sources(report, lab)


def status_report(replay: Replay, snap: Snapshot, lab: Labeller, *, title: str | None = None,
                  explain: bool = False) -> CaseReport:
    """The report model of a case on one date: the situation, without the steps."""
    return _with_sources(CaseReport(
        lang=lab.lang, case=replay.case, title=title, person=person_rows(replay.person, lab),
        warnings=notices(replay, lab),
        problems=tuple(lab.deviation(d) for d in replay.deviations), steps=(),
        situation=situation_of(snap, lab, explain=explain), timeline=None, sources=()), lab)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def citations(source: str | None) -> tuple[str, ...]:
    """The citations of a ``source`` text of the data (``brochure §2.1; Vw. art. 50 §1``)."""
    return tuple(_citations(source)) if source else ()


def _with_sources(report: CaseReport, lab: Labeller) -> CaseReport:
    cited: list[str] = []
    for notice in report.warnings:
        cited += notice.citations
    for step in report.steps:
        cited += step.citations
    if report.situation is not None:
        for rows in (report.situation.documents, report.situation.deadlines,
                     report.situation.entitlements):
            for row in rows:
                cited += row.citations
    return replace(report, sources=tuple(
        SourceEntry(ident, places, _sentence(entry.title) if entry else None,
                    entry.publisher if entry else None,
                    entry.date.isoformat() if entry and entry.date else lab.t(
                        "bibliography.undated"),
                    entry.url if entry else None)
        for ident, entry, places in cited_places(cited, lab.defs.sources)))


def _problems_by_step(replay: Replay, lab: Labeller) -> dict[int, str]:
    """The deviation of each step that was not possible (``--lenient``), in words."""
    found: dict[int, str] = {}
    pending = [d for d in replay.deviations if d.kind == "not_possible"]
    for step in replay.steps:
        if step.problem is None:
            continue
        match = next((d for d in pending if d.date == step.date and d.event == step.event), None)
        if match is not None:
            pending.remove(match)
            found[step.index] = lab.deviation(match)
        else:
            found[step.index] = lab.t("report.deviation.other", event=lab.event(step.event),
                                      date=step.date, states="")
    return found


def notices(replay: Replay, lab: Labeller) -> tuple[Notice, ...]:
    out = []
    for wid in replay.warnings:
        definition = lab.defs.warnings.get(wid)
        out.append(Notice(wid, lab.warning(wid),
                          citations(definition.source if definition else None)))
    return tuple(out)


PERSON_ORDER = ("birth_date", "nationality", "region", "unaccompanied_minor", "resettled",
                "family_in_belgium", "eu_citizen", "needy", "detained")


def person_rows(person: dict[str, Any], lab: Labeller) -> tuple[tuple[str, str], ...]:
    """The person's attributes in words; a yes/no attribute only when it says something
    (``needy`` is shown when false: that is the exception)."""
    rows = []
    for key in PERSON_ORDER:
        value = person.get(key)
        if value is None:
            continue
        if isinstance(value, bool):
            if value == (key == "needy"):
                continue
            text = lab.t("common.yes" if value else "common.no")
        elif key == "region":
            text = lab.t(f"report.region.{value}")
        else:
            text = str(value)
        rows.append((lab.t(f"report.person.{key}"), text))
    return tuple(rows)


def _transition_sources(step: Step, lab: Labeller) -> tuple[str, ...]:
    found: list[str] = []
    for move in step.moves:
        machine = lab.defs.machines.get(move.machine)
        if machine is None:
            continue
        for t in machine.transitions:
            if t.event == move.event and move.source in t.sources and t.dest == move.dest:
                found += citations(t.source)
                break
    return tuple(dict.fromkeys(found))


def step_entry(step: Step, before: Snapshot | None, lab: Labeller,
               problem: str | None = None) -> StepEntry:
    cited = _transition_sources(step, lab)
    note = step.note if step.note and step.note.strip() not in cited else None
    return StepEntry(
        index=step.index,
        date=step.date,
        event_id=step.event,
        event=lab.event(step.event),
        origin=step.origin,
        origin_text=lab.t(f"report.origin.{step.origin}"),
        cause=lab.cause(step.cause) if step.cause else None,
        note=note,
        citations=cited,
        changes=tuple(step_changes(step, before, lab, problem)),
    )


def step_changes(step: Step, before: Snapshot | None, lab: Labeller,
                 problem: str | None = None) -> list[Change]:
    """What a step changed: states moved, documents issued, renewed or gone, deadlines
    started or closed, entitlements gained or lost."""
    now = step.snapshot
    out = [Change("move", lab.t("report.change.move", machine=lab.machine(m.machine),
                                before=lab.state(m.machine, m.source),
                                after=lab.state(m.machine, m.dest)), "neutral")
           for m in step.moves]
    old_docs = {(d.id, d.issued) for d in before.documents} if before else set()
    new_docs = {(d.id, d.issued) for d in now.documents}
    added = sorted(new_docs - old_docs)
    gone = {i for i, _ in old_docs - new_docs}
    renewed = {i for i, _ in added} & gone
    out += [Change("renewed", lab.document(i), "gained") if i in renewed
            else Change("issued", lab.document(i), "gained") for i, _ in added]
    out += [Change("withdrawn", lab.document(i), "lost") for i in sorted(gone - renewed)]
    old_dl = {(d.id, d.start): d.status for d in before.deadlines} if before else {}
    for d in now.deadlines:
        key = (d.id, d.start)
        if key not in old_dl:
            due = lab.t("report.change.deadline_due", deadline=lab.deadline(d.id), due=d.due)
            if d.projected:
                due += f" ({lab.t('fidelity.projected')})"
            out.append(Change("deadline", due, "open"))
        elif old_dl[key] != d.status:
            out.append(Change("deadline", lab.t("report.change.deadline_status",
                                                deadline=lab.deadline(d.id),
                                                status=lab.deadline_words(d)),
                              lab.deadline_status(d)))
    old_ent = {e.id for e in before.entitlements} if before else set()
    new_ent = {e.id for e in now.entitlements}
    out += [Change("gained", lab.entitlement(e.id), "gained")
            for e in now.entitlements if e.id not in old_ent]
    out += [Change("lost", lab.entitlement(i), "lost") for i in sorted(old_ent - new_ent)]
    if problem:
        out.append(Change("problem", problem, "problem"))
    return out


def situation_of(snap: Snapshot, lab: Labeller, *, explain: bool = False) -> Situation:
    """The states, documents, deadlines and entitlements of one snapshot, in words."""
    def actor(deadline_id: str) -> str:
        definition = lab.defs.deadlines.get(deadline_id)
        return lab.actor(definition.actor) if definition else "—"

    deadlines = []
    for d in snap.deadlines:
        status = lab.deadline_status(d)
        deadlines.append(DeadlineRow(
            d.id, lab.deadline(d.id), d.start, d.due, status, lab.deadline_words(d),
            actor(d.id), d.rule, citations(d.source), lab.reason(d) if explain else None))
    return Situation(
        on=snap.on,
        states=tuple(StateRow(m, lab.machine(m), s, lab.state(m, s))
                     for m, s in snap.states.items()),
        documents=tuple(DocumentRow(d.id, lab.document(d.id), d.issued, d.valid_until,
                                    citations(d.source)) for d in snap.documents),
        deadlines=tuple(deadlines),
        entitlements=tuple(
            EntitlementRow(e.id, lab.entitlement(e.id), e.kind, lab.t(f"report.kind.{e.kind}"),
                           e.since, e.until, e.rule, citations(e.source),
                           lab.reason(e) if explain else None)
            for e in snap.entitlements),
    )


# -- the timeline ---------------------------------------------------------------------------

DAY = dt.timedelta(days=1)


def timeline(replay: Replay, lab: Labeller) -> Timeline | None:
    """Lanes over the case's dates: each machine's states, each deadline from its start to
    its last day, each entitlement while it holds."""
    if not replay.steps:
        return None
    start, end = replay.steps[0].date, replay.steps[-1].date
    if end <= start:
        end = start + DAY
    lanes: list[Lane] = []
    machines = lab.defs.machines
    for machine_id in replay.steps[0].snapshot.states:
        spans: list[Span] = []
        current: tuple[str, dt.date] | None = None
        initial = machines[machine_id].initial if machine_id in machines else None
        for step in replay.steps:
            state = step.snapshot.states.get(machine_id)
            if current is None or state != current[0]:
                if current is not None:
                    spans.append(_state_span(lab, machine_id, current, step.date, initial))
                current = (state, step.date) if state is not None else None
        if current is not None:
            spans.append(_state_span(lab, machine_id, current, end + DAY, initial))
        lanes.append(Lane("states", lab.machine(machine_id), tuple(spans)))

    last = replay.steps[-1].snapshot
    by_deadline: dict[str, list[Span]] = {}
    for d in last.deadlines:
        status = lab.deadline_status(d)
        closed = d.closed_on - DAY if d.closed_on and status == "cancelled" else d.due
        by_deadline.setdefault(d.id, []).append(
            Span(lab.deadline_words(d), d.start, max(d.start, closed), status))
    lanes += [Lane("deadlines", lab.deadline(i), tuple(s)) for i, s in by_deadline.items()]

    held: dict[str, dt.date] = {}
    by_entitlement: dict[str, list[Span]] = {}
    kinds: dict[str, str] = {}
    for step in replay.steps:
        now = {e.id: e for e in step.snapshot.entitlements}
        for ent_id, since in list(held.items()):
            if ent_id not in now:
                by_entitlement.setdefault(ent_id, []).append(
                    Span(lab.entitlement(ent_id), since, max(since, step.date - DAY), "gained"))
                del held[ent_id]
        for ent_id, view in now.items():
            kinds[ent_id] = view.kind
            if ent_id not in held:
                held[ent_id] = view.since
    for ent_id, since in held.items():
        by_entitlement.setdefault(ent_id, []).append(
            Span(lab.entitlement(ent_id), since, end, "gained"))
    tones: dict[str, Tone] = {i: "gained" if kind == "right" else "duty"
                              for i, kind in kinds.items()}
    by_entitlement = {i: [replace(s, tone=tones.get(i, "gained")) for s in spans]
                      for i, spans in by_entitlement.items()}
    lanes += [Lane("entitlements", lab.entitlement(i), tuple(s))
              for i, s in by_entitlement.items()]
    return Timeline(start, end, tuple(lanes))


def _state_span(lab: Labeller, machine: str, current: tuple[str, dt.date], until: dt.date,
                initial: str | None) -> Span:
    state, since = current
    return Span(lab.state(machine, state), since, max(since, until - DAY), "neutral",
                initial=state == initial)
