"""Benchmark: replay throughput against baselines of the same run, cost per event as cases
grow long, and whole-process start-up.

Run: ``python benchmarks/replay_bench.py [--cases 4000] [--repeat 5]``. Not part of the
test suite. On one generated population of cases, events/s of:

- a plain dict state machine (the procedure's transitions in a dict, one lookup per event);
- a bare flat ``transitions`` machine (the procedure machine, one ``trigger`` per event):
  the baseline the ratios are taken against;
- the engine with a full snapshot after every step (every rule evaluated at every step);
- the engine as ``batch`` runs it (``detail="states"``: no per-step snapshots).

Then the cost per event of one case of 20 events against one of 20,000 (life events one a
day), and ``asylum-sim --help`` and one ``asylum-sim replay`` as whole processes against
``python -c pass``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
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
        person = {"birth_date": dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(9000)),
                  "region": rng.choice(["flanders", "brussels", "wallonia"])}
        cases.append({"id": f"case-{i}", "person": person, "events": events})
    return cases


def long_case(n: int) -> dict:
    """One case of ``n`` events: an application, then life events one a day (work starts
    and ends, reception evaluations, moves between regions)."""
    day = dt.date(2019, 1, 1)
    events = [{"date": day, "event": "apply"}, {"date": day, "event": "register"},
              {"date": day, "event": "assign_reception", "kind": "collective"},
              {"date": day, "event": "arrive"}, {"date": day, "event": "lodge"}]
    cycle = [("start_employment", {"contract": "fixed", "months": 3}),
             ("evaluate_reception", {}), ("end_employment", {}),
             ("move", {"region": "brussels"}), ("evaluate_reception", {}),
             ("move", {"region": "flanders"})]
    i = 0
    while len(events) < n:
        day += dt.timedelta(days=1)
        name, attrs = cycle[i % len(cycle)]
        events.append({"date": day, "event": name, **attrs})
        i += 1
    return {"id": f"long-{n}", "person": {"birth_date": dt.date(1990, 5, 5)}, "events": events}


def flat_transitions(defs) -> Machine:
    """The procedure machine in plain ``transitions``: no guards, one trigger per event."""
    m = defs.machines["procedure"]
    machine = Machine(model=None, states=[s.id for s in m.states], initial=m.initial,
                      auto_transitions=False, ignore_invalid_triggers=True)
    for t in m.transitions:
        machine.add_transition(t.event, t.sources, t.dest)
    return machine


def dict_machine(defs) -> dict[tuple[str, str], str]:
    """The same transitions as a dict: (state, event) -> state."""
    table = {}
    for t in defs.machines["procedure"].transitions:
        for source in t.sources:
            table.setdefault((source, t.event), t.dest)
    return table


def best_of(repeat: int, work) -> float:
    """The fastest of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_throughput(n: int, repeat: int) -> None:
    defs = load_definitions(ROOT / "machines")
    scenarios = [parse_scenario(c, defs, c["id"]) for c in population(n)]
    events = sum(len(s.events) for s in scenarios)
    initial = defs.machines["procedure"].initial

    table = dict_machine(defs)

    def run_dict() -> None:
        for scenario in scenarios:
            state = initial
            for entry in scenario.events:
                state = table.get((state, entry.event), state)

    machine = flat_transitions(defs)
    model = type("Model", (), {})()
    machine.add_model(model)

    def run_transitions() -> None:
        # One model reset per case: adding a model to `transitions` costs far more than
        # its triggers, and would flatter the ratios.
        for scenario in scenarios:
            machine.set_state(initial, model)
            for entry in scenario.events:
                model.trigger(entry.event)

    sim = Simulator(defs)
    steps = sum(len(sim.replay(s).steps) for s in scenarios)

    def run_full() -> None:
        for scenario in scenarios:
            sim.replay(scenario)

    def run_batch() -> None:
        for scenario in scenarios:
            sim.replay(scenario, lenient=True, detail="states")

    figures = {
        "dict state machine": best_of(repeat, run_dict),
        "bare transitions": best_of(repeat, run_transitions),
        "engine, full snapshots": best_of(repeat, run_full),
        "engine, batch mode": best_of(repeat, run_batch),
    }
    base = figures["bare transitions"]
    print(f"cases: {n}, scenario events: {events}, steps of a full replay: {steps}")
    for name, seconds in figures.items():
        rate = events / seconds
        print(f"{name:24}: {rate:10.0f} events/s  {base / seconds:5.2f}x bare transitions"
              f"  ({figures['dict state machine'] / seconds:5.3f}x the dict machine)")


def bench_length(repeat: int) -> None:
    defs = load_definitions(ROOT / "machines")
    sim = Simulator(defs)
    per_event = {}
    for n in (20, 20_000):
        scenario = parse_scenario(long_case(n), defs, f"long-{n}")
        times = max(1, 2000 // n)
        seconds = best_of(repeat if n < 1000 else 1,
                          lambda s=scenario, k=times: [sim.replay(s) for _ in range(k)])
        per_event[n] = seconds / times / n
    ratio = per_event[20_000] / per_event[20]
    print(f"cost per event, 20 events     : {per_event[20] * 1e6:8.1f} µs")
    print(f"cost per event, 20,000 events : {per_event[20_000] * 1e6:8.1f} µs "
          f"({ratio:.2f}x the short case)")


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
    print(f"python -c pass        : {python * 1e3:8.0f} ms (baseline)")
    print(f"asylum-sim --help     : {helptime * 1e3:8.0f} ms ({helptime / python:.1f}x baseline)")
    print(f"replay one scenario   : {replay * 1e3:8.0f} ms ({replay / python:.1f}x baseline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_throughput(args.cases, args.repeat)
    bench_length(args.repeat)
    bench_cli(args.repeat)


if __name__ == "__main__":
    main()
