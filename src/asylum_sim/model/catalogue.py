"""The rule catalogue: events, actors, documents, deadlines and entitlements as data.

Each file in ``machines/`` with ``kind: events | documents | deadlines | entitlements``
holds one list. Every rule carries a ``rule`` id and a ``source``; rules that only hold
between dates carry a ``valid`` range.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from asylum_sim.model.common import Id, Labels, Period, RuleId, Source, Strict, Validity
from asylum_sim.model.conditions import Anchor, Condition
from asylum_sim.model.conditions.facts import Scalar

DATE_REF = re.compile(r"\{date:([a-z0-9_]+)\}")
"""``{date:EVENT}`` in a ``why`` line: the date of that event."""


class Alternative(Strict):
    """One of several ways an entry comes about (an entitlement's rules, a deadline's
    periods, a document's validities). Which one applies is said out loud, not left to the
    order of the list: alternatives that can hold together name the one they override in
    ``exception_to``, and the ``default`` applies only when no other holds."""

    rule: RuleId
    source: Source
    default: bool = False
    """Applies only when no other alternative of the entry holds."""
    exception_to: list[RuleId] = []
    """Rules of the same entry this one overrides when both hold."""
    note: str | None = None


class NamedCondition(Strict):
    """A condition written once and used by name (``{is: NAME}``)."""

    labels: Labels | None = None
    when: Condition
    source: Source | None = None
    note: str | None = None


class ConditionsFile(Strict):
    kind: Literal["conditions"]
    conditions: dict[Id, NamedCondition]


class AttributeDef(Strict):
    """An attribute a scenario may give an event, e.g. ``kind: collective``."""

    type: Literal["str", "bool", "int", "date"] = "str"
    values: list[Scalar] | None = None
    required: bool = False
    labels: Labels | None = None


class EventDef(Strict):
    id: Id
    labels: Labels
    actor: Id | None = None
    origin: Literal["scenario", "timer", "internal", "any"] = "scenario"
    """Who may cause it: a scenario entry, a timer, the engine (internal), or any."""
    attributes: dict[str, AttributeDef] = {}
    sets: dict[str, Scalar | None] = {}
    """Facts this event sets, e.g. ``employed: true``."""
    records: list[str] = []
    """Attributes copied into facts of the same name, e.g. ``region`` for ``move``."""
    source: Source | None = None
    note: str | None = None


class ActorDef(Strict):
    id: Id
    labels: Labels
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class EventsFile(Strict):
    kind: Literal["events"]
    actors: list[ActorDef] = []
    events: list[EventDef]


class DocumentValidity(Alternative):
    """A validity that depends on the case when the document is issued."""

    when: Condition | None = None
    valid_for: Period


class DocumentDef(Strict):
    id: Id
    labels: Labels
    issuer: Id
    rule: RuleId
    source: Source
    valid_for: Period | None = None
    """How long it is valid from issue; None: until replaced or revoked."""
    validity: list[DocumentValidity] = []
    """Validities by situation (e.g. card A: 5 years for a refugee, 1 year for subsidiary
    protection); when none holds, ``valid_for``."""
    extended_by: list[Id] = []
    """Events that renew it from their date for ``extended_for`` (default: its validity)."""
    extended_for: Period | None = None
    replaces: list[Id] = []
    """Documents that are handed in (no longer held) when this one is issued."""
    revoked_by: list[Id] = []
    """Events after which it is no longer held."""
    revoked_on_leaving: dict[Id, list[Id]] = {}
    """Machine states: the document is gone once the machine leaves all of them."""
    valid: Validity | None = None
    note: str | None = None


class PeriodChoice(Alternative):
    """One possible length of a deadline, for the situation its ``when`` describes."""

    when: Condition | None = None
    period: Period
    from_attribute: str | None = None
    """Count from the date in this attribute of the starting event (e.g. ``until``) instead
    of the event's date; the choice is skipped when the event has no such date."""
    from_previous_due: bool = False
    """Count from the due date of the previous instance of this deadline, when there is
    one (a renewal runs on from the old expiry date, not from the day it was granted)."""
    from_event: Anchor | None = None
    """Count from the date of an earlier event instead (permanent residence: five years
    from the application, though the term starts only with the status); skipped when that
    event has not happened."""
    before: bool = False
    """Count the period backwards: the due date is that long before the start point (e.g.
    ask for a renewal at least 5 days before the end date)."""


class Extension(Strict):
    event: Id
    period: Period
    max_times: int = Field(ge=1)
    source: Source


class StartDef(Strict):
    events: list[Id] = []
    """The deadline starts on the date of any of these events..."""
    enter: dict[Id, list[Id]] = {}
    """...or when a machine enters one of these states."""
    when: Condition | None = None
    """...and only when this holds at that moment."""


class DeadlineDef(Strict):
    id: Id
    labels: Labels
    kind: Literal["act", "waiting"] = "act"
    """``act``: something must be done by the due date; on the day after it is ``missed``.
    ``waiting``: a period that must pass; the due date is its last day and on the day after
    it is ``met`` (reached). Either way ``on_expiry`` fires on the day after the due date."""
    actor: Id
    optional: bool = False
    """The act is a right, not a duty (an appeal, asking for an exception): letting the
    term pass makes it ``expired``, not ``missed``."""
    starts: StartDef
    periods: list[PeriodChoice] = Field(min_length=1)
    notification: bool = False
    """Counts from notification: ``notification: posted`` on the trigger moves day 1 to the
    third working day after posting (Vw. art. 39/57 §2)."""
    roll_forward: bool = False
    """A last day on a Saturday, Sunday or public holiday moves to the next working day."""
    met_by: list[Id] = []
    cancelled_by: list[Id] = []
    cancelled_on_leaving: dict[Id, list[Id]] = {}
    """Cancelled once the machine is in none of these states."""
    on_expiry: Id | None = None
    """Timer event fired on the day after the due date, unless met or cancelled before."""
    extensions: list[Extension] = []
    valid: Validity | None = None
    note: str | None = None

    @property
    def expiry_status(self) -> str:
        """The status once the term ran out without being met or cancelled: a waiting
        period is ``met``; an act is ``missed`` when it was the person's duty, ``expired``
        when it was an option (an appeal) or the term of an authority or structure."""
        if self.kind == "waiting":
            return "met"
        if self.optional or self.actor != "person":
            return "expired"
        return "missed"


class EntitlementRule(Alternative):
    """One way an entitlement comes about (see :class:`Alternative` for which is shown
    when several hold)."""

    when: Condition
    until: Id | None = None
    """A deadline whose due date ends the entitlement (reported as ``until``)."""
    why: Labels | None = None
    """One line: why it holds; ``{date:EVENT}`` is replaced by that event's last date."""
    valid: Validity | None = None

    def why_events(self) -> tuple[str, ...]:
        """The events whose dates the ``why`` line names (``{date:EVENT}``)."""
        if self.why is None:
            return ()
        texts = [self.why.nl, self.why.en, self.why.fr or ""]
        return tuple(sorted({m for text in texts for m in DATE_REF.findall(text)}))


class EntitlementDef(Strict):
    id: Id
    labels: Labels
    kind: Literal["right", "obligation", "restriction"]
    rules: list[EntitlementRule] = Field(min_length=1)
    note: str | None = None


class WarningDef(Strict):
    """A warning shown in every output format when its condition holds for the case."""

    id: Id
    labels: Labels
    rule: RuleId
    source: Source
    when: Condition
    note: str | None = None


class WarningsFile(Strict):
    kind: Literal["warnings"]
    warnings: list[WarningDef]


class DocumentsFile(Strict):
    kind: Literal["documents"]
    documents: list[DocumentDef]


class DeadlinesFile(Strict):
    kind: Literal["deadlines"]
    deadlines: list[DeadlineDef]


class EntitlementsFile(Strict):
    kind: Literal["entitlements"]
    entitlements: list[EntitlementDef]


def attribute_value_ok(spec: AttributeDef, value: Any) -> bool:
    """Whether ``value`` fits the attribute's type and allowed values."""
    import datetime as dt

    types = {"str": str, "bool": bool, "int": int, "date": dt.date}
    expected = types[spec.type]
    if spec.type == "int" and isinstance(value, bool):
        return False
    if not isinstance(value, expected):
        return False
    return spec.values is None or value in spec.values
