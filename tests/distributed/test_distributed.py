"""The distributed algorithms on 8 simulated CPU devices. The device count is fixed when JAX
starts, so the cases run in a subprocess (tests/distributed_worker.py) per group; each case of
its JSON report becomes one test here. The slow group (-m slow) holds the cases a faster one
covers in spirit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from distributed_worker import CASE_NAMES, N_DEVICES, SLOW_CASES

WORKER = Path(__file__).parents[1] / "distributed_worker.py"
FAST_CASES = [c for c in CASE_NAMES if c not in SLOW_CASES]


def _run(cases: list[str]) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={N_DEVICES}")
    proc = subprocess.run([sys.executable, str(WORKER), *cases], env=env, capture_output=True, text=True,
                          timeout=1200, cwd=WORKER.parent)
    assert proc.returncode == 0, f"worker failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sorted(report) == sorted(cases)
    return report


@pytest.fixture(scope="module")
def report() -> dict:
    return _run(FAST_CASES)


@pytest.fixture(scope="module")
def slow_report() -> dict:
    return _run(SLOW_CASES)


def test_slow_cases_exist():
    assert set(SLOW_CASES) <= set(CASE_NAMES)


@pytest.mark.parametrize("case", FAST_CASES)
def test_distributed_case(report, case):
    entry = report[case]
    assert entry["status"] == "passed", entry["detail"]


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW_CASES)
def test_distributed_case_slow(slow_report, case):
    entry = slow_report[case]
    assert entry["status"] == "passed", entry["detail"]
