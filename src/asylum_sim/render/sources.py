"""Sources of the data as a reader sees them: one citation per document cited.

A ``source:`` in ``machines/*.yaml`` may cite several documents, separated by ``;``, and
marks a statute with ``law:`` (``brochure §2.1; law: Vw. art. 50 §1``). Reports show the
citations without that marker, and list every citation of a case once at the end.
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


def source_list(cited: Iterable[str]) -> tuple[str, ...]:
    """Every citation once, in natural order (``brochure §2.9`` before ``§2.10``)."""
    return tuple(sorted(set(cited), key=_natural))
