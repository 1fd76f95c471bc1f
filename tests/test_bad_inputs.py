"""Bad inputs through the command line, as a new user meets them (issue 13): each ends in
one clear message naming the file, the entry and the problem, and the documented exit
code; never a traceback, a hang or a clobbered file.

Most cases run the entry point in-process (``run(argv)``, fast); those about stdout and
exit codes of the real process run it as a subprocess.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from asylum_sim.cli.main import run
from conftest import MACHINES, SCENARIOS

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



# -- 7-10. input files -----------------------------------------------------------------------


def latin1_copy(folder: Path, source: Path, name: str) -> Path:
    """``source`` with a comment in Latin-1 ("# café") as its second line."""
    first, rest = source.read_bytes().split(b"\n", 1)
    return write(folder, name, first + b"\n# caf\xe9\n" + rest)


LATIN1_WORDS = ("line 2", "is not UTF-8", "byte 0xe9 at offset", "save the file as UTF-8")


@pytest.mark.parametrize(
    "command",
    [
        ("replay",),
        ("status", "--on", "2023-06-01"),
        ("whatif", "--shift", "lodge=+1d"),
        ("diagram", "procedure", "--format", "dot", "--highlight"),
    ],
    ids=["replay", "status", "whatif", "highlight"],
)
def test_a_latin1_scenario_names_the_file_and_the_byte(capsys, tmp_path, command):
    path = latin1_copy(tmp_path, REFUGEE, "latin1.yaml")
    args = [*command, path] if command[0] == "diagram" else [command[0], path, *command[1:]]
    offset = REFUGEE.read_bytes().index(b"\n") + 1 + len("# caf")
    refused(cli(capsys, *args), 2, str(path), *LATIN1_WORDS, f"offset {offset}")


def machines_copy(folder: Path) -> Path:
    copy = folder / "machines"
    shutil.copytree(MACHINES, copy)
    return copy


def test_a_latin1_machine_file_is_named_by_check_and_by_machines(capsys, tmp_path):
    machines = machines_copy(tmp_path)
    latin1_copy(machines, MACHINES / "procedure.yaml", "procedure.yaml")
    result = cli(capsys, "check", machines)
    assert result.code == 1 and "Traceback" not in result.out + result.err
    assert "procedure.yaml at line 2: is not UTF-8 text: byte 0xe9 at offset" in result.out
    refused(cli(capsys, "replay", REFUGEE, "--machines", machines), 2,
            "procedure.yaml", *LATIN1_WORDS)


BOMB = (
    "events:\n"
    "  - {date: 2023-01-09, event: apply}\n"
    "  - {date: 2023-01-10, event: register}\n"
    "  - date: 2023-01-10\n"
    "    event: assign_reception\n"
    "    kind:\n"
    "      - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"      - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
)


def test_an_alias_bomb_is_refused_at_once(capsys, tmp_path):
    """9 levels of 9 aliases would be 387 million values; refused before any is built."""
    path = write(tmp_path, "bomb.yaml", BOMB)
    result = cli(capsys, "replay", path)
    refused(result, 2, str(path), "aliases (*name) expand to more than")
    assert len(result.err) < 400


def test_an_alias_inside_itself_is_refused(capsys, tmp_path):
    path = write(tmp_path, "loop.yaml", "events: &e\n  - {date: 2023-01-09, event: apply}\n"
                                        "  - *e\n")
    refused(cli(capsys, "replay", path), 2, str(path), "nested too deeply")


def test_a_huge_value_is_quoted_short(capsys, tmp_path):
    value = "x" * 1_000_000
    path = write(tmp_path, "long.yaml", "events:\n  - {date: 2023-01-10, event: "
                                        f"assign_reception, kind: {value}}}\n")
    result = cli(capsys, "replay", path)
    refused(result, 2, str(path), "attribute 'kind' must be a str", "got 'xxxx")
    assert len(result.err) < 400


def test_deep_nesting_is_refused(capsys, tmp_path):
    path = write(tmp_path, "deep.yaml", "events:\n  - {date: 2023-01-10, event: "
                                        f"assign_reception, kind: {'[' * 900}{']' * 900}}}\n")
    refused(cli(capsys, "replay", path), 2, str(path), "nested too deeply (more than 100")


def test_a_duplicate_key_in_a_scenario_is_refused(capsys, tmp_path):
    text = REFUGEE.read_text(encoding="utf-8")
    path = write(tmp_path, "twice.yaml", text + "events:\n  - {date: 2023-01-09, event: apply}\n")
    first = 1 + text.split("\n").index("events:")
    repeat = 1 + len(text.split("\n")) - 1
    refused(cli(capsys, "replay", path), 2, str(path), f"at line {repeat}",
            f"key 'events' is given twice (first on line {first})")


def test_a_duplicate_key_in_an_event_is_refused(capsys, tmp_path):
    path = write(tmp_path, "twice.yaml",
                 "events:\n  - {date: 2023-01-09, event: apply, date: 2023-01-10}\n")
    refused(cli(capsys, "status", path, "--on", "2023-02-01"), 2, "key 'date' is given twice")


@pytest.mark.parametrize("command", ["replay", "status", "whatif", "highlight"])
def test_a_folder_or_a_device_as_scenario_is_named_for_what_it_is(capsys, tmp_path, command):
    for path, what in ((tmp_path, "is a directory"),
                       (Path("/dev/null"), "is not a regular file (a character device)")):
        args = {"replay": ("replay", path), "status": ("status", path, "--on", "2023-06-01"),
                "whatif": ("whatif", path, "--shift", "lodge=+1d"),
                "highlight": ("diagram", "procedure", "--format", "dot", "--highlight", path)}
        refused(cli(capsys, *args[command]), 2, str(path), what)


# -- 3-5. dates ------------------------------------------------------------------------------


def edited(folder: Path, source: Path, old: str, new: str, name: str = "case.yaml") -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    return write(folder, name, text.replace(old, new, 1))


def born_late(folder: Path) -> Path:
    return edited(folder, REFUGEE, "birth_date: 1994-03-01", "birth_date: 2030-01-01")


@pytest.mark.parametrize(
    "command",
    [("replay",), ("status", "--on", "2023-06-01"), ("whatif", "--shift", "lodge=+1d")],
    ids=["replay", "status", "whatif"],
)
def test_an_event_before_the_birth_is_refused(capsys, tmp_path, command):
    path = born_late(tmp_path)
    refused(cli(capsys, command[0], path, *command[1:]), 2, str(path),
            "events[0] (2023-01-09 apply)", "before the person's birth on 2030-01-01")


def test_highlight_of_a_case_before_the_birth_is_refused(capsys, tmp_path):
    path = born_late(tmp_path)
    refused(cli(capsys, "diagram", "procedure", "--format", "dot", "--highlight", path), 2,
            "before the person's birth on 2030-01-01")


def test_status_on_a_day_before_the_birth_knows_no_age(capsys):
    """The age is unknown before the birth: no age condition holds, nothing crashes."""
    result = cli(capsys, "status", REFUGEE, "--on", "1990-01-01", "--format", "json")
    refused(result, 0)
    assert '"procedure": "none"' in result.out


def test_whatif_on_a_day_before_the_birth_knows_no_age(capsys):
    refused(cli(capsys, "whatif", REFUGEE, "--shift", "lodge=+1d", "--on", "1990-01-01"), 0)


def test_a_sweep_across_the_birth_marks_those_shifts_impossible(capsys):
    result = cli(capsys, "whatif", REFUGEE, "--sweep", "apply=-11000d..-10000d/500d",
                 "--format", "json")
    refused(result, 0)
    import json

    rows = {row["shift"]: row["impossible"] for row in json.loads(result.out)["sweep"]}
    assert "before the person's birth on 1994-03-01" in rows["-11000d"]
    assert rows["-10500d"] is None and rows["-10000d"] is None


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("2023-09-15", "9999-09-15", "events[6] (9999-09-15 grant_refugee_status)"),
        ("2023-09-15", "2201-01-01", "events[6] (2201-01-01 grant_refugee_status)"),
        ("2023-01-09", "1899-12-31", "events[0] (1899-12-31 apply)"),
        ("birth_date: 1994-03-01", "birth_date: 1899-12-31", "person.birth_date"),
    ],
)
def test_a_date_outside_1900_2200_is_refused(capsys, tmp_path, old, new, where):
    path = edited(tmp_path, REFUGEE, old, new)
    refused(cli(capsys, "replay", path), 2, str(path), where,
            "is outside the dates asylum-sim handles (1900-01-01 to 2200-12-31)")


def test_the_first_and_last_dates_are_accepted(capsys, tmp_path):
    path = edited(tmp_path, REFUGEE, "birth_date: 1994-03-01", "birth_date: 1900-01-01")
    refused(cli(capsys, "replay", path), 0)
    refused(cli(capsys, "status", REFUGEE, "--on", "2200-12-31"), 0)


@pytest.mark.parametrize(
    ("until", "code"), [("2024-04-24", 2), ("2024-04-25", 0), ("9999-12-31", 2)]
)
def test_an_until_before_its_event_or_out_of_range_is_refused(capsys, tmp_path, until, code):
    path = edited(tmp_path, OTP, "until: 2024-06-30", f"until: {until}")
    result = cli(capsys, "replay", path)
    where = "events[11] (2024-04-25 grant_otp_exception).until"
    if code == 0:
        assert result.code != 2, result.err  # accepted (the case may go on differently)
    elif until.startswith("9999"):
        refused(result, 2, str(path), where, "outside the dates")
    else:
        refused(result, 2, str(path), where, f"until {until} is before the event's own "
                "date 2024-04-25")


def test_whatif_add_with_an_until_in_the_past_is_refused(capsys):
    refused(cli(capsys, "whatif", OTP, "--add", "2024-05-01:grant_otp_exception:until=2024-01-01"),
            2, "2024-05-01 grant_otp_exception", "until 2024-01-01 is before the event's own "
            "date 2024-05-01")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status", REFUGEE, "--on", "9999-12-31"), ("--on 9999-12-31", "outside the dates")),
        (("status", REFUGEE, "--on", "0001-01-01"), ("--on 0001-01-01", "outside the dates")),
        (("whatif", REFUGEE, "--shift", "lodge=+1d", "--on", "2201-01-01"), ("--on 2201",)),
        (("whatif", REFUGEE, "--shift", "lodge=+10000y"),
         ("--shift 'lodge=+10000y'", "10,000 years is longer than 100 years")),
        (("whatif", REFUGEE, "--shift", "lodge=-1000000d"),
         ("1,000,000 days is longer than 100 years (at most 36,525)",)),
        (("whatif", REFUGEE, "--shift", "lodge=+99999999999999999999999wd"),
         ("working days is longer than 100 years",)),
        (("whatif", REFUGEE, "--add", "9999-01-01:leave_territory"),
         ("--add '9999-01-01:leave_territory'", "outside the dates")),
        (("whatif", REFUGEE, "--sweep", "lodge=-10000000d..+10000000d/100000d"),
         ("--sweep", "10,000,000 days is longer than 100 years")),
        (("whatif", REFUGEE, "--sweep", "lodge=+0d..+36000d/100000d"),
         ("100,000 days is longer than 100 years",)),
    ],
)
def test_dates_and_offsets_beyond_the_range_are_refused(capsys, args, words):
    refused(cli(capsys, *args), 2, *words)


def test_a_sweep_beyond_2200_is_refused(capsys, tmp_path):
    text = REFUGEE.read_text(encoding="utf-8").replace("2023-", "2150-")
    late = write(tmp_path, "late.yaml", text)
    refused(cli(capsys, "whatif", late, "--sweep", "lodge=+0d..+36500d/36500d"), 2,
            "--sweep lodge: shifting it by +36500d", "2250-01-08 is outside the dates")
    refused(cli(capsys, "whatif", late, "--shift", "lodge=+100y"), 2,
            "(2250-02-01 lodge)", "outside the dates")


def test_whatif_shift_of_100_years_is_accepted(capsys):
    result = cli(capsys, "whatif", REFUGEE, "--shift", "grant_refugee_status=+100y")
    assert result.code in (0, 4) and "Traceback" not in result.err


def test_a_machine_period_beyond_100_years_is_refused(capsys, tmp_path):
    machines = machines_copy(tmp_path)
    path = machines / "deadlines.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{amount: 30, unit: days}", "{amount: 99999999, unit: days}", 1),
                    encoding="utf-8")
    refused(cli(capsys, "replay", REFUGEE, "--machines", machines), 2, "deadlines.yaml at ",
            "99,999,999 days is longer than 100 years (at most 36,525)")
    result = cli(capsys, "check", machines)
    assert result.code == 1 and "99,999,999 days is longer than 100 years" in result.out


@pytest.mark.parametrize(
    ("unit", "most"),
    [("hours", 876_600), ("days", 36_525), ("working_days", 26_100), ("months", 1_200),
     ("years", 100)],
)
def test_a_period_may_last_100_years_and_no_longer(unit, most):
    from pydantic import ValidationError

    from asylum_sim.model.common import Period

    assert Period(amount=most, unit=unit).amount == most
    with pytest.raises(ValidationError, match="is longer than 100 years"):
        Period(amount=most + 1, unit=unit)


# -- 11. --machines gets the checks of `check` -------------------------------------------------


DEFECTS = {
    "dangling target": ("    to: registered\n", "    to: registred\n",
                        "unknown target state 'registred'; did you mean 'registered'?"),
    "undefined guard": ("guard: subsequent_application", "guard: no_such_guard",
                        "guard 'no_such_guard' is not defined under 'guards' of this machine"),
    "bad initial state": ("\ninitial: none\n", "\ninitial: nothing\n",
                          "the initial state 'nothing' is not a state of the machine"),
}
COMMANDS = {
    "replay": ("replay", REFUGEE),
    "status": ("status", REFUGEE, "--on", "2023-06-01"),
    "whatif": ("whatif", REFUGEE, "--shift", "lodge=+1d"),
    "diagram": ("diagram", "procedure", "--format", "dot"),
}


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A copy of the shipped machines per defect, each in procedure.yaml."""
    folders = {}
    for name, (old, new, _) in DEFECTS.items():
        folder = machines_copy(tmp_path_factory.mktemp(name.replace(" ", "_")))
        path = folder / "procedure.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        folders[name] = folder
    return folders


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("defect", DEFECTS)
def test_machines_are_checked_like_check_does(capsys, defective, defect, command):
    folder = defective[defect]
    message = DEFECTS[defect][2]
    checked = cli(capsys, "check", folder)
    assert checked.code == 1 and message in checked.out
    result = cli(capsys, *COMMANDS[command], "--machines", folder)
    refused(result, 2, f"{folder / 'procedure.yaml'} at ", message)
    # The same lines as check's, each naming the file in the folder.
    lines = [line.removeprefix(f"error: {folder}/") for line in result.err.splitlines()]
    assert lines == checked.out.splitlines()[:-2]


