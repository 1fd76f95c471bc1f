"""What ``check`` can still read of a file that fails its schema.

The loader refuses a file with any schema error, and reports every error. ``check`` wants
more: one bad transition should not hide a dangling target three lines below it. So a file
that fails is validated again without the entries its errors point into (``states[3]``,
``guards.x``, ``events[7]``), and the rest is checked as usual. What was left out is
remembered in :class:`Dropped`, so that a reference to a left-out id is not reported as
unknown (its real problem is already reported), and the states and transitions left out
still count in a machine's graph (reachability, dead ends) when their ids can be read; a
machine that lost a transition whose states cannot be read is not judged on its graph.

A file whose error is not inside such an entry (a bad ``initial``, a misspelt top-level key)
yields nothing: there is no telling what the rest means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

ENTRY_KINDS: dict[str, dict[str, str]] = {
    "machine": {"states": "state", "transitions": "transition", "guards": "guard",
                "phases": "phase"},
    "events": {"actors": "actor", "events": "event"},
    "documents": {"documents": "document"},
    "deadlines": {"deadlines": "deadline"},
    "entitlements": {"entitlements": "entitlement"},
    "warnings": {"warnings": "warning"},
}
"""Per file kind, the lists and mappings of entries that can be left out, and what one
entry is called (the machine-local ones are keyed by machine too). Named conditions and
the bibliography are not split: references to them are checked elsewhere, which would
report the entries left out as unknown."""

MACHINE_LOCAL = frozenset({"state", "guard", "phase"})

_INDEX = re.compile(r"\b([a-z_]+)\[(\d+)\]")

ROUNDS = 5
"""Validations tried after the first failure: leaving an entry out cannot make another
fail, but a nested union may report its errors a round later."""


@dataclass
class Dropped:
    """Entries left out of partial models: ``state:procedure:refused``, ``event:apply``..."""

    ids: set[str] = field(default_factory=set)
    edges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Per machine, the (source, destination) of the transitions left out."""
    unreadable: set[str] = field(default_factory=set)
    """Machines that lost a transition whose states cannot be read: their graph is
    incomplete."""

    finals: set[str] = field(default_factory=set)
    """``machine:state`` of the final states left out."""
    positions: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    """Per file name and list (``transitions``), the index in the file of each entry of the
    partial model: the model's ``transitions[2]`` may be the file's ``transitions[3]``."""

    def in_file(self, file: str, text: str) -> str:
        """``text`` with the entry indexes of a partial model of ``file`` (``states[3]``)
        turned into the indexes of the file."""
        lists = self.positions.get(file)
        if not lists:
            return text
        return _INDEX.sub(
            lambda m: f"{m[1]}[{lists[m[1]][int(m[2])]}]"
            if m[1] in lists and int(m[2]) < len(lists[m[1]]) else m[0],
            text,
        )

    def states_of(self, machine: str) -> list[str]:
        """The ids of the states of ``machine`` left out."""
        prefix = f"state:{machine}:"
        return sorted(key.removeprefix(prefix) for key in self.ids if key.startswith(prefix))

    def event(self, name: str) -> bool:
        return f"event:{name}" in self.ids

    def has(self, kind: str, name: str, machine: str | None = None) -> bool:
        key = f"{kind}:{machine}:{name}" if machine is not None else f"{kind}:{name}"
        return key in self.ids


def partial_model(
    name: str, data: Any, file_kinds: dict[str, type[BaseModel]], dropped: Dropped
) -> BaseModel | None:
    """The model of the data of file ``name`` without its invalid entries, or None; what
    was left out is added to ``dropped``."""
    if not isinstance(data, dict) or data.get("kind") not in file_kinds:
        return None
    if data["kind"] not in ENTRY_KINDS:
        return None
    kind = data["kind"]
    adapter = TypeAdapter(file_kinds[kind])
    data = dict(data)
    left_out: dict[str, list[tuple[Any, Any]]] = {}
    positions = {
        key: list(range(len(value)))
        for key, value in data.items()
        if key in ENTRY_KINDS[kind] and isinstance(value, list)
    }
    for _ in range(ROUNDS + 1):
        try:
            model = adapter.validate_python(data)
        except ValidationError as exc:
            bad = _bad_entries(data, exc, ENTRY_KINDS[kind])
            if bad is None:
                return None
            for field_name, keys in bad.items():
                entries = data[field_name]
                if isinstance(entries, list):
                    left_out.setdefault(field_name, []).extend(
                        (i, entries[i]) for i in sorted(keys)
                    )
                    data[field_name] = [e for i, e in enumerate(entries) if i not in keys]
                    positions[field_name] = [
                        p for i, p in enumerate(positions[field_name]) if i not in keys
                    ]
                else:
                    left_out.setdefault(field_name, []).extend((k, entries[k]) for k in keys)
                    data[field_name] = {k: v for k, v in entries.items() if k not in keys}
            continue
        _remember(kind, data, left_out, dropped)
        dropped.positions[name] = positions
        return model
    return None


def _bad_entries(
    data: dict[str, Any], error: ValidationError, lists: dict[str, str]
) -> dict[str, set[Any]] | None:
    """``{"states": {3}, "guards": {"x"}}`` from the errors' locations, or None when an
    error lies outside every entry."""
    bad: dict[str, set[Any]] = {}
    for err in error.errors(include_url=False):
        loc = err["loc"]
        if len(loc) < 2 or loc[0] not in lists:
            return None
        entries = data.get(loc[0])
        in_list = isinstance(entries, list) and isinstance(loc[1], int) and loc[1] < len(entries)
        if not (in_list or (isinstance(entries, dict) and loc[1] in entries)):
            return None
        bad.setdefault(str(loc[0]), set()).add(loc[1])
    return bad


def _remember(
    kind: str, data: dict[str, Any], left_out: dict[str, list[tuple[Any, Any]]],
    dropped: Dropped,
) -> None:
    machine = data.get("id") if kind == "machine" else None
    for name, entries in left_out.items():
        what = ENTRY_KINDS[kind][name]
        if what == "transition" and machine is not None:
            for _, entry in entries:
                _remember_edges(machine, entry, dropped)
            continue
        for key, entry in entries:
            entry_id = key if isinstance(key, str) else (
                entry.get("id") if isinstance(entry, dict) else None
            )
            if not isinstance(entry_id, str):
                continue
            if what in MACHINE_LOCAL:
                dropped.ids.add(f"{what}:{machine}:{entry_id}")
                if what == "state" and isinstance(entry, dict) and entry.get("final") is True:
                    dropped.finals.add(f"{machine}:{entry_id}")
            else:
                dropped.ids.add(f"{what}:{entry_id}")


def _remember_edges(machine: str, entry: Any, dropped: Dropped) -> None:
    """The edges of a left-out transition, or its machine as unreadable."""
    sources = entry.get("from") if isinstance(entry, dict) else None
    sources = [sources] if isinstance(sources, str) else sources
    dest = entry.get("to") if isinstance(entry, dict) else None
    if (
        not isinstance(dest, str)
        or not isinstance(sources, list)
        or not all(isinstance(s, str) for s in sources)
    ):
        dropped.unreadable.add(machine)
        return
    dropped.edges.setdefault(machine, []).extend((source, dest) for source in sources)
