"""One case of a log: its rows read into a scenario, replayed leniently, turned into rows.

Conformance, not a stop: an unknown activity, a bad attribute, an event not possible in its
state are recorded as deviations and the case goes on; a case whose rows cannot be read (a
bad date, a byte not in the encoding, a broken quote) is reported ``unreadable`` with every
problem, and is not replayed. Nothing a case holds can stop the other cases.

The engine is called in one place, :func:`run_engine`, so that it can switch to a faster
batch mode (no per-step snapshots) without touching the rest.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from asylum_sim.engine.simulator import Simulator
from asylum_sim.engine.steps import DeadlineView, Deviation, Step
from asylum_sim.eventlog import columns as col
from asylum_sim.eventlog.activities import IGNORE, Activities
from asylum_sim.eventlog.columns import Columns
from asylum_sim.eventlog.grouping import RawCase
from asylum_sim.eventlog.tables import Tables
from asylum_sim.eventlog.timestamps import BadTimestamp, DateParser
from asylum_sim.model.catalogue import attribute_value_ok
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario import Person, Scenario, ScenarioEvent
from asylum_sim.model.scenario_file import attribute_from_text

OK, DEVIATIONS, UNREADABLE = "ok", "deviations", "unreadable"
NO_CASE = "no_case"
"""Status of a row that names no case: it becomes a deviation, not a case."""
SKIPPED_ORIGINS = ("timer", "internal")
"""Steps of our own step logs that the simulator derives again: skipped when read back."""


@dataclass
class CaseContext:
    """What replaying the cases of one log needs, built once per process."""

    defs: Definitions
    sim: Simulator
    columns: Columns
    activities: Activities
    dates: DateParser
    tables: Tables
    unit: str = "line"
    header: list[str] | None = None
    initial: dict[str, str] = field(default_factory=dict)
    phases: dict[str, str | None] = field(default_factory=dict)
    """Phase of each procedure state (for days per phase)."""
    layout: list[tuple[str, str, str]] = field(default_factory=list)
    """(column, kind, name) of each column of ``header``."""

    attribute_positions: dict[str, int] = field(default_factory=dict)
    """Place of each attribute among the attribute columns of the step table."""
    event_at: int = -1
    date_at: int = -1
    extra_at: tuple[int, ...] = ()
    """Columns other than the case, event and date ones."""

    def __post_init__(self) -> None:
        self.attribute_positions = {a: i for i, a in enumerate(self.tables.attributes)}
        self.layout = [(key, *self.columns.role(key)) for key in self.header or ()]
        if self.header:
            header = self.header
            case_at = self.columns.index(header, col.CASE, "log")
            self.event_at = self.columns.index(header, col.EVENT, "log")
            self.date_at = self.columns.index(header, col.DATE, "log")
            self.extra_at = tuple(i for i in range(len(header))
                                  if i not in (case_at, self.event_at, self.date_at))

    @classmethod
    def build(cls, defs: Definitions, columns: Columns, activities: Activities,
              date_format: str | None, unit: str = "line",
              header: list[str] | None = None, sim: Simulator | None = None) -> CaseContext:
        procedure = defs.machines.get("procedure")
        return cls(
            defs=defs, sim=sim or Simulator(defs), columns=columns, activities=activities,
            dates=DateParser(date_format), tables=Tables.of(defs), unit=unit, header=header,
            initial={m.id: m.initial for m in defs.machines.values()},
            phases={s.id: s.phase for s in procedure.states} if procedure else {},
        )


@dataclass(slots=True)
class CaseOutcome:
    """A case's rows for the three tables, and what the summary counts."""

    case: str | None
    status: str
    events: int
    case_row: tuple[Any, ...] | None = None
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    deviations: list[tuple[Any, ...]] = field(default_factory=list)
    final_state: str | None = None
    phase_days: list[tuple[str, int]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    unknown_labels: list[str] = field(default_factory=list)
    unknown_columns: set[str] = field(default_factory=set)
    undecoded: int = 0
    """Rows with bytes not in the log's encoding."""


@dataclass
class _Note:
    """A deviation found while reading (before the states are known)."""

    line: int
    date: dt.date | None
    event: str
    kind: str
    message: str


@dataclass
class _Read:
    """A case's rows, read."""

    events: list[ScenarioEvent] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)
    notes: list[_Note] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    unknown_labels: list[str] = field(default_factory=list)
    unknown_columns: set[str] = field(default_factory=set)
    undecoded: int = 0


# -- reading ---------------------------------------------------------------------------------

