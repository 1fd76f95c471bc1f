"""The bibliography of a case report: the documents cited by the rules the report shows
(machines/sources.yaml), for the JSON ``sources`` list and the reports' source list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from asylum_sim.engine.steps import Replay, Snapshot
from asylum_sim.model.loader import Definitions
from asylum_sim.model.sources import SourceDef, cited_id, sources_cited


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


def split_citation(citation: str, ids: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The document a citation names (a bibliography id when one fits) and the places cited
    in it: ``brochure §2.4, §6.3`` -> ``("brochure", ("§2.4", "§6.3"))``;
    ``Vw. art. 50 §1`` -> ``("Vw.", ("art. 50 §1",))``."""
    found = cited_id(citation, ids)
    if found is None:
        document, _, place = citation.partition(" ")
    else:
        document, place = found, citation[len(found):]
    place = place.strip(" ,:")
    if not place:
        return document, ()
    return document, tuple(p.strip() for p in place.split(", ")) if place.startswith("§") \
        else (place,)


def _natural(text: str) -> list[tuple[int, int | str]]:
    # "§2.10" after "§2.9": numbers compare as numbers
    return [(1, int(part)) if part.isdigit() else (0, part.casefold())
            for part in re.split(r"(\d+)", text)]


def cited_places(cited: Iterable[str],
                 sources: dict[str, SourceDef]) -> list[tuple[str, SourceDef | None,
                                                             tuple[str, ...]]]:
    """Every document cited by ``cited`` (citations), with its bibliography entry (None when
    it has none) and the places cited in it, each once: bibliography order, then the others."""
    places: dict[str, set[str]] = {}
    for citation in cited:
        document, where = split_citation(citation, sources)
        places.setdefault(document, set()).update(where)
    order = [i for i in sources if i in places]
    order += sorted((i for i in places if i not in sources), key=_natural)
    return [(i, sources.get(i), tuple(sorted(places[i], key=_natural))) for i in order]
