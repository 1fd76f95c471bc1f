"""Reading event logs: columns, timestamps, activity labels, encodings, broken rows."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from asylum_sim.eventlog.activities import closest_event, load_activities
from asylum_sim.eventlog.columns import Columns, parse_map
from asylum_sim.eventlog.grouping import NotSorted, natural_key, spilled_cases, stream_cases
from asylum_sim.eventlog.readers import open_log, sniff_delimiter
from asylum_sim.eventlog.timestamps import BadTimestamp, DateParser
from asylum_sim.model.errors import InputError


def rows_of(path: Path, columns: Columns | None = None, encoding: str | None = None):
    return list(open_log(path, columns or Columns(), encoding).rows())


# -- timestamps ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day"), [
    ("2023-03-06", "2023-03-06"),
    ("2023-03-06T10:00:00+01:00", "2023-03-06"),
    ("2023-03-05T23:30:00Z", "2023-03-06"),  # 00:30 in Brussels (winter time, UTC+1)
    ("2023-03-05T22:59:59Z", "2023-03-05"),  # 23:59:59 in Brussels: still the 5th
    ("2023-07-05T22:30:00+00:00", "2023-07-06"),  # summer time, UTC+2
    ("2023-07-05T21:59:00+00:00", "2023-07-05"),
    ("2023-03-06 23:59:00", "2023-03-06"),  # naive: Belgian local time
])
def test_timestamps_become_the_calendar_date_in_brussels(text, day):
    assert DateParser()(text) == dt.date.fromisoformat(day)


def test_aware_datetimes_objects_are_converted_too():
    utc = dt.datetime(2023, 3, 5, 23, 30, tzinfo=dt.UTC)
    assert DateParser()(utc) == dt.date(2023, 3, 6)
    assert DateParser()(dt.date(2023, 3, 5)) == dt.date(2023, 3, 5)


def test_day_first_dates_need_and_follow_the_date_format():
    with pytest.raises(BadTimestamp, match="--date-format"):
        DateParser()("09/01/2023")
    parse = DateParser("%d/%m/%Y %H:%M")
    assert parse("09/01/2023 14:30") == dt.date(2023, 1, 9)
    with pytest.raises(BadTimestamp, match="does not match --date-format"):
        parse("2023-01-09")


@pytest.mark.parametrize("text", ["1899-12-31", "2201-01-01", "9999-12-31", "", "soon"])
def test_dates_out_of_range_or_not_dates_are_refused(text):
    with pytest.raises(BadTimestamp):
        DateParser()(text)


def test_range_limits_are_accepted_on_both_sides():
    assert DateParser()("1900-01-01") == dt.date(1900, 1, 1)
    assert DateParser()("2200-12-31") == dt.date(2200, 12, 31)


# -- columns ---------------------------------------------------------------------------------

def test_map_keys_are_checked(defs):
    attributes = {a for e in defs.events.values() for a in e.attributes}
    assert parse_map("case=DossierNr, event=Activiteit,date=Datum", attributes) == {
        "case": "DossierNr", "event": "Activiteit", "date": "Datum"}
    assert parse_map("kind=Soort,case:birth_date=Geboren", attributes)["kind"] == "Soort"
    with pytest.raises(InputError, match="unknown key 'dossier'"):
        parse_map("dossier=DossierNr", attributes)
    with pytest.raises(InputError, match="KEY=COLUMN"):
        parse_map("case", attributes)


def test_a_log_without_a_case_column_names_the_option(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("DossierNr,Activiteit,Datum\n1,apply,2023-01-09\n")
    with pytest.raises(InputError, match=r"no case column.*--map case=COLUMN"):
        open_log(log, Columns())


@pytest.mark.parametrize(("line", "delimiter"), [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"),
    ('"x,y";b;c', ";"), ("single", ","),
])
def test_the_delimiter_is_sniffed_from_the_header(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_bom_semicolons_and_mapped_dutch_headers(tmp_path):
    log = tmp_path / "log.csv"
    log.write_bytes("\ufeffDossierNr;Activiteit;Datum\r\n1;apply;09/01/2023\r\n".encode())
    columns = Columns.from_map({"case": "DossierNr", "event": "Activiteit", "date": "Datum"},
                               [])
    (row,) = rows_of(log, columns)
    assert row == (2, "1", ["1", "apply", "09/01/2023"], None)


# -- broken rows stay in their case ----------------------------------------------------------

def test_an_unbalanced_quote_breaks_one_row_not_the_rows_after_it(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text('case,event,date\na,apply,2023-01-09\nb,"apply,2023-01-09\n'
                   "c,apply,2023-01-10\nc,register,2023-01-11\n")
    rows = rows_of(log)
    assert [(r[0], r[1], r[3] is None) for r in rows] == [
        (2, "a", True), (3, "b", False), (4, "c", True), (5, "c", True)]
    assert "quote" in rows[1][3]


def test_a_row_with_extra_cells_is_a_problem_of_its_case(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("case,event,date\na,apply,2023-01-09,oops\n")
    (row,) = rows_of(log)
    assert row[1] == "a" and "4 cells where the header has 3" in row[3]


def test_bytes_not_in_utf8_make_their_row_unreadable_with_the_option_named(tmp_path):
    log = tmp_path / "log.csv"
    log.write_bytes("case,event,date\na,apply,2023-01-09\nb,apply,2023-01-09 caf\u00e9\n"
                    .encode("cp1252"))
    rows = rows_of(log)
    assert rows[0][3] is None
    assert rows[1][1] == "b" and "0xe9" in rows[1][3] and "--encoding" in rows[1][3]
    good = rows_of(log, encoding="cp1252")
    assert good[1][3] is None and good[1][2][2].endswith("caf\u00e9")


def test_a_header_not_in_utf8_refuses_the_file_naming_the_option(tmp_path):
    log = tmp_path / "log.csv"
    log.write_bytes("case,event,date,r\u00e9gion\n".encode("cp1252"))
    with pytest.raises(InputError, match="--encoding"):
        open_log(log, Columns())


def test_json_case_ids_null_numbers_and_text(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text('{"case": null, "event": "apply", "date": "2023-01-09"}\n'
                   '{"case": 1, "event": "apply", "date": "2023-01-09"}\n'
                   '{"case": "1", "event": "register", "date": "2023-01-10"}\n'
                   '{"case": [1], "event": "apply", "date": "2023-01-09"}\n'
                   '{"case": "x", "event": \n')
    rows = rows_of(log)
    assert rows[0][1] is None and rows[0][3] == "no case id"  # never a case named "None"
    assert rows[1][1] == rows[2][1] == "1"  # grouped; replay refuses the mix (see test_batch)
    assert rows[3][1] is None and "neither text nor a whole number" in rows[3][3]
    assert rows[4][1] == "x" and rows[4][3].startswith("not JSON")


def test_xes_traces_become_rows_with_case_attributes(tmp_path):
    xes = tmp_path / "log.xes.gz"
    xes.write_bytes(gzip.compress(b"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
  <trace><string key="concept:name" value="t1"/><string key="region" value="flanders"/>
    <event><string key="concept:name" value="apply"/>
      <date key="time:timestamp" value="2023-01-09T10:00:00.000+01:00"/></event>
    <event><string key="concept:name" value="register"/>
      <date key="time:timestamp" value="2023-01-10T10:00:00.000+01:00"/>
      <int key="months" value="3"/></event>
  </trace>
</log>"""))
    rows = rows_of(xes)
    assert [r[1] for r in rows] == ["t1", "t1"]
    assert rows[0][2]["case:region"] == "flanders"
    assert rows[0][2]["time:timestamp"] == dt.datetime.fromisoformat("2023-01-09T10:00:00+01:00")
    assert rows[1][2]["months"] == 3


