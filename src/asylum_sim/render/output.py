"""Write an output where the user asked (``-o``) without ever clobbering what stands there.

- A regular file, or a path where nothing stands: written atomically (a temporary file in
  the same folder, then ``os.replace``), so a reader never sees half a file. A new file
  gets the mode a plain ``open()`` gives under the umask (0644 under umask 022); an
  existing file keeps its own mode.
- ``-``, ``/dev/stdout`` (``/dev/fd/1``, ``/proc/self/fd/1``): standard output;
  ``/dev/stderr`` likewise. A FIFO or a character device (``/dev/null``, a terminal):
  written through, as ``>`` in a shell would; it stays what it is.
- A symlink: what it points at, by these same rules (the symlink stays a symlink).
- A folder, a block device or a socket: refused with a message.

:func:`write_atomic` writes a whole output; :func:`atomic_output` gives a file to stream
one into (``batch``), by the same rules.

The temporary file is named ``.NAME.asylum-sim-tmp.PID``. It is removed on every exit we
can catch (errors, Ctrl-C; SIGTERM too, turned into an exception while
:func:`write_atomic` writes); one left by a process that was killed outright is removed by
the next write to the same path.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from asylum_sim.model.errors import InputError, OutputFailed, Terminated

TEMP_MARK = ".asylum-sim-tmp."
"""Between the target's name and the writer's PID in a temporary file's name."""

STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
STDERR_NAMES = frozenset({"/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"})


