"""Runs cases of tests/distributed_worker.py in a subprocess on 8 simulated CPU devices (the
device count is fixed when JAX starts) and returns its JSON report. The fast cases come in two
halves, one per test file, so that two pytest workers run them side by side."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from distributed_worker import CASE_NAMES, N_DEVICES, SLOW_CASES

WORKER = Path(__file__).with_name("distributed_worker.py")
FAST_CASES = [c for c in CASE_NAMES if c not in SLOW_CASES]
FIRST_HALF, SECOND_HALF = FAST_CASES[::2], FAST_CASES[1::2]


def run_cases(cases: list[str]) -> dict:
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={N_DEVICES}")
    proc = subprocess.run([sys.executable, str(WORKER), *cases], env=env, capture_output=True, text=True,
                          timeout=1200, cwd=WORKER.parent)
    assert proc.returncode == 0, f"worker failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sorted(report) == sorted(cases)
    return report