def test_the_shipped_machines_pass_check_so_they_need_no_check_per_run(capsys):
    result = cli(capsys, "check", "--lang", "en")
    assert result.code == 0 and result.out.endswith("no problems\n")
    refused(cli(capsys, "replay", REFUGEE, "--machines", MACHINES), 0)


# -- 12. check: timer cycles, every problem of a file with schema errors ---------------------


CHECK_VALID = Path(__file__).parent / "fixtures" / "check" / "valid"


def check_copy(folder: Path) -> Path:
    copy = folder / "machines"
    shutil.copytree(CHECK_VALID, copy)
    return copy


def append(path: Path, text: str, after: str | None = None) -> None:
    """Add YAML lines at the end of ``path`` or after the line ``after``."""
    old = path.read_text(encoding="utf-8")
    if after is None:
        path.write_text(old + text, encoding="utf-8")
    else:
        assert after in old
        path.write_text(old.replace(after, after + text, 1), encoding="utf-8")


def add_timer_cycle(folder: Path, amount: int, ping_starts: str) -> None:
    """States ping and pong, each left for the other by a timer of ``amount`` days."""
    append(folder / "procedure.yaml", (
        "  - {id: ping, labels: {nl: ping, en: ping}, actor: cgvs}\n"
        "  - {id: pong, labels: {nl: pong, en: pong}, actor: cgvs}\n"
    ), after="states:\n")
    append(folder / "procedure.yaml", (
        "  - {event: pause, from: at_cgvs, to: ping, source: brochure §2.4}\n"
        "  - {event: ping_expired, from: ping, to: pong, timer: tick_ping, source: brochure §2.4}\n"
        "  - {event: pong_expired, from: pong, to: ping, timer: tick_pong, source: brochure §2.4}\n"
        "  - {event: resume, from: [ping, pong], to: at_cgvs, source: brochure §2.4}\n"
    ))
    append(folder / "events.yaml", (
        "  - {id: pause, labels: {nl: pauze, en: pause}, actor: cgvs}\n"
        "  - {id: resume, labels: {nl: verder, en: resume}, actor: cgvs}\n"
        "  - {id: ping_expired, labels: {nl: ping, en: ping}, origin: timer, source: brochure}\n"
        "  - {id: pong_expired, labels: {nl: pong, en: pong}, origin: timer, source: brochure}\n"
    ))
    for name, starts in (("ping", ping_starts), ("pong", "{enter: {procedure: [pong]}}")):
        append(folder / "deadlines.yaml", (
            f"  - id: tick_{name}\n"
            f"    labels: {{nl: {name}, en: {name}}}\n"
            "    actor: cgvs\n"
            f"    starts: {starts}\n"
            f"    periods: [{{period: {{amount: {amount}, unit: days}}, rule: tick-{name}, "
            "source: brochure §2.4}]\n"
            f"    on_expiry: {name}_expired\n"
        ))


