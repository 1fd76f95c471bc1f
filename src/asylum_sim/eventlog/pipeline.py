"""A whole log through the batch: read, group, replay (in workers), write, summarise.

The parent reads and groups rows, and appends what the workers send back; the workers do
the rest (timestamps, activities, the replay, encoding the output rows), so that the parent
stays light and two workers use two cores. Every output goes to a temporary file renamed
at the end: an error or an interrupt leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asylum_sim.eventlog import parallel
from asylum_sim.eventlog.activities import Activities, closest_event, load_activities
from asylum_sim.eventlog.columns import Columns, parse_map
from asylum_sim.eventlog.grouping import NotSorted, RawCase, spilled_cases, stream_cases
from asylum_sim.eventlog.readers import LogReader, open_log
from asylum_sim.eventlog.replay import CaseContext, replay_case
from asylum_sim.eventlog.summary import Summary, to_json
from asylum_sim.eventlog.tables import Tables
from asylum_sim.eventlog.timestamps import BadTimestamp, check_date_format
from asylum_sim.eventlog.writers import Sink, encode, output_format
from asylum_sim.model.errors import InputError
from asylum_sim.model.loader import Definitions, load_definitions
from asylum_sim.render.output import STDOUT_NAMES, write_atomic

TABLES = ("cases", "steps", "deviations")


@dataclass
class BatchOptions:
    log: Path
    machines: Path
    columns: str | None = None
    """``--map`` as given."""
    activities: Path | None = None
    date_format: str | None = None
    encoding: str | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    """Table name (cases, steps, deviations) -> path (``-`` for stdout)."""
    summary: Path | None = None
    workers: int = 1


@dataclass
class BatchResult:
    summary: Summary
    data: dict[str, Any]
    """The summary as JSON."""
    workers: int
    defs: Definitions
    """The definitions the cases were replayed with (for the summary table)."""


@dataclass
class _Plan:
    """What every process needs to replay the cases (sent once to each worker)."""

    machines: Path
    mapping: dict[str, str]
    activities: Activities
    date_format: str | None
    unit: str
    header: list[str] | None
    formats: dict[str, str]


# -- in each worker (and in the parent when one process suffices) -----------------------------

_CONTEXT: CaseContext | None = None
_FORMATS: dict[str, str] = {}


def _setup(plan: _Plan, defs: Definitions | None = None) -> None:
    global _CONTEXT, _FORMATS
    defs = defs or load_definitions(plan.machines)
    attributes = {a for e in defs.events.values() for a in e.attributes}
    columns = Columns.from_map(plan.mapping, attributes)
    _CONTEXT = CaseContext.build(defs, columns, plan.activities, plan.date_format, plan.unit,
                                 plan.header)
    _FORMATS = plan.formats
    # The definitions and compiled machines live as long as the process: keep them out of
    # the garbage collector's scans (a few per cent of a batch).
    gc.freeze()


@dataclass
class ChunkResult:
    payloads: dict[str, Any]
    summary: Summary
    cases: int


def _work(chunk: list[RawCase]) -> ChunkResult:
    ctx = _CONTEXT
    assert ctx is not None, "worker not set up"
    summary = Summary()
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _FORMATS}
    for raw in chunk:
        outcome = replay_case(raw, ctx)
        summary.add(outcome)
        if "cases" in rows and outcome.case_row is not None:
            rows["cases"].append(outcome.case_row)
        if "steps" in rows:
            rows["steps"].extend(outcome.steps)
        if "deviations" in rows:
            rows["deviations"].extend(outcome.deviations)
    payloads = {name: encode(fmt, ctx.tables.table(name), rows[name])
                for name, fmt in _FORMATS.items()}
    return ChunkResult(payloads, summary, len(chunk))


# -- in the parent ---------------------------------------------------------------------------

Progress = Callable[[int, int], None]
"""Called with (bytes read, cases done) after each chunk."""


def prepare(options: BatchOptions) -> tuple[Definitions, _Plan, LogReader, dict[str, str]]:
    """Check every option and open the log; refuses before any work starts."""
    defs = load_definitions(options.machines)
    attributes = {a for e in defs.events.values() for a in e.attributes}
    mapping = parse_map(options.columns, attributes)
    if options.date_format is not None:
        try:
            check_date_format(options.date_format)
        except BadTimestamp as exc:
            raise InputError(str(exc)) from None
    formats = {name: output_format(path, name, _option(name))
               for name, path in options.outputs.items()}
    _check_paths(options)
    activities = load_activities(options.activities, defs)
    columns = Columns.from_map(mapping, attributes)
    reader = open_log(options.log, columns, options.encoding)
    plan = _Plan(options.machines, mapping, activities, options.date_format, reader.unit,
                 reader.header, formats)
    return defs, plan, reader, formats


def _option(table: str) -> str:
    return {"cases": "-o", "steps": "--steps", "deviations": "--deviations"}[table]


def _check_paths(options: BatchOptions) -> None:
    seen: dict[str, str] = {}
    named = [(_option(t), p) for t, p in options.outputs.items()]
    if options.summary is not None:
        named.append(("--summary", options.summary))
        if options.summary.suffix.lower() != ".json":
            raise InputError(f"--summary {options.summary}: the summary is JSON; name a .json "
                             "file")
    log = os.path.realpath(options.log)
    for option, path in named:
        if str(path) in STDOUT_NAMES:
            continue
        real = os.path.realpath(path)
        if real == log:
            raise InputError(f"{option} {path} is the log itself; name another file")
        if real in seen:
            raise InputError(f"{option} {path} is also given to {seen[real]}")
        seen[real] = option
        if Path(real).is_dir():
            raise InputError(f"{option} {path}: is a folder, not a file")
        if not Path(real).parent.is_dir():
            raise InputError(f"{option} {path}: the folder {Path(real).parent} does not exist")


def run(options: BatchOptions, progress: Progress | None = None,
        on_unsorted: Callable[[], None] | None = None) -> BatchResult:
    """The whole batch; raises :class:`InputError` for bad options or files (nothing
    written), ``KeyboardInterrupt`` as it comes (nothing written)."""
    started = time.perf_counter()
    defs, plan, reader, formats = prepare(options)
    cores = parallel.usable_cores()
    workers = max(1, min(options.workers, cores))
    try:
        summary, used = _run_once(options, defs, plan, reader, formats, workers, progress,
                                  sorted_log=True)
    except NotSorted as exc:
        if not reader.seekable:
            raise InputError(f"{options.log}: the rows are not sorted by case ({exc}), and a "
                             "pipe cannot be read twice to group them: sort it by case, or "
                             "save it to a file first") from None
        if on_unsorted is not None:
            on_unsorted()
        summary, used = _run_once(options, defs, plan, reader, formats, workers, progress,
                                  sorted_log=False)
    closest = {label: closest_event(label, defs) for label in summary.unknown_labels}
    data = to_json(summary, defs, closest, {"log": str(options.log)})
    data["workers"] = used
    data["seconds"] = round(time.perf_counter() - started, 3)
    if options.summary is not None:
        import json

        write_atomic(options.summary, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return BatchResult(summary, data, used, defs)


def _cases(reader: LogReader, sorted_log: bool) -> Iterator[RawCase]:
    if reader.grouped:
        return stream_cases(reader.rows(), check_order=False)
    if sorted_log:
        return stream_cases(reader.rows())
    return spilled_cases(reader.rows())


def _run_once(options: BatchOptions, defs: Definitions, plan: _Plan, reader: LogReader,
              formats: dict[str, str], workers: int, progress: Progress | None,
              sorted_log: bool) -> tuple[Summary, int]:
    summary = Summary()
    tables = Tables.of(defs)
    chunks = parallel.chunked(_cases(reader, sorted_log))
    used = 0

    def counted() -> Iterator[list[RawCase]]:
        nonlocal used
        for chunk in chunks:
            used += 1
            yield chunk

    with contextlib.ExitStack() as stack:
        sinks = {name: Sink(options.outputs[name], fmt, tables.table(name), stack)
                 for name, fmt in formats.items()}
        results = parallel.run_chunks(counted(), _work, _setup, (plan,), workers,
                                      local_setup=lambda: _setup(plan, defs))
        stack.callback(results.close)  # stops the workers first, on any exit
        done = 0
        for result in results:
            for name, payload in result.payloads.items():
                sinks[name].write(payload)
            summary.merge(result.summary)
            done += result.cases
            if progress is not None:
                progress(reader.position(), done)
    return summary, min(workers, max(used, 1))
