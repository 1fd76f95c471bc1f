"""Read event logs row by row: CSV/TSV, JSON Lines, Parquet and XES.

Every reader streams (memory does not grow with the log) and yields :data:`RawRow` tuples
``(position, case, row, problem)``: ``row`` is a list of cells aligned with ``header``
(CSV) or a dict (the others); ``problem`` says why the row cannot be read (a byte that is
not in the encoding, a broken quote, a JSON error, no case id), so that the row's case, not
the whole log, is reported unreadable. What is wrong with the file as a whole (no such
file, no header, a missing column) raises :class:`InputError`.

CSV is read through :class:`_Lines`, which keeps the physical lines of the current record:
a record broken by an unbalanced quote swallows the lines after it, and is read again from
its second line so that the rows behind it are not lost.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from asylum_sim.eventlog.columns import Columns
from asylum_sim.model.errors import InputError, Problem

RawRow = tuple[int, str | None, "list[str] | dict[str, Any]", str | None]
DELIMITERS = (",", ";", "\t", "|")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
JSON_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = (*CSV_SUFFIXES, *JSON_SUFFIXES, ".parquet", ".xes")
MAX_RECORD_LINES = 1000
"""A quoted cell spanning more lines than this is taken for an unbalanced quote."""
_UNDECODED = re.compile("[\udc80-\udcff]")
"""Bytes the decoder could not read come through as these (``surrogateescape``)."""
ENCODING_HINT = "give the file's encoding with --encoding (e.g. --encoding cp1252)"


def log_format(path: Path) -> str:
    """``csv``, ``jsonl``, ``parquet`` or ``xes`` by the file's suffix (``.gz`` looked
    through); refuses others."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    suffix = suffixes[-1] if suffixes else ""
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSON_SUFFIXES:
        return "jsonl"
    if suffix in (".parquet", ".xes"):
        return suffix[1:]
    raise InputError([Problem(str(path), "", f"unknown log format {suffix or '(no suffix)'!r}; "
                              f"use one of {', '.join(SUFFIXES)} (optionally .gz)")])


def open_log(path: Path, columns: Columns, encoding: str | None = None) -> LogReader:
    """A reader for ``path`` by its suffix; refuses what cannot be a log."""
    if path.is_dir():
        raise InputError([Problem(str(path), "", "is a folder, not an event log")])
    if not path.exists():
        raise InputError([Problem(str(path), "", "no such event log")])
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {encoding!r}") from None
    kind = log_format(path)
    reader: LogReader = {"csv": CsvReader, "jsonl": JsonLinesReader, "parquet": ParquetReader,
                         "xes": XesReader}[kind](path, columns, encoding)
    reader.check()
    return reader


class LogReader:
    """One log file; :meth:`rows` may be called again to read it from the start."""

    unit = "line"
    """What a row's position counts: line (text), row (Parquet) or event (XES)."""
    grouped = False
    """Whether the file itself keeps each case's rows together (XES traces)."""
    header: list[str] | None = None

    def __init__(self, path: Path, columns: Columns, encoding: str | None) -> None:
        self.path = path
        self.columns = columns
        self.encoding = encoding
        self.seekable = path.is_file()
        """False for a pipe (``<(zcat log.gz)``, a FIFO): it can be read only once."""
        self._raw: IO[bytes] | None = None

    def check(self) -> None:
        """Read enough to refuse a file that is no log of ours (header, columns)."""
        for _ in self.rows():
            break

    def rows(self) -> Iterator[RawRow]:
        raise NotImplementedError

    def position(self) -> int:
        """Bytes read so far (for a progress bar)."""
        raw = self._raw
        try:
            return raw.tell() if raw is not None and not raw.closed else 0
        except (OSError, ValueError):
            return 0

    def where(self, position: int) -> str:
        return f"{self.unit} {position}"

    def _open_binary(self) -> IO[bytes]:
        try:
            raw = self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise InputError([Problem(str(self.path), "", f"cannot read: {exc.strerror}")]) \
                from None
        if self.path.suffix.lower() == ".gz":
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def _open_text(self) -> io.TextIOWrapper:
        """Text with undecodable bytes kept as surrogates, so each line can say what is
        wrong with it instead of the whole file failing at the first bad byte."""
        return io.TextIOWrapper(self._open_binary(), encoding=self.encoding or "utf-8-sig",
                                errors="surrogateescape", newline="")

    def _problem(self, message: str) -> InputError:
        return InputError([Problem(str(self.path), "", message)])


def undecoded(text: str, encoding: str | None) -> str | None:
    """Why ``text`` (a line) was not readable in the encoding, or None when it was."""
    if text.isascii():
        return None
    found = _UNDECODED.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    name = encoding or "UTF-8"
    hint = ENCODING_HINT if encoding is None else "check --encoding"
    return f"byte 0x{byte:02x} is not {name}; {hint}"


class _RecordTooLong(Exception):
    pass