@pytest.mark.parametrize(("amount", "label"), [(0, "0 days"), (30, "30 days")])
def test_check_finds_a_cycle_of_timers(capsys, tmp_path, amount, label):
    folder = check_copy(tmp_path)
    add_timer_cycle(folder, amount, "{enter: {procedure: [ping]}}")
    result = cli(capsys, "check", folder, "--lang", "en")
    assert result.code == 1, result.out
    assert result.out.splitlines()[0] == (
        f"procedure.yaml at states[0]: states 'ping', 'pong' form a cycle of timers "
        f"(tick_ping ({label}), tick_pong ({label})): each starts again when its state is "
        "entered, so a case that gets there moves on by itself forever and its replay never "
        "ends; let a scenario event or a final state break the cycle"
    )
    assert result.out.endswith("1 problem\n")
    refused(cli(capsys, "replay", REFUGEE, "--machines", folder), 2, "form a cycle of timers")


def test_a_timer_that_a_scenario_event_restarts_is_no_cycle(capsys, tmp_path):
    folder = check_copy(tmp_path)
    add_timer_cycle(folder, 0, "{events: [pause]}")
    result = cli(capsys, "check", folder)
    assert result.code == 0, result.out


def test_a_cycle_through_the_timer_event_itself_is_found(capsys, tmp_path):
    folder = check_copy(tmp_path)
    add_timer_cycle(folder, 0, "{events: [pong_expired]}")
    assert "form a cycle of timers" in cli(capsys, "check", folder).out


