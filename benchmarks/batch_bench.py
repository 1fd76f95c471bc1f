"""Benchmark: ``asylum-sim batch`` on a generated log, against baselines of the same run.

Run: ``python benchmarks/batch_bench.py [--cases 100000] [--small 10000]``. It writes a log of
``--cases`` cases (about 10 scenario events each, CSV in the process-mining convention,
sorted by case) and measures, each figure next to a baseline measured in the same run:

- the bare flat ``transitions`` machine of replay_bench.py (one ``trigger`` per event, no
  rules) on one core;
- the engine in this process (``Simulator.replay`` in batch detail, scenarios built);
- ``asylum-sim batch --workers 1`` and ``--workers 2`` on ``--small`` and on ``--cases``
  cases (the speedup, small and large);
- ``asylum-sim batch --workers 2`` on ``--small`` and on ``--cases`` cases, writing cases,
  steps and deviations: cases/s, events/s, and the peak memory of the whole process tree
  (the sum of the RSS of the command and its workers, sampled from /proc every 50 ms; and
  the largest single process from ``getrusage``);
- where the time of a batch goes (cProfile of ``--workers 1`` on ``--small`` cases):
  reading and grouping, turning rows into scenarios, the engine, tabulating, encoding and
  writing.
Linux only (``/proc``). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from asylum_sim.engine.simulator import Simulator
from asylum_sim.model.loader import load_definitions
from asylum_sim.model.scenario import Scenario, ScenarioEvent

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from replay_bench import flat_transitions  # noqa: E402 - the same baseline as replay_bench

START = [("apply", {}, (0, 0)), ("register", {}, (0, 3)),
         ("assign_reception", {"kind": "collective"}, (0, 0)), ("arrive", {}, (0, 1)),
         ("lodge", {}, (5, 25)), ("transfer_to_cgvs", {}, (10, 60)),
         ("cgvs_interview", {}, (30, 120))]
TEMPLATES = [
    [*START, ("grant_refugee_status", {}, (20, 200)), ("issue_card_a", {}, (5, 20)),
     ("leave_structure", {}, (10, 25))],
    [*START, ("grant_subsidiary_protection", {}, (20, 200)), ("issue_card_a", {}, (5, 20)),
     ("leave_structure", {}, (10, 25))],
    [*START, ("refuse", {"notification": "handed"}, (60, 300)),
     ("appeal", {"by": "applicant"}, (1, 25)), ("rvv_confirm", {}, (60, 200)),
     ("notify_otp_assignment", {}, (3, 8)), ("report_at_otp", {}, (1, 3)),
     ("leave_territory", {}, (3, 10))],
    [*START, ("refuse", {"notification": "handed"}, (60, 300))],
]


def cases(n: int, seed: int = 11):
    """``n`` cases as (id, [(date, event, attributes)]), reproducibly."""
    rng = random.Random(seed)
    for i in range(n):
        day = dt.date(2019, 1, 7) + dt.timedelta(days=rng.randrange(0, 5 * 365))
        events = []
        for event, attributes, (low, high) in TEMPLATES[i % len(TEMPLATES)]:
            day += dt.timedelta(days=rng.randint(low, high))
            events.append((day, event, attributes))
        yield f"case-{i:07d}", events


def write_log(path: Path, n: int) -> int:
    """The log of ``n`` cases; returns its number of events."""
    count = 0
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["case:concept:name", "concept:name", "time:timestamp", "kind",
                      "notification", "by"])
        for case, events in cases(n):
            for day, event, attrs in events:
                out.writerow([case, event, day.isoformat(), attrs.get("kind", ""),
                              attrs.get("notification", ""), attrs.get("by", "")])
                count += 1
    return count


def bare_transitions(n: int) -> float:
    """Events/s (CPU) of the bare flat ``transitions`` machine of replay_bench.py (the
    procedure machine, no guards), one model reset per case, one ``trigger`` per event."""
    defs = load_definitions(ROOT / "machines")
    machine = flat_transitions(defs)
    initial = defs.machines["procedure"].initial
    model = type("Model", (), {})()
    machine.add_model(model)
    data = list(cases(n))
    events = sum(len(e) for _, e in data)
    start = time.process_time()
    for _case, case_events in data:
        machine.set_state(initial, model)
        for _day, event, _attrs in case_events:
            model.trigger(event)
    return events / (time.process_time() - start)


def engine_in_process(n: int) -> float:
    """Events/s of ``Simulator.replay`` in batch detail, scenarios built beforehand."""
    defs = load_definitions(ROOT / "machines")
    sim = Simulator(defs)
    scenarios = [Scenario(id=case, events=[ScenarioEvent(date=d, event=e, **a)
                                           for d, e, a in events]) for case, events in cases(n)]
    events = sum(len(s.events) for s in scenarios)
    deviations = 0
    start = time.process_time()
    for scenario in scenarios:
        deviations += len(sim.replay(scenario, lenient=True, detail="states").deviations)
    elapsed = time.process_time() - start
    if deviations:
        print(f"  (warning: the generated cases have {deviations} deviations)")
    return events / elapsed


def _tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree)


def run_batch(log: Path, workers: int, folder: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all processes) and peak RSS (bytes) of the process tree
    of one batch run."""
    exe = str(Path(sys.executable).with_name("asylum-sim"))
    cmd = [exe, "batch", str(log), "--workers", str(workers), "-o", str(folder / "cases.csv"),
           "--steps", str(folder / "steps.csv"), "--deviations", str(folder / "dev.csv"),
           "--summary", str(folder / "summary.json")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed: {stderr.decode()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, peak


def breakdown(log: Path, folder: Path) -> list[tuple[str, float]]:
    """Seconds by part of an in-process batch (cProfile, cumulative, so parts nest: the
    engine is inside replay)."""
    from asylum_sim.eventlog.pipeline import BatchOptions, run

    options = BatchOptions(log=log, machines=ROOT / "machines", workers=1,
                           outputs={"cases": folder / "c.csv", "steps": folder / "s.csv",
                                    "deviations": folder / "d.csv"})
    profile = cProfile.Profile()
    profile.enable()
    run(options)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def cumulative(module: str, name: str) -> float:
        return sum(v[3] for (file, _line, func), v in stats.items()
                   if file.endswith(module) and func == name)

    total = cumulative("pipeline.py", "run")
    engine = cumulative("replay.py", "run_engine")
    reading = cumulative("replay.py", "read_case")
    tabulating = cumulative("replay.py", "_replayed")
    scenario = cumulative("replay.py", "replay_case") - engine - reading - tabulating
    work = cumulative("pipeline.py", "_work")
    encoding = cumulative("writers.py", "encode")
    writing = cumulative("writers.py", "write")
    parts = [
        ("reading the file, grouping cases (parent)", total - work - writing),
        ("rows into scenarios (timestamps, labels, checks)", reading + scenario),
        ("the engine (run_engine)", engine),
        ("tabulating steps and deviations", tabulating),
        ("encoding output rows", encoding),
        ("writing output files (parent)", writing),
        ("summary and the rest", work - engine - reading - scenario - tabulating - encoding),
    ]
    return [(name, seconds / total) for name, seconds in parts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, big = folder / "small.csv", folder / "big.csv"
        small_events = write_log(small, args.small)
        big_events = write_log(big, args.cases)
        print("load average before: {:.2f} {:.2f} {:.2f} (2 cores shared: figures vary with "
              "it)".format(*os.getloadavg()))
        print(f"logs: {args.small:,} cases ({small_events:,} events), {args.cases:,} cases "
              f"({big_events:,} events)")
        bare = bare_transitions(min(args.small, 20_000))
        engine = engine_in_process(min(args.small, 5_000))
        print("events per CPU second (not slowed by other load), and per wall second:")
        print(f"bare transitions, 1 core      : {bare:10,.0f} events/CPU s (baseline)")
        print(f"engine in process, 1 core     : {engine:10,.0f} events/CPU s "
              f"({engine / bare:.2f}x baseline)")
        one, one_cpu, one_rss = run_batch(small, 1, folder)
        two, two_cpu, two_rss = run_batch(small, 2, folder)
        print(f"batch {args.small:,} cases, 1 worker : {small_events / one_cpu:10,.0f} events/CPU s"
              f" ({small_events / one_cpu / engine:.2f}x the engine alone), "
              f"{small_events / one:,.0f} events/s wall, peak {one_rss / 2**20:.0f} MB")
        print(f"batch {args.small:,} cases, 2 workers: {small_events / two_cpu:10,.0f} events/CPU s"
              f", {small_events / two:,.0f} events/s wall ({one / two:.2f}x 1 worker; "
              f"{small_events / two / bare:.2f}x baseline), peak {two_rss / 2**20:.0f} MB")
        seconds, cpu, rss = run_batch(big, 2, folder)
        single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"batch {args.cases:,} cases, 2 workers: {args.cases / seconds:10,.0f} cases/s, "
              f"{big_events / seconds:,.0f} events/s wall ({big_events / seconds / bare:.2f}x "
              f"baseline), {big_events / cpu:,.0f} events/CPU s, {seconds:.1f} s, peak "
              f"{rss / 2**20:.0f} MB (tree; largest process {single:.0f} MB)")
        print(f"memory {args.small:,} -> {args.cases:,} cases: {two_rss / 2**20:.0f} -> "
              f"{rss / 2**20:.0f} MB")
        big_one, _, _ = run_batch(big, 1, folder)
        print(f"batch {args.cases:,} cases, 1 worker : {big_events / big_one:10,.0f} events/s "
              f"wall, {big_one:.1f} s; 2 workers {big_one / seconds:.2f}x 1 worker")
        print(f"where the time goes (1 worker, {args.small:,} cases):")
        for name, share in breakdown(small, folder):
            print(f"  {name:<50}: {share:6.1%}")
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
