"""The distributed algorithms on 8 simulated CPU devices. The device count is fixed when JAX
starts, so the cases run in one subprocess (tests/distributed_worker.py); each case of its JSON
report becomes one test here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from distributed_worker import CASE_NAMES, N_DEVICES

WORKER = Path(__file__).parents[1] / "distributed_worker.py"


@pytest.fixture(scope="module")
def report() -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={N_DEVICES}")
    proc = subprocess.run([sys.executable, str(WORKER)], env=env, capture_output=True, text=True,
                          timeout=900, cwd=WORKER.parent)
    assert proc.returncode == 0, f"worker failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_report_covers_every_case(report):
    assert sorted(report) == sorted(CASE_NAMES)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_distributed_case(report, case):
    entry = report[case]
    assert entry["status"] == "passed", entry["detail"]
