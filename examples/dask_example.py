"""Replay a log with Dask, one partition at a time (the local scheduler here; the same code
runs on a cluster when the log outgrows one machine).

Run from the repository root: ``python examples/dask_example.py`` (needs the ``dask``
extra: ``pip install 'asylum-sim[dask]'``).

Every case must be whole in one partition: the log is shuffled on the case column. A
shuffle may reorder rows, and same-day events count in log order, so a row number taken
before the shuffle (``seq``) puts each case's rows back in order (``order_by``).
"""

from __future__ import annotations

from pathlib import Path

import dask
import dask.dataframe as dd

from asylum_sim import api

HERE = Path(__file__).resolve().parent


def replay_with_dask(partitions: int = 4, scheduler: str = "threads"):
    """The case table of the example log, computed partition by partition."""
    model = api.load(columns={"case": "DossierNr", "event": "Activiteit", "date": "Datum"},
                     activities=HERE / "activiteiten.csv", date_format="%d/%m/%Y %H:%M",
                     order_by="seq")
    log = dd.read_csv(HERE / "dossiers.csv", sep=";", encoding="utf-8-sig", dtype=str,
                      blocksize=64_000)
    log = log.assign(seq=1)
    log = log.assign(seq=log.seq.cumsum())  # the log order, before the shuffle loses it
    log = log.shuffle(on="DossierNr", npartitions=partitions)
    cases = log.map_partitions(model.partition("cases"), meta=model.meta("cases"))
    with dask.config.set(scheduler=scheduler):
        return cases.compute().sort_values("case", ignore_index=True)


if __name__ == "__main__":
    table = replay_with_dask()
    print(table.groupby("status").size().to_string())
    print(table["state:procedure"].value_counts().to_string())
