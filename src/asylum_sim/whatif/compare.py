"""The differences between two ``status`` JSONs (plain dicts), field by field.

Order (deterministic): states, documents, deadlines, entitlements, warnings; within a list,
the baseline's order, then the items only the variant has, in its order. List items are
compared by id; when one id occurs several times on a side (a deadline started again), the
second is ``id#2`` and so on. Only the fields that mean something to the person count
(:data:`COMPARED`); labels, and a deadline's start that merely follows its event, do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

COMPARED: dict[str, tuple[str, ...]] = {
    "documents": ("issued", "valid_until"),
    "deadlines": ("due", "status"),
    "entitlements": ("since", "until", "rule"),
}
"""Per list, the fields besides presence that make two items differ."""

SECTIONS = ("documents", "deadlines", "entitlements")


def keyed(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Items by id; a repeated id becomes ``id#2``, ``id#3``... (in list order)."""
    out: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for item in items:
        seen[item["id"]] = seen.get(item["id"], 0) + 1
        key = item["id"] if seen[item["id"]] == 1 else f"{item['id']}#{seen[item['id']]}"
        out[key] = item
    return out


def _keys(base: Iterable[str], variant: Iterable[str]) -> list[str]:
    order = list(base)
    known = set(order)
    order += [k for k in variant if k not in known]
    return order


def _explained(item: dict[str, Any]) -> dict[str, Any]:
    return {"rule": item.get("rule"), "source": item.get("source"), "why": item.get("why")}


def compare_status(
    base: dict[str, Any],
    variant: dict[str, Any],
    state_origins: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Every difference ``{"field", "baseline", "variant", "rule", "source", "why"}``.

    ``rule``/``source``/``why`` come from the variant's item when it has one, else from the
    baseline's (the side that explains the difference). ``state_origins`` gives them for
    states: ``{"baseline"|"variant": {machine: {"rule", "source", "why"}}}`` (how each
    side came to be in its state); without it they are null.
    """
    found: list[dict[str, Any]] = []
    origins = state_origins or {}
    base_states, var_states = base.get("states", {}), variant.get("states", {})
    for machine in _keys(base_states, var_states):
        old, new = base_states.get(machine), var_states.get(machine)
        if old != new:
            why = (origins.get("variant", {}).get(machine)
                   or origins.get("baseline", {}).get(machine)
                   or {"rule": None, "source": None, "why": None})
            found.append({"field": f"states.{machine}", "baseline": old, "variant": new,
                          **why})
    for section in SECTIONS:
        old_items = keyed(base.get(section, []))
        new_items = keyed(variant.get(section, []))
        for key in _keys(old_items, new_items):
            old, new = old_items.get(key), new_items.get(key)
            if old is not None and new is not None and all(
                old.get(f) == new.get(f) for f in COMPARED[section]
            ):
                continue
            found.append({"field": f"{section}.{key}", "baseline": old, "variant": new,
                          **_explained(new if new is not None else old)})  # type: ignore[arg-type]
    old_w = {w["id"]: w for w in base.get("warnings", [])}
    new_w = {w["id"]: w for w in variant.get("warnings", [])}
    for key in _keys(old_w, new_w):
        if (key in old_w) != (key in new_w):
            item = new_w.get(key) or old_w[key]
            found.append({"field": f"warnings.{key}", "baseline": old_w.get(key),
                          "variant": new_w.get(key), "rule": item.get("rule"),
                          "source": item.get("source"), "why": item.get("message")})
    return found


def gist(field: str, item: Any) -> str | None:
    """The qualitative value of a field, for telling where a sweep flips: a state, an
    entitlement's rule (or absent), a deadline's status, a document's presence. Dates that
    merely move with the shifted event do not count."""
    section = field.split(".", 1)[0]
    if section == "states":
        return item
    if item is None:
        return None
    if section == "entitlements":
        return item.get("rule") or "present"
    if section == "deadlines":
        return item.get("status")
    return "present"


def values(status: dict[str, Any]) -> dict[str, str | None]:
    """Every field of a status with its :func:`gist`."""
    out: dict[str, str | None] = {
        f"states.{m}": s for m, s in status.get("states", {}).items()
    }
    for section in SECTIONS:
        for key, item in keyed(status.get(section, [])).items():
            out[f"{section}.{key}"] = gist(f"{section}.{key}", item)
    for w in status.get("warnings", []):
        out[f"warnings.{w['id']}"] = "present"
    return out
