"""The bibliography of a case report: the documents cited by the rules the report shows
(machines/sources.yaml), for the JSON ``sources`` list and the reports' source list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from asylum_sim.engine.steps import Replay, Snapshot
from asylum_sim.i18n import tr
from asylum_sim.model.loader import Definitions
from asylum_sim.model.sources import SourceDef, sources_cited


def report_sources(replay: Replay, snapshots: Iterable[Snapshot],
                   defs: Definitions) -> list[SourceDef]:
    """The bibliography entries cited by the documents, deadlines, entitlements and warnings
    of ``snapshots`` and of the replay's warnings, in bibliography order."""
    texts: list[str] = [defs.warnings[w].source for w in replay.warnings if w in defs.warnings]
    for snap in snapshots:
        texts += [d.source for d in snap.documents]
        texts += [d.source for d in snap.deadlines]
        texts += [e.source for e in snap.entitlements]
    return sources_cited(texts, defs.sources)


def source_dict(source: SourceDef) -> dict[str, Any]:
    """One entry of the JSON ``sources`` list."""
    return {"id": source.id, "title": source.title, "publisher": source.publisher,
            "date": source.date.isoformat() if source.date else None, "url": source.url}


def source_line(source: SourceDef, lang: str) -> str:
    """``brochure: Title. Publisher, 2023-02-24. https://…`` for a report."""
    date = source.date.isoformat() if source.date else tr("bibliography.undated", lang)
    where = f" {source.url}" if source.url else ""
    title = source.title if source.title.endswith((".", "?", "!")) else f"{source.title}."
    return f"{source.id}: {title} {source.publisher}, {date}.{where}"
