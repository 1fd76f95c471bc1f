"""Building blocks shared by every file format: ids, labels, sources, periods."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""A stable snake_case id, as listed in docs/catalogue.md."""

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
"""A rule id in kebab-case, e.g. ``work-applicant-4-months``."""

Source = Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]
"""Where a rule comes from: ``brochure §2.1``, ``opvang "Code 207 no show"``, ``law: ...``."""

LANGUAGES: tuple[str, ...] = ("nl", "en")
"""Languages every label must have; ``fr`` is optional."""


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Labels(Strict):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)
    fr: str | None = None

    def get(self, lang: str) -> str:
        """The label in ``lang``, falling back to Dutch (the users' language)."""
        return getattr(self, lang, None) or self.nl


class Unit(StrEnum):
    hours = "hours"
    days = "days"
    working_days = "working_days"
    months = "months"
    years = "years"


MAX_AMOUNT: dict[Unit, int] = {
    Unit.hours: 876_600,
    Unit.days: 36_525,
    Unit.working_days: 26_100,
    Unit.months: 1_200,
    Unit.years: 100,
}
"""The longest period in each unit: 100 years (a legal term is far shorter; the bound keeps
date arithmetic from overflowing, see :mod:`asylum_sim.model.dates`)."""


def amount_problem(amount: int, unit: Unit) -> str | None:
    """Why ``amount`` ``unit`` is too long a period (either sign), or None."""
    if abs(amount) <= MAX_AMOUNT[unit]:
        return None
    name = unit.value.replace("_", " ")
    return f"{abs(amount):,} {name} is longer than 100 years (at most {MAX_AMOUNT[unit]:,})"


UNIT_LABELS: dict[str, dict[Unit, tuple[str, str]]] = {
    # (singular, plural)
    "nl": {
        Unit.hours: ("uur", "uur"),
        Unit.days: ("dag", "dagen"),
        Unit.working_days: ("werkdag", "werkdagen"),
        Unit.months: ("maand", "maanden"),
        Unit.years: ("jaar", "jaar"),
    },
    "fr": {
        Unit.hours: ("heure", "heures"),
        Unit.days: ("jour", "jours"),
        Unit.working_days: ("jour ouvrable", "jours ouvrables"),
        Unit.months: ("mois", "mois"),
        Unit.years: ("an", "ans"),
    },
    "en": {
        Unit.hours: ("hour", "hours"),
        Unit.days: ("day", "days"),
        Unit.working_days: ("working day", "working days"),
        Unit.months: ("month", "months"),
        Unit.years: ("year", "years"),
    },
}


class Period(Strict):
    """An amount of time in one legal unit."""

    amount: int = Field(ge=0)
    unit: Unit

    @model_validator(mode="after")
    def _at_most_100_years(self) -> Period:
        problem = amount_problem(self.amount, self.unit)
        if problem is not None:
            raise ValueError(problem)
        return self

    def label(self, lang: str) -> str:
        """``30 dagen`` / ``5 working days``."""
        names = UNIT_LABELS.get(lang, UNIT_LABELS["en"])[self.unit]
        return f"{self.amount} {names[0] if self.amount == 1 else names[1]}"


class Validity(Strict):
    """The dates between which a rule holds (both inclusive; open-ended when None)."""

    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)
