"""Terminal tables for ``whatif``: baseline and variant side by side, and the sweep.

As wide as the terminal (80 columns when not printed on one), colour only on a terminal;
a difference is marked by ``≠`` in the first column, so it survives pipes. Renderers read
only the report dicts made by :mod:`command` and :mod:`sweep`, and speak through the
:class:`Labeller` (ids become labels; rule ids stay, as citations do).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from asylum_sim.model.common import Period
from asylum_sim.render.labels import Labeller
from asylum_sim.render.terminal import PLAIN, Terminal, text_of
from asylum_sim.whatif.compare import SECTIONS, keyed
from asylum_sim.whatif.edits import Edits, EventRef, Offset

MARK = "≠"


# -- words for the parts of a report ----------------------------------------------------------

def offset_words(offset: Offset, lab: Labeller) -> str:
    """``+30d`` -> ``+30 dagen``."""
    sign = "-" if offset.amount < 0 else "+"
    return sign + Period(amount=abs(offset.amount), unit=offset.unit).label(lab.lang)


def ref_words(ref: EventRef, lab: Labeller) -> str:
    """An event of the case in words (``appeal#2``: the second appeal)."""
    label = lab.event(ref.event)
    return label if ref.nth == 1 else f"{label} ({lab.t('whatif.nth', n=ref.nth)})"


def edit_words(edits: Edits, lab: Labeller) -> list[str]:
    """One line per edit of the variant, in words."""
    out = [lab.t("whatif.edit.drop", event=ref_words(r, lab)) for r in edits.drops]
    for shift in edits.shifts:
        period = Period(amount=abs(shift.offset.amount), unit=shift.offset.unit).label(lab.lang)
        key = "whatif.edit.earlier" if shift.offset.amount < 0 else "whatif.edit.later"
        out.append(lab.t(key, event=ref_words(shift.ref, lab), period=period))
    out += [lab.t("whatif.edit.add", event=lab.event(a.event), date=a.date) for a in edits.adds]
    return out


def field_words(field: str, lab: Labeller) -> str:
    """``entitlements.work_employee`` -> the entitlement's label; ``states.reception`` ->
    the machine's label; ``variant`` -> "the variant"."""
    section, _, key = field.partition(".")
    ident, _, nth = key.partition("#")
    if section == "states":
        return lab.machine(key)
    if section == "warnings":
        return lab.t("report.warning")
    if section in SECTIONS:
        label = {"documents": lab.document, "deadlines": lab.deadline,
                 "entitlements": lab.entitlement}[section](ident)
        return f"{label} ({lab.t('whatif.nth', n=nth)})" if nth else label
    return lab.t("whatif.the_variant")


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
        status = lab.status_word(item["status"]) if item.get("status") else ""
        return f"{item.get('due')} {status}".strip()
    if section == "entitlements":
        text = lab.t("whatif.since", date=item.get("since"))
        if item.get("until"):
            text += " " + lab.t("whatif.until", date=item["until"])
        return text
    return "✓"


def _value(field: str, value: Any, lab: Labeller) -> str:
    section, _, key = field.partition(".")
    if section == "states":
        return lab.state(key, value) if value is not None else "—"
    if section == "warnings":
        return "✓" if value is not None else "—"
    return describe_item(section, value, lab)


def gist_words(field: str, gist: str | None, lab: Labeller) -> str:
    """A qualitative value (:func:`asylum_sim.whatif.compare.gist`) in words."""
    section, _, key = field.partition(".")
    if gist is None:
        return lab.t("whatif.absent")
    if section == "states":
        return lab.state(key, gist)
    if section == "deadlines":
        return lab.status_word(gist)
    if section == "entitlements" and gist != "present":
        return lab.t("whatif.by_rule", rule=gist)
    if field == "variant":
        return lab.t(f"whatif.{gist}")
    return lab.t("whatif.present")


# -- the tables -------------------------------------------------------------------------------

def _grid(lab: Labeller) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(MARK, width=1, no_wrap=True)
    table.add_column(lab.t("whatif.item"), ratio=4)
    table.add_column(lab.t("whatif.baseline"), ratio=3)
    table.add_column(lab.t("whatif.variant"), ratio=3)
    return table


def whatif_table(report: dict[str, Any], lab: Labeller, edits: Edits, *,
                 terminal: Terminal = PLAIN) -> str:
    """The case and the variant side by side, then each difference with its rule."""
    console = terminal.console()
    base, variant = report["baseline"], report["variant"]
    console.print(Text(lab.t("whatif.title", case=base["case"]), style="bold"))
    console.print(lab.t("report.labelled", label=lab.t("whatif.variant"),
                        text="; ".join(edit_words(edits, lab))))
    console.print(lab.t("whatif.compared_on", date=report["on"]))
    if variant is None:
        console.print()
        console.print(Text(lab.t("whatif.impossible"), style="bold red"))
        console.print(blocked_words(report.get("blocked"), lab))
        console.print()
    table = _grid(lab)
    differing = {d["field"] for d in report["differences"]}
    other = variant or {}
    table.add_row("", f"[{lab.t('report.states')}]", "", "")
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
        table.add_row("", f"[{lab.t(f'report.{section}')}]", "", "")
        for key in keys:
            field = f"{section}.{key}"
            table.add_row(MARK if field in differing else "", field_words(field, lab),
                          describe_item(section, old.get(key), lab),
                          describe_item(section, new.get(key), lab)
                          if variant is not None else "")
    console.print(table)
    if variant is None:
        return text_of(console)
    console.print(lab.t("whatif.differences"))
    if not report["differences"]:
        console.print(f"  {lab.t('whatif.none')}")
    listing = Table.grid(padding=(0, 1))
    listing.add_column(width=1, no_wrap=True)
    listing.add_column()
    for diff in report["differences"]:
        field = diff["field"]
        change = lab.t("whatif.difference", field=field_words(field, lab),
                       before=_value(field, diff["baseline"], lab),
                       after=_value(field, diff["variant"], lab))
        listing.add_row(MARK, Group(Text(change),
                                    Padding(Text(_why_line(diff, lab), style="dim"),
                                            (0, 0, 0, 2))))
    console.print(listing)
    return text_of(console)


def blocked_words(blocked: dict[str, Any] | None, lab: Labeller) -> str:
    """Why the variant cannot be replayed: the event, its date, the states, what was
    possible then."""
    if not blocked:
        return lab.t("whatif.impossible")
    states = "; ".join(lab.machine_state(m, s) for m, s in blocked["states"].items())
    possible = ", ".join(lab.event(e) for e in blocked["possible"]) or "—"
    return lab.t("whatif.blocked", date=blocked["date"], event=lab.event(blocked["event"]),
                 states=states, possible=possible)


def _why_line(diff: dict[str, Any], lab: Labeller) -> str:
    parts = []
    if diff.get("rule"):
        parts.append(lab.t("whatif.rule", rule=diff["rule"]))
    if diff.get("source"):
        parts.append(f"({diff['source']})")
    if diff.get("why"):
        parts.append(f"— {diff['why']}")
    return " ".join(parts) or "—"


def _change(diff: dict[str, Any], lab: Labeller) -> str | None:
    """A compact change line for the sweep (dates that merely move are left out)."""
    section = diff["field"].partition(".")[0]
    old, new = diff["baseline"], diff["variant"]
    if section == "states":
        return None  # shown in the states column
    label = field_words(diff["field"], lab)
    if old is None:
        return f"+ {label}"
    if new is None:
        return f"- {label}"
    if section == "deadlines" and old.get("status") != new.get("status"):
        return lab.t("whatif.difference", field=label, before=lab.status_word(old["status"]),
                     after=lab.status_word(new["status"]))
    if section == "entitlements" and old.get("rule") != new.get("rule"):
        return lab.t("whatif.difference", field=label,
                     before=lab.t("whatif.rule", rule=old.get("rule")), after=new.get("rule"))
    return None


def sweep_table(report: dict[str, Any], lab: Labeller, sweep_ref: EventRef, edits: Edits,
                offsets: list[Offset], *, terminal: Terminal = PLAIN) -> str:
    """One row per shift: the variant's states where they differ, and what else changed;
    then the flips."""
    console = terminal.console()
    base = report["baseline"]
    console.print(Text(lab.t("whatif.sweep_title", event=ref_words(sweep_ref, lab),
                             case=base["case"]), style="bold"))
    if edits.drops or edits.shifts or edits.adds:
        console.print(lab.t("report.labelled", label=lab.t("whatif.variant"),
                            text="; ".join(edit_words(edits, lab))))
    console.print(lab.t("whatif.compared_on", date=report["on"]))
    console.print(lab.t("report.labelled", label=lab.t("whatif.baseline"), text="; ".join(
        lab.machine_state(m, s) for m, s in base["states"].items())))
    words = {str(o): offset_words(o, lab) for o in offsets}
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(lab.t("whatif.shift"), no_wrap=True)
    table.add_column(lab.t("report.col.date"), no_wrap=True)
    table.add_column(lab.t("report.states"), ratio=2)
    table.add_column(lab.t("whatif.changes"), ratio=3)
    for row in report["sweep"]:
        shift = words.get(row["shift"], row["shift"])
        if row["impossible"] is not None:
            table.add_row(shift, row["date"], "!", lab.t("whatif.impossible_short"))
            continue
        states = [f"{MARK} {lab.machine_state(m, s)}"
                  for m, s in row["states"].items() if base["states"].get(m) != s]
        changes = [c for c in (_change(d, lab) for d in row["differences"]) if c]
        table.add_row(shift, row["date"], "\n".join(states) or lab.t("whatif.same"),
                      "\n".join(changes) or "—")
    console.print(table)
    console.print(lab.t("whatif.flips"))
    if not report["flips"]:
        console.print(f"  {lab.t('whatif.none')}")
    for flip in report["flips"]:
        field = flip["field"]
        source = f" ({flip['source']})" if flip.get("source") else ""
        console.print("  " + lab.t(
            "whatif.flip", field=field_words(field, lab),
            before=gist_words(field, flip["before"], lab),
            after=gist_words(field, flip["after"], lab),
            shift=words.get(flip["shift"], flip["shift"]), date=flip["date"]) + source)
    return text_of(console)
