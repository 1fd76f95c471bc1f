"""One language per output: every command's words in Dutch, French and English hold no
word of another language and no raw id in running text.

Running text is what a reader reads: tables, Markdown, the HTML page, and the ``label``,
``why`` and ``message`` fields of JSON. Not running text: ISO dates, citations of sources
(titles of documents keep their own language), rule ids, case ids, and what the author of
a scenario wrote (its title and notes).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from asylum_sim.cli.main import app
from asylum_sim.engine.simulator import Simulator
from asylum_sim.i18n import LANGUAGES
from asylum_sim.model.loader import Definitions
from asylum_sim.model.scenario_file import load_scenario
from asylum_sim.render import json_report
from asylum_sim.render.bibliography import split_citation
from asylum_sim.render.html import replay_html
from asylum_sim.render.labels import Labeller
from asylum_sim.render.markdown import replay_markdown, situation_markdown
from asylum_sim.render.report_model import case_report, citations, status_report
from asylum_sim.render.table import replay_table, situation_table
from asylum_sim.render.terminal import Terminal
from conftest import MACHINES, SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
WIDE = Terminal(width=4000)
"""No wrapping, so that a citation or an id is never cut in two by a column."""

STOP_WORDS = {
    "nl": {"de", "het", "een", "na", "tot", "en", "van", "op", "door", "met", "zonder", "niet",
           "voor", "sinds", "uiterlijk", "gehaald", "gemist", "verstreken", "loopt",
           "vervallen", "regel", "bron", "waarschuwing", "dagen", "maanden", "jaar", "bij",
           "geen", "of", "is", "in", "naar", "om"},
    "fr": {"le", "la", "les", "un", "une", "après", "jusqu'au", "et", "du", "des", "de", "au",
           "aux", "par", "avec", "sans", "pas", "depuis", "délai", "délais", "règle", "source",
           "avertissement", "jours", "mois", "an", "ans", "en", "dans", "sur", "pour", "est", "ou"},
    "en": {"the", "an", "after", "until", "and", "of", "on", "by", "from", "with",
           "without", "not", "before", "since", "due", "met", "missed", "expired", "cancelled",
           "rule", "source", "warning", "days", "months", "years", "is", "in", "to", "or",
           "for", "at", "reception", "residence"},
}
"""A few words that only occur in one language's running text (a word that is also a word
of the language checked is allowed: "de" is Dutch and French, "met" Dutch and English)."""

_WORD = re.compile(r"[\w'’]+", re.UNICODE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOKEN = re.compile(r"[\w-]+", re.UNICODE)
_SPACES = re.compile(r"[ \t]{2,}")


def foreign_words(lang: str) -> set[str]:
    others = set().union(*(words for other, words in STOP_WORDS.items() if other != lang))
    return others - STOP_WORDS[lang]


def raw_ids(defs: Definitions) -> set[str]:
    """Every id of the data with an underscore (``transfer_to_cgvs``, ``bijlage_26``)."""
    ids: set[str] = set()
    for machine in defs.machines.values():
        ids |= {s.id for s in machine.states} | {t.event for t in machine.transitions}
        ids |= set(machine.guards)
    for group in (defs.events, defs.documents, defs.deadlines, defs.entitlements,
                  defs.warnings, defs.actors):
        ids |= set(group)
    return {i for i in ids if "_" in i}


def exempt_texts(defs: Definitions) -> list[str]:
    """Citations, the bibliography, rule ids and authored scenario text, longest first
    (removed from an output before its words are checked)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                item = getattr(value, name)
                if name == "source" and isinstance(item, str):
                    for citation in citations(item):
                        document, places = split_citation(citation, defs.sources)
                        found.update((citation, document, *places))
                elif name == "rule" and isinstance(item, str):
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for group in (defs.machines, defs.events, defs.documents, defs.deadlines,
                  defs.entitlements, defs.warnings):
        walk(group)
    for source in defs.sources.values():  # the bibliography: titles in their own language
        found.update(t for t in (source.id, source.title, source.publisher, source.url) if t)
    for path in SCENARIO_FILES:
        scenario = load_scenario(path, defs)
        found.add(scenario.id or path.stem)
        found.add(scenario.title or "")
        found.update(e.note for e in scenario.events if e.note)
    found = {_SPACES.sub(" ", t) for t in found if t}  # spaced as problems_in spaces a text
    return sorted(found, key=len, reverse=True)


@pytest.fixture(scope="module")
def exempt(defs: Definitions) -> list[str]:
    return exempt_texts(defs)


def problems_in(text: str, lang: str, defs: Definitions, exempt: list[str]) -> list[str]:
    """The foreign words and raw ids in ``text`` (empty when it speaks ``lang`` only)."""
    text = _SPACES.sub(" ", text)  # a wide table pads its cells: far less to search
    for item in exempt:
        if item in text:
            text = text.replace(item, " ")
    text = _DATE.sub(" ", text)
    text = re.sub(r"[\w'’]+…", " ", text)  # a label shortened to fit: "demande in…"
    words = {w.lower().strip("'’") for w in _WORD.findall(text)}
    found = sorted(words & foreign_words(lang))
    # a raw id is a whole token: not part of a longer id or of a hyphenated word
    found += sorted(raw_ids(defs) & set(_TOKEN.findall(text)))
    return found