def test_schema_errors_do_not_hide_the_other_problems_of_their_file(capsys, tmp_path):
    """Two entries with schema errors and six structural problems: all eight reported."""
    folder = check_copy(tmp_path)
    path = folder / "procedure.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [
        # schema: an unknown key in a state, a transition without a source
        ("    phase: first_instance\n    outcome: positive\n",
         "    phase: first_instance\n    outcome: positive\n    colour: red\n"),
        ('  - {event: lodge, from: applied, to: lodged, source: "brochure §2.2"}\n',
         '  - {event: lodge, from: applied, to: lodged}\n'
         '  - {event: lodge, from: applied, to: lodged, source: "brochure §2.2"}\n'),
        # structure and references
        ("to: refugee, source", "to: refugeee, source"),
        ("guard: subsequent, source", "guard: subsequnt, source"),
        ("{event: dvz_interview,", "{event: dvz_intreview,"),
        ("  - id: admissibility\n", "  - id: limbo\n    labels: {nl: x, en: x}\n"
         "    actor: cgvs\n  - id: admissibility\n"),
        ("    documents: [bijlage_26]\n", "    documents: [bijlage_62]\n"),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = cli(capsys, "check", folder)
    found = result.out.splitlines()[:-2]
    expected = [  # each at its place in the file, though two entries were left out
        "states[6].colour: Extra inputs are not permitted",  # refugee
        "transitions[1].source: Field required",
        "transitions[8].to: unknown target state 'refugeee'",
        "transitions[5].guard: guard 'subsequnt' is not defined",
        "transitions[3].event: unknown event 'dvz_intreview'",
        "states[3]: state 'limbo' is not reachable",
        "states[3]: state 'limbo' is a dead end",
        "states[2].documents[0]: unknown document 'bijlage_62'",
    ]
    for words in expected:
        assert any(f"procedure.yaml at {words}" in line for line in found), (words, found)
    # The transitions left out still lead somewhere: 'lodged' is reachable, no dead ends.
    assert len(found) == len(expected) + 1  # limbo reaches no final state either


