"""Errors a user can act on: which file, which entry, what is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic is imported by what validates, not by `asylum-sim --help`
    from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, at a location inside it."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        where = f" at {self.where}" if self.where else ""
        return f"{self.file}{where}: {self.message}"


class InputError(Exception):
    """Bad input: the CLI prints the problems and exits non-zero, without a traceback."""

    def __init__(self, problems: Sequence[Problem] | str, exit_code: int = 2) -> None:
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p).lstrip(": ") for p in self.problems))


def location(loc: Iterable[str | int]) -> str:
    """``events[3].date`` from pydantic's location tuple; a discriminator tag that repeats
    the next field name (``all.all.0``) is folded."""
    parts: list[str | int] = []
    for item in loc:
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
