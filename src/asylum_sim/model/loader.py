"""Read the YAML files of a machines folder into validated models.

Safe YAML only (:mod:`asylum_sim.model.safe_yaml`); every problem names the file and the
place in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from asylum_sim.model import safe_yaml
from asylum_sim.model.catalogue import (
    ActorDef,
    ConditionsFile,
    DeadlineDef,
    DeadlinesFile,
    DocumentDef,
    DocumentsFile,
    EntitlementDef,
    EntitlementsFile,
    EventDef,
    EventsFile,
    NamedCondition,
    WarningDef,
    WarningsFile,
)
from asylum_sim.model.errors import InputError, Problem, problems_from, shown
from asylum_sim.model.machine import MachineFile
from asylum_sim.model.sources import SourceDef, SourcesFile

FILE_KINDS: dict[str, type[BaseModel]] = {
    "machine": MachineFile,
    "events": EventsFile,
    "documents": DocumentsFile,
    "deadlines": DeadlinesFile,
    "entitlements": EntitlementsFile,
    "warnings": WarningsFile,
    "conditions": ConditionsFile,
    "sources": SourcesFile,
}


@dataclass
class Definitions:
    """Everything in one machines folder, by id, in file order."""

    folder: Path
    machines: dict[str, MachineFile] = field(default_factory=dict)
    events: dict[str, EventDef] = field(default_factory=dict)
    actors: dict[str, ActorDef] = field(default_factory=dict)
    documents: dict[str, DocumentDef] = field(default_factory=dict)
    deadlines: dict[str, DeadlineDef] = field(default_factory=dict)
    entitlements: dict[str, EntitlementDef] = field(default_factory=dict)
    warnings: dict[str, WarningDef] = field(default_factory=dict)
    conditions: dict[str, NamedCondition] = field(default_factory=dict)
    """Named conditions (``{is: NAME}``)."""
    sources: dict[str, SourceDef] = field(default_factory=dict)
    """The bibliography: every document a ``source`` may cite, by the id it is cited by."""
    files: dict[str, str] = field(default_factory=dict)
    """Which file each machine / catalogue item came from: ``kind:id`` -> file name."""
    duplicates: list[Problem] = field(default_factory=list)

    @property
    def named(self) -> dict[str, Any]:
        """The named conditions' trees by name (what ``is`` looks up)."""
        return {name: c.when for name, c in self.conditions.items()}

    def scenario_events(self) -> list[str]:
        """Events a scenario may name (not those only the simulator fires)."""
        return [e.id for e in self.events.values() if e.origin in ("scenario", "any")]


_SafeLoaderTextDates = safe_yaml._Loader
"""The loader of every input file (an older name, kept for code that parses YAML text)."""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely (:mod:`asylum_sim.model.safe_yaml`); any problem, a
    duplicate key too, becomes an :class:`InputError`."""
    return safe_yaml.read_yaml(path, "machine definition file")


def parse_file(path: Path, data: Any) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one file's data against the model its ``kind`` names."""
    name = path.name
    if not isinstance(data, dict):
        return None, [Problem(name, "", "expected a mapping with a 'kind' key")]
    kind = data.get("kind")
    if kind not in FILE_KINDS:
        expected = ", ".join(FILE_KINDS)
        return None, [Problem(name, "kind", f"is {shown(kind)}; expected one of: {expected}")]
    try:
        return TypeAdapter(FILE_KINDS[kind]).validate_python(data), []
    except ValidationError as exc:
        return None, problems_from(name, exc)


@dataclass
class LoadedFile:
    """One file of a machines folder as read: its data (None when it could not be read),
    its model (None when it does not validate) and its problems."""

    path: Path
    data: Any
    model: BaseModel | None
    problems: list[Problem]


