"""The output tables as CSV, JSON Lines, Parquet or (steps only) XES.

Work is split so that the parent process stays light: :func:`encode` turns a chunk's rows
into text (or columns, for Parquet) inside the worker; a :class:`Sink` in the parent only
appends that to a temporary file in the output folder, renamed at the end
(:func:`asylum_sim.render.output.atomic_output`). ``-`` (or ``/dev/stdout``) writes CSV to
stdout.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from asylum_sim.eventlog.tables import Column
from asylum_sim.eventlog.timestamps import BRUSSELS
from asylum_sim.model.errors import InputError
from asylum_sim.render.output import STDOUT_NAMES, atomic_output

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet", ".xes": "xes"}
def output_format(path: Path, table: str, option: str) -> str:
    """The format of an output by its suffix (CSV on stdout); refuses unknown ones (and
    XES for tables other than the step log)."""
    if str(path) in STDOUT_NAMES:
        return "csv"
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{option} {path}: unknown format {path.suffix or '(no suffix)'!r}; "
                         "use .csv, .tsv, .jsonl, .parquet" + (", .xes" if table == "steps"
                                                                else ""))
    if fmt == "xes" and table != "steps":
        raise InputError(f"{option} {path}: XES holds a step log only (--steps); use .csv, "
                         ".jsonl or .parquet")
    if fmt == "parquet":
        _pyarrow()
    return fmt


# -- in the worker ---------------------------------------------------------------------------

def encode(fmt: str, columns: Sequence[Column], rows: list[tuple[Any, ...]]) -> Any:
    """A chunk's rows in the form :meth:`Sink.write` appends."""
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",",
                   lineterminator="\n").writerows(rows)
        return buffer.getvalue()
    if fmt == "jsonl":
        names = [name for name, _ in columns]
        dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
        return "".join(dumps(dict(zip(names, row, strict=True))) + "\n" for row in rows)
    if fmt == "parquet":
        return [list(values) for values in zip(*rows, strict=True)] if rows else [
            [] for _ in columns]
    if fmt == "xes":
        return _xes_traces(columns, rows)
    raise ValueError(fmt)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _attr(text: str) -> str:
    text = _XML_BAD.sub("\ufffd", text)
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


@lru_cache(maxsize=8192)
def xes_date(day: dt.date) -> str:
    """Midnight of ``day`` in Brussels, with its offset (read back as the same date)."""
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=BRUSSELS)
    return moment.isoformat(timespec="milliseconds")


def _xes_traces(columns: Sequence[Column], rows: list[tuple[Any, ...]]) -> str:
    """``<trace>`` elements, one per case (rows of a case are consecutive); person
    attributes (``case:x``) on the trace, the rest on each event."""
    names = [name for name, _ in columns]
    case_at = 0
    person = [(i, n.removeprefix("case:")) for i, n in enumerate(names)
              if n.startswith("case:") and i != case_at]
    event = [(i, n, t) for i, (n, t) in enumerate(columns)
             if not n.startswith("case:")]
    out: list[str] = []
    current = None
    for row in rows:
        if row[case_at] != current:
            if current is not None:
                out.append("  </trace>\n")
            current = row[case_at]
            out.append("  <trace>\n")
            out.append(f'    <string key="concept:name" value="{_attr(str(current))}"/>\n')
            out.extend(f'    <string key="{k}" value="{_attr(str(row[i]))}"/>\n'
                       for i, k in person if row[i] is not None)
        out.append("    <event>\n")
        for i, name, kind in event:
            value = row[i]
            if value is None:
                continue
            if kind == "date":
                out.append(f'      <date key="{name}" value="{xes_date(value)}"/>\n')
            else:
                out.append(f'      <string key="{name}" value="{_attr(str(value))}"/>\n')
        out.append("    </event>\n")
    if current is not None:
        out.append("  </trace>\n")
    return "".join(out)


XES_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="asylum-sim steps"/>
"""
XES_FOOTER = "</log>\n"


# -- in the parent ---------------------------------------------------------------------------

def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'asylum-sim[parquet]'") from None
    return pyarrow


def arrow_schema(columns: Sequence[Column]) -> Any:
    pa = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "date": pa.date32()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


class Sink:
    """One output file being written; opened on a :class:`contextlib.ExitStack` so that an
    error or an interrupt anywhere removes it, and :meth:`ExitStack.close` commits it."""

    def __init__(self, path: Path, fmt: str, columns: Sequence[Column],
                 stack: contextlib.ExitStack) -> None:
        self.path, self.fmt, self.columns = path, fmt, columns
        self._parquet: Any = None
        self.file: IO[Any] = stack.enter_context(atomic_output(path, binary=fmt == "parquet"))
        if fmt == "parquet":
            import pyarrow.parquet as pq

            self._schema = arrow_schema(columns)
            self._parquet = pq.ParquetWriter(self.file, self._schema, compression="zstd")
            stack.callback(self._parquet.close)  # runs before the file is committed
        elif fmt in ("csv", "tsv"):
            self._write(encode(fmt, columns, [tuple(name for name, _ in columns)]))
        elif fmt == "xes":
            self._write(XES_HEADER)
            stack.callback(self._write_footer)

    def _write_footer(self) -> None:
        # Also runs when the batch fails: harmless, the temporary file is then removed.
        self._write(XES_FOOTER)

    def write(self, payload: Any) -> None:
        if self._parquet is not None:
            if payload and payload[0]:
                pa = _pyarrow()
                table = pa.Table.from_arrays(
                    [pa.array(values, type=field.type) for values, field in
                     zip(payload, self._schema, strict=True)], schema=self._schema)
                self._parquet.write_table(table)
            return
        self._write(payload)

    def _write(self, text: str) -> None:
        try:
            self.file.write(text)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write: {exc.strerror}") from None
