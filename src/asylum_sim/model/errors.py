"""Errors a user can act on: which file, which entry, what is wrong."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported by what validates, not by `asylum-sim --help`
    from pydantic import ValidationError

QUOTE_LIMIT = 80
"""About how many characters of a user's value a message quotes."""

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = QUOTE_LIMIT
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 8
_REPR.maxlevel = 3


def shown(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` cut to about ``limit`` characters: a message quotes what the user
    wrote, not megabytes of it (and never walks all of a huge value to say so)."""
    return clip(_REPR.repr(value), limit)


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` itself, or its first ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, at a location inside it."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        # A last bound on what one line can hold, whatever a message quotes.
        where = f" at {clip(self.where, 4 * QUOTE_LIMIT)}" if self.where else ""
        return f"{self.file}{where}: {clip(self.message, 16 * QUOTE_LIMIT)}"


class InputError(Exception):
    """Bad input: the CLI prints the problems and exits non-zero, without a traceback."""

    def __init__(self, problems: Sequence[Problem] | str, exit_code: int = 2) -> None:
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p).lstrip(": ") for p in self.problems))


class OutputFailed(Exception):
    """Writing an output failed after it was opened (disk full, a closed pipe...).

    The CLI prints one line and exits 1; a broken pipe (the reader went away, as with
    ``| head``) exits quietly."""

    def __init__(self, target: str, error: OSError) -> None:
        self.target = target
        self.error = error
        super().__init__(f"cannot write to {target}: {error.strerror or error}")

    @property
    def broken_pipe(self) -> bool:
        return isinstance(self.error, BrokenPipeError)


class Terminated(BaseException):
    """SIGTERM arrived while an output was being written (a BaseException, like Ctrl-C,
    so that no ``except Exception`` swallows it)."""


def location(loc: Iterable[str | int]) -> str:
    """``events[3].date`` from pydantic's location tuple; a discriminator tag that repeats
    the next field name (``all.all.0``) is folded."""
    parts: list[str | int] = []
    for item in loc:
        if isinstance(item, str):
            item = clip(item)
        if parts and isinstance(item, str) and item == parts[-1]:
            continue
        if isinstance(item, str) and "[" in item and item.startswith("tagged-union"):
            continue
        parts.append(item)
    text = ""
    for item in parts:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


def problems_from(file: str, error: ValidationError, prefix: str = "") -> list[Problem]:
    """One :class:`Problem` per pydantic error, with the location spelled for people."""
    found = []
    for err in error.errors(include_url=False):
        where = location(err["loc"])
        if prefix:
            where = f"{prefix}.{where}" if where and not where.startswith("[") else prefix + where
        found.append(Problem(file, where, err["msg"].removeprefix("Value error, ")))
    return found
