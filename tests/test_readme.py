"""The README stays true: its tour commands run, its diagram is the generated one."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def tour_commands() -> list[str]:
    block = README.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines()
            if line.startswith("asylum-sim")]


def test_the_two_setup_commands_are_near_the_top_and_ci_runs_the_test_one():
    """The install contract: two set-up commands near the top; .ci/run runs the test one."""
    top = README.split("## A short tour", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", top)
    assert len(commands) == 2
    assert "asylum-sim replay scenarios/" in commands[0]
    assert commands[1].endswith("pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_every_tour_command_runs(tmp_path):
    """Each `asylum-sim ...` line of the tour exits 0 (run from a scratch folder)."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    commands = tour_commands()
    assert len(commands) >= 8
    for command in commands:
        args = shlex.split(command.split(">", 1)[0])[1:]
        result = subprocess.run([sys.executable, "-m", "asylum_sim", *args], cwd=tmp_path,
                                capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stderr}"


def test_the_embedded_mermaid_diagram_is_the_committed_one():
    embedded = README.split("<!-- procedure.en.mmd -->", 1)[1].split("<!-- /", 1)[0]
    body = embedded.split("```mermaid\n", 1)[1].rsplit("```", 1)[0]
    assert body == (ROOT / "diagrams" / "procedure.en.mmd").read_text(encoding="utf-8")
