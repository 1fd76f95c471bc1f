"""Sources of the data as a reader sees them: one citation per document cited.

A ``source:`` in ``machines/*.yaml`` may cite several documents, separated by ``;``, and
marks a statute with ``law:`` (``brochure §2.1; law: Vw. art. 50 §1``). Reports show the
citations without that marker, and list at the end every document cited with the places
cited in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LAW = re.compile(r"^law:\s*", re.IGNORECASE)


def citations(source: str | None) -> tuple[str, ...]:
    """``brochure §2.1; law: Vw. art. 50 §1`` -> ``("brochure §2.1", "Vw. art. 50 §1")``."""
    if not source:
        return ()
    parts = (_LAW.sub("", part.strip()) for part in source.split(";"))
    return tuple(part for part in parts if part)


def readable(source: str | None) -> str:
    """The citations of a source on one line (``—`` when there is none)."""
    return "; ".join(citations(source)) or "—"


def _natural(text: str) -> list[tuple[int, str | int]]:
    # "§2.10" after "§2.9": numbers compare as numbers
    return [(1, int(part)) if part.isdigit() else (0, part.casefold())
            for part in re.split(r"(\d+)", text)]


_PLACE = re.compile(r'\s(?=§|art\.|")')


def split_citation(citation: str) -> tuple[str, tuple[str, ...]]:
    """The document a citation names and the places in it: ``brochure §2.4, §6.3`` ->
    ``("brochure", ("§2.4", "§6.3"))``; ``Vw. art. 50 §1`` -> ``("Vw.", ("art. 50 §1",))``;
    ``opvang "Code 207"`` -> ``("opvang", ('"Code 207"',))``."""
    match = _PLACE.search(citation)
    if match is None:
        return citation, ()
    document, place = citation[: match.start()], citation[match.end():]
    places = tuple(p.strip() for p in place.split(", ")) if place.startswith("§") else (place,)
    return document, places


def source_groups(cited: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every document cited, with the places cited in it, each once, in natural order."""
    groups: dict[str, set[str]] = {}
    for citation in cited:
        document, places = split_citation(citation)
        groups.setdefault(document, set()).update(places)
    return tuple((document, tuple(sorted(groups[document], key=_natural)))
                 for document in sorted(groups, key=_natural))
