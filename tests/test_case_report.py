"""The case report (HTML, Markdown, terminal table) a reader is handed: one report model,
what comes first, what it holds, and how it looks on a terminal."""

from __future__ import annotations

import io
import re

import pytest

from asylum_sim import __version__
from asylum_sim.render import markdown
from asylum_sim.render.bibliography import cited_places, split_citation
from asylum_sim.render.html import generation_date, replay_html
from asylum_sim.render.labels import Labeller
from asylum_sim.render.report_model import case_report, citations, status_report
from asylum_sim.render.table import replay_table, situation_table
from asylum_sim.render.terminal import PLAIN, Terminal, terminal_for
from conftest import SCENARIOS, d
from test_cli import cli

EU_PACT = SCENARIOS / "eu-pact-so-2026.yaml"
REFUGEE = SCENARIOS / "refugee-sy-2023.yaml"


@pytest.fixture(scope="module")
def eu_pact(sim, defs):
    from asylum_sim.model.scenario_file import load_scenario

    scenario = load_scenario(EU_PACT, defs)
    return scenario, sim.replay(scenario)


def _html(eu_pact, defs, lang="nl") -> str:
    scenario, replay = eu_pact
    lab = Labeller(defs, lang)
    report = case_report(replay, lab, title=scenario.title, explain=True)
    return replay_html(report, lab, version=__version__, generated=d("2026-01-01"))


def test_html_puts_title_warning_person_timeline_then_steps_in_that_order(eu_pact, defs):
    """The EU Pact warning is a styled box right under the title, before the person,
    the timeline picture and the steps; the end holds sources, version and disclaimer."""
    page = _html(eu_pact, defs)
    places = [page.index(marker) for marker in (
        "<h1>Dossierverslag eu-pact-so-2026</h1>", 'class="warning"', "EU-Migratiepact",
        "<h2>Persoon</h2>", "<svg", "<h2>Stappen</h2>", "<h3>Termijnen</h3>",
        "<h2>Bronnen</h2>", "<footer>", "geen juridisch advies")]
    places.append(page.rindex(f"met asylum-sim {__version__}."))
    assert places == sorted(places)


def test_html_is_self_contained_and_prints(eu_pact, defs):
    """No file, font or script from elsewhere; print CSS; dates never wrap; no glyph that
    fonts lack (the stopwatch)."""
    page = _html(eu_pact, defs)
    assert "src=" not in page and "<link" not in page and "@import" not in page
    assert "<script" not in page and "@media print" in page and "@page" in page
    assert ".date { white-space: nowrap;" in page
    assert '<span class="date">2026-06-11</span>' in page
    assert "⏱" not in page


def test_html_colours_gained_lost_and_missed(eu_pact, defs):
    """Changes carry their tone: gained (green), lost (red), missed (bold red)."""
    page = _html(eu_pact, defs)
    assert re.search(r'<li class="tone-gained">.*bijlage 26', page)
    assert re.search(r'<li class="tone-lost">.*bewijs van aanmelding', page)
    assert re.search(r'<li class="tone-missed">.*opvangstructuur verlaten', page)


