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
        raise ValueError(f"{value} is not a valid date ({exc})") from None


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Person(BaseModel):
    """Person attributes (docs/formats.md); they are the case's initial facts."""

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


DeadlineStatus = Literal["open", "met", "missed", "expired", "cancelled"]


class DeadlineExpectation(BaseModel):
    """What one deadline should show: any of its start, last day and status. With
    ``start``, the instance started that day is meant; without, the latest one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.date | None = None
    due: dt.date | None = None
    status: DeadlineStatus | None = None

    @model_validator(mode="after")
    def _something_expected(self) -> DeadlineExpectation:
        if self.start is None and self.due is None and self.status is None:
            raise ValueError("give at least one of start, due, status")
        return self


class Expectation(BaseModel):
    """The situation a lawyer expects at the end of one day (``expect:`` in a scenario).

    Lists are subsets: the documents, entitlements, warnings and possible events named must
    be there, the ``not_`` ones must not; machines and deadlines not named are not checked.
    ``defect`` marks a known defect of the model: the expectation states the law, the tool does not
    follow it yet (``asylum-sim test`` reports it apart and fails once it holds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: dt.date
    states: dict[Id, Id] = {}

    @field_validator("on", mode="before")
    @classmethod
    def _on_is_iso(cls, value: Any) -> Any:
        return _iso_date(value)
    documents: list[Id] = []
    not_documents: list[Id] = []
    deadlines: dict[Id, DeadlineExpectation] = {}
    entitlements: list[Id] = []
    not_entitlements: list[Id] = []
    warnings: list[Id] = []
    not_warnings: list[Id] = []
    possible: list[Id] = []
    """Scenario events the law allows at the end of that day (e.g. an appeal on the last
    day of its term)."""
    not_possible: list[Id] = []
    """Scenario events it does not allow then (e.g. a fourth extension of the stay)."""
    defect: str | None = Field(default=None, min_length=3)

    @model_validator(mode="before")
    @classmethod
    def _on_is_a_key(cls, data: Any) -> Any:
        """YAML 1.1 reads the bare key ``on`` as the boolean true: take it back."""
        if isinstance(data, dict) and True in data and "on" not in data:
            data = {("on" if key is True else key): value for key, value in data.items()}
        return data

    @model_validator(mode="after")
    def _something_expected(self) -> Expectation:
        checks = (self.states, self.documents, self.not_documents, self.deadlines,
                  self.entitlements, self.not_entitlements, self.warnings, self.not_warnings,
                  self.possible, self.not_possible)
        if not any(checks):
            raise ValueError("expects nothing: give states, documents, deadlines, "
                             "entitlements, warnings or possible events")
        return self


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(default=None, min_length=1)
    title: str | None = None
    description: str | None = None
    person: Person = Person()
    events: list[ScenarioEvent] = Field(min_length=1)
    expect: list[Expectation] = []
    defect: str | None = Field(default=None, min_length=3)
    """A known defect of the whole case (e.g. an event the model refuses although the law
    allows it): ``asylum-sim test`` reports the file as a known defect while it errors or
    any expectation fails, and as fixed once it runs and every expectation holds."""

    def ordered_events(self) -> list[tuple[int, ScenarioEvent]]:
        """Events by date; same-day events keep file order. Returns (index in file, event)."""
        return sorted(enumerate(self.events), key=lambda pair: (pair[1].date, pair[0]))