class _Lines:
    """The physical lines of a text stream, keeping those of the current record (``taken``)
    so that a broken record can be read again from its second line (``push_back``)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.pushed: list[str] = []
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.pushed.pop() if self.pushed else next(self.stream)
        self.taken.append(line)
        if len(self.taken) > MAX_RECORD_LINES:
            raise _RecordTooLong
        return line

    def push_back(self, lines: list[str]) -> None:
        self.pushed.extend(reversed(lines))


def sniff_delimiter(line: str) -> str:
    """The delimiter among ``,`` ``;`` tab ``|`` that a header line uses most (outside
    quotes); ``,`` when it has none."""
    bare = re.sub(r'"[^"]*"', "", line)
    counts = [(bare.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] > 0 else ","


class CsvReader(LogReader):
    """CSV, TSV or ``|``-separated text with a header line."""

    _kept: tuple[IO[str], list[str], str] | None = None

    def check(self) -> None:
        text = self._open_text()
        try:
            header, delimiter = self._read_header(text)
        except BaseException:
            text.close()
            raise
        if self.seekable:
            text.close()
        else:  # a pipe is read once: the rows come from the same stream
            self._kept = (text, header, delimiter)

    def _read_header(self, text: IO[str]) -> tuple[list[str], str]:
        try:
            first = next(text, "")
        except UnicodeDecodeError as exc:  # only with --encoding of a strict codec
            raise self._problem(f"not {self.encoding}: {exc.reason}") from None
        while first and not first.strip():  # blank lines before the header
            first = next(text, "")
        if not first.strip():
            raise self._problem("is empty: no header line")
        if (why := undecoded(first, self.encoding)) is not None:
            raise InputError([Problem(str(self.path), "header", why)])
        delimiter = sniff_delimiter(first)
        try:
            header = next(csv.reader([first], delimiter=delimiter, strict=True))
        except csv.Error as exc:
            raise InputError([Problem(str(self.path), "header", f"not CSV: {exc}")]) from None
        header = [h.strip().lstrip("\ufeff") for h in header]
        self.columns.check_header(header, str(self.path))
        self.header = header
        return header, delimiter

    def rows(self) -> Iterator[RawRow]:
        if self._kept is not None:
            text, header, delimiter = self._kept
            self._kept = None
        else:
            text = self._open_text()
            header, delimiter = self._read_header(text)
        with text:
            yield from self._records(text, header, delimiter)

    def _records(self, text: IO[str], header: list[str], delimiter: str) -> Iterator[RawRow]:
        lines = _Lines(text)
        case_at = self.columns.case_index(header, str(self.path))
        width = len(header)
        encoding = self.encoding
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        line_no = 1  # the header's line
        while True:
            lines.taken = []
            try:
                record = next(reader)
                broken = None
            except StopIteration:
                return
            except UnicodeDecodeError as exc:  # a strict codec given with --encoding
                raise InputError([Problem(str(self.path), f"line {line_no + 1}",
                                          f"not {encoding}: {exc.reason}")]) from None
            except (csv.Error, _RecordTooLong) as exc:
                record, broken = None, str(exc) or "a quoted cell never ends"
                reader = csv.reader(lines, delimiter=delimiter, strict=True)
            taken = lines.taken
            start = line_no + 1
            if broken is None and len(taken) > 1 and len(record) != width:
                broken = "a quote is not closed on its line"  # it swallowed the lines after
            if broken is not None:
                # Report the first line alone and read the lines it swallowed again.
                lines.push_back(taken[1:])
                line_no = start
                case = _naive_cell(taken[0] if taken else "", delimiter, case_at)
                yield start, case, [], f"unbalanced quote or bad CSV ({broken})"
                continue
            line_no += len(taken)
            if not record:
                continue  # a blank line
            problem = None
            for physical in taken:
                problem = undecoded(physical, encoding)
                if problem is not None:
                    break
            if problem is None and len(record) != width:
                problem = f"{len(record)} cells where the header has {width}"
            case = record[case_at].strip() if case_at < len(record) else None
            if not case:
                case, problem = None, problem or "no case id"
            yield start, case, record, problem


def _naive_cell(line: str, delimiter: str, index: int) -> str | None:
    cells = line.rstrip("\r\n").split(delimiter)
    if index < len(cells):
        cell = cells[index].strip().strip('"').strip()
        return cell or None
    return None


_JSON_CASE = re.compile(r'"(?:case:concept:name|case)"\s*:\s*"?([^",}]+)')


def case_text(value: Any) -> tuple[str | None, str | None]:
    """A case id as text, or why the value cannot be one (null, a list, a fraction)."""
    if isinstance(value, str):
        text = value.strip()
        return (text, None) if text else (None, "no case id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    if value is None:
        return None, "no case id"
    return None, f"case id {value!r} is neither text nor a whole number"


class JsonLinesReader(LogReader):
    """One JSON object per line."""

    def check(self) -> None:
        if not self.seekable:
            return  # a pipe is read once, by rows()
        with self._open_text() as text:
            for line in text:
                if line.strip():
                    if (why := undecoded(line, self.encoding)) is not None:
                        raise InputError([Problem(str(self.path), "line 1", why)])
                    return
        raise self._problem("is empty: no events")

    def rows(self) -> Iterator[RawRow]:
        names = self.columns.case
        encoding = self.encoding
        with self._open_text() as text:
            for line_no, line in enumerate(text, 1):
                if not line.strip():
                    continue
                problem = undecoded(line, encoding)
                row: Any = None
                if problem is None:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as exc:
                        problem = f"not JSON: {exc.msg} (column {exc.colno})"
                    else:
                        if not isinstance(row, dict):
                            problem = "not a JSON object"
                if problem is not None:
                    found = _JSON_CASE.search(line)
                    case = found.group(1).strip() if found else None
                    yield line_no, case or None, {}, problem
                    continue
                value = next((row[n] for n in names if n in row), None)
                case, problem = case_text(value)
                yield line_no, case, row, problem


class ParquetReader(LogReader):
    """A Parquet table (needs pyarrow), read one record batch at a time."""

    unit = "row"

    def check(self) -> None:
        if not self.seekable:
            raise self._problem("Parquet must be a file (not a pipe)")
        pq = _pyarrow_parquet()
        try:
            names = pq.ParquetFile(self.path).schema_arrow.names
        except Exception as exc:  # pyarrow raises its own error types
            raise self._problem(f"not a Parquet file: {exc}") from None
        self.columns.check_header(names, str(self.path))
        self.header = names

    def rows(self) -> Iterator[RawRow]:
        pq = _pyarrow_parquet()
        names = self.columns.case
        raw = self._raw = open(self.path, "rb")  # noqa: SIM115 - closed below
        with raw:
            table = pq.ParquetFile(raw)
            position = 0
            for batch in table.iter_batches(batch_size=16384):
                yield from table_rows(batch.to_pylist(), names, position)
                position += batch.num_rows


def table_rows(rows: list[dict[str, Any]], case_names: tuple[str, ...],
               start: int = 0) -> Iterator[RawRow]:
    """Rows of an in-memory table (dicts) as :data:`RawRow`, numbered from ``start + 1``."""
    for number, row in enumerate(rows, start + 1):
        value = next((row[n] for n in case_names if n in row), None)
        case, problem = case_text(value)
        yield number, case, row, problem


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'asylum-sim[parquet]'") from None
    return pq


class XesReader(LogReader):
    """IEEE 1849 XES (``.xes`` or ``.xes.gz``), read with ``iterparse`` one trace at a time.
    Trace attributes become ``case:``-columns (``concept:name`` is the case id), event
    attributes keep their keys; typed values (``date``, ``int``, ``boolean``) are read as
    such."""

    unit = "event"
    grouped = True

    def check(self) -> None:
        if not self.seekable:
            return  # a pipe is read once, by rows()
        for _ in self._elements():
            return
        raise self._problem("holds no trace")

    def _elements(self) -> Iterator[tuple[str, Any]]:
        from xml.etree.ElementTree import ParseError, iterparse

        with self._open_binary() as binary:
            try:
                yield from iterparse(binary, events=("start", "end"))
            except ParseError as exc:
                raise self._problem(f"not XES (XML error: {exc})") from None
            except (OSError, EOFError) as exc:  # a broken .gz
                raise self._problem(f"cannot read: {exc}") from None

    def rows(self) -> Iterator[RawRow]:
        number = 0
        events: list[dict[str, Any]] = []
        depth = 0
        root = None
        for kind, elem in self._elements():
            tag = elem.tag.rpartition("}")[2]
            if kind == "start":
                depth += 1
                if depth == 1:
                    if tag != "log":
                        raise self._problem(f"not XES: the root element is <{tag}>, not <log>")
                    root = elem
                continue
            depth -= 1
            if tag == "event" and depth == 2:
                events.append(_attributes(elem))
                elem.clear()
            elif tag == "trace" and depth == 1:
                trace = _attributes(elem)
                case, problem = case_text(trace.pop("concept:name", None))
                extra = {f"case:{k}": v for k, v in trace.items()}
                for event in events:
                    number += 1
                    row = {"case:concept:name": case, **extra, **event}
                    yield number, case, row, problem
                if not events:
                    number += 1
                    yield number, case, {}, "a trace without events"
                events = []
                elem.clear()
                if root is not None:
                    root.clear()  # drop finished traces: memory stays flat


_XES_TYPES = {"string", "date", "int", "float", "boolean", "id"}


def _attributes(elem: Any) -> dict[str, Any]:
    """The typed attributes directly inside a trace or event element."""
    found: dict[str, Any] = {}
    for child in elem:
        tag = child.tag.rpartition("}")[2]
        if tag not in _XES_TYPES:
            continue
        key, value = child.get("key"), child.get("value")
        if key is None or value is None:
            continue
        found[key] = _typed(tag, value)
    return found


def _typed(kind: str, value: str) -> Any:
    import datetime as dt

    try:
        if kind == "date":
            return dt.datetime.fromisoformat(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "boolean":
            return value.strip().lower() == "true"
    except ValueError:
        return value  # read as text: the date reader says what is wrong with it
    return value
