"""Benchmark of the rules engine (apps/rules), with its baselines measured in the same run.

    .venv/bin/python bench/bench_rules.py [--smoke]   # from the repository root

In process: validating + evaluating + serialising a case of 100 and 1,000 activities and a
10-year tenure cycle, against the floor of ``json.loads`` + building the same frozen dataclasses
without any rule.  Whole process: ``python -m apps.rules evaluate CASE.json`` with 100
activities, against a bare ``python -c pass`` and ``python -c "import apps.rules"``.
The figures are printed last, then the RESULT line; `--smoke`: short timing budgets and 3
process runs instead of 15.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.rules import dumps, evaluate, evaluation_to_json, model, parse_case  # noqa: E402
from apps.rules.model import Activity, Case, Cycle, Person  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from _bench import print_result, size_from_argv  # noqa: E402

PARAMS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    "public_course": lambda r: {"topic": r.choice(["t1", "t2", "t3"])},
    "computer_training": lambda r: {"module": r.choice(["Word", "Excel", "PPT"])},
    "computer_exam": lambda r: {"module": r.choice(["Word", "Excel", "PPT"])},
    "organized_training": lambda r: {"hours": r.randint(4, 400) / 10},
    "base_training": lambda r: {"hours": r.randint(4, 400) / 10},
    "self_study": lambda r: {
        "hours": r.randint(10, 200) / 10,
        "subject": r.choice(["professional", "public"]),
    },
    "national_conference": lambda r: {"paper_chars": r.choice([0, 1500, 2500])},
    "research_project": lambda r: {
        "level": r.choice(["national", "provincial", "city"]),
        "role": r.choice(["main", "sub"]),
        "rank": r.randint(1, 6),
    },
    "paper": lambda r: {
        "journal": r.choice(["national", "provincial"]),
        "chars": r.randint(0, 9000),
        "indexed": r.random() < 0.2,
        "paper_id": f"P{r.randint(1, 30)}",
    },
    "aid_service": lambda r: {},
    "invention_patent": lambda r: {"rank": r.randint(1, 4)},
    "medical_credit": lambda r: {"credits": r.randint(0, 40) / 2},
}


def make_case(count: int, years: range, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    kinds = list(PARAMS)
    activities = []
    for n in range(count):
        kind = rng.choice(kinds)
        activities.append(
            {"id": f"a{n}", "kind": kind, "year": rng.choice(years), **PARAMS[kind](rng)}
        )
    return {
        "person": {"industry": "general", "transferred_in_year": None},
        "activities": activities,
        "years": list(years),
        "cycle": {"start": years.start, "end": years.stop - 1},
    }


_CLASSES = {
    cls.kind: cls
    for cls in vars(model).values()
    if isinstance(cls, type) and isinstance(getattr(cls, "kind", None), str)
}


def floor(text: str) -> Case:
    """json.loads + the same frozen dataclasses, with no validation and no rule at all."""
    data = json.loads(text, parse_float=Decimal)
    activities = []
    for raw in data["activities"]:
        params = {k: v for k, v in raw.items() if k not in ("id", "kind", "year")}
        activities.append(Activity(raw["id"], raw["year"], _CLASSES[raw["kind"]](**params)))
    cycle = Cycle(data["cycle"]["start"], data["cycle"]["end"])
    return Case(Person(**data["person"]), tuple(activities), tuple(data["years"]), cycle)


def full(text: str) -> str:
    """What the command does in process: parse, validate, evaluate, serialise."""
    data = json.loads(text, parse_float=Decimal)
    return dumps(evaluation_to_json(evaluate(parse_case(data))))


def per_call(fn: Callable[[str], object], text: str, budget: float = 0.4) -> float:
    """Median seconds per call over repeated batches filling about `budget` seconds."""
    fn(text)
    start = time.perf_counter()
    fn(text)
    once = max(time.perf_counter() - start, 1e-6)
    batch = max(1, int(0.05 / once))
    samples = []
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline or len(samples) < 5:
        start = time.perf_counter()
        for _ in range(batch):
            fn(text)
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def process(args: list[str], *, cached: bool = True, runs: int = 15) -> float:
    """Median wall-clock seconds of a whole new Python process.

    `cached`: with the usual bytecode cache (__pycache__, written by the first, unmeasured run);
    otherwise with PYTHONDONTWRITEBYTECODE=1 and no cache, so every module is compiled again.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not cached:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        shutil.rmtree(ROOT / "apps" / "rules" / "__pycache__", ignore_errors=True)
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def main() -> None:
    runs, smoke = size_from_argv(full=15, smoke=3, what="process runs")
    budget = 0.05 if smoke else 0.4
    cases = {
        "100 activities, 2 years": make_case(100, range(2020, 2022), seed=1),
        "1,000 activities, 10 years": make_case(1000, range(2012, 2022), seed=2),
        "10-year cycle, 300 activities": make_case(300, range(2012, 2022), seed=3),
    }
    rows = []
    for name, data in cases.items():
        text = json.dumps(data)
        base, work = per_call(floor, text, budget), per_call(full, text, budget)
        rows.append((name, base, work))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(cases["100 activities, 2 years"]), encoding="utf-8")
        python = sys.executable
        evaluate_100 = [python, "-m", "apps.rules", "evaluate", str(path)]
        uncached = process(evaluate_100, cached=False, runs=runs)
        bare = process([python, "-c", "pass"], runs=runs)
        imported = process([python, "-c", "import apps.rules"], runs=runs)
        command = process(evaluate_100, runs=runs)

    print(f"Rules engine benchmark - Python {platform.python_version()} on {platform.machine()}")
    print()
    print(f"{'in process, per case':32} {'floor*':>11} {'engine':>11} {'ratio':>7}")
    for name, base, work in rows:
        print(f"{name:32} {ms(base)} {ms(work)} {work / base:6.1f}x")
    print("* floor = json.loads + building the same frozen dataclasses, no validation, no rules")
    print("  engine = json.loads + parse_case + evaluate + evaluation_to_json + dumps")
    print()
    print(f"{f'whole process (median of {runs})':32} {'wall':>11} {'over bare':>11}")
    print(f"{'python -c pass':32} {ms(bare)}")
    label = 'python -c "import apps.rules"'
    print(f"{label:32} {ms(imported)} {ms(imported - bare)}")
    print(f"{'python -m apps.rules evaluate 100':32} {ms(command)} {ms(command - bare)}")
    label = "the same, no bytecode cache"
    print(f"{label:32} {ms(uncached)} {ms(uncached - bare)}")
    (_, floor_100, engine_100), (_, floor_1000, engine_1000), (_, _, engine_cycle) = rows
    print_result(
        engine_100_ms=engine_100 * 1000,
        ratio_100=engine_100 / floor_100,
        engine_1000_ms=engine_1000 * 1000,
        ratio_1000=engine_1000 / floor_1000,
        engine_cycle10_ms=engine_cycle * 1000,
        command_ms=command * 1000,
        command_over_bare_ms=(command - bare) * 1000,
        uncached_over_bare_ms=(uncached - bare) * 1000,
    )


if __name__ == "__main__":
    main()
