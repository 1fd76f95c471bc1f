"""Markdown and HTML reports (for case files and wikis)."""

from __future__ import annotations

import html

from asylum_sim.engine.steps import Replay, Snapshot
from asylum_sim.i18n import tr
from asylum_sim.render.bibliography import report_sources, source_line
from asylum_sim.render.changes import status_word, step_changes, word
from asylum_sim.render.labels import Labeller


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _explained(label: str, why: dict[str, str] | None, explain: bool, lang: str) -> str:
    return f"{label} — {why.get(lang)}" if explain and why else label


def snapshot_markdown(replay: Replay, snap: Snapshot, lab: Labeller, *,
                      explain: bool = False) -> str:
    nl, lang = lab.lang == "nl", lab.lang
    source = "Bron" if nl else "Source"
    out = [f"## {'Toestand op' if nl else 'Status on'} {snap.on}", ""]
    out += [f"> **{'Waarschuwing' if nl else 'Warning'}:** {lab.warning(w)}"
            for w in replay.warnings]
    out += _table(["Machine", "Toestand" if nl else "State"],
                  [[lab.machine(m), lab.state(m, s)] for m, s in snap.states.items()])
    out += [f"### {'Documenten' if nl else 'Documents'}", ""]
    out += _table(
        ["Document", "Afgegeven" if nl else "Issued", word(lab, "valid"), source],
        [[lab.document(d.id), str(d.issued), str(d.valid_until or "—"), d.source]
         for d in snap.documents])
    out += [f"### {'Termijnen' if nl else 'Deadlines'}", ""]
    out += _table(
        ["Termijn" if nl else "Deadline", word(lab, "due"), "Status", source],
        [[_explained(lab.deadline(d.id), d.why, explain, lang), str(d.due),
          status_word(lab, d.id, d.status), d.source] for d in snap.deadlines])
    out += [f"### {'Rechten en plichten' if nl else 'Entitlements'}", ""]
    out += _table(
        ["Recht / plicht" if nl else "Entitlement", word(lab, "since"), word(lab, "until"),
         source],
        [[_explained(lab.entitlement(e.id), e.why, explain, lang), str(e.since),
          str(e.until or "—"), e.source] for e in snap.entitlements])
    return "\n".join(out)


def replay_markdown(replay: Replay, lab: Labeller, *, explain: bool = False) -> str:
    nl = lab.lang == "nl"
    out = [f"# {'Verloop' if nl else 'Replay'}: {replay.case}", ""]
    rows = []
    before = None
    for step in replay.steps:
        rows.append([str(step.date), lab.event(step.event), step.origin,
                     "\n".join(step_changes(step, before, lab))])
        before = step.snapshot
    out += _table(["Datum" if nl else "Date", "Gebeurtenis" if nl else "Event",
                   "Oorsprong" if nl else "Origin", "Gevolgen" if nl else "Changes"], rows)
    if replay.steps:
        out.append(snapshot_markdown(replay, replay.steps[-1].snapshot, lab, explain=explain))
    out += bibliography_markdown(replay, [step.snapshot for step in replay.steps], lab)
    return "\n".join(out)


def bibliography_markdown(replay: Replay, snapshots: list[Snapshot], lab: Labeller) -> list[str]:
    """The documents the report's rules cite, one line each (machines/sources.yaml)."""
    sources = report_sources(replay, snapshots, lab.defs)
    if not sources:
        return []
    return ["", f"### {tr('bibliography.title', lab.lang)}", "",
            *(f"- {source_line(s, lab.lang)}" for s in sources), ""]


def replay_html(replay: Replay, lab: Labeller, *, explain: bool = False) -> str:
    """A standalone HTML page of the replay (tables of the Markdown report)."""
    body = []
    for line in replay_markdown(replay, lab, explain=explain).splitlines():
        body.append(line)
    rows_html = []
    in_table = False
    for line in body:
        if line.startswith("|---"):
            continue
        if line.startswith("| "):
            cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
            tag = "th" if not in_table else "td"
            cells_html = "".join(
                f"<{tag}>{html.escape(c).replace('&lt;br&gt;', '<br>')}</{tag}>" for c in cells
            )
            if not in_table:
                rows_html.append("<table>")
                in_table = True
            rows_html.append(f"<tr>{cells_html}</tr>")
            continue
        if in_table:
            rows_html.append("</table>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            rows_html.append(f"<h{level}>{html.escape(line.lstrip('# '))}</h{level}>")
        elif line.startswith("> "):
            rows_html.append(f"<p class=warning>{html.escape(line[2:])}</p>")
        elif line:
            rows_html.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        rows_html.append("</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
             "vertical-align:top}.warning{background:#fee;padding:4px}")
    return (f'<!DOCTYPE html>\n<html lang="{lab.lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(replay.case)}</title><style>{style}</style></head><body>\n"
            + "\n".join(rows_html) + "\n</body></html>\n")
