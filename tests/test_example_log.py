"""The shipped example log: made by its seeded script, and the README's batch command on it
reads every case and prints a summary worth reading."""

from __future__ import annotations

import csv
import io
import shlex
import subprocess
import sys

from conftest import ROOT
from test_readme import tour_commands


def test_the_shipped_example_is_what_its_seeded_script_makes():
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "make_example_log.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_readme_batch_command_reads_every_case_and_finds_the_planted_deviations(tmp_path):
    (command,) = [c for c in tour_commands() if c.startswith("asylum-sim batch")]
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    result = subprocess.run([sys.executable, "-m", "asylum_sim", *shlex.split(command)[1:],
                             "--lang", "nl"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in ("300 dossiers", "Dossiers per uitkomst", "Dagen per fase", "Gemiste termijnen",
                  "Afwijkingen per soort", "Dossier gearchiveerd"):
        assert words in out, out
    cases = list(csv.DictReader(io.StringIO((tmp_path / "cases.csv").read_text())))
    assert len(cases) == 300 and not [c for c in cases if c["status"] == "unreadable"]
    kinds = [r["kind"] for r in csv.DictReader(io.StringIO(
        (tmp_path / "deviations.csv").read_text()))]
    assert sorted(set(kinds)) == ["late", "not_possible", "unknown_activity"]
