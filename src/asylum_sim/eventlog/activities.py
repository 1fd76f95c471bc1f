"""The source system's activity labels, mapped to our event ids (``--activities FILE``).

The file is a CSV (delimiter sniffed, UTF-8 with or without BOM) with the header
``label,event``: ``Beroep ingesteld,appeal``. More columns are event attributes given with
that label (``Toewijzing collectieve opvang,assign_reception,collective`` under a ``kind``
column), since systems often spell the variant in the label. An empty event (or ``-``)
marks a label to leave out (a letter sent, a file archived). Labels are matched exactly,
then ignoring case and surrounding spaces; a value that is already an event id is taken as
it is.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asylum_sim.eventlog.readers import sniff_delimiter
from asylum_sim.model.errors import InputError, Problem
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario_file import attribute_from_text, event_problems, suggest

IGNORE = ""
"""The event of a label that is left out."""


@dataclass(frozen=True)
class Activity:
    event: str
    """An event id, or :data:`IGNORE`."""
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Activities:
    """Labels to events; without a file, only event ids are understood."""

    labels: dict[str, Activity] = field(default_factory=dict)
    events: frozenset[str] = frozenset()
    """Event ids a log may name directly (scenario events and those the simulator fires)."""
    _folded: dict[str, Activity] = field(default_factory=dict, repr=False)
    _ids: dict[str, Activity] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._folded = {k.strip().casefold(): v for k, v in self.labels.items()}
        self._ids = {event: Activity(event) for event in self.events}

    def resolve(self, label: str) -> Activity | None:
        """The activity for ``label``, or None when it is unknown."""
        found = self.labels.get(label) or self._ids.get(label)
        if found is not None:
            return found
        return self._folded.get(label.strip().casefold())


def closest_event(label: str, defs: Definitions) -> str | None:
    """The event id whose id or label (in any language) is closest to ``label``."""
    names: dict[str, str] = {}
    for event in defs.scenario_events():
        names[event] = event
        for text in defs.events[event].labels.model_dump().values():
            if text:
                names[str(text).casefold()] = event
    close = difflib.get_close_matches(label.casefold(), list(names), n=1, cutoff=0.0)
    return names[close[0]] if close else None


def load_activities(path: Path | None, defs: Definitions) -> Activities:
    """The mapping of ``path`` (None: no mapping); every problem names the file and line."""
    events = frozenset(defs.events)
    if path is None:
        return Activities(events=events)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(name, "", "no such activities file (--activities)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, "", "is a folder, not an activities file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, f"byte {exc.start}",
                                  "not UTF-8; save the activities file as UTF-8")]) from None
    except OSError as exc:
        raise InputError([Problem(name, "", f"cannot read: {exc.strerror}")]) from None
    first = text.splitlines()[0] if text.strip() else ""
    rows = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first))
    header = [h.strip() for h in next(rows, [])]
    if "label" not in header or "event" not in header:
        raise InputError([Problem(name, "header", f"expected the columns label,event (found: "
                                  f"{', '.join(header) or 'none'})")])
    at_label, at_event = header.index("label"), header.index("event")
    extra = [(i, h) for i, h in enumerate(header) if i not in (at_label, at_event) and h]
    labels: dict[str, Activity] = {}
    problems: list[Problem] = []
    for line, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        label, event = cells[at_label].strip(), cells[at_event].strip()
        where = f"line {line}"
        if not label:
            problems.append(Problem(name, where, "no label"))
            continue
        if event in ("", "-"):
            activity = Activity(IGNORE)
        elif event not in defs.events:
            problems.append(Problem(name, where, f"unknown event {event!r}"
                                    f"{suggest(event, defs.scenario_events())}"))
            continue
        else:
            attributes = {key: attribute_from_text(cells[i]) for i, key in extra
                          if cells[i].strip()}
            spec = defs.events[event]
            found = [] if spec.origin in ("timer", "internal") else event_problems(
                event, attributes, defs)
            found = [p for p in found if "needs attribute" not in p]  # the log may give it
            problems.extend(Problem(name, where, p) for p in found)
            activity = Activity(event, attributes)
        if label in labels and labels[label] != activity:
            problems.append(Problem(name, where, f"label {label!r} is mapped twice"))
        labels[label] = activity
    if problems:
        raise InputError(problems)
    return Activities(labels=labels, events=events)
