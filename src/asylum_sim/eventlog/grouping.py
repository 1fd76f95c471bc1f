"""Rows of a log into cases, in bounded memory.

A log whose rows come case by case, in the natural order of the case ids (``2`` before
``10``), streams: a case is complete as soon as the next one starts. Checking that order
needs no memory, whereas checking that a case never comes back would need every id seen.
When a row breaks the order, :func:`stream_cases` raises :class:`NotSorted` and the caller
starts again with :func:`spilled_cases`, which first writes the rows to a temporary SQLite
file and reads them back case by case. Either way cases come out in the order they first
appear in the log, and the rows of a case keep their log order.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asylum_sim.eventlog.readers import RawRow

Row = tuple[int, Any, "str | None"]
"""(position in the log, cells, problem)."""


@dataclass(slots=True)
class RawCase:
    """The rows of one case as read (``case`` None: a row that names no case)."""

    case: str | None
    rows: list[Row]


class NotSorted(Exception):
    """The log's rows do not come case by case in natural order."""

    def __init__(self, position: int, case: str) -> None:
        super().__init__(f"case {case!r} at {position} breaks the order")
        self.position = position
        self.case = case


_DIGITS = re.compile(r"(\d+)")


def natural_key(case: str) -> tuple[Any, ...]:
    """``BE-2`` before ``BE-10``: text and numbers in turn (positions keep their type)."""
    parts = _DIGITS.split(case)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def stream_cases(rows: Iterator[RawRow], *, check_order: bool = True) -> Iterator[RawCase]:
    """Cases of a log whose rows come case by case; raises :class:`NotSorted` at the first
    row that shows otherwise (``check_order=False``: every run of rows is a case, for
    formats that group by themselves, like XES traces)."""
    current: str | None = None
    current_key: tuple[Any, ...] = ()
    buffer: list[Row] = []
    for position, case, row, problem in rows:
        if case is None:
            yield RawCase(None, [(position, row, problem)])
            continue
        if case != current:
            if check_order:
                key = natural_key(case)
                if current is not None and key <= current_key:
                    raise NotSorted(position, case)
                current_key = key
            if buffer:
                yield RawCase(current, buffer)
            current, buffer = case, []
        buffer.append((position, row, problem))
    if buffer:
        yield RawCase(current, buffer)


BATCH = 5000


def spilled_cases(rows: Iterator[RawRow], folder: Path | None = None) -> Iterator[RawCase]:
    """Cases of a log in any order: rows go to a temporary SQLite file first (memory stays
    flat), then come back case by case, cases in order of first appearance."""
    with tempfile.TemporaryDirectory(prefix="asylum-sim-", dir=folder) as tmp:
        db = sqlite3.connect(Path(tmp) / "rows.sqlite", isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA temp_store=FILE")
            db.execute("PRAGMA cache_size=-16000")  # 16 MB
            db.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, case_id TEXT, row BLOB)")
            db.execute("BEGIN")
            batch: list[tuple[int, str | None, bytes]] = []
            dumps = pickle.dumps
            for seq, (position, case, row, problem) in enumerate(rows):
                batch.append((seq, case, dumps((position, row, problem), 5)))
                if len(batch) >= BATCH:
                    db.executemany("INSERT INTO rows VALUES (?, ?, ?)", batch)
                    batch.clear()
            db.executemany("INSERT INTO rows VALUES (?, ?, ?)", batch)
            db.execute("COMMIT")
            # First appearance of each case, then its rows in log order.
            db.execute("CREATE TABLE firsts AS SELECT case_id, MIN(seq) AS first FROM rows "
                       "WHERE case_id IS NOT NULL GROUP BY case_id")
            cursor = db.execute(
                "SELECT r.case_id, r.row FROM rows r LEFT JOIN firsts f USING (case_id) "
                "ORDER BY COALESCE(f.first, r.seq), r.seq")
            loads = pickle.loads
            current: str | None = None
            buffer: list[Row] = []
            while chunk := cursor.fetchmany(BATCH):
                for case, blob in chunk:
                    if case is None:
                        if buffer:
                            yield RawCase(current, buffer)
                            current, buffer = None, []
                        yield RawCase(None, [loads(blob)])
                        continue
                    if case != current and buffer:
                        yield RawCase(current, buffer)
                        buffer = []
                    current = case
                    buffer.append(loads(blob))
            if buffer:
                yield RawCase(current, buffer)
        finally:
            db.close()
