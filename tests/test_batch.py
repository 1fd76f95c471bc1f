"""``asylum-sim batch`` as an analyst meets it: real exports, conformance, exit codes, outputs
that read back, and one bad case never stopping the others."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from asylum_sim.eventlog.pipeline import BatchOptions, run
from asylum_sim.model.paths import default_machines_dir


def cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asylum_sim", "batch", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


REFUSED = [  # one case up to a refusal handed over on Friday 28/11/2025 (appeal by 29/12)
    ("2025-03-03", "apply", ""), ("2025-03-04", "register", ""),
    ("2025-03-04", "assign_reception", "collective"), ("2025-03-05", "arrive", ""),
    ("2025-03-20", "lodge", ""), ("2025-04-10", "transfer_to_cgvs", ""),
    ("2025-11-28", "refuse", ""),
]


def log_csv(path: Path, cases: dict[str, list[tuple[str, str, str]]]) -> Path:
    lines = ["case:concept:name,concept:name,time:timestamp,kind"]
    lines += [f"{case},{event},{date},{kind}" for case, events in cases.items()
              for date, event, kind in events]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- Done when (issue 10) --------------------------------------------------------------------

def test_a_dutch_export_with_bom_semicolons_day_first_times_and_labels_replays_every_case(
        tmp_path):
    log = tmp_path / "dossiers.csv"
    rows = ["DossierNr;Activiteit;Datum;Opmerking"]
    labels = {"apply": "Verzoek gedaan", "register": "Registratie",
              "assign_reception": "Toewijzing collectieve opvang", "arrive": "Aankomst opvang",
              "lodge": "Verzoek ingediend", "transfer_to_cgvs": "Overdracht CGVS",
              "refuse": "Weigering CGVS"}
    for n in (1, 2, 10):
        for date, event, _kind in REFUSED:
            y, m, d = date.split("-")
            rows.append(f"2025/{n:04d};{labels[event]};{d}/{m}/{y} {8 + n}:30;")
    log.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    mapping = tmp_path / "activiteiten.csv"
    mapping.write_text("label;event;kind\n" + "\n".join(
        f"{label};{event};{'collective' if event == 'assign_reception' else ''}"
        for event, label in labels.items()) + "\n")
    cases = tmp_path / "cases.csv"
    result = cli(log, "--map", "case=DossierNr,event=Activiteit,date=Datum",
                 "--activities", mapping, "--date-format", "%d/%m/%Y %H:%M", "-o", cases,
                 "--lang", "en")
    assert result.returncode == 0, result.stderr
    got = table(cases)
    assert [r["case"] for r in got] == ["2025/0001", "2025/0002", "2025/0010"]
    assert {r["status"] for r in got} == {"ok"}
    assert {r["state:procedure"] for r in got} == {"finally_refused"}
    assert {r["first_date"] for r in got} == {"2025-03-03"}
    assert "Cases by outcome" in result.stdout


def test_step_logs_in_xes_and_csv_read_back_as_the_same_steps(tmp_path):
    log = log_csv(tmp_path / "log.csv", {"a": REFUSED, "b": REFUSED[:4]})
    first = tmp_path / "steps.csv"
    assert cli(log, "--steps", first).returncode == 0
    for fmt in ("xes", "csv", "jsonl"):
        steps = tmp_path / f"steps.{fmt}"
        if fmt != "csv":
            assert cli(log, "--steps", steps).returncode == 0
        again = tmp_path / f"again-{fmt}.csv"
        result = cli(steps, "--steps", again)
        assert result.returncode == 0, result.stderr
        assert again.read_text() == first.read_text(), fmt


def test_a_cp1252_log_gets_a_clear_message_naming_encoding(tmp_path):
    log = tmp_path / "log.csv"
    text = "case;event;date;note\na;apply;2025-03-03;caf\u00e9\nb;apply;2025-03-03;\n"
    log.write_bytes(text.encode("cp1252"))
    result = cli(log, "-o", tmp_path / "cases.csv", "--deviations", tmp_path / "dev.csv")
    no_traceback(result)
    assert result.returncode == 2
    assert "--encoding" in result.stderr and "cp1252" in result.stderr
    statuses = {r["case"]: r["status"] for r in table(tmp_path / "cases.csv")}
    assert statuses == {"a": "unreadable", "b": "ok"}
    assert "0xe9" in table(tmp_path / "dev.csv")[0]["message"]
    fixed = cli(log, "--encoding", "cp1252", "-o", tmp_path / "cases.csv")
    assert fixed.returncode == 0, fixed.stderr


def test_one_unreadable_case_among_1000_the_others_are_written_and_exit_2(tmp_path):
    cases = {f"c{n}": [("2025-03-03", "apply", ""), ("2025-03-04", "register", "")]
             for n in range(1000)}
    cases["c500"] = [("2025-03-03", "apply", ""), ("2025-02-30", "register", "")]
    log = log_csv(tmp_path / "log.csv", cases)
    out, dev = tmp_path / "cases.csv", tmp_path / "dev.csv"
    result = cli(log, "-o", out, "--deviations", dev, "--workers", "2")
    no_traceback(result)
    assert result.returncode == 2
    assert "1 of 1000 cases could not be read" in result.stderr
    rows = table(out)
    assert len(rows) == 1000
    assert sum(r["status"] == "ok" for r in rows) == 999
    (bad,) = table(dev)
    assert (bad["case"], bad["kind"], bad["line"]) == ("c500", "unreadable", "1003")
    assert "2025-02-30" in bad["message"]


def test_a_late_appeal_is_a_deviation_of_kind_late(tmp_path):
    late = [*REFUSED, ("2026-01-05", "appeal", "")]  # last day was Monday 29/12/2025
    log = log_csv(tmp_path / "log.csv", {"a": late})
    dev = tmp_path / "dev.csv"
    assert cli(log, "--deviations", dev).returncode == 0
    (row,) = table(dev)
    assert (row["event"], row["kind"], row["date"]) == ("appeal", "late", "2026-01-05")


def test_an_appeal_on_the_last_day_is_no_deviation(tmp_path):
    in_time = [*REFUSED, ("2025-12-29", "appeal", "")]
    log = log_csv(tmp_path / "log.csv", {"a": in_time})
    dev = tmp_path / "dev.csv"
    assert cli(log, "--deviations", dev).returncode == 0
    assert table(dev) == []


# -- issue 13, items 13-16 -------------------------------------------------------------------

def test_every_error_of_a_case_stays_in_that_case(tmp_path):
    """Item 13: a person given as text or a list, a broken quote, Latin-1 bytes, year 9999,
    a birth after the events: each case alone is affected."""
    log = tmp_path / "log.jsonl"
    lines = [
        {"case": "ok", "event": "apply", "date": "2025-03-03"},
        {"case": "person-text", "event": "apply", "date": "2025-03-03", "person": "adult"},
        {"case": "person-list", "event": "apply", "date": "2025-03-03", "person": [1, 2]},
        {"case": "year-9999", "event": "apply", "date": "9999-03-03"},
        {"case": "unborn", "event": "apply", "date": "2025-03-03",
         "case:birth_date": "2030-01-01"},
    ]
    text = "".join(json.dumps(line) + "\n" for line in lines)
    log.write_bytes(text.encode() + b'{"case": "latin", "event": "apply", "date": "caf\xe9"}\n')
    out, dev = tmp_path / "cases.csv", tmp_path / "dev.csv"
    result = cli(log, "-o", out, "--deviations", dev)
    no_traceback(result)
    assert result.returncode == 2
    statuses = {r["case"]: r["status"] for r in table(out)}
    assert statuses == {"ok": "ok", "person-text": "unreadable", "person-list": "unreadable",
                        "year-9999": "unreadable", "unborn": "deviations",
                        "latin": "unreadable"}
    messages = {r["case"]: r["message"] for r in table(dev)}
    assert "outside the years 1900-2200" in messages["year-9999"]
    assert "birth date 2030-01-01 is after the first event" in messages["unborn"]


def test_a_broken_csv_quote_spoils_its_case_only(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text('case,event,date\na,apply,2025-03-03\nb,"apply,2025-03-03\n'
                   "c,apply,2025-03-03\n")
    out = tmp_path / "cases.csv"
    result = cli(log, "-o", out)
    no_traceback(result)
    assert result.returncode == 2
    assert {r["case"]: r["status"] for r in table(out)} == {
        "a": "ok", "b": "unreadable", "c": "ok"}


def test_null_case_ids_and_mixed_number_text_ids(tmp_path):
    """Item 14: no case named "None"; 1 and "1" are not silently merged."""
    log = tmp_path / "log.jsonl"
    log.write_text('{"case": null, "event": "apply", "date": "2025-03-03"}\n'
                   '{"case": 1, "event": "apply", "date": "2025-03-03"}\n'
                   '{"case": "1", "event": "register", "date": "2025-03-04"}\n'
                   '{"case": 2, "event": "apply", "date": "2025-03-03"}\n')
    out, dev = tmp_path / "cases.csv", tmp_path / "dev.csv"
    result = cli(log, "-o", out, "--deviations", dev)
    assert result.returncode == 2
    assert "1 rows name no case" in result.stderr
    rows = {r["case"]: r["status"] for r in table(out)}
    assert rows == {"1": "unreadable", "2": "ok"}
    messages = [r["message"] for r in table(dev)]
    assert any("both as a number and as text" in m for m in messages)
    assert any(m == "line 1: no case id" for m in messages)


def test_extra_columns_are_reported_not_dropped_in_silence(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("case,event,date,Behandelaar,kind\na,apply,2025-03-03,Jan,\n"
                   "a,register,2025-03-04,Jan,\n")
    summary = tmp_path / "summary.json"
    result = cli(log, "--summary", summary, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert json.loads(summary.read_text())["ignored_columns"] == ["Behandelaar"]
    assert "Behandelaar" in result.stdout


def test_a_column_an_event_does_not_have_is_a_bad_attribute(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("case,event,date,kind\na,apply,2025-03-03,collective\n")
    dev = tmp_path / "dev.csv"
    assert cli(log, "--deviations", dev).returncode == 0
    (row,) = table(dev)
    assert row["kind"] == "bad_attribute" and "'kind'" in row["message"]


def test_workers_are_capped_at_the_cores_and_never_outnumber_the_chunks(tmp_path):
    """Item 15."""
    log = log_csv(tmp_path / "log.csv", {f"c{n}": REFUSED[:2] for n in range(50)})
    summary = tmp_path / "s.json"
    result = cli(log, "--workers", "1000", "--summary", summary)
    assert result.returncode == 0, result.stderr
    assert "--workers 1000" in result.stderr and "cores" in result.stderr
    assert json.loads(summary.read_text())["workers"] == 1  # 50 cases are one chunk


def test_one_and_two_workers_write_the_same_bytes(tmp_path, monkeypatch):
    from asylum_sim.eventlog import parallel

    monkeypatch.setattr(parallel, "CHUNK_ROWS", 500)  # 10 chunks: both workers get some
    log = log_csv(tmp_path / "log.csv", {f"c{n}": REFUSED for n in range(700)})
    outs = {}
    for workers in (1, 2):
        options = BatchOptions(log=log, machines=default_machines_dir(), workers=workers,
                               outputs={"cases": tmp_path / f"c{workers}.csv",
                                        "steps": tmp_path / f"s{workers}.csv"})
        outs[workers] = run(options)
    assert outs[2].workers == 2
    for name in ("c", "s"):
        assert (tmp_path / f"{name}1.csv").read_bytes() == (tmp_path / f"{name}2.csv").read_bytes()


def test_an_unsorted_log_gives_the_same_cases_as_a_sorted_one(tmp_path):
    cases = {f"c{n}": REFUSED[:4] for n in range(30)}
    sorted_log = log_csv(tmp_path / "sorted.csv", cases)
    lines = sorted_log.read_text().splitlines()
    shuffled = tmp_path / "shuffled.csv"
    by_date = sorted(lines[1:], key=lambda line: line.split(",")[2])
    shuffled.write_text("\n".join([lines[0], *by_date]) + "\n")
    for log in (sorted_log, shuffled):
        assert cli(log, "-o", tmp_path / f"{log.stem}.out.csv").returncode == 0
    assert (tmp_path / "sorted.out.csv").read_text() == (tmp_path / "shuffled.out.csv").read_text()


def test_columns_are_stable_when_every_case_fails(tmp_path):
    good = log_csv(tmp_path / "good.csv", {"a": REFUSED})
    bad = tmp_path / "bad.csv"
    bad.write_text("case,event,date\na,apply,someday\n")
    for log in (good, bad):
        for option, name in (("-o", "c"), ("--steps", "s"), ("--deviations", "d")):
            cli(log, option, tmp_path / f"{log.stem}.{name}.csv")
    for name in ("c", "s", "d"):
        header = (tmp_path / f"good.{name}.csv").read_text().splitlines()[0]
        assert header == (tmp_path / f"bad.{name}.csv").read_text().splitlines()[0]


def test_bad_options_and_files_exit_2_with_one_line(tmp_path):
    log = log_csv(tmp_path / "log.csv", {"a": REFUSED})
    checks = [
        ((tmp_path / "none.csv",), "no such event log"),
        ((tmp_path,), "is a folder"),
        ((log, "-o", tmp_path / "x.xlsx"), "unknown format"),
        ((log, "-o", tmp_path / "x.xes"), "XES holds a step log only"),
        ((log, "-o", log), "is the log itself"),
        ((log, "--map", "dossier=X"), "unknown key 'dossier'"),
        ((log, "--map", "case=DossierNr"), "no case column"),
        ((log, "--encoding", "klingon"), "unknown encoding"),
        ((log, "--date-format", "%H:%M"), "does not hold a whole date"),
        ((log, "--activities", tmp_path / "none.csv"), "no such activities file"),
        ((log, "-o", tmp_path / "no" / "c.csv"), "does not exist"),
    ]
    for args, words in checks:
        result = cli(*args)
        no_traceback(result)
        assert result.returncode == 2, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)


def test_the_summary_is_not_printed_when_the_cases_go_to_stdout(tmp_path):
    log = log_csv(tmp_path / "log.csv", {"a": REFUSED})
    result = cli(log, "-o", "-")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("case,status,events")
    assert "Dossiers per uitkomst" not in result.stdout


def test_summary_json_counts(tmp_path):
    log = log_csv(tmp_path / "log.csv", {"a": REFUSED, "b": [*REFUSED[:5], ("2025-03-21",
                                                                           "refuse", "")]})
    summary = tmp_path / "s.json"
    assert cli(log, "--summary", summary).returncode == 0
    data = json.loads(summary.read_text())
    assert data["by_status"] == {"ok": 1, "deviations": 1, "unreadable": 0}
    assert data["deviations_by_kind"] == {"not_possible": 1}
    assert data["by_final_state"]["procedure"]["finally_refused"] == 1
    access = data["days_per_phase"]["access"]
    assert access == {"stays": 1, "median": 38, "p90": 38}  # 3/3 to the transfer on 10/4


def test_a_progress_bar_on_stderr_only_when_it_is_a_terminal(tmp_path):
    import os
    import pty

    log = log_csv(tmp_path / "log.csv", {"a": REFUSED})
    quiet = cli(log, "-o", tmp_path / "c.csv")
    assert quiet.stderr == ""
    primary, secondary = pty.openpty()
    try:
        process = subprocess.run([sys.executable, "-m", "asylum_sim", "batch", str(log),
                                  "-o", str(tmp_path / "c.csv")], stderr=secondary,
                                 stdout=subprocess.DEVNULL, timeout=120)
        os.close(secondary)
        shown = b""
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:  # the terminal closed
                break
            if not data:
                break
            shown += data
    finally:
        os.close(primary)
    assert process.returncode == 0
    assert b"1 cases" in shown
