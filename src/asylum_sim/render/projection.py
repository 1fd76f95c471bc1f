"""The word that marks a projected deadline (a start the law requires but the case does not
record, e.g. the mandatory lifting of the code 207) in the text outputs."""

from __future__ import annotations

from typing import Any

from asylum_sim.i18n import tr


def projected_mark(deadline: Any, lang: str) -> str:
    """`` (projected)`` in ``lang`` after a projected deadline's status or due date, or
    nothing."""
    return f" ({tr('fidelity.projected', lang)})" if getattr(deadline, "projected", False) else ""
