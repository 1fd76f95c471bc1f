"""Standard output that fails with one clear message instead of a traceback.

A full disk (``> /dev/full``), a closed stdout (``>&-``) or a reader that went away
(``| head``) make writes to stdout raise ``OSError`` anywhere in a command, or only when the
interpreter flushes at exit. :class:`GuardedStdout` turns every such error into
:class:`~asylum_sim.model.errors.OutputFailed`, which the entry point reports (or, for a
broken pipe, swallows); :func:`silence_stdout` then points the descriptor at /dev/null so
that the interpreter's own flush at exit has nothing left to complain about.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Any, BinaryIO, TextIO

from asylum_sim.model.errors import OutputFailed

NAME = "standard output"


class GuardedStdout:
    """A proxy of ``sys.stdout`` whose writes raise :class:`OutputFailed` on ``OSError``.

    ``stream`` is None when the process started with stdout closed: every write fails.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def _target(self) -> TextIO:
        if self._stream is None:
            raise OutputFailed(NAME, OSError(errno.EBADF, "it is closed"))
        return self._stream

    def write(self, text: str) -> int:
        try:
            return self._target().write(text)
        except OSError as exc:
            raise OutputFailed(NAME, exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputFailed(NAME, exc) from None

    @property
    def buffer(self) -> GuardedBytes:
        """The byte stream underneath, guarded the same way."""
        return GuardedBytes(self._target().buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


class GuardedBytes:
    """``sys.stdout.buffer`` whose writes raise :class:`OutputFailed` on ``OSError``."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        try:
            return self._stream.write(data)
        except OSError as exc:
            raise OutputFailed(NAME, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputFailed(NAME, exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null (after stdout failed: nothing more can go
    there, and the interpreter's flush at exit must not fail again)."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        if null != 1:
            os.dup2(null, 1)
            os.close(null)


def occupy_closed_stdout() -> None:
    """When the process started with descriptor 1 closed, put /dev/null there, so that the
    next file opened does not become "stdout" by accident."""
    try:
        os.fstat(1)
    except OSError:
        silence_stdout()
