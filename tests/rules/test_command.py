"""``python -m apps.rules evaluate CASE.json`` as a real process (DESIGN.md section 5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

EXAMPLE = {
    "person": {"industry": "general", "transferred_in_year": None},
    "activities": [{"id": "a1", "kind": "national_conference", "year": 2021, "paper_chars": 2500}],
    "years": [2020, 2021],
    "cycle": {"start": 2020, "end": 2021},
}


def command(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # A settings module that cannot be imported proves the command never touches Django.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings", "PYTHONPATH": str(ROOT)}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "apps.rules", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def output(done: subprocess.CompletedProcess[bytes]) -> Any:
    return json.loads(done.stdout.decode("utf-8"))


def test_it_evaluates_the_design_example_from_a_file(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    done = command("evaluate", str(case))
    assert done.returncode == 0, done.stderr
    document = output(done)
    assert document["credits"][0] == {
        **document["credits"][0],
        "id": "a1",
        "hours": 14.0,
        "subject": "professional",
    }
    assert isinstance(document["credits"][0]["note"], str)
    y2021 = document["years"]["2021"]
    assert (y2021["public"], y2021["professional"], y2021["total"]) == (0.0, 14.0, 14.0)
    assert y2021["compliant"] is False
    assert y2021["shortfall"] == {"public": 30.0, "professional": 46.0}
    assert document["cycle"]["total"] == 14.0
    assert document["cycle"]["compliant"] is False
    assert document["cycle"]["failed_years"] == [2020, 2021]
    # Hours are JSON numbers written with one decimal place.
    assert '"hours": 14.0' in done.stdout.decode()
    assert done.stderr == b""


def test_it_reads_standard_input() -> None:
    done = command("evaluate", "-", stdin=json.dumps(EXAMPLE))
    assert done.returncode == 0
    assert output(done)["credits"][0]["hours"] == 14.0


def test_it_keeps_credits_in_input_order() -> None:
    case = {
        "activities": [
            {"id": "z", "kind": "teacher_training", "year": 2021},
            {"id": "a", "kind": "public_course", "year": 2021, "topic": "t"},
            {"id": "m", "kind": "book", "year": 2020, "chars": 30000},
        ]
    }
    document = output(command("evaluate", "-", stdin=json.dumps(case)))
    assert [c["id"] for c in document["credits"]] == ["z", "a", "m"]
    assert list(document["years"]) == ["2020", "2021"]


def test_it_prints_only_the_errors_and_exits_2_on_invalid_input() -> None:
    case = {
        "activities": [
            {"id": "a1", "kind": "invention_patent", "year": 2021, "rank": 0},
            {"id": "a2", "kind": "warp_drive", "year": 2021},
            {"id": "a3", "kind": "key_teacher", "year": 1066, "hours": 50},
        ]
    }
    done = command("evaluate", "-", stdin=json.dumps(case))
    assert done.returncode == 2
    document = output(done)
    assert list(document) == ["errors"]
    assert document["errors"] == [
        {"id": "a1", "message": "参数 rank 必须是不小于 1 的整数"},
        {"id": "a2", "message": "未知的活动类型 kind：warp_drive"},
        {"id": "a3", "message": "字段 year 必须是 1990 到 2100 之间的整数年份"},
        {"id": "a3", "message": "参数 hours 必须是 40、72、120 之一"},
    ]


def test_it_rejects_malformed_json_with_exit_2() -> None:
    for text in ['{"activities": [', "", "NaN", '{"activities": [], "x": Infinity}', "\xff"]:
        done = command("evaluate", "-", stdin=text.encode("latin-1"))
        assert done.returncode == 2, text
        document = output(done)
        assert list(document) == ["errors"]
        assert document["errors"][0]["id"] is None


def test_it_rejects_a_missing_file_and_bad_arguments_with_exit_2(tmp_path: Path) -> None:
    for args in [("evaluate", str(tmp_path / "absent.json")), (), ("judge", "-"), ("evaluate",)]:
        done = command(*args)
        assert done.returncode == 2, args
        assert list(output(done)) == ["errors"]


def test_it_answers_100_activities() -> None:
    activities = [
        {"id": f"a{n}", "kind": "organized_training", "year": 2012 + n % 10, "hours": n % 7 + 1}
        for n in range(100)
    ]
    done = command("evaluate", "-", stdin=json.dumps({"activities": activities}))
    assert done.returncode == 0
    assert len(output(done)["credits"]) == 100


def test_it_never_imports_django() -> None:
    script = (
        "import sys, apps.rules, apps.rules.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django'];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout
