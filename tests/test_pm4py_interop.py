"""pm4py (the process-mining library most analysts use) reads our step logs as they are."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

pm4py = pytest.importorskip("pm4py")
pytestmark = pytest.mark.filterwarnings("ignore:Install the optional requirement")

LOG = """case:concept:name,concept:name,time:timestamp,kind
a,apply,2025-03-03,
a,register,2025-03-04,
a,assign_reception,2025-03-04,collective
a,arrive,2025-03-05,
b,apply,2025-03-10,
b,register,2025-03-11,
"""


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("pm4py")
    (folder / "log.csv").write_text(LOG)
    for fmt in ("csv", "xes"):
        result = subprocess.run([sys.executable, "-m", "asylum_sim", "batch",
                                 folder / "log.csv", "--steps", folder / f"steps.{fmt}"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    return {"csv": folder / "steps.csv", "xes": folder / "steps.xes"}


def test_pm4py_reads_our_xes(steps):
    log = pm4py.read_xes(str(steps["xes"]))
    ours = pd.read_csv(steps["csv"], dtype=str)
    assert list(log["case:concept:name"]) == list(ours["case:concept:name"])
    assert list(log["concept:name"]) == list(ours["concept:name"])
    assert list(log["origin"]) == list(ours["origin"])
    dates = pd.to_datetime(log["time:timestamp"], utc=True).dt.tz_convert("Europe/Brussels")
    assert list(dates.dt.strftime("%Y-%m-%d")) == list(ours["time:timestamp"])


def test_pm4py_takes_our_csv_as_an_event_log(steps):
    frame = pd.read_csv(steps["csv"], dtype=str)
    frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"])
    log = pm4py.format_dataframe(frame, case_id="case:concept:name",
                                 activity_key="concept:name", timestamp_key="time:timestamp")
    assert pm4py.get_start_activities(log) == {"apply": 2}
    assert ("register", "assign_reception") in pm4py.discover_dfg(log)[0]
