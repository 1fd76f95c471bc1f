"""``docs/catalogue.md``: the catalogue of the machines as one Markdown page for lawyers and
trainers, generated from ``machines/`` (``asylum-sim catalogue -o docs/catalogue.md``; a
test fails when the committed page is stale).

Every state, event, document, deadline and entitlement with its labels in Dutch, French
and English, every rule with its source and the dates between which it holds, and the
bibliography the sources cite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml
from pydantic import BaseModel

from asylum_sim.model.catalogue import DeadlineDef, DocumentDef, EntitlementDef, PeriodChoice
from asylum_sim.model.common import Labels, Validity
from asylum_sim.model.loader import Definitions
from asylum_sim.model.machine import MachineFile

COMMAND = "asylum-sim catalogue -o docs/catalogue.md"
DASH = "—"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: Iterable[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _labels(labels: Labels | None) -> list[str]:
    if labels is None:
        return [DASH, DASH, DASH]
    return [labels.nl, labels.fr or DASH, labels.en]


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids) or DASH


def _condition(cond: BaseModel | None) -> str:
    """A condition as one line of flow YAML, as it is written in the machine files."""
    if cond is None:
        return DASH
    data = cond.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    text = yaml.safe_dump(data, default_flow_style=True, width=10**6, sort_keys=False,
                          allow_unicode=True).strip()
    return f"`{text}`"


def _valid(valid: Validity | None) -> str:
    if valid is None:
        return "always"
    start = valid.start.isoformat() if valid.start else ""
    end = valid.end.isoformat() if valid.end else ""
    return f"{start or '…'} to {end or '…'}"


def _states_of(states: dict[str, list[str]]) -> str:
    return "; ".join(f"{m}: {', '.join(s)}" for m, s in states.items()) or DASH


def _precedence(item: Any) -> str:
    if getattr(item, "default", False):
        return "default"
    if getattr(item, "exception_to", None):
        return "exception to " + _ids(item.exception_to)
    return DASH


# -- sections ------------------------------------------------------------------------------


def machine_section(machine: MachineFile) -> list[str]:
    out = [f"### Machine `{machine.id}`: {machine.labels.en}", "",
           f"Source: {machine.source}. Initial state: `{machine.initial}`.", ""]
    out += ["#### States", ""]
    out += _table(
        ["id", "nl", "fr", "en", "actor", "documents issued on entry", "notes"],
        [[f"`{s.id}`", *_labels(s.labels), s.actor, _ids(s.documents),
          ", ".join(filter(None, ["final" if s.final else "",
                                  f"{s.outcome} outcome" if s.outcome else ""])) or DASH]
         for s in machine.states])
    out += ["#### Transitions", ""]
    rows = []
    for t in machine.transitions:
        condition = []
        if t.guard:
            condition.append(f"if `{t.guard}`")
        if t.unless:
            condition.append(f"unless `{t.unless}`")
        if t.timer:
            condition.append(f"when deadline `{t.timer}` runs out")
        rows.append([f"`{t.event}`", _ids(t.sources), f"`{t.dest}`",
                     "; ".join(condition) or DASH, _ids([*t.documents, *t.emits]), t.source])
    out += _table(["event", "from", "to", "condition", "documents / emits", "source"], rows)
    if machine.guards:
        out += ["#### Guards", ""]
        out += _table(["guard", "meaning (en)", "condition", "source"],
                      [[f"`{name}`", g.labels.en, _condition(g.when), g.source]
                       for name, g in machine.guards.items()])
    return out


def events_section(defs: Definitions) -> list[str]:
    rows = []
    for e in defs.events.values():
        attrs = ", ".join(
            f"`{k}`" + (f" ({'/'.join(map(str, a.values))})" if a.values else f" ({a.type})")
            for k, a in e.attributes.items())
        rows.append([f"`{e.id}`", *_labels(e.labels), e.actor or DASH, e.origin,
                     attrs or DASH, e.source or DASH])
    return ["## Events", "",
            "`origin`: who causes it: a scenario entry, a timer (a deadline that runs out) "
            "or the engine (internal: a consequence in another machine).", "",
            *_table(["id", "nl", "fr", "en", "actor", "origin", "attributes", "source"],
                    rows)]


def _document_validity(doc: DocumentDef) -> str:
    parts = [f"{v.valid_for.label('en')}"
             + (f" from {_ids(v.from_event.event)}" if v.from_event else "")
             + f" when {_condition(v.when)} ({v.source})"
             for v in doc.validity]
    if doc.valid_for:
        parts.append(f"{doc.valid_for.label('en')}" + (" otherwise" if parts else ""))
    if not parts:
        parts.append("until replaced or revoked")
    if doc.extended_by:
        extra = doc.extended_for.label("en") if doc.extended_for else "its validity"
        parts.append(f"extended by {_ids(doc.extended_by)} for {extra}")
    if doc.renewed_for:
        parts.append(f"renewed by itself for {doc.renewed_for.label('en')} at a time while "
                     "held")
    return "; ".join(parts)


def documents_section(defs: Definitions) -> list[str]:
    rows = []
    for d in defs.documents.values():
        ends = []
        if d.replaces:
            ends.append(f"replaces {_ids(d.replaces)}")
        if d.revoked_by:
            ends.append(f"gone after {_ids(d.revoked_by)}")
        if d.revoked_on_leaving:
            ends.append(f"gone on leaving {_states_of(d.revoked_on_leaving)}")
        rows.append([f"`{d.id}`", *_labels(d.labels), d.issuer, _document_validity(d),
                     "; ".join(ends) or DASH, d.source])
    return ["## Documents", "",
            *_table(["id", "nl", "fr", "en", "issuer", "validity", "ends", "source"], rows)]


def _counted_from(choice: PeriodChoice) -> str:
    """Where one period is counted from (docs/legal-rules.md)."""
    if choice.before:
        return f"back from the `{choice.from_attribute}` date of the event"
    if choice.from_attribute:
        return f"the `{choice.from_attribute}` date of the event"
    if choice.from_previous_due:
        return "the last day of the previous term"
    if choice.from_event:
        return _ids(choice.from_event.event)
    return "the event"


def _counting(deadline: DeadlineDef) -> str:
    """How every period of a deadline is counted, in words."""
    parts = ["Counted from the day after its event"]
    if deadline.notification:
        parts.append("for a decision sent by post, from the 3rd working day after posting")
    if deadline.roll_forward:
        parts.append("a last day on a Saturday, Sunday or public holiday moves to the next "
                     "working day")
    return "; ".join(parts) + "."


def deadline_block(deadline: DeadlineDef) -> list[str]:
    labels = deadline.labels
    kind = "a period that must pass" if deadline.kind == "waiting" else "an act to do"
    who = "an option" if deadline.optional else "a duty"
    starts = []
    if deadline.starts.events:
        starts.append(f"on {_ids(deadline.starts.events)}")
    if deadline.starts.enter:
        starts.append(f"on entering {_states_of(deadline.starts.enter)}")
    if deadline.starts.becomes:
        starts.append(f"when `{deadline.starts.becomes}` becomes true")
    if deadline.projected:
        assumption = deadline.projected.assumption.en.format(date="that day")
        starts.append(f"(or, as a projection, when `{deadline.projected.becomes}` becomes "
                      f"true: {assumption})")
    if deadline.starts.when is not None:
        starts.append(f"when {_condition(deadline.starts.when)}")
    out = [f"### `{deadline.id}`", "",
           f"nl: {labels.nl} · fr: {labels.fr or DASH} · en: {labels.en}", "",
           f"{kind.capitalize()} by `{deadline.actor}`"
           + (f" ({who})" if deadline.kind == "act" else "") + "; "
           f"starts {' '.join(starts) or DASH}; met by {_ids(deadline.met_by)}; "
           f"when it runs out: {deadline.expiry_status}"
           + (f", then `{deadline.on_expiry}`" if deadline.on_expiry else "") + ".", ""]
    if deadline.cancelled_by or deadline.cancelled_on_leaving:
        cancelled = [_ids(deadline.cancelled_by)] if deadline.cancelled_by else []
        if deadline.cancelled_on_leaving:
            cancelled.append(f"leaving {_states_of(deadline.cancelled_on_leaving)}")
        out += [f"Cancelled by {' or '.join(cancelled)}.", ""]
    if deadline.valid is not None:
        out += [f"Holds {_valid(deadline.valid)}.", ""]
    out += [_counting(deadline), ""]
    out += _table(
        ["rule", "period", "counted from", "when", "precedence", "source"],
        [[f"`{p.rule}`", p.period.label("en"), _counted_from(p), _condition(p.when),
          _precedence(p), p.source] for p in deadline.periods])
    for ext in deadline.extensions:
        out += [f"Extended by `{ext.event}`: {ext.period.label('en')} at a time, at most "
                f"{ext.max_times} times ({ext.source}).", ""]
    return out


def entitlement_block(ent: EntitlementDef) -> list[str]:
    labels = ent.labels
    out = [f"### `{ent.id}` ({ent.kind})", "",
           f"nl: {labels.nl} · fr: {labels.fr or DASH} · en: {labels.en}", ""]
    out += _table(
        ["rule", "holds when", "until", "valid", "precedence", "source"],
        [[f"`{r.rule}`", _condition(r.when), f"`{r.until}`" if r.until else DASH,
          _valid(r.valid), _precedence(r), r.source] for r in ent.rules])
    return out


def bibliography_section(defs: Definitions) -> list[str]:
    rows = [[f"`{s.id}`", s.title, s.publisher, s.date.isoformat() if s.date else "undated",
             s.url or (s.note or DASH), s.language] for s in defs.sources.values()]
    return ["## Bibliography", "",
            "Every `source` of the data starts with one of these ids, followed by the place "
            "in it (a section, a heading in quotes, an article); several citations are "
            "joined by `; `.", "",
            *_table(["id", "title", "publisher / author", "date", "where", "language"], rows)]


def catalogue_markdown(defs: Definitions) -> str:
    """The whole catalogue page."""
    out = ["# Catalogue of the machines", "",
           f"<!-- Generated from machines/ by `{COMMAND}`; do not edit by hand. -->", "",
           "States, events, documents, deadlines and entitlements of the model, with their "
           "labels in Dutch (the users' language), French and English, and every rule with "
           "its source (see the [bibliography](#bibliography)) and the dates between which "
           "it holds. How terms are counted: [legal-rules.md](legal-rules.md). How a "
           "condition reads: the reference of the condition language, conditions.md.", "",
           "## Machines", ""]
    for machine in defs.machines.values():
        out += machine_section(machine)
    if defs.conditions:
        out += ["## Named conditions", "",
                "Written once in `conditions.yaml`, used anywhere as `{is: NAME}`.", ""]
        out += _table(["name", "meaning (en)", "condition", "source"],
                      [[f"`{name}`", c.labels.en if c.labels else DASH, _condition(c.when),
                        c.source or DASH] for name, c in defs.conditions.items()])
    out += events_section(defs)
    out += documents_section(defs)
    out += ["## Deadlines", "",
            "A deadline whose last day is D is open all of D; on D+1 it is met (a period "
            "that must pass), missed (the person's duty) or expired (an option nobody used, "
            "or an authority's term), and its consequence fires then.", ""]
    for deadline in defs.deadlines.values():
        out += deadline_block(deadline)
    out += ["## Entitlements", "",
            "Rights, obligations and restrictions. Each rule says when it holds; where two "
            "can hold together, the exception names the rule it overrides, and a default "
            "applies only when no other holds.", ""]
    for ent in defs.entitlements.values():
        out += entitlement_block(ent)
    if defs.warnings:
        out += ["## Warnings", ""]
        out += _table(["id", "en", "condition", "source"],
                      [[f"`{w.id}`", w.labels.en, _condition(w.when), w.source]
                       for w in defs.warnings.values()])
    out += bibliography_section(defs)
    return "\n".join(out).rstrip() + "\n"
