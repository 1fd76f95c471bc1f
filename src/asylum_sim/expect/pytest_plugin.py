"""pytest collects the ``expect:`` blocks of scenario files, through the same code as
``asylum-sim test`` (OpenFisca's ``YamlFile``/``YamlItem`` pattern).

Registered as the ``pytest11`` entry point ``asylum_sim``: ``pytest scenarios/x.yaml`` runs
an item ``case`` that replays the whole case, then one item per expectation, named
``scenarios/x.yaml::2023-06-05`` (``#2`` for a second one on the same day). A known defect
(``defect:``) is an expected failure; once it holds, the item fails so that the marker is
removed. A file with a file-level ``defect:`` is one item, ``case``. Only YAML files with
top-level ``events:`` and ``expect:`` keys are collected, so other YAML files of a project
are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asylum_sim.expect.outcomes import SUFFIXES, CaseRunner, Outcome, Verdict, expectation_names
from asylum_sim.model.errors import InputError

_KEYS = (re.compile(r"^events\s*:", re.MULTILINE), re.compile(r"^expect\s*:", re.MULTILINE))
_SIMULATOR = pytest.StashKey[Any]()


def is_scenario_with_expectations(path: Path) -> bool:
    """A YAML file with top-level ``events:`` and ``expect:`` keys."""
    if path.suffix not in SUFFIXES:
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return all(key.search(text) for key in _KEYS)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if is_scenario_with_expectations(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _simulator(config: pytest.Config) -> Any:
    """One simulator of the shipped machines (or ``$ASYLUM_SIM_MACHINES``) per session."""
    if _SIMULATOR not in config.stash:
        from asylum_sim.engine.simulator import Simulator
        from asylum_sim.model.loader import load_definitions
        from asylum_sim.model.paths import default_machines_dir

        config.stash[_SIMULATOR] = Simulator(load_definitions(default_machines_dir()))
    return config.stash[_SIMULATOR]


class ScenarioFile(pytest.File):
    """A scenario file: one item per expectation."""

    def collect(self) -> Iterator[pytest.Item]:
        from asylum_sim.model.scenario_file import load_scenario

        sim = _simulator(self.config)
        try:
            scenario = load_scenario(self.path, sim.defs)
        except InputError as exc:
            yield UnreadableItem.from_parent(self, name="file", error=str(exc))
            return
        runner = CaseRunner(sim, scenario, self.nodeid.split("::")[0])
        if scenario.defect is not None:
            yield CaseItem.from_parent(self, name="case", runner=runner)
            return
        yield ReplayItem.from_parent(self, name="case", runner=runner)
        for exp, name in zip(scenario.expect, expectation_names(scenario), strict=True):
            yield ExpectationItem.from_parent(self, name=name, runner=runner, expectation=exp)


class ExpectationFailed(Exception):
    """An expectation that does not hold (its lines are the report)."""


class _Item(pytest.Item):
    def judge(self, outcome: Outcome) -> None:
        from asylum_sim.expect.command import outcome_line

        if outcome.verdict is Verdict.holds:
            return
        line = outcome_line(self.path.name, outcome, "en")
        if outcome.verdict is Verdict.known_defect:
            pytest.xfail(line)
        raise ExpectationFailed(line)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ExpectationFailed | InputError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}::{self.name}"


class ExpectationItem(_Item):
    def __init__(self, *, runner: CaseRunner, expectation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runner = runner
        self.expectation = expectation

    def runtest(self) -> None:
        self.judge(self.runner.outcome(self.expectation, self.name))


class CaseItem(_Item):
    """A file marked as a known defect as a whole: decided on the whole case."""

    def __init__(self, *, runner: CaseRunner, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runner = runner

    def runtest(self) -> None:
        (outcome,) = self.runner.run()
        self.judge(outcome)


class ReplayItem(_Item):
    """The whole case can be simulated, up to its last event."""

    def __init__(self, *, runner: CaseRunner, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runner = runner

    def runtest(self) -> None:
        error = self.runner.replay_error()
        if error is not None:
            self.judge(Outcome("case", Verdict.fails, error=error))


class UnreadableItem(_Item):
    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise ExpectationFailed(self.error)
