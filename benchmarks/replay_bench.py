"""Benchmark: replay throughput, single-case wall time and CLI start-up.

Run: ``python benchmarks/replay_bench.py [--cases 2000]``. Every figure is printed next to a
baseline measured in the same run:
- events/s of the full simulator (deadlines, documents, entitlements computed) against the
  same engine without entitlements and a bare ``transitions`` machine with the same states
  and transitions fed the same events;
- ``asylum-sim --help`` start-up against ``python -c pass``;
- one ``asylum-sim replay`` of a shipped scenario (wall time, whole process).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from transitions import Machine

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario_file import parse_scenario

ROOT = Path(__file__).resolve().parents[1]

# Event chains of typical cases; day offsets are drawn at random per case.
TEMPLATES: list[list[tuple[str, dict]]] = [
    [("apply", {}), ("register", {}), ("assign_reception", {"kind": "collective"}),
     ("arrive", {}), ("lodge", {}), ("transfer_to_cgvs", {}), ("cgvs_interview", {}),
     ("grant_refugee_status", {})],
    [("apply", {}), ("register", {}), ("assign_reception", {"kind": "collective"}),
     ("arrive", {}), ("lodge", {}), ("transfer_to_cgvs", {}), ("refuse", {})],
    [("apply", {}), ("register", {}), ("assign_reception", {"kind": "individual"}),
     ("arrive", {}), ("lodge", {}), ("transfer_to_cgvs", {}), ("refuse", {}), ("appeal", {}),
     ("rvv_confirm", {})],
    [("apply", {}), ("register", {}), ("assign_reception", {"kind": "collective"}),
     ("arrive", {}), ("lodge", {}), ("transfer_to_cgvs", {}),
     ("grant_subsidiary_protection", {})],
]
GAPS = {"register": (0, 3), "assign_reception": (0, 0), "arrive": (0, 1), "lodge": (5, 25),
        "transfer_to_cgvs": (10, 60), "cgvs_interview": (30, 120),
        "grant_refugee_status": (20, 200), "refuse": (60, 300),
        "grant_subsidiary_protection": (60, 300), "appeal": (1, 25), "rvv_confirm": (60, 200)}


def population(n: int, seed: int = 7) -> list[dict]:
    """``n`` scenario dicts drawn from the templates, reproducibly."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        template = TEMPLATES[i % len(TEMPLATES)]
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        events = []
        for name, attrs in template:
            low, high = GAPS.get(name, (0, 0))
            day += dt.timedelta(days=rng.randint(low, high))
            events.append({"date": day, "event": name, **attrs})
        cases.append({"id": f"case-{i}", "events": events})
    return cases


def bare_machines(defs) -> list[Machine]:
    """The same states and transitions in plain ``transitions`` machines, no guards."""
    machines = []
    for m in defs.machines.values():
        machine = Machine(model=None, states=[s.id for s in m.states], initial=m.initial,
                          auto_transitions=False, ignore_invalid_triggers=True)
        for t in m.transitions:
            machine.add_transition(t.event, t.sources, t.dest)
        machines.append(machine)
    return machines


def bench_throughput(n: int) -> None:
    defs = load_definitions(ROOT / "machines")
    data = population(n)
    scenarios = [parse_scenario(c, defs, c["id"]) for c in data]
    events = sum(len(s.events) for s in scenarios)

    sim = Simulator(defs)
    start = time.perf_counter()
    steps = 0
    for scenario in scenarios:
        steps += len(sim.replay(scenario).steps)
    full = time.perf_counter() - start

    # The same engine with an empty entitlement catalogue: what the rules cost.
    no_rules = Simulator(dataclasses.replace(defs, entitlements={}))
    start = time.perf_counter()
    for scenario in scenarios:
        no_rules.replay(scenario)
    without = time.perf_counter() - start

    machines = bare_machines(defs)
    start = time.perf_counter()
    for scenario in scenarios:
        models = []
        for machine in machines:
            model = type("Model", (), {})()
            machine.add_model(model)
            models.append((machine, model))
        for entry in scenario.events:
            for _, model in models:
                model.trigger(entry.event)
        for machine, model in models:
            machine.remove_model(model)
    bare = time.perf_counter() - start

    print(f"cases: {n}, scenario events: {events}, steps produced: {steps}")
    print(f"asylum-sim replay   : {events / full:10.0f} scenario events/s "
          f"({full * 1e3 / n:.2f} ms/case)")
    print(f"without entitlements: {events / without:10.0f} scenario events/s")
    print(f"bare transitions    : {events / bare:10.0f} events/s")
    print(f"ratio (bare / full) : {full / bare:10.1f}x slower than a bare machine")


def _time_command(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_cli(repeat: int) -> None:
    exe = str(Path(sys.executable).with_name("asylum-sim"))
    python = _time_command([sys.executable, "-c", "pass"], repeat)
    helptime = _time_command([exe, "--help"], repeat)
    scenario = str(ROOT / "scenarios" / "refugee-sy-2023.yaml")
    replay = _time_command([exe, "replay", scenario, "--format", "json"], repeat)
    print(f"python -c pass      : {python * 1e3:8.0f} ms (baseline)")
    print(f"asylum-sim --help   : {helptime * 1e3:8.0f} ms ({helptime / python:.1f}x baseline)")
    print(f"replay one scenario : {replay * 1e3:8.0f} ms ({replay / python:.1f}x baseline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_throughput(args.cases)
    bench_cli(args.repeat)


if __name__ == "__main__":
    main()
