"""Terminal tables for ``whatif``: baseline and variant side by side, and the sweep.

Plain text, no colour (the same console set-up as :mod:`asylum_sim.render.table`), 80
columns: a difference is marked by ``≠`` in the first column, so it survives pipes.
Renderers read only the report dicts made by :mod:`command` and :mod:`sweep`.
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from asylum_sim.render.changes import word
from asylum_sim.render.labels import Labeller
from asylum_sim.whatif.compare import SECTIONS, keyed

MARK = "≠"

TEXT = {
    "nl": {"title": "Wat als", "variant": "Variant", "on": "Vergeleken op", "item": "Onderdeel",
           "baseline": "Basis", "states": "Toestanden", "documents": "Documenten",
           "deadlines": "Termijnen", "entitlements": "Rechten en plichten",
           "differences": "Verschillen", "none": "Geen verschillen.",
           "impossible": "DE VARIANT IS ONMOGELIJK", "shift": "Verschuiving",
           "date": "Datum", "changes": "Verschil met basis", "flips": "Omslagpunten",
           "same": "= basis", "from": "vanaf", "absent": "afwezig", "sweep": "Reeks",
           "warnings": "Waarschuwingen", "rule": "regel"},
    "en": {"title": "What if", "variant": "Variant", "on": "Compared on", "item": "Item",
           "baseline": "Baseline", "states": "States", "documents": "Documents",
           "deadlines": "Deadlines", "entitlements": "Entitlements",
           "differences": "Differences", "none": "No differences.",
           "impossible": "THE VARIANT IS IMPOSSIBLE", "shift": "Shift", "date": "Date",
           "changes": "Changes from baseline", "flips": "Flips", "same": "= baseline",
           "from": "from", "absent": "absent", "sweep": "Sweep", "warnings": "Warnings",
           "rule": "rule"},
}


def _t(lab: Labeller, key: str) -> str:
    return TEXT.get(lab.lang, TEXT["en"])[key]


def _console() -> Console:
    return Console(file=io.StringIO(), width=80, color_system=None, highlight=False,
                   soft_wrap=False, emoji=False, markup=False)


def _text(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def describe_item(section: str, item: dict[str, Any] | None, lab: Labeller) -> str:
    """One short cell for a list item (``—`` when absent)."""
    if item is None:
        return "—"
    if section == "documents":
        text = str(item.get("issued"))
        if item.get("valid_until"):
            text += f" → {item['valid_until']}"
        return text
    if section == "deadlines":
        return f"{item.get('due')} {word(lab, item['status']) if item.get('status') else ''}"
    if section == "entitlements":
        text = f"{word(lab, 'since')} {item.get('since')}"
        if item.get("until"):
            text += f" {word(lab, 'until')} {item['until']}"
        return text
    return "✓"


def _label(section: str, key: str, lab: Labeller) -> str:
    ident, _, nth = key.partition("#")
    label = {"documents": lab.document, "deadlines": lab.deadline,
             "entitlements": lab.entitlement}[section](ident)
    return f"{label} (#{nth})" if nth else label


def _value(field: str, value: Any, lab: Labeller) -> str:
    section, _, key = field.partition(".")
    if section == "states":
        return lab.state(key, value) if value is not None else "—"
    if section == "warnings":
        return "✓" if value is not None else "—"
    return describe_item(section, value, lab)


def whatif_table(report: dict[str, Any], lab: Labeller) -> str:
    """The case and the variant side by side, then each difference with its rule."""
    console = _console()
    base, variant = report["baseline"], report["variant"]
    console.print(f"{_t(lab, 'title')}: {base['case']}")
    console.print(f"{_t(lab, 'variant')}: {' '.join(report['edits'])}")
    console.print(f"{_t(lab, 'on')} {report['on']}")
    if variant is None:
        console.print()
        console.print(f"{_t(lab, 'impossible')}")
        console.print(report["impossible"])
        console.print()
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(MARK, width=1, no_wrap=True)
    table.add_column(_t(lab, "item"), ratio=4)
    table.add_column(_t(lab, "baseline"), ratio=3)
    table.add_column(_t(lab, "variant"), ratio=3)
    differing = {d["field"] for d in report["differences"]}
    other = variant or {}
    table.add_row("", f"[{_t(lab, 'states')}]", "", "")
    machines = list(base["states"]) + [m for m in other.get("states", {})
                                       if m not in base["states"]]
    for machine in machines:
        field = f"states.{machine}"
        table.add_row(MARK if field in differing else "", lab.machine(machine),
                      _value(field, base["states"].get(machine), lab),
                      _value(field, other.get("states", {}).get(machine), lab)
                      if variant is not None else "")
    for section in SECTIONS:
        old, new = keyed(base.get(section, [])), keyed(other.get(section, []))
        keys = list(old) + [k for k in new if k not in old]
        if not keys:
            continue
        table.add_row("", f"[{_t(lab, section)}]", "", "")
        for key in keys:
            field = f"{section}.{key}"
            table.add_row(MARK if field in differing else "", _label(section, key, lab),
                          describe_item(section, old.get(key), lab),
                          describe_item(section, new.get(key), lab)
                          if variant is not None else "")
    console.print(table)
    if variant is None:
        return _text(console)
    console.print(f"{_t(lab, 'differences')}:")
    if not report["differences"]:
        console.print(f"  {_t(lab, 'none')}")
    for diff in report["differences"]:
        field = diff["field"]
        console.print(f"{MARK} {field}: {_value(field, diff['baseline'], lab)} → "
                      f"{_value(field, diff['variant'], lab)}")
        console.print("    " + _why_line(diff, lab))
    return _text(console)


def _why_line(diff: dict[str, Any], lab: Labeller) -> str:
    parts = []
    if diff.get("rule"):
        parts.append(f"{_t(lab, 'rule')} {diff['rule']}")
    if diff.get("source"):
        parts.append(f"({diff['source']})")
    if diff.get("why"):
        parts.append(f"— {diff['why']}")
    return " ".join(parts) or "—"


def _change(diff: dict[str, Any], lab: Labeller) -> str | None:
    """A compact change line for the sweep (ids; dates that merely move are left out)."""
    section, _, key = diff["field"].partition(".")
    old, new = diff["baseline"], diff["variant"]
    if section == "states":
        return None  # shown in the states column
    if old is None:
        return f"+ {key}"
    if new is None:
        return f"- {key}"
    if section == "deadlines" and old.get("status") != new.get("status"):
        return f"{key}: {word(lab, old['status'])} → {word(lab, new['status'])}"
    if section == "entitlements" and old.get("rule") != new.get("rule"):
        return f"{key}: {old.get('rule')} → {new.get('rule')}"
    return None


def sweep_table(report: dict[str, Any], lab: Labeller) -> str:
    """One row per shift: the variant's states where they differ, and what else changed;
    then the flips."""
    console = _console()
    base = report["baseline"]
    console.print(f"{_t(lab, 'sweep')}: {report['event']} — {base['case']}")
    if report["edits"]:
        console.print(f"{_t(lab, 'variant')}: {' '.join(report['edits'])}")
    console.print(f"{_t(lab, 'on')} {report['on']}; "
                  f"{_t(lab, 'baseline').lower()}: "
                  + ", ".join(f"{m}={s}" for m, s in base["states"].items()))
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(_t(lab, "shift"), no_wrap=True)
    table.add_column(_t(lab, "date"), no_wrap=True)
    table.add_column(_t(lab, "states"), ratio=2)
    table.add_column(_t(lab, "changes"), ratio=3)
    for row in report["sweep"]:
        if row["impossible"] is not None:
            table.add_row(row["shift"], row["date"], "!", _t(lab, "impossible").lower())
            continue
        states = [f"{MARK} {m}={s}" for m, s in row["states"].items()
                  if base["states"].get(m) != s]
        changes = [c for c in (_change(d, lab) for d in row["differences"]) if c]
        table.add_row(row["shift"], row["date"], "\n".join(states) or _t(lab, "same"),
                      "\n".join(changes) or "—")
    console.print(table)
    console.print(f"{_t(lab, 'flips')}:")
    if not report["flips"]:
        console.print(f"  {_t(lab, 'none')}")
    for flip in report["flips"]:
        before = flip["before"] if flip["before"] is not None else _t(lab, "absent")
        after = flip["after"] if flip["after"] is not None else _t(lab, "absent")
        source = f" ({flip['source']})" if flip.get("source") else ""
        console.print(f"  {flip['field']}: {before} → {after} {_t(lab, 'from')} "
                      f"{flip['shift']} ({flip['date']}){source}")
    return _text(console)
