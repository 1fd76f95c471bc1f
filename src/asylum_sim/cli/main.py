"""``asylum-sim``: the command-line entry point.

Commands only parse options and call the library; heavy modules are imported inside the
commands so that ``asylum-sim --help`` starts fast. Every :class:`InputError` becomes one
clear message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from asylum_sim.model.errors import InputError, OutputFailed, Terminated

app = typer.Typer(
    name="asylum-sim",
    help="Model and simulate the Belgian procedure for international protection.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Lang(StrEnum):
    nl = "nl"
    fr = "fr"
    en = "en"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class DiagramFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    mermaid = "mermaid"


class DiagramLayout(StrEnum):
    slide = "slide"
    lr = "lr"
    tb = "tb"


def _version(value: bool) -> None:
    if value:
        from asylum_sim import __version__

        print(f"asylum-sim {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Model and simulate the Belgian procedure for international protection."""


MachinesOpt = Annotated[
    Path | None,
    typer.Option(
        "--machines",
        help="Folder of machine definitions (default: the shipped machines/).",
        show_default=False,
        metavar="DIR",
    ),
]


def _lang_or_default(value: Lang | None) -> Lang:
    """No ``--lang``: the language of ASYLUM_SIM_LANG, else Dutch."""
    from asylum_sim.i18n import default_lang

    return value if value is not None else Lang(default_lang())


LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        callback=_lang_or_default,
        help="Language of the output: nl, fr or en (default: $ASYLUM_SIM_LANG, else nl).",
        show_default=False,
    ),
]
"""``--lang`` of every command that prints words: declare ``lang: LangOpt = None``; the
command receives a :class:`Lang` (the default filled in)."""


def _machines(folder: Path | None) -> Path:
    from asylum_sim.model.paths import default_machines_dir

    return folder if folder is not None else default_machines_dir()


def _checked_machines(folder: Path | None) -> Path:
    """The folder of ``--machines``, refused with the messages of ``check`` when check finds
    a problem in it (a dangling target or an undefined guard would break the simulator).
    The shipped folder is not checked on every run: the tests prove it passes check, and
    the whole check costs more than a replay's start-up allows."""
    if folder is not None:
        from asylum_sim.analysis.check import require_valid

        require_valid(folder)
    return _machines(folder)


