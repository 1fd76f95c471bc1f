"""What each column of an event log means.

By default the process-mining convention (IEEE 1849 XES, pm4py): ``case:concept:name`` is
the case id, ``concept:name`` the activity, ``time:timestamp`` the moment. The short names
``case``, ``event``, ``date`` are accepted too, and ``--map`` names any other columns
(``case=DossierNr,event=Activiteit,date=Datum``; also ``kind=Soort`` for an event attribute
or ``case:birth_date=Geboortedatum`` for a person attribute). ``case:ATTRIBUTE`` columns are
person attributes; every other column that is an attribute of some event is an event
attribute. The columns our own step logs add (``origin``, ``state:*``) are understood.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.scenario import Person

CASE, EVENT, DATE = "case", "event", "date"
ROLES = (CASE, EVENT, DATE)
CONVENTION = {CASE: "case:concept:name", EVENT: "concept:name", DATE: "time:timestamp"}
SHORT = {CASE: "case", EVENT: "event", DATE: "date"}
PERSON_ATTRIBUTES = tuple(Person.model_fields)

# Kinds a column can have (the second item of Columns.role()).
PERSON, ATTRIBUTE, ORIGIN, NOTE, LIFECYCLE, PERSON_TEXT, ATTRIBUTES_TEXT, OURS, UNKNOWN = (
    "person", "attribute", "origin", "note", "lifecycle", "person_text", "attributes_text",
    "ours", "unknown",
)


@dataclass
class Columns:
    """The names of a log's columns by role, and the role of any column name."""

    case: tuple[str, ...] = (CONVENTION[CASE], SHORT[CASE])
    event: tuple[str, ...] = (CONVENTION[EVENT], SHORT[EVENT])
    date: tuple[str, ...] = (CONVENTION[DATE], SHORT[DATE])
    person: dict[str, str] = field(default_factory=dict)
    """Mapped column -> person attribute."""
    attributes: dict[str, str] = field(default_factory=dict)
    """Mapped column -> event attribute."""
    event_attributes: frozenset[str] = frozenset()
    """Every attribute name some event of the catalogue has."""
    _roles: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_map(cls, mapping: dict[str, str], event_attributes: Iterable[str]) -> Columns:
        """Columns with ``--map`` applied (its keys checked by :func:`parse_map`)."""
        found = cls(event_attributes=frozenset(event_attributes))
        for key, column in mapping.items():
            if key in ROLES:
                setattr(found, key, (column,))
            elif key.startswith("case:"):
                found.person[column] = key.removeprefix("case:")
            else:
                found.attributes[column] = key
        return found

    def role(self, name: str) -> tuple[str, str]:
        """``(kind, attribute)`` of column ``name``: kind is case/event/date, person,
        attribute, origin, note, lifecycle, ours (our outputs' columns) or unknown."""
        found = self._roles.get(name)
        if found is None:
            found = self._roles[name] = self._role(name)
        return found

    def _role(self, name: str) -> tuple[str, str]:
        for role in ROLES:
            if name in getattr(self, role):
                return role, role
        if name in self.person:
            return PERSON, self.person[name]
        if name in self.attributes:
            return ATTRIBUTE, self.attributes[name]
        if name == "origin":
            return ORIGIN, name
        if name in ("note", "comment"):
            return NOTE, "note"
        if name == "lifecycle:transition":
            return LIFECYCLE, name
        if name.startswith("state:"):
            return OURS, name  # the states our step logs write after each step
        if name == "person":
            return PERSON_TEXT, name
        if name == "attributes":
            return ATTRIBUTES_TEXT, name
        if name.startswith("case:"):
            return PERSON, name.removeprefix("case:")
        if name in self.event_attributes:
            return ATTRIBUTE, name
        return UNKNOWN, name

    def unknown(self, names: Iterable[str]) -> list[str]:
        """The names among ``names`` that mean nothing to us (reported once, not dropped
        in silence)."""
        return [n for n in names if self.role(n)[0] == UNKNOWN]

    def case_index(self, header: Sequence[str], file: str) -> int:
        """Index of the case column in a header; refuses a header without one."""
        return self.index(header, CASE, file)

    def index(self, header: Sequence[str], role: str, file: str) -> int:
        for name in getattr(self, role):
            if name in header:
                return header.index(name)
        raise InputError([Problem(file, "header", self.missing(role, header))])

    def missing(self, role: str, header: Sequence[str]) -> str:
        """Why a log without a ``role`` column is refused, and what to do."""
        names = " or ".join(repr(n) for n in getattr(self, role))
        shown = ", ".join(header) if header else "none"
        return (f"no {role} column: expected {names} (columns: {shown}); name yours with "
                f"--map {role}=COLUMN")

    def check_header(self, header: Sequence[str], file: str) -> None:
        """Refuse a header that lacks a role or names a column twice."""
        seen = set()
        for name in header:
            if name in seen:
                raise InputError([Problem(file, "header", f"column {name!r} appears twice")])
            seen.add(name)
        for role in ROLES:
            self.index(header, role, file)
        for column in [*self.person, *self.attributes]:
            if column not in header:
                raise InputError([Problem(file, "header", f"--map names column {column!r}, "
                                          f"which the log does not have (columns: "
                                          f"{', '.join(header)})")])


def parse_map(text: str | None, event_attributes: Iterable[str]) -> dict[str, str]:
    """``--map case=DossierNr,event=Activiteit`` as a dict; refuses unknown keys."""
    if not text:
        return {}
    allowed = set(event_attributes)
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, column = (s.strip() for s in part.partition("="))
        if not sep or not key or not column:
            raise InputError(f"--map: expected KEY=COLUMN, got {part!r}")
        known = key in ROLES or key in allowed or (
            key.startswith("case:") and key.removeprefix("case:") in PERSON_ATTRIBUTES
        )
        if not known:
            person = ", ".join(f"case:{a}" for a in PERSON_ATTRIBUTES)
            raise InputError(
                f"--map: unknown key {key!r}; use case, event, date, a person attribute "
                f"({person}) or an event attribute ({', '.join(sorted(allowed))})"
            )
        if key in mapping:
            raise InputError(f"--map: {key!r} is given twice")
        mapping[key] = column
    return mapping
