"""The condition language of guards, deadlines, documents, entitlements and warnings.

A condition is a mapping with exactly one key, the operator (``{state: {procedure:
[at_cgvs]}}``, ``{all: [...]}``), or a list of conditions, which means ``all``. The
operators are defined in the modules of this package, one class each (see
:mod:`asylum_sim.model.conditions.base`); docs/conditions.md is their reference.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, Discriminator, Tag

from asylum_sim.model.conditions import events, facts, logic, machines, records
from asylum_sim.model.conditions.base import (
    CONTEXTS,
    OPERATORS,
    CaseView,
    Compiler,
    Named,
    Node,
    Read,
    Temporal,
    walk,
)

# The operators, re-exported by name for the rest of the program.
AllOf, AnyOf, Not, Is, Always = logic.AllOf, logic.AnyOf, logic.Not, logic.Is, logic.Always
InState, EnteredFrom = machines.InState, machines.EnteredFrom
FactIs, Trigger, Age, Compare = facts.FactIs, facts.Trigger, facts.Age, facts.Compare
Happened, Count, After, Before = events.Happened, events.Count, events.After, events.Before
Anchor, HappenedSpec = events.Anchor, events.HappenedSpec
DeadlineIs, Holds, Dated = records.DeadlineIs, records.Holds, records.Dated


def _list_means_all(value: Any) -> Any:
    """``[a, b]`` is ``{all: [a, b]}``."""
    return {"all": value} if isinstance(value, list) else value


def _operator_key(value: Any) -> str | None:
    """The key of a one-key mapping (or the node already parsed), for the discriminator."""
    if isinstance(value, Node):
        return value.key
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return key if key in OPERATORS else None
    return None


Condition = Annotated[
    Union[tuple(Annotated[cls, Tag(key)] for key, cls in OPERATORS.items())],  # type: ignore[valid-type]  # noqa: UP007
    Discriminator(
        _operator_key,
        custom_error_type="condition",
        custom_error_message="a condition is a list (all of) or a mapping with exactly one "
        "key, one of: " + ", ".join(OPERATORS),
    ),
    BeforeValidator(_list_means_all),
]

for _cls in OPERATORS.values():
    _cls.model_rebuild(_types_namespace={"Condition": Condition})
for _cls in (events.HappenedSpec,):
    _cls.model_rebuild()


__all__ = [
    "CONTEXTS",
    "OPERATORS",
    "Age",
    "AllOf",
    "Always",
    "Anchor",
    "AnyOf",
    "BaseModel",
    "Before",
    "CaseView",
    "Compare",
    "Compiler",
    "Condition",
    "Count",
    "Dated",
    "DeadlineIs",
    "EnteredFrom",
    "FactIs",
    "Happened",
    "HappenedSpec",
    "Holds",
    "InState",
    "Is",
    "Named",
    "Node",
    "Not",
    "Read",
    "Temporal",
    "Trigger",
    "walk",
]