def test_check_reports_deep_nesting_instead_of_crashing(capsys, tmp_path):
    folder = check_copy(tmp_path)
    write(folder, "deep.yaml", "kind: events\nevents: " + "[" * 900 + "]" * 900 + "\n")
    result = cli(capsys, "check", folder)
    assert result.code == 1 and "Traceback" not in result.out + result.err
    assert "deep.yaml at line 2: nested too deeply (more than 100 levels)" in result.out


def test_check_reports_deeply_nested_conditions(capsys, tmp_path):
    """Within the depth limit, a condition nested 40 levels is checked like any other."""
    folder = check_copy(tmp_path)
    deep = "{not: " * 40 + "{holds: bijlage_62}" + "}" * 40
    append(folder / "procedure.yaml", f"  deep:\n    labels: {{nl: d, en: d}}\n    when: {deep}\n"
           "    source: brochure §2.2\n", after="guards:\n")
    result = cli(capsys, "check", folder)
    assert "unknown document 'bijlage_62'" in result.out


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("20230109", "expected a date as YYYY-MM-DD, e.g. 2023-01-09; got 20230109"),
        ("2023-01-09T10:00", "expected a date as YYYY-MM-DD, e.g. 2023-01-09; got '2023-01-09T1"),
        ("2024-02-30", "2024-02-30 is not a valid date (day is out of range for month)"),
    ],
)
def test_a_date_that_is_not_yyyy_mm_dd_says_so(capsys, tmp_path, value, words):
    path = write(tmp_path, "case.yaml", f"events:\n  - {{date: {value}, event: apply}}\n")
    refused(cli(capsys, "replay", path), 2, f"{path} at events[0].date: {words}")


def test_an_empty_machines_folder_is_named_once(capsys, tmp_path):
    refused(cli(capsys, "replay", REFUGEE, "--machines", tmp_path), 2,
            f"error: {tmp_path}: holds no *.yaml machine definitions")


@pytest.mark.parametrize("name", ["fifo", "folder"])
def test_a_machine_file_that_is_not_a_file_is_named(capsys, tmp_path, name):
    machines = machines_copy(tmp_path)
    target = machines / "extra.yaml"
    if name == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    what = "is not a regular file (a FIFO)" if name == "fifo" else "is a directory"
    refused(cli(capsys, "status", REFUGEE, "--on", "2023-06-01", "--machines", machines), 2,
            f"{target}: {what}")
