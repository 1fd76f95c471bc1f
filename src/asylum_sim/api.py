"""asylum-sim from Python: notebooks, scripts, Dask and Spark.

    >>> from asylum_sim import api
    >>> model = api.load()                                  # the definitions, loaded once
    >>> case = model.replay("scenarios/refugee-sy-2023.yaml")   # or a scenario dict
    >>> case.report["steps"][0]["states"]                   # the contract's replay JSON
    >>> case.steps                                          # one row per step (pandas)
    >>> cases, steps, deviations = model.replay_log(log)   # a pandas DataFrame or pyarrow Table
    >>> live = model.live_case(person={"region": "flanders"})
    >>> live.apply("2023-01-09"); live.may_lodge("2023-01-10")

A log is replayed by :meth:`Model.replay_log`, a pure function of the rows it is given: when
every case's rows are in one partition, the same call runs per partition under Dask
(``ddf.map_partitions(model.partition("cases"), meta=model.meta("cases"))``) or Spark
(``sdf.mapInPandas(model.map_in_pandas("cases"), schema)``): see examples/dask_example.py.
Tables come back in the form the log came in (pandas in, pandas out; pyarrow in, pyarrow
out), with the columns of ``asylum-sim batch``'s outputs. pandas and pyarrow are the
``dask`` extra (``pip install 'asylum-sim[dask]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from asylum_sim.engine.live import LiveCase
from asylum_sim.engine.simulator import Simulator
from asylum_sim.engine.steps import Replay
from asylum_sim.eventlog.activities import Activities, Activity, load_activities
from asylum_sim.eventlog.columns import Columns, parse_map
from asylum_sim.eventlog.grouping import RawCase
from asylum_sim.eventlog.readers import table_rows
from asylum_sim.eventlog.replay import CaseContext, replay_case
from asylum_sim.eventlog.tables import Tables
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.model.paths import default_machines_dir

TABLES = ("cases", "steps", "deviations")


class LogTables(NamedTuple):
    cases: Any
    steps: Any
    deviations: Any


@dataclass
class CaseResult:
    """One replayed scenario: the engine's :class:`Replay`, the contract's JSON
    (``report``) and a step table (``steps``, pandas when it is installed)."""

    replay: Replay
    report: dict[str, Any]
    rows: list[dict[str, Any]]

    @property
    def steps(self) -> Any:
        try:
            import pandas as pd
        except ImportError:
            return self.rows
        return pd.DataFrame(self.rows)


@dataclass(frozen=True)
class LogOptions:
    """How to read a log's columns (as ``asylum-sim batch``'s options)."""

    machines: str
    columns: tuple[tuple[str, str], ...] = ()
    """``--map`` as pairs: (("case", "DossierNr"), ...)."""
    activities: str | tuple[tuple[str, str], ...] | None = None
    """A mapping file, or (label, event) pairs."""
    date_format: str | None = None
    order_by: str | None = None
    """A column to order each case's rows by (a sequence number, a full timestamp) when the
    rows of a partition may have lost their log order (a Dask shuffle)."""


_CONTEXTS: dict[LogOptions, CaseContext] = {}
"""Per process: workers of Dask or Spark build theirs once, on their first partition."""


def _context(model: Model) -> CaseContext:
    """The model's case context: its definitions and simulator, built once per process."""
    options = model.options
    found = _CONTEXTS.get(options)
    if found is None:
        defs = model.defs
        attributes = {a for e in defs.events.values() for a in e.attributes}
        mapping = parse_map(",".join(f"{k}={v}" for k, v in options.columns), attributes)
        if isinstance(options.activities, tuple):
            activities = Activities(labels={label: Activity(event) for label, event in
                                            options.activities}, events=frozenset(defs.events))
        else:
            activities = load_activities(
                Path(options.activities) if options.activities else None, defs)
        found = _CONTEXTS[options] = CaseContext.build(
            defs, Columns.from_map(mapping, attributes), activities, options.date_format,
            unit="row", sim=model.sim)
    return found


def load(machines: str | Path | None = None, *, columns: dict[str, str] | None = None,
         activities: str | Path | dict[str, str] | None = None,
         date_format: str | None = None, order_by: str | None = None) -> Model:
    """The definitions of ``machines`` (default: the shipped ones) and how logs are read:
    ``columns`` as ``--map`` (``{"case": "DossierNr", ...}``), ``activities`` a mapping file
    or ``{label: event}``, ``date_format`` as ``--date-format``."""
    folder = Path(machines) if machines is not None else default_machines_dir()
    mapped = tuple(sorted((columns or {}).items()))
    acts: str | tuple[tuple[str, str], ...] | None
    acts = tuple(sorted(activities.items())) if isinstance(activities, dict) else (
        str(activities) if activities is not None else None)
    return Model(LogOptions(str(folder), mapped, acts, date_format, order_by))