def read_case(raw: RawCase, ctx: CaseContext) -> _Read:
    """The events, person and reading deviations of one case's rows."""
    read = _Read()
    id_types: set[type] = set()
    for line, row, problem in raw.rows:
        if problem is not None:
            read.problems.append((line, problem))
            if "--encoding" in problem or "encoding" in problem:
                read.undecoded += 1
            continue
        try:
            _read_row(line, row, ctx, read, id_types)
        except _RowProblem as exc:
            read.problems.append((line, str(exc)))
    if len(id_types) > 1:
        read.problems.append((raw.rows[0][0], f"the case id {raw.case!r} is written both as "
                              "a number and as text; write it one way"))
    _check_person(read, ctx)
    return read


class _RowProblem(Exception):
    pass


def _read_row(line: int, row: Any, ctx: CaseContext, read: _Read, id_types: set[type]) -> None:
    attributes: dict[str, Any] = {}
    origin = note = lifecycle = None
    if isinstance(row, list):  # CSV: the roles of the header's columns were found once
        if len(row) != len(ctx.layout):
            raise _RowProblem("the row does not match the header")
        label, when = row[ctx.event_at], row[ctx.date_at]
        cells: Iterable[tuple[tuple[str, str, str], Any]] = (
            (ctx.layout[i], row[i]) for i in ctx.extra_at if row[i])
    else:
        role = ctx.columns.role
        label = when = None
        cells = (((key, *role(key)), value) for key, value in row.items()
                 if value is not None and value != "")
    for (key, kind, name), value in cells:
        if kind == col.EVENT:
            label = value
        elif kind == col.DATE:
            when = value
        elif kind == col.ATTRIBUTE:
            attributes[name] = value
        elif kind == col.CASE:
            id_types.add(type(value))
        elif kind == col.PERSON:
            _person_value(name, value, line, read)
        elif kind == col.ORIGIN:
            origin = value
        elif kind == col.NOTE:
            note = str(value)
        elif kind == col.LIFECYCLE:
            lifecycle = str(value).strip().lower()
        elif kind == col.PERSON_TEXT:
            for key2, value2 in _pairs(value).items():
                _person_value(key2, value2, line, read)
        elif kind == col.ATTRIBUTES_TEXT:
            attributes.update(_pairs(value))
        elif kind == col.UNKNOWN:
            read.unknown_columns.add(key)
    if origin in SKIPPED_ORIGINS or lifecycle not in (None, "complete"):
        return
    try:
        day = ctx.dates(when)
    except BadTimestamp as exc:
        raise _RowProblem(f"bad date: {exc}") from None
    read.dates.append(day)
    if label is None or label == "":
        raise _RowProblem("no event (activity)")
    label = str(label).strip()
    activity = ctx.activities.resolve(label)
    if activity is None:
        read.unknown_labels.append(label)
        read.notes.append(_Note(line, day, label, "unknown_activity",
                                f"unknown activity {label!r}"))
        return
    if activity.event == IGNORE:
        return
    spec = ctx.defs.events[activity.event]
    if spec.origin in SKIPPED_ORIGINS:
        return  # the simulator fires it by itself
    event = _event(line, day, activity.event, {**activity.attributes, **attributes}, note, ctx,
                   read)
    if event is not None:
        read.events.append(event)
        read.lines.append(line)


def _event(line: int, day: dt.date, event: str, attributes: dict[str, Any], note: str | None,
           ctx: CaseContext, read: _Read) -> ScenarioEvent | None:
    """A scenario event with its attributes checked; a bad attribute is dropped (and noted),
    an event missing a required one is left out (and noted)."""
    spec = ctx.defs.events[event]
    kept: dict[str, Any] = {}
    for key, value in attributes.items():
        attr = spec.attributes.get(key)
        if attr is None:
            known = ", ".join(spec.attributes) or "none"
            read.notes.append(_Note(line, day, event, "bad_attribute",
                                    f"event {event!r} has no attribute {key!r} (known: "
                                    f"{known}); left out"))
            continue
        typed = _typed(value, attr.type, ctx.dates)
        if not attribute_value_ok(attr, typed):
            allowed = f" one of {attr.values}" if attr.values else ""
            read.notes.append(_Note(line, day, event, "bad_attribute",
                                    f"attribute {key!r} must be a {attr.type}{allowed}; got "
                                    f"{value!r}; left out"))
            continue
        kept[key] = typed
    missing = [k for k, a in spec.attributes.items() if a.required and k not in kept]
    if missing:
        read.notes.append(_Note(line, day, event, "bad_attribute",
                                f"event {event!r} needs attribute {missing[0]!r}; event left "
                                "out"))
        return None
    return new_event(day, event, note, kept)


_NEW = object.__new__
_SET = object.__setattr__
_FIELDS = frozenset({"date", "event"})
_FIELDS_NOTE = frozenset({"date", "event", "note"})


