"""Did you mean ...? The closest known name for a misspelt one."""

from __future__ import annotations

import difflib
from typing import Any


def suggestion(name: str, known: list[str] | set[str] | dict[str, Any], what: str) -> str:
    """``; did you mean 'refused'?``, or the known ids when few and none is close."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if not names:
        return f"; no {what} defined"
    if what == "events":
        return "; declare it in an events file"
    if len(names) <= 12:
        return f"; known {what}: {', '.join(names)}"
    return ""
