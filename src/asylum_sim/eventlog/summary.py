"""What a whole log came to: counts that add up chunk by chunk, in bounded memory.

Days per phase are kept as histograms (days -> cases), so the median and the 90th
percentile are exact without keeping a value per case. A phase counts when the case left
it (a stay still running at the end of the case says nothing of its length).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from asylum_sim.eventlog.replay import DEVIATIONS, NO_CASE, OK, UNREADABLE, CaseOutcome
from asylum_sim.i18n import tr
from asylum_sim.model.loader import Definitions

STATUSES = (OK, DEVIATIONS, UNREADABLE)


@dataclass
class Summary:
    """Counts over cases; :meth:`add` one case, :meth:`merge` another summary."""

    statuses: Counter[str] = field(default_factory=Counter)
    final_states: Counter[str] = field(default_factory=Counter)
    deviations: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    phase_days: dict[str, Counter[int]] = field(default_factory=dict)
    unknown_labels: Counter[str] = field(default_factory=Counter)
    unknown_columns: set[str] = field(default_factory=set)
    rows: int = 0
    steps: int = 0
    rows_without_case: int = 0
    undecoded: int = 0

    def add(self, outcome: CaseOutcome) -> None:
        self.rows += outcome.events
        self.steps += len(outcome.steps)
        self.undecoded += outcome.undecoded
        self.unknown_columns |= outcome.unknown_columns
        for row in outcome.deviations:
            self.deviations[row[3]] += 1
        if outcome.status == NO_CASE:
            self.rows_without_case += outcome.events
            return
        self.statuses[outcome.status] += 1
        if outcome.final_state is not None and outcome.status != UNREADABLE:
            self.final_states[outcome.final_state] += 1
        self.missed.update(outcome.missed)
        for phase, days in outcome.phase_days:
            self.phase_days.setdefault(phase, Counter())[days] += 1
        self.unknown_labels.update(outcome.unknown_labels)

    def merge(self, other: Summary) -> None:
        for name in ("statuses", "final_states", "deviations", "missed", "unknown_labels"):
            getattr(self, name).update(getattr(other, name))
        for phase, days in other.phase_days.items():
            self.phase_days.setdefault(phase, Counter()).update(days)
        self.unknown_columns |= other.unknown_columns
        for name in ("rows", "steps", "rows_without_case", "undecoded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def cases(self) -> int:
        return sum(self.statuses.values())

    @property
    def unreadable(self) -> int:
        """Cases that could not be read, and rows that name no case."""
        return self.statuses[UNREADABLE] + self.rows_without_case


def percentile(histogram: Counter[int], q: float) -> int:
    """The nearest-rank ``q`` percentile (0 < q <= 1) of a histogram of whole numbers."""
    total = sum(histogram.values())
    rank = max(1, -(-int(q * total * 1000) // 1000))  # ceil without float drift
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("empty histogram")


def phase_order(defs: Definitions) -> list[str]:
    procedure = defs.machines.get("procedure")
    return list(procedure.phases) if procedure else []


def to_json(summary: Summary, defs: Definitions, closest: dict[str, str | None],
            extra: dict[str, Any]) -> dict[str, Any]:
    """The ``--summary`` JSON: ids as keys, counts as values, in a stable order."""
    phases = phase_order(defs)
    ordered = sorted(summary.phase_days, key=lambda p: (p not in phases,
                                                        phases.index(p) if p in phases else 0, p))
    return {
        **extra,
        "cases": summary.cases,
        "events": summary.rows,
        "steps": summary.steps,
        "by_status": {s: summary.statuses.get(s, 0) for s in STATUSES},
        "rows_without_case": summary.rows_without_case,
        "by_final_state": {"procedure": dict(sorted(summary.final_states.items(),
                                                    key=lambda kv: (-kv[1], kv[0])))},
        "deviations_by_kind": dict(sorted(summary.deviations.items(),
                                          key=lambda kv: (-kv[1], kv[0]))),
        "days_per_phase": {
            p: {"stays": sum(summary.phase_days[p].values()),
                "median": percentile(summary.phase_days[p], 0.5),
                "p90": percentile(summary.phase_days[p], 0.9)}
            for p in ordered
        },
        "deadlines_missed": dict(sorted(summary.missed.items(), key=lambda kv: (-kv[1], kv[0]))),
        "unknown_activities": [
            {"label": label, "count": count, "closest_event": closest.get(label)}
            for label, count in sorted(summary.unknown_labels.items(),
                                       key=lambda kv: (-kv[1], kv[0]))
        ],
        "ignored_columns": sorted(summary.unknown_columns),
    }


def render_table(data: dict[str, Any], defs: Definitions, lang: str, width: int = 80) -> str:
    """The summary JSON as tables for a terminal, in ``lang``."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from asylum_sim.render.labels import Labeller

    lab = Labeller(defs, lang)
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False,
                      soft_wrap=False)

    def table(title: str, *headers: str) -> Table:
        console.print()
        console.print(title)  # above the table, not as its title: a title would wrap
        t = Table(box=box.SIMPLE_HEAD, expand=False)
        for i, h in enumerate(headers):
            t.add_column(h, justify="right" if i else "left")
        return t

    def n(value: int) -> str:
        text = f"{value:,}"
        return {"nl": text.replace(",", "."), "fr": text.replace(",", "\u202f")}.get(lang, text)

    from pathlib import Path

    console.print(tr("batch.summary_title", lang, log=Path(data.get("log", "")).name,
                     cases=n(data["cases"]), events=n(data["events"]), steps=n(data["steps"])))
    t = table(tr("batch.by_status", lang), tr("batch.status", lang), tr("batch.cases", lang))
    for status, count in data["by_status"].items():
        t.add_row(tr(f"batch.status_{status}", lang), n(count))
    if data["rows_without_case"]:
        t.add_row(tr("batch.rows_without_case", lang), n(data["rows_without_case"]))
    console.print(t)
    states = data["by_final_state"]["procedure"]
    if states:
        t = table(tr("batch.by_final_state", lang), tr("batch.state", lang),
                  tr("batch.cases", lang))
        for state, count in states.items():
            t.add_row(lab.state("procedure", state), n(count))
        console.print(t)
    if data["days_per_phase"]:
        procedure = defs.machines.get("procedure")
        t = table(tr("batch.days_per_phase", lang), tr("batch.phase", lang),
                  tr("batch.times", lang), tr("batch.median", lang), "p90")
        for phase, figures in data["days_per_phase"].items():
            label = procedure.phases[phase].get(lang) if procedure and phase in \
                procedure.phases else phase
            t.add_row(label, n(figures["stays"]), n(figures["median"]), n(figures["p90"]))
        console.print(t)
    if data["deadlines_missed"]:
        t = table(tr("batch.deadlines_missed", lang), tr("batch.deadline", lang),
                  tr("batch.cases", lang))
        for deadline, count in data["deadlines_missed"].items():
            t.add_row(lab.deadline(deadline), n(count))
        console.print(t)
    if data["deviations_by_kind"]:
        t = table(tr("batch.deviations_by_kind", lang), tr("batch.kind", lang),
                  tr("batch.deviations", lang))
        for kind, count in data["deviations_by_kind"].items():
            key = f"batch.kind_{kind}"
            t.add_row(tr(key, lang) if _known(key) else kind, n(count))
        console.print(t)
    if data["unknown_activities"]:
        t = table(tr("batch.unknown_activities", lang), tr("batch.label", lang),
                  tr("batch.times", lang), tr("batch.closest_event", lang))
        for item in data["unknown_activities"]:
            closest = item["closest_event"]
            t.add_row(item["label"], n(item["count"]), closest or "")
        console.print(t)
    if data["ignored_columns"]:
        console.print(tr("batch.ignored_columns", lang,
                         columns=", ".join(data["ignored_columns"])))
    return console.file.getvalue()  # type: ignore[attr-defined]


def _known(key: str) -> bool:
    from asylum_sim.i18n import catalogue

    return key in catalogue()