def new_event(day: dt.date, event: str, note: str | None,
              attributes: dict[str, Any]) -> ScenarioEvent:
    """A :class:`ScenarioEvent` from values checked already (by :func:`_event`), built
    without pydantic's validation: 1 µs instead of 2.5 a row, at 100,000 rows a second that
    counts. tests/test_eventlog_replay.py checks it equals the validated model."""
    built = _NEW(ScenarioEvent)
    _SET(built, "__dict__", {"date": day, "event": event, "note": note})
    _SET(built, "__pydantic_extra__", dict(attributes))
    _SET(built, "__pydantic_fields_set__", {*(_FIELDS if note is None else _FIELDS_NOTE),
                                            *attributes})
    _SET(built, "__pydantic_private__", None)
    return built


def _typed(value: Any, kind: str, dates: DateParser) -> Any:
    """An attribute value of a log as the catalogue types it."""
    if kind == "date":
        try:
            return dates(value)
        except BadTimestamp:
            return value
    if isinstance(value, str):
        typed = attribute_from_text(value)
        return typed.isoformat() if kind == "str" and isinstance(typed, dt.date) else (
            value.strip() if kind == "str" else typed)
    return value


def _pairs(value: Any) -> dict[str, Any]:
    """``key=value;key=value`` text (or a JSON object) of the older log format."""
    if isinstance(value, dict):
        return value
    found: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in str(value).split(";"))):
        key, sep, text = part.partition("=")
        if not sep:
            raise _RowProblem(f"expected key=value, got {part!r}")
        found[key.strip()] = text.strip()
    return found


def _person_value(name: str, value: Any, line: int, read: _Read) -> None:
    if name not in col.PERSON_ATTRIBUTES:
        read.unknown_columns.add(f"case:{name}")
        return
    if name in read.person:
        if read.person[name] != value:
            read.notes.append(_Note(line, None, "", "bad_attribute",
                                    f"person attribute {name!r} is {value!r} here but "
                                    f"{read.person[name]!r} earlier in the case; the first is "
                                    "used"))
        return
    read.person[name] = value


def _check_person(read: _Read, ctx: CaseContext) -> None:
    """Type the person attributes; a bad one is dropped and noted."""
    typed: dict[str, Any] = {}
    for name, value in read.person.items():
        if name == "birth_date":
            try:
                typed[name] = ctx.dates(value)
            except BadTimestamp as exc:
                read.notes.append(_Note(0, None, "", "bad_attribute",
                                        f"person attribute 'birth_date': {exc}; left out"))
            continue
        typed[name] = attribute_from_text(value) if isinstance(value, str) else value
    while typed:
        try:
            Person.model_validate(typed)
            break
        except ValidationError as exc:
            before = len(typed)
            for error in exc.errors(include_url=False):
                name = str(error["loc"][0]) if error["loc"] else ""
                read.notes.append(_Note(0, None, "", "bad_attribute",
                                        f"person attribute {name!r}: {error['msg']}; left out"))
                typed.pop(name, None)
            if len(typed) == before:
                typed = {}
    birth = typed.get("birth_date")
    if birth is not None and read.events and birth > min(e.date for e in read.events):
        read.notes.append(_Note(0, None, "", "bad_attribute",
                                f"birth date {birth} is after the first event; left out"))
        del typed["birth_date"]
    read.person = typed


# -- replaying -------------------------------------------------------------------------------

@dataclass
class EngineResult:
    steps: list[Step]
    deviations: list[Deviation]
    deadlines: tuple[DeadlineView, ...]
    """The deadlines at the end of the case."""


def run_engine(sim: Simulator, scenario: Scenario, name: str) -> EngineResult:
    """The one place that calls the engine: a lenient replay in its batch detail (the
    states after each step; documents and deadlines only at the end)."""
    replay = sim.replay(scenario, lenient=True, name=name, detail="states")
    final = replay.final.deadlines if replay.final is not None else ()
    return EngineResult(replay.steps, replay.deviations, final)


def replay_case(raw: RawCase, ctx: CaseContext) -> CaseOutcome:
    """Read, replay and tabulate one case; never raises for anything the case holds."""
    if raw.case is None:
        return _no_case(raw, ctx)
    read = read_case(raw, ctx)
    if read.problems:
        return _unreadable(raw, read, ctx, read.problems)
    result: EngineResult | None = None
    if read.events:
        scenario = Scenario(id=raw.case, person=Person(**read.person), events=read.events)
        try:
            result = run_engine(ctx.sim, scenario, f"case {raw.case}")
        except InputError as exc:
            return _unreadable(raw, read, ctx, [(0, p.message) for p in exc.problems])
        except Exception as exc:  # one case must not stop the others
            return _unreadable(raw, read, ctx, [(0, f"could not be replayed: "
                                                 f"{type(exc).__name__}: {exc}")])
    return _replayed(raw, read, ctx, result)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_ENGINE_PREFIX = re.compile(r"^events\[\d+\] \([^)]*\): ")


