"""The documentation in docs/ stays true and the repository stands alone."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from asylum_sim import calendar
from asylum_sim.model.loader import Definitions
from asylum_sim.render.catalogue_doc import COMMAND, catalogue_markdown
from conftest import ROOT

DOCS = ROOT / "docs"


def test_the_catalogue_page_is_generated_from_the_machines(defs: Definitions) -> None:
    """docs/catalogue.md is what `asylum-sim catalogue` prints for machines/."""
    committed = (DOCS / "catalogue.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(defs), f"docs/catalogue.md is stale: run {COMMAND}"


def test_the_catalogue_lists_every_id_with_its_labels_and_sources(defs: Definitions) -> None:
    page = (DOCS / "catalogue.md").read_text(encoding="utf-8")
    for table in (defs.events, defs.documents, defs.deadlines, defs.entitlements,
                  defs.sources):
        for item_id in table:
            assert f"`{item_id}`" in page, item_id
    for machine in defs.machines.values():
        for state in machine.states:
            assert f"| `{state.id}` | {state.labels.nl} | {state.labels.fr or '—'} |" in page
    rule = defs.deadlines["appeal_deadline"].periods[-1]
    assert f"| `{rule.rule}` | 30 days |" in page and rule.source in page


def test_the_catalogue_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.md"
    result = subprocess.run([sys.executable, "-m", "asylum_sim", "catalogue", "-o", str(out)],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == (DOCS / "catalogue.md").read_text(
        encoding="utf-8")


def _tracked_text(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".py", ".yaml")
            and ".egg-info" not in str(p) and "__pycache__" not in str(p)]


def test_nothing_in_the_repository_points_outside_it() -> None:
    """Done when: `grep -r "shared/" README.md docs machines src` finds nothing; nor do
    the notes cite the reference files that stay outside the repository."""
    files = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", ROOT / ".ci" / "run"]
    for folder in ("docs", "machines", "src", "scenarios", "examples", "benchmarks", "tests"):
        files += _tracked_text(ROOT / folder)
    found: list[str] = []
    for path in files:
        if path == Path(__file__).resolve():  # the list of names below
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)} mentions {outside}" for outside in
                  ("shared/", "legal-references.md", "domain.md", "contract.md", "style.md")
                  if outside in text]
    assert found == []


def test_relative_links_of_readme_and_docs_lead_somewhere() -> None:
    for path in [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *DOCS.glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (path.parent / target).exists(), f"{path.name}: {target}"


def test_the_worked_examples_of_the_legal_rules_are_the_calendars(defs: Definitions) -> None:
    """The examples of docs/legal-rules.md are the tool's own dates, and the page cites
    documents of the bibliography."""
    text = (DOCS / "legal-rules.md").read_text(encoding="utf-8")
    for (day, posted), expected in {
        (dt.date(2025, 11, 28), False): "**Monday 29/12/2025**",
        (dt.date(2025, 12, 19), True): "**Thursday 22/1/2026**",
        (dt.date(2023, 11, 24), False): "**Tuesday 26/12/2023**",
    }.items():
        last = calendar.last_day(day, 30, "days", posted=posted, roll=True)
        assert f"**{last:%A} {last.day}/{last.month}/{last.year}**" == expected
        assert expected in text
    for source_id in ("Vw.", "Ger.W.", "KB 18/4/1974", "Opvangwet", "CJEU C-651/19"):
        assert source_id in text and source_id in defs.sources
