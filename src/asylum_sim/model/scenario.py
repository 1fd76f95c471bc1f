"""The scenario file format (``scenarios/*.yaml``): one case and its dated events."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from asylum_sim.model.common import Id
from asylum_sim.model.errors import shown


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text (or a date) is a date in a scenario: pydantic would read
    20230109 as a Unix time and say something about "zero time"."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO.match(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, e.g. 2023-01-09; got {shown(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value} is not a date ({exc})") from None


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Person(BaseModel):
    """Person attributes of domain.md; they are the case's initial facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    birth_date: dt.date | None = None

    @field_validator("birth_date", mode="before")
    @classmethod
    def _birth_is_iso(cls, value: Any) -> Any:
        return None if value is None else _iso_date(value)
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

    @field_validator("date", mode="before")
    @classmethod
    def _date_is_iso(cls, value: Any) -> Any:
        return _iso_date(value)

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
