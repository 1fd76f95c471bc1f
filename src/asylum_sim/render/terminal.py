"""The terminal a table is printed on: its width, and whether it shows colour."""

from __future__ import annotations

import io
import os
import shutil
import sys
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console

PLAIN_WIDTH = 80
"""Width of output that does not go to a terminal (a pipe, a file), unless ``COLUMNS``
says otherwise."""


@dataclass(frozen=True)
class Terminal:
    width: int = PLAIN_WIDTH
    colour: bool = False

    def console(self) -> Console:
        """A console that records into a string, laid out for this terminal."""
        return Console(file=io.StringIO(), width=self.width, force_terminal=self.colour,
                       color_system="standard" if self.colour else None, highlight=False,
                       soft_wrap=False, emoji=False, markup=False)


PLAIN = Terminal()


def terminal_for(stream: TextIO | None = None) -> Terminal:
    """The terminal behind ``stream`` (default stdout): its width and colour when it is a
    terminal (colour unless ``NO_COLOR`` is set); otherwise no colour and 80 columns, or
    ``COLUMNS`` when it is set."""
    stream = stream if stream is not None else sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        columns = os.environ.get("COLUMNS", "")
        return Terminal(width=max(int(columns), 40)) if columns.isdigit() else PLAIN
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns
    return Terminal(width=max(width, 40), colour=not os.environ.get("NO_COLOR"))


def text_of(console: Console) -> str:
    """What was printed on a console made by :meth:`Terminal.console`."""
    return console.file.getvalue()  # type: ignore[attr-defined]
