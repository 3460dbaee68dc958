"""Row-sharded frames on 8 simulated CPU devices. The device count is fixed when JAX starts, so
the cases run in a subprocess (tests/sharded_worker.py) once per module; each case of its JSON
report becomes one test here. Argument checks that need no mesh of 8 run in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jax
import pytest
from jax.sharding import AxisType

import jaxframes as jf
from sharded_worker import CASE_NAMES, N_DEVICES

WORKER = Path(__file__).with_name("sharded_worker.py")


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
def test_sharded_case(report, case):
    entry = report[case]
    if entry["status"] == "unavailable":
        pytest.skip(entry["detail"])
    assert entry["status"] == "passed", entry["detail"]


def test_row_sharded_rebuilds_mesh_with_auto_axes():
    mesh = jax.make_mesh((1,), ("rows",))
    sharding = jf.row_sharded(mesh)
    assert sharding.mesh.axis_types == (AxisType.Auto,)
    assert sharding.axis == "rows" and sharding.num_shards == 1
    assert hash(sharding) == hash(jf.row_sharded(mesh)) and sharding == jf.row_sharded(mesh)


def test_row_sharded_rejects_bad_arguments():
    with pytest.raises(TypeError, match="Mesh"):
        jf.row_sharded("data")
    with pytest.raises(ValueError, match="axis"):
        jf.row_sharded(jax.make_mesh((1,), ("data",)), axis="model")
