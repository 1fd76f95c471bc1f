"""The scenario file format (``scenarios/*.yaml``): one case and its dated events."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from asylum_sim.model.common import Id


class Person(BaseModel):
    """Person attributes of domain.md; they are the case's initial facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    birth_date: dt.date | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    unaccompanied_minor: bool = False
    region: Literal["flanders", "brussels", "wallonia"] | None = None
    resettled: bool = False
    family_in_belgium: bool = False
    eu_citizen: bool = False
    needy: bool = True
    detained: bool = False


class ScenarioEvent(BaseModel):
    """One dated fact. Keys besides ``date``, ``event`` and ``note`` are event attributes."""

    model_config = ConfigDict(extra="allow", frozen=True)

    date: dt.date
    event: Id
    note: str | None = None

    @property
    def attributes(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    @model_validator(mode="before")
    @classmethod
    def _comment_is_a_note(cls, data: Any) -> Any:
        """``comment:`` is accepted as another name for ``note:``."""
        if isinstance(data, dict) and "comment" in data and "note" not in data:
            data = {**data, "note": data["comment"]}
            del data["comment"]
        return data


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(default=None, min_length=1)
    title: str | None = None
    description: str | None = None
    person: Person = Person()
    events: list[ScenarioEvent] = Field(min_length=1)

    def ordered_events(self) -> list[tuple[int, ScenarioEvent]]:
        """Events by date; same-day events keep file order. Returns (index in file, event)."""
        return sorted(enumerate(self.events), key=lambda pair: (pair[1].date, pair[0]))