@dataclass(frozen=True)
class _Destination:
    """Where an output goes and how: ``stdout``, ``stderr``, ``through`` (open and write)
    or ``replace`` (atomically, keeping ``mode`` when a file stands there)."""

    how: str
    target: Path
    shown: str
    mode: int | None = None


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` by the rules of the module docstring."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    where = _destination(path)
    if where.how in ("stdout", "stderr"):
        stream = sys.stdout if where.how == "stdout" else sys.stderr
        _write_stream(stream, raw, f"standard {'output' if where.how == 'stdout' else 'error'}")
    elif where.how == "through":
        _write_through(where, raw)
    else:
        with _sigterm_raises(), _temporary(where, binary=True) as handle:
            try:
                handle.write(raw)
            except OSError as exc:
                raise OutputFailed(where.shown, exc) from None


@contextlib.contextmanager
def atomic_output(path: Path | str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to stream an output into (``batch`` writes its tables as they come); text is
    UTF-8 with newlines as written. Same rules as :func:`write_atomic`: a regular file
    appears only when the block ends without an error; on any error or interrupt the
    temporary file is removed."""
    where = _destination(path)
    if where.how in ("stdout", "stderr"):
        stream = sys.stdout if where.how == "stdout" else sys.stderr
        yield stream.buffer if binary else stream
        stream.flush()
        return
    if where.how == "through":
        try:
            handle = open(  # noqa: SIM115 - the errors of open and of writing differ
                where.target, "wb" if binary else "w",
                **({} if binary else {"encoding": "utf-8", "newline": ""}),
            )
        except OSError as exc:
            raise InputError(f"{where.shown}: cannot write: {exc.strerror}") from None
        with handle:
            yield handle
        return
    with _temporary(where, binary=binary) as handle:
        yield handle


def _destination(path: Path | str) -> _Destination:
    """How to write to ``path`` (module docstring), or an :class:`InputError`."""
    text = str(path)
    if text in STDOUT_NAMES:
        return _Destination("stdout", Path(text), "standard output")
    if text in STDERR_NAMES:
        return _Destination("stderr", Path(text), "standard error")
    if os.path.abspath(text).startswith(("/dev/fd/", "/proc/")):
        # Another descriptor of this process: resolving it would name a pipe or the file
        # behind it; only the descriptor itself is what the user means.
        return _Destination("through", Path(text), text)
    target = Path(os.path.realpath(text))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return _Destination("replace", target, text)
    except OSError as exc:
        raise InputError(f"{text}: cannot write: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{text}: is a directory; give a file name")
    if stat.S_ISREG(info.st_mode):
        return _Destination("replace", target, text, stat.S_IMODE(info.st_mode) & 0o777)
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return _Destination("through", target, text)
    what = "a block device" if stat.S_ISBLK(info.st_mode) else "not a regular file"
    raise InputError(f"{text}: is {what}; write to a regular file, a FIFO or a character device")


def _write_stream(stream: object, raw: bytes, name: str) -> None:
    """``raw`` to an open text stream's bytes, after what it already holds."""
    try:
        stream.flush()  # type: ignore[attr-defined]
        buffer: BinaryIO = stream.buffer  # type: ignore[attr-defined]
        buffer.write(raw)
        buffer.flush()
    except AttributeError:  # no byte buffer (a captured stream): write the text
        stream.write(raw.decode("utf-8"))  # type: ignore[attr-defined]
    except OSError as exc:
        raise OutputFailed(name, exc) from None


def _write_through(where: _Destination, raw: bytes) -> None:
    """Open and write, as a shell's ``>`` does: for FIFOs, devices and descriptors."""
    try:
        handle = open(where.target, "wb")  # noqa: SIM115 - errors of open and write differ
    except OSError as exc:
        raise InputError(f"{where.shown}: cannot write: {exc.strerror}") from None
    try:
        with handle:
            handle.write(raw)
    except OSError as exc:
        raise OutputFailed(where.shown, exc) from None


@contextlib.contextmanager
def _temporary(where: _Destination, *, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file next to the target, moved over it when the block ends well and
    removed whatever else happens."""
    folder = where.target.parent
    if not folder.is_dir():
        raise InputError(f"{where.shown}: the folder {folder} does not exist")
    remove_stale_temps(where.target)
    tmp = folder / f".{where.target.name}{TEMP_MARK}{os.getpid()}"
    fd = _create(tmp, where.shown)
    try:
        if where.mode is not None:
            os.fchmod(fd, where.mode)  # not subject to the umask: the file's own mode
        raw_file = open(fd, "wb")  # noqa: SIM115 - closed below, on every path
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    handle: IO[Any] = (
        raw_file if binary else io.TextIOWrapper(raw_file, encoding="utf-8", newline="")
    )
    try:
        yield handle
    except BaseException:  # the caller's error or interrupt: nothing is written
        _close_quietly(handle)
        _unlink(tmp)
        raise
    try:
        handle.flush()
        os.fsync(raw_file.fileno())
        handle.close()
        os.replace(tmp, where.target)
    except OSError as exc:
        _close_quietly(handle)
        _unlink(tmp)
        raise OutputFailed(where.shown, exc) from None
    except BaseException:
        _close_quietly(handle)
        _unlink(tmp)
        raise


def _close_quietly(handle: IO[Any]) -> None:
    with contextlib.suppress(OSError, ValueError):
        handle.close()


def _create(tmp: Path, shown: str) -> int:
    """Create the temporary file; the mode 0666 minus the umask is what ``open()`` gives."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for attempt in (1, 2):
        try:
            return os.open(tmp, flags, 0o666)
        except FileExistsError:
            if attempt == 2:
                raise InputError(f"{shown}: cannot write: {tmp} is in the way") from None
            # Our own PID on a leftover: a dead process had it before us.
            _unlink(tmp)
        except OSError as exc:
            raise InputError(
                f"{shown}: cannot create a temporary file in {tmp.parent}: {exc.strerror}"
            ) from None
    raise AssertionError("unreachable")


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files of writes to ``target`` whose process is gone."""
    pattern = re.compile(re.escape(f".{target.name}{TEMP_MARK}") + r"(\d+)$")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            found = pattern.match(entry.name)
            if found and not _alive(int(found.group(1))) and entry.is_file(follow_symlinks=False):
                _unlink(Path(entry.path))
                removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # ours: _create deals with it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While writing, SIGTERM raises :class:`Terminated` so that cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