def read_folder(folder: Path | str) -> list[LoadedFile]:
    """Read and validate every ``*.yaml`` of ``folder`` (an :class:`InputError` when the
    folder itself is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "no such folder"
        raise InputError([Problem(str(folder), "", f"{what} of machine definitions")])
    loaded = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data, duplicates = safe_yaml.parse_yaml(path, "machine definition file")
        except InputError as exc:
            loaded.append(LoadedFile(path, None, None, list(exc.problems)))
            continue
        model, found = parse_file(path, data)
        loaded.append(LoadedFile(path, data, model, duplicates + found))
    return loaded


def load_definitions(folder: Path | str, *, collect: list[Problem] | None = None) -> Definitions:
    """Load every ``*.yaml`` of ``folder``.

    Problems are appended to ``collect`` when given (so ``check`` can list them all);
    otherwise the first batch raises :class:`InputError`.
    """
    return definitions_from(Path(folder), read_folder(folder), collect)


def definitions_from(
    folder: Path, loaded: list[LoadedFile], collect: list[Problem] | None = None
) -> Definitions:
    """The :class:`Definitions` of files read by :func:`read_folder` (see
    :func:`load_definitions` for ``collect``)."""
    defs = Definitions(folder=folder)
    problems: list[Problem] = []
    if not loaded:
        problems.append(Problem(str(folder), "", "holds no *.yaml machine definitions"))
    for item in loaded:
        problems.extend(item.problems)
        if item.model is not None:
            add_model(defs, item.path.name, item.model)
    problems.extend(defs.duplicates)
    if collect is not None:
        collect.extend(problems)
    elif problems:
        raise InputError(problems)
    return defs


def add_model(defs: Definitions, name: str, model: BaseModel) -> None:
    """File the items of one parsed file under their ids, noting duplicates (in
    ``defs.duplicates``)."""

    def put(kind: str, table: dict[str, Any], item: Any, where: str) -> None:
        key = f"{kind}:{item.id}"
        if item.id in table:
            first = defs.files[key]
            defs.duplicates.append(
                Problem(name, where, f"duplicate {kind} id {item.id!r} (first in {first})")
            )
            return
        table[item.id] = item
        defs.files[key] = name

    if isinstance(model, MachineFile):
        put("machine", defs.machines, model, "id")
        seen: set[str] = set()
        for i, state in enumerate(model.states):
            if state.id in seen:
                defs.duplicates.append(
                    Problem(name, f"states[{i}].id", f"duplicate state id {state.id!r}")
                )
            seen.add(state.id)
    elif isinstance(model, EventsFile):
        for i, actor in enumerate(model.actors):
            put("actor", defs.actors, actor, f"actors[{i}]")
        for i, event in enumerate(model.events):
            put("event", defs.events, event, f"events[{i}]")
    elif isinstance(model, DocumentsFile):
        for i, doc in enumerate(model.documents):
            put("document", defs.documents, doc, f"documents[{i}]")
    elif isinstance(model, DeadlinesFile):
        for i, deadline in enumerate(model.deadlines):
            put("deadline", defs.deadlines, deadline, f"deadlines[{i}]")
    elif isinstance(model, EntitlementsFile):
        for i, ent in enumerate(model.entitlements):
            put("entitlement", defs.entitlements, ent, f"entitlements[{i}]")
    elif isinstance(model, ConditionsFile):
        for cid, condition in model.conditions.items():
            if cid in defs.conditions:
                first = defs.files[f"condition:{cid}"]
                defs.duplicates.append(Problem(
                    name, f"conditions.{cid}", f"duplicate condition {cid!r} (first in {first})"))
                continue
            defs.conditions[cid] = condition
            defs.files[f"condition:{cid}"] = name
    elif isinstance(model, SourcesFile):
        for i, source in enumerate(model.sources):
            put("source", defs.sources, source, f"sources[{i}]")
    elif isinstance(model, WarningsFile):
        for i, warning in enumerate(model.warnings):
            put("warning", defs.warnings, warning, f"warnings[{i}]")


__all__ = ["DeadlineDef", "Definitions", "DocumentDef", "EntitlementDef", "load_definitions"]
