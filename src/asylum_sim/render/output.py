"""Write outputs atomically: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from asylum_sim.model.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


@contextlib.contextmanager
def atomic_output(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to stream an output into (``batch`` writes its tables as they come).

    Same rules as a whole write: a regular file, or a path where nothing stands, is written
    through a temporary file in the same folder and appears only when the block ends
    without an error (renamed; the mode ``open()`` gives, or the existing file's); on any
    error or interrupt the temporary file is removed. Standard output, a FIFO or a
    character device is written through; a symlink is followed; a folder is refused.
    """
    text_args: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    if str(path) in STDOUT_NAMES:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(os.path.realpath(path))
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise InputError(f"{path}: is a folder, not a file")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        try:
            through = open(target, "wb" if binary else "w", **text_args)  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None
        with through:
            yield through
        return
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.chmod(tmp, stat.S_IMODE(existing.st_mode) if existing else _open_mode())
        out = os.fdopen(fd, "wb" if binary else "w", **text_args)
    except OSError as exc:
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


def _open_mode() -> int:
    """The mode a plain ``open()`` gives a new file under the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