@dataclass
class Model:
    """Loaded definitions and the options to read logs with; picklable (what a process
    needs is rebuilt there), so it can be shipped to Dask or Spark workers."""

    options: LogOptions
    _defs: Definitions | None = field(default=None, repr=False)
    _sim: Simulator | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options, "_defs": None, "_sim": None}

    @property
    def defs(self) -> Definitions:
        if self._defs is None:
            self._defs = load_definitions(Path(self.options.machines))
        return self._defs

    @property
    def sim(self) -> Simulator:
        if self._sim is None:
            self._sim = Simulator(self.defs)
        return self._sim

    # -- one case ----------------------------------------------------------------------------

    def replay(self, scenario: dict[str, Any] | str | Path, *, lenient: bool = False,
               lang: str | None = None) -> CaseResult:
        """Replay a scenario (a dict as in a scenario file, or a file); the report's labels
        in ``lang`` (default: as the command line's)."""
        from asylum_sim.i18n import default_lang
        from asylum_sim.model.scenario_file import load_scenario, parse_scenario
        from asylum_sim.render.json_report import replay_dict
        from asylum_sim.render.labels import Labeller

        if isinstance(scenario, dict):
            parsed = parse_scenario(scenario, self.defs, str(scenario.get("id", "<dict>")))
        else:
            parsed = load_scenario(Path(scenario), self.defs)
        replay = self.sim.replay(parsed, lenient=lenient, name=parsed.id or "")
        rows = [{"index": s.index, "date": s.date, "event": s.event, "origin": s.origin,
                 **{f"state:{m}": st for m, st in s.snapshot.states.items()},
                 "documents": [d.id for d in s.snapshot.documents],
                 "entitlements": [e.id for e in s.snapshot.entitlements]}
                for s in replay.steps]
        return CaseResult(replay, replay_dict(replay, Labeller(self.defs, lang or default_lang())),
                          rows)

    def live_case(self, person: dict[str, Any] | None = None, case_id: str = "live"
                  ) -> LiveCase:
        """A case driven event by event: ``case.lodge("2023-02-01")``,
        ``case.may_lodge()``, ``case.status("2023-06-01")`` (see
        :mod:`asylum_sim.engine.live`)."""
        return LiveCase(self.sim, person=person, case_id=case_id)

    # -- a log -------------------------------------------------------------------------------

    def replay_log(self, log: Any) -> LogTables:
        """Every case of ``log`` (a pandas DataFrame or a pyarrow Table whose rows hold
        whole cases) as the tables (cases, steps, deviations)."""
        pa = _pyarrow()
        as_pandas = not isinstance(log, pa.Table)
        table = pa.Table.from_pandas(log, preserve_index=False) if as_pandas else log
        ctx = _context(self)
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
        for raw in self._cases(table.to_pylist(), ctx):
            outcome = replay_case(raw, ctx)
            if outcome.case_row is not None:
                rows["cases"].append(outcome.case_row)
            rows["steps"].extend(outcome.steps)
            rows["deviations"].extend(outcome.deviations)
        tables = [_arrow_table(ctx.tables, name, rows[name]) for name in TABLES]
        return LogTables(*(_pandas(t) if as_pandas else t for t in tables))

    def _cases(self, records: list[dict[str, Any]], ctx: CaseContext) -> Iterator[RawCase]:
        """The partition's rows by case, cases in order of first appearance."""
        order = self.options.order_by
        if order is not None:
            records.sort(key=lambda r: (r.get(order) is None, r.get(order)))
        cases: dict[str | None, list[Any]] = {}
        for position, case, row, problem in table_rows(records, ctx.columns.case):
            if case is None:
                yield RawCase(None, [(position, row, problem)])
            else:
                cases.setdefault(case, []).append((position, row, problem))
        for case, found in cases.items():
            yield RawCase(case, found)

    def partition(self, table: str) -> Callable[[Any], Any]:
        """A function of one pandas partition to one table (``cases``, ``steps`` or
        ``deviations``), for ``dask.dataframe.map_partitions``."""
        _check_table(table)
        return _Partition(self, table)

    def map_in_pandas(self, table: str) -> Callable[[Iterator[Any]], Iterator[Any]]:
        """A function for Spark's ``mapInPandas``: the batches of one partition (holding
        whole cases) to one table."""
        _check_table(table)
        partition = _Partition(self, table)

        def run(batches: Iterator[Any]) -> Iterator[Any]:
            import pandas as pd

            frames = list(batches)
            if frames:
                yield partition(pd.concat(frames, ignore_index=True))

        return run

    def meta(self, table: str) -> Any:
        """An empty pandas DataFrame with the columns and types of ``table``."""
        _check_table(table)
        ctx = _context(self)
        return _pandas(_arrow_table(ctx.tables, table, []))

    def columns(self, table: str) -> list[str]:
        _check_table(table)
        return [name for name, _ in Tables.of(self.defs).table(table)]


@dataclass
class _Partition:
    model: Model
    table: str

    def __call__(self, frame: Any) -> Any:
        return getattr(self.model.replay_log(frame), self.table)


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: one of {', '.join(TABLES)}")


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise InputError("the log API needs pyarrow and pandas: "
                         "pip install 'asylum-sim[dask]'") from None
    return pyarrow


def _arrow_table(tables: Tables, name: str, rows: list[tuple[Any, ...]]) -> Any:
    from asylum_sim.eventlog.writers import arrow_schema

    pa = _pyarrow()
    schema = arrow_schema(tables.table(name))
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(list(values), type=f.type) for values, f in
                                 zip(columns, schema, strict=True)], schema=schema)


def _pandas(table: Any) -> Any:
    return table.to_pandas()
