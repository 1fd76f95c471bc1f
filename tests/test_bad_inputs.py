"""Bad inputs through the command line, as a new user meets them (issue 13): each ends in
one clear message naming the file, the entry and the problem, and the documented exit
code; never a traceback, a hang or a clobbered file.

Most cases run the entry point in-process (``run(argv)``, fast); those about stdout and
exit codes of the real process run it as a subprocess.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from asylum_sim.cli.main import run
from conftest import SCENARIOS

REFUGEE = SCENARIOS / "refugee-sy-2023.yaml"
OTP = SCENARIOS / "otp-exception-am-2024.yaml"


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> Result:
    """Run ``asylum-sim ARGS`` in this process through the console-script entry point."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        run([str(a) for a in args])
    captured = capsys.readouterr()
    code = exited.value.code
    return Result(code if isinstance(code, int) else (0 if code is None else 1),
                  captured.out, captured.err)


def refused(result: Result, code: int, *words: str) -> None:
    """Exit ``code``, no traceback, and every word in the message on stderr."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.out + result.err
    for word in words:
        assert word in result.err, result.err


def process(*args: object, stdout: object = None, env: dict[str, str] | None = None,
            shell_redirect: str = "") -> subprocess.CompletedProcess[str]:
    """``asylum-sim ARGS`` as a separate process (for what happens to its stdout)."""
    command = [sys.executable, "-m", "asylum_sim", *map(str, args)]
    if shell_redirect:
        command = ["sh", "-c", 'exec "$@" ' + shell_redirect, "sh", *command]
    return subprocess.run(command, stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=120)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- 1. -o never replaces what is not a regular file ---------------------------------------


def test_output_to_a_symlink_replaces_its_target_and_keeps_the_link(capsys, tmp_path):
    real = write(tmp_path, "real.txt", "old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    refused(cli(capsys, "replay", REFUGEE, "-o", link), 0)
    assert link.is_symlink() and os.readlink(link) == real.name
    assert "refugee-sy-2023" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_output_to_a_fifo_is_written_through(capsys, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    refused(cli(capsys, "diagram", "procedure", "--format", "mermaid", "-o", fifo), 0)
    reader.join(timeout=30)
    assert received and received[0].startswith(b"---")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["fifo"]


def test_output_to_dev_null_leaves_the_device(capsys):
    before = os.stat("/dev/null")
    refused(cli(capsys, "replay", REFUGEE, "--format", "json", "-o", "/dev/null"), 0)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_to_a_folder_is_refused(capsys, tmp_path):
    refused(cli(capsys, "replay", REFUGEE, "-o", tmp_path), 2, str(tmp_path), "is a directory")


def test_output_keeps_the_mode_of_an_existing_file(capsys, tmp_path):
    out = write(tmp_path, "out.json", "{}")
    out.chmod(0o644)
    refused(cli(capsys, "replay", REFUGEE, "--format", "json", "-o", out), 0)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_output_dash_is_standard_output(capsys):
    result = cli(capsys, "replay", REFUGEE, "--format", "json", "-o", "-")
    refused(result, 0)
    assert result.out.startswith("{")


# -- 2. stdout that cannot be written ------------------------------------------------------


@pytest.fixture(params=["buffered", "unbuffered"])
def env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The process environment, with Python's stdout buffered or not (the failure then
    comes during the command or at the flush on exit)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if request.param == "unbuffered":
        env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.mark.parametrize("args", [("schema",), ("--version",), ("check",)])
def test_a_full_stdout_is_one_line_and_exit_1(env, args):
    with open("/dev/full", "w") as full:
        result = process(*args, stdout=full, env=env)
    assert result.returncode == 1
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_1(env):
    result = process("schema", env=env, shell_redirect=">&-")
    assert result.returncode == 1
    assert result.stderr == "error: cannot write to standard output: it is closed\n"


def test_a_closed_stdout_does_not_matter_when_writing_to_a_file(env, tmp_path):
    out = tmp_path / "out.txt"
    result = process("replay", REFUGEE, "-o", out, env=env, shell_redirect=">&-")
    assert result.returncode == 0, result.stderr
    assert "refugee-sy-2023" in out.read_text()


@pytest.mark.parametrize("args", [("schema",), ("--version",), ("replay", REFUGEE, "-o", "-")])
def test_a_broken_pipe_is_quiet(env, args):
    read, write_end = os.pipe()
    os.close(read)  # the reader is gone before the first write, as after `| head -c 10`
    try:
        result = process(*args, stdout=write_end, env=env)
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == ""


def test_a_reader_that_stops_early_gets_a_quiet_end(env):
    """``asylum-sim replay ... | head -c 10``, whichever way the race goes."""
    command = f'"{sys.executable}" -m asylum_sim replay "{REFUGEE}" --format json | head -c 10'
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.stdout == '{\n  "case"'
    assert result.stderr == ""

