"""``batch``: replay every case of an event log (the work is in :mod:`asylum_sim.eventlog`).

This module only turns the outcome into what a person sees: a progress bar on stderr when
it is a terminal, the summary table on stdout (unless the case table goes there), one line
on stderr when cases could not be read, and the exit code (0 all read, 2 some not, 130 on
an interrupt, with nothing written).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import typer

from asylum_sim.eventlog.pipeline import BatchOptions, run


def _stdout_is(path: Path) -> bool:
    from asylum_sim.render.output import STDOUT_NAMES

    if str(path) in STDOUT_NAMES:
        return True
    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), os.stat(path))
    except (OSError, ValueError, AttributeError):
        return False


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM cleans up like Ctrl-C (temporary files removed, workers stopped)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[object]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(TextColumn("{task.fields[cases]} cases"), BarColumn(),
                   TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    with bar:
        task = bar.add_task("batch", total=total or None, cases=0)

        def update(position: int, cases: int) -> None:
            bar.update(task, completed=position, cases=f"{cases:,}")

        yield update


def _say_unsorted() -> None:
    print("the log is not sorted by case: grouping its rows first (a temporary file)",
          file=sys.stderr)


def run_batch(options: BatchOptions, lang: str) -> None:
    from asylum_sim.eventlog.parallel import usable_cores
    from asylum_sim.eventlog.summary import render_table

    cores = usable_cores()
    if options.workers > cores:
        print(f"--workers {options.workers}: this machine lets us use {cores} cores; "
              f"using {cores} workers", file=sys.stderr)
    total = options.log.stat().st_size if options.log.is_file() else 0
    try:
        with _terminate_as_interrupt(), _progress(total) as progress:
            result = run(options, progress,  # type: ignore[arg-type]
                         on_unsorted=_say_unsorted if progress is not None else None)
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        raise typer.Exit(130) from None
    if not any(_stdout_is(path) for path in options.outputs.values()):
        sys.stdout.write(render_table(result.data, result.defs, lang))
    summary = result.summary
    if summary.unreadable:
        where = ("listed in the deviations" if "deviations" in options.outputs
                 else "--deviations FILE lists why")
        parts = [f"{summary.statuses['unreadable']} of {summary.cases} cases could not be read "
                 f"({where})" if summary.statuses["unreadable"] else "",
                 f"{summary.rows_without_case} rows name no case" if summary.rows_without_case
                 else ""]
        message = "; ".join(p for p in parts if p)
        if summary.undecoded:
            message += (f"; {summary.undecoded} lines are not "
                        f"{options.encoding or 'UTF-8'}: give the log's encoding with "
                        "--encoding (e.g. --encoding cp1252)")
        print(f"error: {options.log}: {message}", file=sys.stderr)
        raise typer.Exit(2)
