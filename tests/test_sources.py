"""The bibliography (machines/sources.yaml) and the citations of every ``source``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asylum_sim.analysis.check import check_folder
from asylum_sim.model.loader import Definitions
from asylum_sim.model.sources import citations, cited_id, did_you_mean, sources_cited
from conftest import ROOT

VALID = ROOT / "tests" / "fixtures" / "check" / "valid"
IDS = ["brochure", "opvang", "Vw.", "KB 2/9/2018", "KB 25/4/2007", "cgrs.be"]


def test_a_source_text_is_citations_joined_by_semicolons() -> None:
    assert citations('brochure §2.5; Vw. art. 39/57 §1 al. 1; cgrs.be "The Council"') == [
        "brochure §2.5", "Vw. art. 39/57 §1 al. 1", 'cgrs.be "The Council"']


@pytest.mark.parametrize(("citation", "source"), [
    ("brochure §2.4, §2.5", "brochure"),
    ('opvang "Code 207 no show"', "opvang"),
    ("Vw. art. 39/57 §1 al. 2, 3°", "Vw."),
    ("KB 2/9/2018 art. 18, 3°", "KB 2/9/2018"),
    ("brochure", "brochure"),
    ("brochures §2", None),
    ("law: Vw. art. 39/57", None),
    ("notes.md \"Reception\"", None),
])
def test_a_citation_starts_with_the_id_of_a_source(citation: str, source: str | None) -> None:
    assert cited_id(citation, IDS) == source


def test_an_unknown_citation_gets_a_suggestion() -> None:
    assert did_you_mean("law: Vw. art. 39/57", IDS) == "; did you mean 'Vw.'?"
    assert did_you_mean("brochre §2.1", IDS) == "; did you mean 'brochure'?"
    assert did_you_mean("KB 25/4/2017", IDS) == "; did you mean 'KB 25/4/2007'?"
    assert did_you_mean("xyz", IDS) == ""


def test_every_source_of_the_shipped_data_is_in_the_bibliography(defs: Definitions) -> None:
    """Done when: `check` finds no unknown citation in machines/ (see test_check too)."""
    report = check_folder(ROOT / "machines")
    assert not [p for p in report.problems if "bibliography" in p.message]
    assert len(defs.sources) >= 15


def test_every_bibliography_entry_says_where_to_find_it(defs: Definitions) -> None:
    """A lawyer can look each one up: a URL, or for a Belgian act its date (Justel)."""
    for source in defs.sources.values():
        assert source.url or (source.date and source.kind in ("law", "royal decree",
                                                              "case law")), source.id
        assert source.title and source.publisher, source.id


def test_nothing_cites_the_notes_outside_the_repository() -> None:
    for path in (ROOT / "machines").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "legal-references" not in text and "law: " not in text, path.name


def copy_valid(tmp_path: Path) -> Path:
    folder = tmp_path / "machines"
    shutil.copytree(VALID, folder)
    return folder


def test_check_refuses_a_citation_of_an_unknown_document(tmp_path: Path) -> None:
    folder = copy_valid(tmp_path)
    path = folder / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'source: "Vw. art. 39/57"', 'source: "brochure §2.5; law: Vw. art. 39/57"'),
        encoding="utf-8")
    (problem,) = check_folder(folder).problems
    assert problem.file == "events.yaml"
    assert problem.message == ("source 'law: Vw. art. 39/57' cites no document of the "
                               "bibliography (a file of kind 'sources'); did you mean 'Vw.'?")


def test_check_asks_for_a_bibliography(tmp_path: Path) -> None:
    folder = copy_valid(tmp_path)
    (folder / "sources.yaml").unlink()
    (problem,) = check_folder(folder).problems
    assert (problem.file, problem.message.split(":")[0]) == ("sources.yaml", "no bibliography")


def test_a_bibliography_entry_is_validated(tmp_path: Path) -> None:
    folder = copy_valid(tmp_path)
    path = folder / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "url: https://www.vreemdelingenrecht", "url: www.vreemdelingenrecht"), encoding="utf-8")
    problems = check_folder(folder).problems
    assert any(p.file == "sources.yaml" and p.where == "sources[0].url" for p in problems)


def test_the_sources_cited_come_in_bibliography_order(defs: Definitions) -> None:
    used = sources_cited(["Vw. art. 39/57; brochure §2.5", 'opvang "Code 207"', None],
                         defs.sources)
    assert [s.id for s in used] == ["brochure", "opvang", "Vw."]
