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

from asylum_sim.model.errors import InputError

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
    from asylum_sim.cli.reports import emit
    from asylum_sim.model.loader import load_definitions
    from asylum_sim.render.catalogue_doc import catalogue_markdown

    emit(catalogue_markdown(load_definitions(_machines(machines))), output)


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

    print_paths(_machines(machines), machine, from_state, to_state, lang.value, fmt.value,
                limit or None)


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

    run_replay(scenario, fmt.value, lang.value, output, explain, lenient, _machines(machines))


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

    run_status(scenario, on, fmt.value, lang.value, explain, lenient, _machines(machines))


@app.command()
def schema(machines: MachinesOpt = None) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    from asylum_sim.cli.reports import print_schema

    print_schema(_machines(machines))


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
        _machines(machines), view=view, layout=layout.value,
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
        _machines(machines),
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

    code = run_test(paths or [], lang.value, _machines(machines),
                    show_defects=defects)
    raise typer.Exit(code)


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def batch(
    eventlog: Annotated[
        Path, typer.Argument(help="Event log: CSV or JSON Lines, many cases.", metavar="EVENTLOG")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (atomically).", metavar="FILE"),
    ] = None,
    fmt: Annotated[BatchFormat, typer.Option("--format", help="Output format.")] = (
        BatchFormat.jsonl
    ),
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes to use.", metavar="N")
    ] = 1,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Report each case's status on this date.", metavar="DATE"),
    ] = None,
    machines: MachinesOpt = None,
) -> None:
    """Replay many cases from one event log; one result line per case."""
    from asylum_sim.cli.batch import run_batch

    run_batch(eventlog, output, fmt.value, workers, on, _machines(machines))


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {str(problem).lstrip(': ')}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
