"""Interrupting a batch (issue 13, item 16): Ctrl-C stops the workers with the parent,
leaves nothing written and says so; a killed parent leaves no worker behind.

The log is a FIFO that the test feeds, so the batch is caught mid-run (workers started,
reading blocked) without guessing how long anything takes; waits below poll for a state
of the process table, bounded, never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "mkfifo"),
                                reason="needs Linux /proc and FIFOs")


def children(pid: int) -> list[int]:
    """Worker processes (spawned by multiprocessing) whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)  # polling a process-table state, not waiting for time to pass
    return condition()


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int], object, Path]:
    """A batch with 2 workers, caught reading a FIFO after its workers started."""
    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "asylum_sim", "batch", str(fifo), "--workers", "2",
         "-o", str(out / "cases.csv"), "--steps", str(out / "steps.csv")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    writer = open(fifo, "w")  # noqa: SIM115 - kept open: the batch waits for more
    writer.write("case:concept:name,concept:name,time:timestamp\n")
    for n in range(14_000):  # 7 chunks: the workers start (at 6)
        writer.write(f"c{n:05d},apply,2025-03-03\nc{n:05d},register,2025-03-04\n")
    writer.flush()
    assert wait_for(lambda: len(children(process.pid)) == 2), process.stderr
    return process, children(process.pid), writer, out


def _close(writer: object) -> None:
    with contextlib.suppress(BrokenPipeError):
        writer.close()  # type: ignore[attr-defined]


def test_ctrl_c_stops_the_workers_writes_nothing_and_says_so(tmp_path):
    process, workers, writer, out = start_batch(tmp_path)
    try:
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, stderr = process.communicate(timeout=60)
    finally:
        _close(writer)
    assert process.returncode == 130
    assert "interrupted: nothing written" in stderr and "Traceback" not in stderr
    assert list(out.iterdir()) == []  # no output, no temporary file
    assert wait_for(lambda: not any(alive(w) for w in workers), 10)


def test_a_killed_parent_leaves_no_worker_behind(tmp_path):
    process, workers, writer, _out = start_batch(tmp_path)
    try:
        process.kill()
        process.wait(timeout=60)
        assert wait_for(lambda: not any(alive(w) for w in workers), 5)
    finally:
        _close(writer)
        process.communicate()
