"""The condition language of guards and rules, as data.

A condition is a mapping with exactly one key, e.g. ``{state: {procedure: [at_cgvs]}}`` or
``{all: [..., ...]}``. Conditions are evaluated by :mod:`asylum_sim.rules.conditions`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from asylum_sim.model.common import Id, Period, Strict, Validity

Scalar = str | int | bool | float


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


class Not(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    negated: Condition = Field(alias="not")


class InState(Strict):
    """True when each named machine is in one of the listed states."""

    state: dict[Id, list[Id]]

    @field_validator("state", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return {k: _as_list(v) for k, v in value.items()} if isinstance(value, dict) else value


class EnteredFrom(Strict):
    """True when the machine entered its current state from one of the listed states."""

    entered_from: dict[Id, list[Id]]

    _lists = field_validator("entered_from", mode="before")(InState._lists.__func__)


class FactIs(Strict):
    """True when each fact (person attribute or one recorded by an event) has the value
    given, or one of the values of a list. An unknown fact is None."""

    fact: dict[str, Scalar | list[Scalar | None] | None]


class AgeSpec(Strict):
    at_least: int | None = Field(default=None, ge=0)
    below: int | None = Field(default=None, ge=0)


class Age(Strict):
    """Age from ``birth_date`` on the evaluation date; false when the birth date is unknown."""

    age: AgeSpec


class Anchor(Strict):
    """A date derived from an event of the case: its first or last occurrence, plus a period.

    With a period the anchor names the period's last day, counted like a legal term
    (Ger.W. art. 52-54: 4 months from lodging on 1/2 run up to and including 1/6)."""

    event: list[Id]
    occurrence: Literal["first", "last"] = "last"
    plus: Period | None = None

    _lists = field_validator("event", mode="before")(lambda v: _as_list(v))


class After(Strict):
    """True once the anchor is passed: from the event's date itself, or with a period
    from the day after its last day (4 months after lodging on 1/2: from 2/6, the day the
    right to work opens too); false while the event has not happened."""

    after: Anchor


class Before(Strict):
    """The opposite of ``after`` once the event happened: before the event's date, or with a
    period up to and including its last day; false without the event."""

    before: Anchor


class HappenedSpec(Strict):
    event: list[Id]
    within: Anchor | None = None
    """Only occurrences from the anchor's event up to and including anchor + period count
    (that date is the period's last day, Ger.W. art. 54); without ``plus``: from then on."""
    between: Validity | None = None
    """Only occurrences dated in this range count (e.g. lodged on or after 12/6/2026)."""

    _lists = field_validator("event", mode="before")(lambda v: _as_list(v))


class Happened(Strict):
    """True when one of the events happened (on or before the evaluation date)."""

    happened: HappenedSpec


class Dated(Strict):
    """True between two dates: the law as of the evaluation date."""

    date: Validity


class DeadlineSpec(Strict):
    id: Id
    status: list[Literal["open", "met", "missed", "cancelled"]]

    _lists = field_validator("status", mode="before")(lambda v: _as_list(v))


class DeadlineIs(Strict):
    """True when the latest deadline with that id has one of the statuses."""

    deadline: DeadlineSpec


class Holds(Strict):
    """True when the person holds the document."""

    holds: Id


class CountSpec(Strict):
    event: list[Id]
    at_least: int = Field(default=1, ge=0)

    _lists = field_validator("event", mode="before")(lambda v: _as_list(v))


class Count(Strict):
    """True when the events happened at least ``at_least`` times."""

    count: CountSpec


class Trigger(Strict):
    """True when the event being handled (or that started a deadline) has these attributes."""

    trigger: dict[str, Scalar | list[Scalar | None] | None]


class Always(Strict):
    always: Literal[True]


_KINDS: dict[str, type[BaseModel]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
    "state": InState,
    "entered_from": EnteredFrom,
    "fact": FactIs,
    "age": Age,
    "after": After,
    "before": Before,
    "happened": Happened,
    "date": Dated,
    "deadline": DeadlineIs,
    "holds": Holds,
    "count": Count,
    "trigger": Trigger,
    "always": Always,
}


def _condition_kind(value: Any) -> str | None:
    """The key of a one-key mapping (or the model already parsed), for the discriminator."""
    if isinstance(value, BaseModel):
        return next(k for k, cls in _KINDS.items() if isinstance(value, cls))
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return key if key in _KINDS else None
    return None


Condition = Annotated[
    Union[  # noqa: UP007 - forward references need the Union form
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[InState, Tag("state")],
        Annotated[EnteredFrom, Tag("entered_from")],
        Annotated[FactIs, Tag("fact")],
        Annotated[Age, Tag("age")],
        Annotated[After, Tag("after")],
        Annotated[Before, Tag("before")],
        Annotated[Happened, Tag("happened")],
        Annotated[Dated, Tag("date")],
        Annotated[DeadlineIs, Tag("deadline")],
        Annotated[Holds, Tag("holds")],
        Annotated[Count, Tag("count")],
        Annotated[Trigger, Tag("trigger")],
        Annotated[Always, Tag("always")],
    ],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is a mapping with exactly one key, one of: "
        + ", ".join(_KINDS),
    ),
]

for _model in _KINDS.values():
    _model.model_rebuild()
