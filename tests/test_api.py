"""The Python API for notebooks: a scenario, a live case, a whole log as a table, and the
same call per partition under Dask."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pytest

from asylum_sim import api
from conftest import ROOT, SCENARIOS

EXAMPLES = ROOT / "examples"
DUTCH = {"case": "DossierNr", "event": "Activiteit", "date": "Datum"}


@pytest.fixture(scope="module")
def model() -> api.Model:
    return api.load(columns=DUTCH, activities=EXAMPLES / "activiteiten.csv",
                    date_format="%d/%m/%Y %H:%M")


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "dossiers.csv", sep=";", encoding="utf-8-sig", dtype=str)


def test_a_scenario_file_or_dict_gives_the_contract_report_and_a_step_table(model):
    result = model.replay(SCENARIOS / "refusal-no-appeal-2025.yaml")
    assert result.report["case"] == "refusal-no-appeal-2025"
    assert [s["event"] for s in result.report["steps"]][:2] == ["apply", "register"]
    assert list(result.steps["event"])[:2] == ["apply", "register"]
    same = model.replay({"id": "x", "events": [{"date": "2025-03-03", "event": "apply"}]})
    assert same.steps.iloc[0]["state:procedure"] == "applied"


def test_a_live_case_goes_event_by_event(model):
    case = model.live_case(person={"region": "flanders"})
    case.apply("2023-01-09")
    assert not case.may_lodge("2023-01-10")  # not registered yet
    case.register("2023-01-10")
    assert case.may_lodge("2023-01-11")


def test_a_log_table_gives_the_batch_tables(model, example, tmp_path):
    cases, steps, deviations = model.replay_log(example)
    out = tmp_path / "cases.csv"
    result = subprocess.run(
        [sys.executable, "-m", "asylum_sim", "batch", EXAMPLES / "dossiers.csv", "--map",
         "case=DossierNr,event=Activiteit,date=Datum", "--activities",
         EXAMPLES / "activiteiten.csv", "--date-format", "%d/%m/%Y %H:%M", "-o", out],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    batch = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(cases["case"]) == [r["case"] for r in batch]
    assert list(cases["state:procedure"]) == [r["state:procedure"] for r in batch]
    assert list(cases.columns) == list(batch[0])
    assert len(steps) == int(cases["steps"].sum()) and len(deviations) == 9
    arrow = model.replay_log(pa.Table.from_pandas(example))
    assert isinstance(arrow.cases, pa.Table) and arrow.cases.num_rows == len(cases)


def test_the_dask_example_gives_the_same_cases_as_one_table(model, example):
    sys.path.insert(0, str(EXAMPLES))
    try:
        from dask_example import replay_with_dask
    finally:
        sys.path.remove(str(EXAMPLES))
    with_dask = replay_with_dask(partitions=3, scheduler="synchronous")
    whole = model.replay_log(example).cases.sort_values("case", ignore_index=True)
    pd.testing.assert_frame_equal(with_dask, whole)


def test_the_partition_function_pickles_and_meta_matches(model, example):
    partition = pickle.loads(pickle.dumps(model.partition("steps")))
    steps = partition(example.head(40))
    assert list(steps.columns) == list(model.meta("steps").columns)
    assert (steps.dtypes == model.meta("steps").dtypes).all()
    with pytest.raises(ValueError, match="unknown table"):
        model.partition("case")


def test_asylum_sim_never_imports_pm4py():
    """pm4py is AGPL: a test tool only."""
    sources = [p.read_text() for p in (ROOT / "src").rglob("*.py")]
    assert not [s for s in sources if "import pm4py" in s or "from pm4py" in s]
