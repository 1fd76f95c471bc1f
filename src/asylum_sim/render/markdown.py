"""Markdown reports (for case files and wikis), laid out from the report model."""

from __future__ import annotations

from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import CaseReport, Situation, SourceEntry
from asylum_sim.render.table import MARK, ORIGIN_MARK


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _explained(label: str, reason: str | None) -> str:
    return f"{label}<br>*{reason}*" if reason else label


def _cited(citations: tuple[str, ...]) -> str:
    return "; ".join(citations) or "—"


def _head(report: CaseReport, lab: Labeller) -> list[str]:
    def quoted(label: str, text: str) -> str:
        return "> " + lab.t("report.labelled", label=f"**{lab.t(label)}**", text=text)

    out = [quoted("report.warning", n.text) for n in report.warnings]
    out += [quoted("report.problem", p) for p in report.problems]
    return [*out, ""] if out else []


def situation_markdown(report: CaseReport, lab: Labeller, *, level: int = 2) -> str:
    """The situation of the report (states, documents, deadlines, entitlements)."""
    snap = report.situation
    if snap is None:
        return ""
    out = [f"{'#' * level} {lab.t('report.status_title', on=snap.on, case=report.case)}", ""]
    if level == 1:
        out += _head(report, lab)
    out += _situation(snap, lab, level + 1)
    return "\n".join(out)


def _situation(snap: Situation, lab: Labeller, level: int) -> list[str]:
    h, source = "#" * level, lab.t("report.col.source")
    out = _table([lab.t("report.col.machine"), lab.t("report.col.state")],
                 [[s.machine, s.state] for s in snap.states])
    out += [f"{h} {lab.t('report.documents')}", ""]
    out += _table([lab.t("report.col.document"), lab.t("report.col.issued"),
                   lab.t("report.col.valid_until"), source],
                  [[d.label, str(d.issued), str(d.valid_until or "—"), _cited(d.citations)]
                   for d in snap.documents])
    out += [f"{h} {lab.t('report.deadlines')}", ""]
    out += _table([lab.t("report.col.deadline"), lab.t("report.col.due"),
                   lab.t("report.col.status"), source],
                  [[_explained(d.label, d.reason), str(d.due), d.status_text,
                    _cited(d.citations)] for d in snap.deadlines])
    out += [f"{h} {lab.t('report.entitlements')}", ""]
    out += _table([lab.t("report.col.entitlement"), lab.t("report.col.since"),
                   lab.t("report.col.until"), source],
                  [[_explained(e.label, e.reason), str(e.since), str(e.until or "—"),
                    _cited(e.citations)] for e in snap.entitlements])
    return out


def _source_line(source: SourceEntry) -> str:
    """``- **brochure** §2.1; §2.2 — Title. Publisher, 2023-02-24. URL``."""
    line = f"- **{source.id}** {'; '.join(source.places)}".rstrip()
    if source.title:
        line += f" — {source.title} {source.publisher}, {source.date}."
    return line + (f" <{source.url}>" if source.url else "")


def replay_markdown(report: CaseReport, lab: Labeller) -> str:
    """Every step with what it changed, then the situation at the end."""
    out = [f"# {lab.t('report.replay_title', case=report.case)}", ""]
    out += _head(report, lab)
    rows = []
    for step in report.steps:
        changes = "\n".join(MARK[c.kind] + c.text for c in step.changes)
        rows.append([str(step.date), ORIGIN_MARK.get(step.origin, "") + step.event,
                     step.origin_text, changes])
    out += _table([lab.t("report.col.date"), lab.t("report.col.event"),
                   lab.t("report.col.origin"), lab.t("report.col.changes")], rows)
    out.append(situation_markdown(report, lab, level=2))
    if report.sources:
        out += [f"## {lab.t('report.sources')}", ""]
        out += [_source_line(s) for s in report.sources]
    return "\n".join(out) + "\n"
