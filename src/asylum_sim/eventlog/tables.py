"""The columns of the three output tables, fixed by the definitions alone.

The columns never depend on what happens to the cases (a log whose every case fails has the
same header as one whose every case succeeds). Each column has a type for typed formats
(Parquet): ``str``, ``int`` or ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass

from asylum_sim.eventlog.columns import CONVENTION, PERSON_ATTRIBUTES
from asylum_sim.model.loader import Definitions

Column = tuple[str, str]
"""(name, type)."""


@dataclass(frozen=True)
class Tables:
    machines: tuple[str, ...]
    attributes: tuple[str, ...]
    """Every attribute a scenario event can have, sorted: the step log carries them so that
    it replays the same when read again."""

    @classmethod
    def of(cls, defs: Definitions) -> Tables:
        attributes = sorted({key for event in defs.events.values() for key in event.attributes})
        return cls(tuple(defs.machines), tuple(attributes))

    def states(self) -> list[Column]:
        return [(f"state:{m}", "str") for m in self.machines]

    @property
    def cases(self) -> list[Column]:
        """One row per case."""
        return [("case", "str"), ("status", "str"), ("events", "int"), ("steps", "int"),
                ("deviations", "int"), ("first_date", "date"), ("last_date", "date"),
                *self.states(), ("deadlines_missed", "str")]

    @property
    def steps(self) -> list[Column]:
        """One row per step: the process-mining convention, readable again as a log."""
        return [(CONVENTION["case"], "str"), (CONVENTION["event"], "str"),
                (CONVENTION["date"], "date"), ("origin", "str"), *self.states(),
                *((a, "str") for a in self.attributes),
                *((f"case:{p}", "str") for p in PERSON_ATTRIBUTES)]

    @property
    def deviations(self) -> list[Column]:
        """One row per deviation; ``line`` is the position of the row in the log."""
        return [("case", "str"), ("date", "date"), ("event", "str"), ("kind", "str"),
                *self.states(), ("rule", "str"), ("message", "str"), ("line", "int")]

    def table(self, name: str) -> list[Column]:
        return {"cases": self.cases, "steps": self.steps, "deviations": self.deviations}[name]