def test_html_is_the_same_bytes_with_source_date_epoch(monkeypatch):
    """Same input, same bytes: SOURCE_DATE_EPOCH fixes the generation date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert generation_date() == d("2026-01-01")
    first = cli("replay", REFUGEE, "--format", "html")
    second = cli("replay", REFUGEE, "--format", "html")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert "2026-01-01" in first.stdout


def test_html_in_french_has_french_reasons_or_none(eu_pact, defs):
    """French: labels in French; reasons only where they exist in French (no Dutch
    reason line instead)."""
    page = _html(eu_pact, defs, "fr")
    assert "<h1>Rapport du dossier eu-pact-so-2026</h1>" in page
    assert "Pacte européen" in page
    assert "werkdagen" not in page and "working days" not in page


def test_markdown_reads_the_same_model(eu_pact, defs):
    """Markdown: warning first as a quote, steps, situation, sources by document."""
    scenario, replay = eu_pact
    lab = Labeller(defs, "nl")
    text = markdown.replay_markdown(case_report(replay, lab, title=scenario.title), lab)
    assert text.index("> **Waarschuwing**: ") < text.index("| Datum |")
    assert "- **brochure** §2.1; §2.2;" in text
    assert "Overzichtsdocument" in text
    assert not hasattr(markdown, "replay_html")


def test_sources_are_grouped_by_document_of_the_bibliography(defs):
    """Each document cited once, in bibliography order, with the places cited in it."""
    ids = defs.sources
    assert citations("brochure §2.1; Vw. art. 50 §1") == ("brochure §2.1", "Vw. art. 50 §1")
    assert split_citation("brochure §2.4, §6.3", ids) == ("brochure", ("§2.4", "§6.3"))
    assert split_citation('opvang "Code 207"', ids) == ("opvang", ('"Code 207"',))
    assert split_citation("KB 2/9/2018 art. 18, 3°", ids) == ("KB 2/9/2018", ("art. 18, 3°",))
    found = cited_places(["Vw. art. 50 §1", "brochure §2.10", "brochure §2.9"], ids)
    assert [(i, places) for i, _, places in found] == [
        ("brochure", ("§2.9", "§2.10")), ("Vw.", ("art. 50 §1",))]
    assert found[0][1] is not None and found[0][1].url


def test_html_lists_the_documents_cited_with_title_and_link(eu_pact, defs):
    """A lawyer can look every source up: title, publisher, date and address."""
    page = _html(eu_pact, defs)
    sources = page.split("<h2>Bronnen</h2>", 1)[1]
    assert "<strong>brochure</strong> §2.1; §2.2" in sources
    assert "Overzichtsdocument" in sources and 'href="https://www.vreemdelingenrecht.be/' in sources


def test_pdf_without_a_browser_says_so_and_exits_2(tmp_path, monkeypatch):
    """No Chromium: a clear message naming what to install, exit 2, no file."""
    monkeypatch.setenv("ASYLUM_SIM_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.pdf"
    result = cli("replay", REFUGEE, "--format", "pdf", "-o", out, "--lang", "en")
    assert result.returncode == 2
    assert "PDF needs a headless Chromium" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


# -- terminal ---------------------------------------------------------------------------------

def test_tables_take_the_terminal_width(eu_pact, defs):
    """A wide terminal gets wide tables; output that is not a terminal gets 80 columns."""
    _, replay = eu_pact
    lab = Labeller(defs, "nl")
    report = case_report(replay, lab)
    wide = replay_table(report, lab, terminal=Terminal(width=160))
    narrow = replay_table(report, lab, terminal=PLAIN)
    assert max(map(len, wide.splitlines())) == 160
    assert max(map(len, narrow.splitlines())) <= 80
    assert terminal_for(io.StringIO()) == PLAIN


def test_colour_only_on_a_terminal(eu_pact, defs):
    _, replay = eu_pact
    lab = Labeller(defs, "nl")
    report = case_report(replay, lab)
    assert "\x1b[" in replay_table(report, lab, terminal=Terminal(colour=True))
    assert "\x1b[" not in replay_table(report, lab, terminal=PLAIN)
    assert "\x1b[" not in cli("replay", REFUGEE).stdout


def test_explanations_stay_indented_under_their_row(sim, defs, make_case):
    """--explain: a reason that wraps keeps its indent instead of going back to column 1."""
    from asylum_sim.model.scenario_file import load_scenario

    scenario = load_scenario(EU_PACT, defs)
    replay, snap = sim.status(scenario, d("2027-03-01"))
    lab = Labeller(defs, "nl")
    text = situation_table(status_report(replay, snap, lab, explain=True), lab)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "3 werkdagen na" in line)
    assert lines[first].startswith("    3 werkdagen na verzoek om")
    assert re.match(r"    \S", lines[first + 1]), lines[first + 1]  # wrapped, still indented
