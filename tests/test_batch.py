"""``batch``: many cases from one event log, one result per case."""

from __future__ import annotations

import csv
import io
import json

import pytest

from asylum_sim.cli.batch import read_eventlog, run_batch
from asylum_sim.model.errors import InputError
from asylum_sim.model.paths import default_machines_dir

LOG = (
    '{"case": "a", "date": "2025-03-03", "event": "apply"}\n'
    '{"case": "b", "date": "2025-03-03", "event": "apply", "person": {"region": "brussels"}}\n'
    '{"case": "a", "date": "2025-03-04", "event": "register"}\n'
    '{"case": "a", "date": "2025-03-04", "event": "assign_reception", "kind": "collective"}\n'
    '{"case": "b", "date": "2025-03-05", "event": "refuse"}\n'
)


def test_jsonl_log_gives_one_line_per_case_in_order_of_appearance(tmp_path):
    log = tmp_path / "cases.jsonl"
    log.write_text(LOG)
    out = tmp_path / "out.jsonl"
    run_batch(log, out, "jsonl", 1, None, default_machines_dir())
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["case"] for r in rows] == ["a", "b"]
    # replayed to the end: no arrival within 24 hours, so the no show fired by itself
    assert rows[0]["states"]["reception"] == "no_show" and rows[0]["error"] is None
    assert "not possible" in rows[1]["error"]


def test_csv_log_with_attributes_and_status_on_a_date(tmp_path):
    log = tmp_path / "cases.csv"
    log.write_text("case,date,event,attributes\n"
                   "a,2025-03-03,apply,\n"
                   "a,2025-03-04,register,\n"
                   "a,2025-03-04,assign_reception,kind=individual\n"
                   "a,2025-03-05,arrive,\n")
    out = tmp_path / "out.csv"
    run_batch(log, out, "csv", 1, "2025-03-04", default_machines_dir())
    (row,) = csv.DictReader(io.StringIO(out.read_text()))
    assert row["on"] == "2025-03-04" and row["state.reception"] == "assigned"


def test_two_workers_give_the_same_result_as_one(tmp_path):
    log = tmp_path / "cases.jsonl"
    log.write_text(LOG)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(log, one, "jsonl", 1, None, default_machines_dir())
    run_batch(log, two, "jsonl", 2, None, default_machines_dir())
    assert one.read_text() == two.read_text()


def test_bad_logs_are_refused_with_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"case": "a", "date": "2025-03-03", "event": "apply"}\n{oops\n')
    with pytest.raises(InputError, match="line 2"):
        read_eventlog(bad)
    header = tmp_path / "bad.csv"
    header.write_text("id,date,event\n")
    with pytest.raises(InputError, match="missing columns"):
        read_eventlog(header)
