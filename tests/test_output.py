"""``-o``: an output lands where the user asked, atomically over a regular file, written
through a FIFO or a device, never replacing what is not a regular file; the mode is the
one a plain ``open()`` would give; no temporary file is ever left behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from asylum_sim.model.errors import InputError
from asylum_sim.render import output
from asylum_sim.render.output import TEMP_MARK, Terminated, atomic_output, write_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP_MARK in p.name)


@pytest.fixture
def umask():
    """Set the umask for one test, restore it after."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_open_gives_under_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    write_atomic(tmp_path / "new.txt", "text")
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode
    with open(tmp_path / "plain.txt", "w") as f:  # what a plain open() gives
        f.write("text")
    assert stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o600])
def test_an_existing_file_keeps_its_own_mode(tmp_path, umask, mode):
    umask(0o077)
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(mode)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_a_symlink_stays_a_symlink_and_its_target_is_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    write_atomic(link, "new")
    assert link.is_symlink()
    assert (tmp_path / "made.txt").read_text() == "new"


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_dev_null_stays_a_character_device():
    before = os.stat("/dev/null")
    write_atomic(Path("/dev/null"), "gone")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_write_to_standard_output(capsys, name):
    write_atomic(Path(name), "on stdout\n")
    assert capsys.readouterr().out == "on stdout\n"


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_atomic(tmp_path / "no" / "out.txt", "x")


def test_an_error_while_writing_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", disk_full)
    with pytest.raises(output.OutputFailed, match="No space left"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("interrupt", ["ctrl-c", "sigterm"])
def test_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch, interrupt):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def interrupted(fd: int) -> None:
        if interrupt == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises Terminated
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    expected = Terminated if interrupt == "sigterm" else KeyboardInterrupt
    handler = signal.getsignal(signal.SIGTERM)
    with pytest.raises(expected):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == handler


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_a_temp_file_of_a_killed_run_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "out.txt"
    stale = tmp_path / f".out.txt{TEMP_MARK}{dead_pid()}"
    stale.write_text("half")
    alive = tmp_path / f".out.txt{TEMP_MARK}{os.getppid()}"  # a live writer: kept
    alive.write_text("busy")
    other = tmp_path / f".other.txt{TEMP_MARK}{dead_pid()}"  # another output: not ours
    other.write_text("half")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert leftovers(tmp_path) == sorted([alive.name, other.name])


def test_a_sigkilled_cli_run_leaves_a_temp_that_the_next_run_removes(tmp_path):
    """The leftover a process killed outright leaves has the recognisable name."""
    target = tmp_path / "out.txt"
    code = (
        "import os, signal\n"
        "from asylum_sim.render import output\n"
        "output.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"output.write_atomic({str(target)!r}, 'x')\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert len(leftovers(tmp_path)) == 1 and not target.exists()
    write_atomic(target, "new")
    assert leftovers(tmp_path) == [] and target.read_text() == "new"


# -- atomic_output: the same rules for an output streamed in pieces (batch) ----------------


def test_a_streamed_output_appears_whole_with_the_mode_of_the_file(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_output(target) as handle:
        handle.write("a,b\n")
        assert target.read_text() == "old"  # nothing shows before the end
        assert len(leftovers(tmp_path)) == 1
    assert target.read_text() == "a,b\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_streamed_output_that_fails_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as handle:
        handle.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_streamed_output_goes_through_a_fifo_and_a_symlink(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with atomic_output(fifo, binary=True) as handle:
        handle.write(b"rows")
    reader.join(timeout=10)
    assert received == [b"rows"] and stat.S_ISFIFO(fifo.lstat().st_mode)
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    with atomic_output(link) as handle:
        handle.write("new")
    assert link.is_symlink() and real.read_text() == "new"
    with pytest.raises(InputError, match="is a directory"), atomic_output(tmp_path):
        pass