@app.command()
def check(
    folder: Annotated[
        Path | None,
        typer.Argument(help="Folder of machine definitions.", show_default=False, metavar="DIR"),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Validate machine definitions: schema, structure, labels and sources."""
    from asylum_sim.analysis.check import check_folder, print_report

    report = check_folder(_machines(folder))
    print_report(report, lang.value)
    if report.problems:
        raise typer.Exit(1)


@app.command()
def catalogue(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (atomically).", metavar="FILE"),
    ] = None,
    machines: MachinesOpt = None,
) -> None:
    """Print the catalogue of the machines as Markdown (docs/catalogue.md)."""
    from asylum_sim.model.loader import load_definitions
    from asylum_sim.render.catalogue_doc import catalogue_markdown
    from asylum_sim.render.output import emit

    emit(catalogue_markdown(load_definitions(_checked_machines(machines))), output)


class PathsFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def paths(
    machine: Annotated[
        str, typer.Argument(help="procedure, reception or residence.", metavar="MACHINE")
    ],
    from_state: Annotated[
        str | None, typer.Option("--from", help="Start state (default: initial).", metavar="STATE")
    ] = None,
    to_state: Annotated[
        str | None,
        typer.Option("--to", help="End state (default: every final state).", metavar="STATE"),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Show at most N routes (0: all).", metavar="N")
    ] = 20,
    fmt: Annotated[PathsFormat, typer.Option("--format", help="Output format.")] = (
        PathsFormat.table
    ),
    lang: LangOpt = None,
    machines: MachinesOpt = None,
) -> None:
    """List the routes a case can take through a machine; routes whose conditions cannot
    all hold are left out and counted."""
    from asylum_sim.render.routes import print_paths

    print_paths(_checked_machines(machines), machine, from_state, to_state, lang.value,
                fmt.value, limit or None)


@app.command()
def replay(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", metavar="SCENARIO")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = (
        ReportFormat.table
    ),
    lang: LangOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (atomically); pdf needs "
                     "a headless Chromium.", metavar="FILE"),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Say in one line why each deadline falls when it "
                           "does and each entitlement holds (always in html and pdf).")
    ] = False,
    lenient: Annotated[
        bool,
        typer.Option("--lenient", help="Record impossible events as conformance problems."),
    ] = False,
    machines: MachinesOpt = None,
) -> None:
    """Replay a case: every step with states, documents, deadlines and entitlements."""
    from asylum_sim.cli.reports import run_replay

    run_replay(
        scenario, fmt.value, lang.value, output, explain, lenient, _checked_machines(machines)
    )


@app.command()
def status(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", metavar="SCENARIO")],
    on: Annotated[
        str, typer.Option("--on", help="Date YYYY-MM-DD (end of that day).", metavar="DATE")
    ],
    fmt: Annotated[StatusFormat, typer.Option("--format", help="Output format.")] = (
        StatusFormat.table
    ),
    lang: LangOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each holds.")] = False,
    lenient: Annotated[
        bool,
        typer.Option("--lenient", help="Record impossible events as conformance problems."),
    ] = False,
    machines: MachinesOpt = None,
) -> None:
    """The situation of a case at the end of one day."""
    from asylum_sim.cli.reports import run_status

    run_status(
        scenario, on, fmt.value, lang.value, explain, lenient, _checked_machines(machines)
    )


@app.command()
def schema(machines: MachinesOpt = None) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    from asylum_sim.cli.reports import print_schema

    print_schema(_checked_machines(machines))


@app.command()
def diagram(
    machine: Annotated[
        str, typer.Argument(help="procedure, reception, residence or all.", metavar="MACHINE")
    ],
    fmt: Annotated[DiagramFormat, typer.Option("--format", help="Output format.")] = (
        DiagramFormat.svg
    ),
    lang: LangOpt = None,
    highlight: Annotated[
        Path | None,
        typer.Option("--highlight", help="Draw this scenario's path.", metavar="SCENARIO"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="File, or folder for 'all' (default: stdout/.).", metavar="FILE"
        ),
    ] = None,
    documents: Annotated[
        bool, typer.Option("--documents/--no-documents", help="Show documents issued.")
    ] = True,
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="full (whole machine), overview (phases and the flow between them), a phase "
            "id (its states in full, neighbours as stubs), or all (every view, into a folder).",
            metavar="VIEW",
        ),
    ] = "full",
    layout: Annotated[
        DiagramLayout,
        typer.Option(
            "--layout",
            help="slide: the direction that gives the largest text on a 16:9 slide; "
            "lr: left to right; tb: top to bottom.",
        ),
    ] = DiagramLayout.slide,
    verbose: Annotated[bool, typer.Option("--verbose", help="Say which renderer ran.")] = False,
    machines: MachinesOpt = None,
) -> None:
    """Draw a machine (or all) as SVG, PNG, PDF, DOT or Mermaid, in Dutch, French or English."""
    from asylum_sim.render.diagram.command import run_diagram

    run_diagram(
        machine, fmt.value, lang.value, highlight, output, documents, verbose,
        _checked_machines(machines), view=view, layout=layout.value,
    )


class WhatifFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def whatif(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", metavar="SCENARIO")],
    shift: Annotated[
        list[str] | None,
        typer.Option(
            "--shift",
            help="EVENT[#N]=+30d|-2m|+5wd|+1y: move an event (without #N: its first "
            "occurrence; repeatable).",
            metavar="EVENT=OFFSET",
        ),
    ] = None,
    drop: Annotated[
        list[str] | None,
        typer.Option(
            "--drop",
            help="EVENT[#N]: leave an event out (without #N: the first).",
            metavar="EVENT",
        ),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="DATE:EVENT[:key=value,...]: add an event (repeatable).",
            metavar="DATE:EVENT",
        ),
    ] = None,
    sweep: Annotated[
        str | None,
        typer.Option(
            "--sweep",
            help="EVENT[#N]=-60d..+60d/15d: replay each shift in a range.",
            metavar="EVENT=RANGE",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Compare on this date (default: the last date).", metavar="DATE"),
    ] = None,
    fmt: Annotated[WhatifFormat, typer.Option("--format", help="Output format.")] = (
        WhatifFormat.table
    ),
    lang: LangOpt = None,
    machines: MachinesOpt = None,
) -> None:
    """Compare a case with a variant: what changes when events move, vanish or appear."""
    from asylum_sim.whatif.command import run_whatif

    run_whatif(
        scenario,
        shift or [],
        drop or [],
        add or [],
        sweep,
        on,
        fmt.value,
        lang.value,
        _checked_machines(machines),
    )


@app.command(name="test")
def test_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario files or folders (default: scenarios/).",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    lang: LangOpt = None,
    defects: Annotated[
        bool, typer.Option("--defects", help="Also list the known defects (marked defect:).")
    ] = False,
    machines: MachinesOpt = None,
) -> None:
    """Check the expected outcomes (expect:) of scenario files; exit 1 when one fails."""
    from asylum_sim.expect.command import run_test

    code = run_test(paths or [], lang.value, _checked_machines(machines),
                    show_defects=defects)
    raise typer.Exit(code)


@app.command()
def batch(
    log: Annotated[
        Path,
        typer.Argument(help="Event log: .csv/.tsv, .jsonl, .parquet or .xes (.gz too).",
                       metavar="LOG"),
    ],
    columns: Annotated[
        str | None,
        typer.Option("--map", help="Columns of the log: case=COL,event=COL,date=COL "
                     "(also ATTRIBUTE=COL, case:ATTRIBUTE=COL).", metavar="KEY=COLUMN,..."),
    ] = None,
    activities: Annotated[
        Path | None,
        typer.Option("--activities", help="CSV label,event mapping the log's activity labels "
                     "to event ids.", metavar="FILE"),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help="strftime format of the log's dates, e.g. "
                     "'%d/%m/%Y %H:%M' (default: ISO dates and datetimes).", metavar="FORMAT"),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Encoding of a text log (default: UTF-8, with or "
                     "without BOM).", metavar="NAME"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Case table: one row per case (.csv, .jsonl, "
                     ".parquet; - for stdout).", metavar="CASES"),
    ] = None,
    steps: Annotated[
        Path | None,
        typer.Option("--steps", help="Step log, readable again as a log (.csv, .jsonl, "
                     ".parquet, .xes).", metavar="STEPS"),
    ] = None,
    deviations: Annotated[
        Path | None,
        typer.Option("--deviations", help="One row per deviation.", metavar="DEVIATIONS"),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option("--summary", help="Write the summary as JSON.", metavar="FILE.json"),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, help="Processes to use (at most the cores).",
                     metavar="N"),
    ] = 1,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", callback=_lang_or_default, help="Language of the summary "
                     "table (default: $ASYLUM_SIM_LANG, else nl).", show_default=False),
    ] = None,
    machines: MachinesOpt = None,
) -> None:
    """Replay every case of an event log, with conformance: cases, steps, deviations and
    a summary. Exit 0 when every case was read, 2 when some could not be."""
    from asylum_sim.cli.batch import run_batch
    from asylum_sim.eventlog.pipeline import BatchOptions

    outputs = {name: path for name, path in
               (("cases", output), ("steps", steps), ("deviations", deviations))
               if path is not None}
    options = BatchOptions(log=log, machines=_checked_machines(machines), columns=columns,
                           activities=activities, date_format=date_format, encoding=encoding,
                           outputs=outputs, summary=summary, workers=workers)
    run_batch(options, lang.value)


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point: bad input and failed outputs become one line on stderr
    and an exit code (README "Exit codes"), never a traceback."""
    from asylum_sim.cli.streams import GuardedStdout, occupy_closed_stdout, silence_stdout

    occupy_closed_stdout()
    original = sys.stdout
    sys.stdout = GuardedStdout(original)  # type: ignore[assignment]
    code: int | str | None
    try:
        try:
            app(args=argv)
            code = 0
        except SystemExit as exc:
            code = exc.code
        # What the command printed but the buffer still holds must reach stdout now,
        # while a failure can still be reported.
        sys.stdout.flush()
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {str(problem).lstrip(': ')}", file=sys.stderr)
        code = exc.exit_code
    except OutputFailed as exc:
        if exc.target == "standard output":
            silence_stdout()
        if exc.broken_pipe:
            code = BROKEN_PIPE  # the reader has all it wanted (| head): say nothing
        else:
            print(f"error: {exc}", file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except Terminated:
        print("terminated", file=sys.stderr)
        code = 143
    finally:
        sys.stdout = original
    sys.exit(code)


BROKEN_PIPE = 141
"""Exit code when the reader of stdout went away, as a shell reports a process that
SIGPIPE ended (128 + 13)."""
