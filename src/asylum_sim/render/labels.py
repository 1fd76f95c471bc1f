"""Labels of ids in one language, from the definitions."""

from __future__ import annotations

from dataclasses import dataclass

from asylum_sim.model.loader import Definitions

ENGINE_EVENTS = {
    "date_reached": {"nl": "datum bereikt (regel wijzigt)", "en": "date reached (rule changes)"},
}


@dataclass(frozen=True)
class Labeller:
    defs: Definitions
    lang: str

    def state(self, machine: str, state: str) -> str:
        m = self.defs.machines.get(machine)
        s = m.state(state) if m else None
        return s.labels.get(self.lang) if s else state

    def machine(self, machine: str) -> str:
        m = self.defs.machines.get(machine)
        return m.labels.get(self.lang) if m else machine

    def event(self, event: str) -> str:
        e = self.defs.events.get(event)
        if e is not None:
            return e.labels.get(self.lang)
        return ENGINE_EVENTS.get(event, {}).get(self.lang, event)

    def document(self, doc: str) -> str:
        d = self.defs.documents.get(doc)
        return d.labels.get(self.lang) if d else doc

    def deadline(self, deadline: str) -> str:
        d = self.defs.deadlines.get(deadline)
        return d.labels.get(self.lang) if d else deadline

    def entitlement(self, ent: str) -> str:
        e = self.defs.entitlements.get(ent)
        return e.labels.get(self.lang) if e else ent

    def warning(self, warning: str) -> str:
        w = self.defs.warnings.get(warning)
        return w.labels.get(self.lang) if w else warning