# -- grouping --------------------------------------------------------------------------------

def _raw(*cases: str):
    return [(i, c, [c], None) for i, c in enumerate(cases, 2)]


def test_natural_order_puts_2_before_10():
    assert natural_key("BE-2") < natural_key("BE-10") < natural_key("BE-10a")


def test_a_sorted_log_streams_and_an_unsorted_one_is_refused_by_the_streamer():
    cases = list(stream_cases(iter(_raw("2", "2", "10", "10"))))
    assert [(c.case, len(c.rows)) for c in cases] == [("2", 2), ("10", 2)]
    with pytest.raises(NotSorted):
        list(stream_cases(iter(_raw("a", "b", "a"))))


def test_spilling_groups_cases_in_order_of_first_appearance(tmp_path):
    cases = list(spilled_cases(iter(_raw("b", "a", "b", "c", "a")), folder=tmp_path))
    assert [(c.case, [r[0] for r in c.rows]) for c in cases] == [
        ("b", [2, 4]), ("a", [3, 6]), ("c", [5])]
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone


# -- activities ------------------------------------------------------------------------------

def test_activities_map_labels_with_attributes_and_ignored_labels(tmp_path, defs):
    mapping = tmp_path / "act.csv"
    mapping.write_text("label;event;kind\nToewijzing collectief;assign_reception;collective\n"
                       "Brief verstuurd;;\nBeroep;appeal;\n", encoding="utf-8-sig")
    activities = load_activities(mapping, defs)
    assigned = activities.resolve("toewijzing COLLECTIEF ")
    assert assigned is not None and assigned.event == "assign_reception"
    assert assigned.attributes == {"kind": "collective"}
    assert activities.resolve("Brief verstuurd").event == ""
    assert activities.resolve("apply").event == "apply"  # ids are understood as they are
    assert activities.resolve("Dossier gearchiveerd") is None


def test_a_bad_activities_file_names_the_line(tmp_path, defs):
    mapping = tmp_path / "act.csv"
    mapping.write_text("label,event\nBeroep,apeal\n")
    with pytest.raises(InputError, match=r"line 2.*unknown event 'apeal'.*'appeal'"):
        load_activities(mapping, defs)


def test_the_closest_event_of_an_unknown_label(defs):
    assert closest_event("beroep ingesteld", defs) == "appeal"
    assert closest_event("lodge application", defs) == "lodge"