def _replayed(raw: RawCase, read: _Read, ctx: CaseContext,
              result: EngineResult | None) -> CaseOutcome:
    case = raw.case
    machines = ctx.tables.machines
    states = dict(ctx.initial)
    person = tuple(None if v is None or v == Person.model_fields[k].default else _text(v)
                   for k, v in ((k, read.person.get(k)) for k in col.PERSON_ATTRIBUTES))
    positions = ctx.attribute_positions
    plain_tail = (None,) * len(positions) + person
    """The end of a step row without attributes (most steps)."""
    step_rows: list[tuple[Any, ...]] = []
    keep_timeline = bool(read.notes)
    timeline: list[tuple[dt.date, tuple[str, ...]]] = []
    phase_days: list[tuple[str, int]] = []
    phases = ctx.phases
    phase, since = None, None
    now = tuple(states[m] for m in machines)
    steps = result.steps if result is not None else []
    for step in steps:
        if step.moves:
            for move in step.moves:
                states[move.machine] = move.dest
                if move.machine == "procedure":
                    new_phase = phases.get(move.dest)
                    if new_phase != phase:
                        if phase is not None and since is not None:
                            phase_days.append((phase, (step.date - since).days))
                        phase, since = new_phase, step.date
            now = tuple(states[m] for m in machines)
        if keep_timeline:
            timeline.append((step.date, now))
        attrs = step.attributes
        if attrs:
            cells = list(plain_tail)
            for key, value in attrs.items():
                at = positions.get(key)
                if at is not None:
                    cells[at] = _text(value)
            tail = tuple(cells)
        else:
            tail = plain_tail
        step_rows.append((case, step.event, step.date, step.origin, *now, *tail))
    deviations: list[tuple[dt.date | None, int, tuple[Any, ...]]] = []
    days = [d for d, _ in timeline]
    initial = tuple(ctx.initial[m] for m in machines)
    for note in read.notes:
        at = bisect.bisect_right(days, note.date) if note.date is not None else 0
        now = timeline[at - 1][1] if at else initial
        deviations.append((note.date, note.line, (case, note.date, note.event, note.kind, *now,
                                                   None, _where(ctx, note), note.line or None)))
    for dev in result.deviations if result is not None else []:
        line = read.lines[dev.index] if dev.index is not None and dev.index < len(
            read.lines) else None
        message = _ENGINE_PREFIX.sub("", dev.message)
        if line is not None:
            message = f"{ctx.unit} {line}: {message}"
        now = tuple(dev.states.get(m) for m in machines)
        deviations.append((dev.date, line or 0, (case, dev.date, dev.event, dev.kind, *now,
                                                 dev.rule, message, line)))
    deviations.sort(key=lambda d: (d[0] or dt.date.min, d[1]))
    missed = sorted({d.id for d in result.deadlines if d.status == "missed"}) if result else []
    final = tuple(states[m] for m in machines)
    dates = [steps[0].date, steps[-1].date] if steps else read.dates
    status = DEVIATIONS if deviations else OK
    row = (case, status, len(raw.rows), len(step_rows), len(deviations),
           min(dates) if dates else None, max(dates) if dates else None, *final,
           " ".join(missed) or None)
    return CaseOutcome(case, status, len(raw.rows), row, step_rows, [d[2] for d in deviations],
                       states.get("procedure"), phase_days, missed, read.unknown_labels,
                       read.unknown_columns, read.undecoded)


def _where(ctx: CaseContext, note: _Note) -> str:
    return f"{ctx.unit} {note.line}: {note.message}" if note.line else note.message


def _unreadable(raw: RawCase, read: _Read, ctx: CaseContext,
                problems: list[tuple[int, str]]) -> CaseOutcome:
    empty = (None,) * len(ctx.tables.machines)
    deviations = [(raw.case, None, "", UNREADABLE, *empty, None,
                   f"{ctx.unit} {line}: {message}" if line else message, line or None)
                  for line, message in problems]
    dates = read.dates
    row = (raw.case, UNREADABLE, len(raw.rows), 0, len(deviations),
           min(dates) if dates else None, max(dates) if dates else None, *empty, None)
    return CaseOutcome(raw.case, UNREADABLE, len(raw.rows), row, [], deviations,
                       unknown_columns=read.unknown_columns, undecoded=read.undecoded)


def _no_case(raw: RawCase, ctx: CaseContext) -> CaseOutcome:
    empty = (None,) * len(ctx.tables.machines)
    deviations = [(None, None, "", UNREADABLE, *empty, None,
                   f"{ctx.unit} {line}: {problem or 'no case id'}", line)
                  for line, _row, problem in raw.rows]
    undecoded = sum(1 for _l, _r, p in raw.rows if p and "encoding" in p)
    return CaseOutcome(None, NO_CASE, len(raw.rows), None, [], deviations, undecoded=undecoded)