def html_text(page: str) -> str:
    """The words of an HTML page: no style, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def json_words(data: Any) -> Iterator[str]:
    """The running text of a JSON report: its label, why and message fields."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("label", "why", "message") and isinstance(value, str):
                yield value
            else:
                yield from json_words(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_words(value)


@pytest.fixture(scope="module")
def replays(sim: Simulator, defs: Definitions) -> dict[str, Any]:
    out = {}
    for path in SCENARIO_FILES:
        scenario = load_scenario(path, defs)
        # lenient: a few scenarios record a known defect as an event not possible
        out[path.stem] = (scenario, sim.replay(scenario, lenient=True, name=str(path)))
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_replay_and_status_speak_one_language(lang, replays, sim, defs, exempt) -> None:
    """Replay (table, Markdown, HTML, JSON) and status (table, Markdown, JSON), with
    reasons, over every shipped scenario: no foreign word, no raw id."""
    failures = {}
    for name, (scenario, replay) in replays.items():
        lab = Labeller(defs, lang)
        report = case_report(replay, lab, title=scenario.title, explain=True)
        middle = replay.steps[len(replay.steps) // 2].date
        _, snap = sim.status(scenario, middle, lenient=True)
        status = status_report(replay, snap, lab, explain=True)
        outputs = {
            "replay table": replay_table(report, lab, terminal=WIDE),
            "replay markdown": replay_markdown(report, lab),
            "replay html": html_text(replay_html(report, lab, version="0")),
            "replay json": "\n".join(json_words(json_report.replay_dict(replay, lab))),
            "status table": situation_table(status, lab, terminal=WIDE),
            "status markdown": situation_markdown(status, lab, level=1),
            "status json": "\n".join(json_words(json_report.status_dict(replay, snap, lab))),
        }
        for what, text in outputs.items():
            found = problems_in(text, lang, defs, exempt)
            if found:
                failures[f"{name} {what}"] = found
        assert not lab.missing, (name, sorted(lab.missing))
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, [*args], env={"COLUMNS": "4000"})
    assert result.exit_code in (0, 4), (args, result.output, result.exception)
    return result.stdout


REFUSAL = str(SCENARIOS / "refusal-no-appeal-2025.yaml")
REFUGEE = str(SCENARIOS / "refugee-sy-2023.yaml")
COMMANDS = {
    "whatif shift": ["whatif", REFUSAL, "--shift", "refuse=+30d"],
    "whatif drop and add": ["whatif", REFUSAL, "--drop", "refuse",
                            "--add", "2025-12-01:grant_subsidiary_protection"],
    "whatif impossible": ["whatif", REFUSAL, "--drop", "lodge"],
    "whatif sweep": ["whatif", REFUGEE, "--sweep", "transfer_to_cgvs=-10d..+10d/10d"],
    "whatif json": ["whatif", REFUSAL, "--shift", "refuse=+30d", "--format", "json"],
    "paths": ["paths", "procedure"],
    "paths reception": ["paths", "reception"],
    "check": ["check", str(MACHINES)],
    "status": ["status", REFUGEE, "--on", "2023-10-01", "--explain"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_commands_speak_one_language(command, lang, defs, exempt) -> None:
    """whatif (shift, drop, add, impossible, sweep, JSON), paths, check and status through
    the command line: no foreign word, no raw id."""
    text = _cli(*COMMANDS[command], "--lang", lang)
    if command.endswith("json"):
        text = "\n".join(json_words(json.loads(text)))
    elif command == "check":
        text = text.replace(str(MACHINES), " ")
    assert problems_in(text, lang, defs, exempt) == []


def test_the_checker_catches_english_and_ids(defs, exempt) -> None:
    """The check above can fail: an English word or a raw id in Dutch is found."""
    assert problems_in("3 werkdagen na apply op 2026-06-08", "nl", defs, exempt) == []
    assert problems_in("renew_card_a on 2026-08-10", "nl", defs, exempt) == ["on",
                                                                             "renew_card_a"]
    assert problems_in("le délai est dépassé", "nl", defs, exempt) == ["dépassé"] or \
        problems_in("le délai", "nl", defs, exempt) == ["délai", "le"]


def test_default_language_comes_from_the_environment(monkeypatch) -> None:
    """Without --lang, ASYLUM_SIM_LANG chooses the language; Dutch when it is unset."""
    monkeypatch.setenv("ASYLUM_SIM_LANG", "fr")
    assert "Situation au 2023-10-01" in _cli("status", REFUGEE, "--on", "2023-10-01")
    monkeypatch.delenv("ASYLUM_SIM_LANG")
    assert "Toestand op 2023-10-01" in _cli("status", REFUGEE, "--on", "2023-10-01")


def test_every_label_and_reason_of_the_data_has_french(defs) -> None:
    """French is complete for the labels shown and for every entitlement's `why` (one
    without French would show no reason in French output rather than another language's)."""
    no_french = [rule.rule for e in defs.entitlements.values() for rule in e.rules
                 if rule.why is not None and not rule.why.fr]
    assert no_french == []
    lab = Labeller(defs, "fr")
    for machine in defs.machines.values():
        lab.machine(machine.id)
        for state in machine.states:
            lab.state(machine.id, state.id)
    for group, label in ((defs.events, lab.event), (defs.documents, lab.document),
                         (defs.deadlines, lab.deadline), (defs.entitlements, lab.entitlement),
                         (defs.warnings, lab.warning), (defs.actors, lab.actor)):
        for ident in group:
            label(ident)
    assert lab.missing == set()


def test_missing_french_label_falls_back_to_english_and_is_reported(tmp_path: Path) -> None:
    """A label without French shows the English one and says so on stderr (never Dutch)."""
    folder = tmp_path / "machines"
    folder.mkdir()
    for path in MACHINES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "documents.yaml":
            text = text.replace("      fr: preuve d'enregistrement\n", "", 1)
        (folder / path.name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["status", REFUGEE, "--on", "2023-01-20", "--lang", "fr",
                                      "--machines", str(folder)])
    assert result.exit_code == 0, result.output
    assert "document:bewijs_van_aanmelding" in result.stderr
