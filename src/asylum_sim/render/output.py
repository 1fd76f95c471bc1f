"""Write outputs atomically: a reader never sees a half-written file.

A regular file (or a path where nothing stands yet) is written through a temporary file in
the same folder, renamed over it at the end, with the mode a plain ``open()`` would give
(an existing file keeps its mode); the temporary file is removed on every error. What is
not a regular file (``/dev/stdout``, a FIFO, a device) is written through as it is; a
symlink is followed, so the link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from asylum_sim.model.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    with atomic_output(path, binary=isinstance(data, bytes)) as out:
        try:
            out.write(data)
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write ``path`` through: it appears at ``path`` only when the block ends
    without an error (streamed outputs use this: written as they go, renamed at the end)."""
    text_args: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if stat.S_ISDIR(existing.st_mode):
            raise InputError(f"{path}: is a folder, not a file")
        try:
            out = open(target, "wb" if binary else "w", **text_args)  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None
        with out:
            yield out
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        os.chmod(tmp, stat.S_IMODE(existing.st_mode) if existing else _umask_mode())
        out = os.fdopen(fd, "wb" if binary else "w", **text_args)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        yield out
    except BaseException:
        with contextlib.suppress(OSError):
            out.close()
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        out.close()
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
