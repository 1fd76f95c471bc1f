"""Words for ids in one language: labels of the data (``machines/*.yaml``), the program's
own words (the message catalogue), statuses and reasons.

Every renderer speaks through a :class:`Labeller`, so that one output holds one language.
A label missing in the language asked is never replaced by Dutch: the English label is
used and the id is remembered in :attr:`Labeller.missing`, which the command line reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asylum_sim.engine.steps import DeadlineView, Deviation, EntitlementView
from asylum_sim.i18n import catalogue, tr
from asylum_sim.model.common import Labels
from asylum_sim.model.loader import Definitions

ENGINE_EVENTS = ("date_reached",)
"""Events the engine makes itself (no entry in events.yaml); their words are messages
``report.event.<id>`` of the catalogue."""

STATUSES = ("open", "met", "missed", "expired", "cancelled")
"""Deadline statuses, each a message ``status.<status>``."""


@dataclass(frozen=True)
class Labeller:
    defs: Definitions
    lang: str
    missing: set[str] = field(default_factory=set, compare=False, repr=False)
    """``kind:id`` of the labels that had no text in :attr:`lang` (English was used)."""

    # -- the program's words ---------------------------------------------------------------

    def t(self, key: str, /, **params: Any) -> str:
        """The catalogue message ``key`` in this language."""
        return tr(key, self.lang, **params)

    # -- labels of the data ----------------------------------------------------------------

    def pick(self, labels: Labels | None, kind: str, ident: str) -> str:
        """The text of ``labels`` in this language (English, remembered as missing, when
        there is none; the id when there are no labels at all)."""
        if labels is None:
            return ident
        text = getattr(labels, self.lang, None)
        if text:
            return text
        self.missing.add(f"{kind}:{ident}")
        return labels.en

    def state(self, machine: str, state: str) -> str:
        m = self.defs.machines.get(machine)
        s = m.state(state) if m else None
        return self.pick(s.labels if s else None, f"state {machine}", state)

    def machine(self, machine: str) -> str:
        m = self.defs.machines.get(machine)
        return self.pick(m.labels if m else None, "machine", machine)

    def event(self, event: str) -> str:
        e = self.defs.events.get(event)
        if e is None and event in ENGINE_EVENTS:
            return self.t(f"report.event.{event}")
        return self.pick(e.labels if e else None, "event", event)

    def document(self, doc: str) -> str:
        d = self.defs.documents.get(doc)
        return self.pick(d.labels if d else None, "document", doc)

    def deadline(self, deadline: str) -> str:
        d = self.defs.deadlines.get(deadline)
        return self.pick(d.labels if d else None, "deadline", deadline)

    def entitlement(self, ent: str) -> str:
        e = self.defs.entitlements.get(ent)
        return self.pick(e.labels if e else None, "entitlement", ent)

    def warning(self, warning: str) -> str:
        w = self.defs.warnings.get(warning)
        return self.pick(w.labels if w else None, "warning", warning)

    def actor(self, actor: str) -> str:
        a = self.defs.actors.get(actor)
        return self.pick(a.labels if a else None, "actor", actor)

    def machine_state(self, machine: str, state: str) -> str:
        """``opvang (code 207): collectieve opvangstructuur``."""
        return self.t("report.machine_state", machine=self.machine(machine),
                      state=self.state(machine, state))

    def cause(self, cause: str) -> str:
        """What caused a timer or internal step, in words: a deadline, an event, a document
        that ran out, or the rules whose date came (several, comma-separated)."""
        def one(ident: str) -> str:
            for group, label in ((self.defs.deadlines, self.deadline),
                                 (self.defs.events, self.event),
                                 (self.defs.documents, self.document),
                                 (self.defs.entitlements, self.entitlement)):
                if ident in group:
                    return label(ident)
            return ident

        return ", ".join(one(part.strip()) for part in cause.split(","))

    # -- statuses and reasons --------------------------------------------------------------

    def deadline_status(self, view: DeadlineView) -> str:
        """The status of a deadline as every output shows it: ``open``, ``met``,
        ``missed`` (the person did not act in time), ``expired`` (an option nobody used,
        or an authority's term that passed: never the person's failure) or ``cancelled``.
        The engine decides; every output asks here, so they all say the same."""
        return view.status

    def status_word(self, status: str) -> str:
        """A deadline status in words."""
        return self.t(f"status.{status}")

    def deadline_words(self, view: DeadlineView) -> str:
        """A deadline's status in words, marked when the deadline is projected (a start
        the law requires but the case does not record, e.g. a mandatory lifting)."""
        word = self.status_word(self.deadline_status(view))
        return f"{word} ({self.t('fidelity.projected')})" if view.projected else word

    def reason(self, item: DeadlineView | EntitlementView) -> str | None:
        """Why a deadline falls when it does, or why an entitlement holds, in one line of
        this language; None when there is none in this language (never another language's
        text). Every output takes reasons through here."""
        why: Any = item.why
        if why is None:
            return None
        key = getattr(why, "key", None)
        if key is not None:  # a structured reason: a message key and its parameters
            return self.t(key, **self._params(getattr(why, "params", {}) or {}))
        return why.get(self.lang) or None

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        """Parameters of a structured reason, ids replaced by labels by their name."""
        named = {"event": self.event, "deadline": self.deadline, "document": self.document,
                 "entitlement": self.entitlement, "actor": self.actor}
        return {name: named[name](value) if name in named and isinstance(value, str) else value
                for name, value in params.items()}

    def deviation(self, deviation: Deviation) -> str:
        """A departure from the law or the model, in words."""
        states = "; ".join(self.machine_state(m, s) for m, s in deviation.states.items())
        event = self.event(deviation.event) if deviation.event else "—"
        key = f"report.deviation.{deviation.kind}"
        if key not in catalogue():
            key = "report.deviation.other"
        return self.t(key, event=event, date=deviation.date or "—", states=states)
