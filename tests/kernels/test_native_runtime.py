"""The C++ kernels' runtime: the thread budget (affinity mask, cgroup quota, divided between XLA
CPU devices), lazy registration on first use, and concurrent calls into the shared pool.

The budget is read once per process, so the cases that change the affinity mask or the device
count run in a fresh interpreter."""

import os
import subprocess
import sys
import threading
import textwrap

import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, segments, sort
from jaxframes.kernels.keys import SortKey

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")


def run_fresh(script: str, env: dict[str, str] | None = None) -> list[str]:
    """Runs script in a new interpreter; returns its stdout lines."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "JAX_PLATFORMS": "cpu", **(env or {})})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def test_one_cpu_in_the_affinity_mask_gives_one_thread_and_native_calls_register_lazily():
    lines = run_fresh("""
        import os
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # like `taskset -c <cpu>`
        import jax
        import jax.numpy as jnp
        import jaxframes
        from jaxframes import _native
        from jaxframes.kernels import native, segments
        registered_before = "ok" in native._state
        # a *_native entry point called first, with no available() before it
        out = segments.segment_reduce_native("sum", jnp.arange(4.0), jnp.array([0, 0, 1, 1]), 2)
        print(registered_before, out.tolist(), native.process_cpu_budget(), native.thread_budget(),
              len(jax.devices("cpu")), _native.cpu_devices())
    """, env={"XLA_FLAGS": "--xla_force_host_platform_device_count=2"})
    # registration also recorded the two XLA CPU devices
    assert lines == ["False", "[1.0,", "5.0]", "1", "1", "2", "2"]


def test_budget_is_divided_between_cpu_devices():
    from jaxframes import _native
    registered = _native.cpu_devices()
    try:
        for devices in (1, 2, 3, 64):
            _native.set_cpu_devices(devices)
            assert native.thread_budget() == max(1, native.process_cpu_budget() // devices)
    finally:
        _native.set_cpu_devices(registered)


def test_budget_is_capped_by_the_affinity_mask():
    assert 1 <= native.process_cpu_budget() <= len(os.sched_getaffinity(0))
    assert 1 <= native.thread_budget() <= native.process_cpu_budget()


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_cgroup_v2_cpu_max_takes_the_tightest_level(tmp_path):
    from jaxframes import _native
    root = tmp_path / "cgroup"
    write(tmp_path / "self_cgroup", "0::/outer/inner\n")
    write(root / "outer" / "inner" / "cpu.max", "max 100000\n")
    write(root / "outer" / "cpu.max", "150000 100000\n")  # 1.5 CPUs: 2 threads
    assert _native.cgroup_cpu_limit(str(root), str(tmp_path / "self_cgroup")) == 2
    write(root / "outer" / "inner" / "cpu.max", "50000 100000\n")
    assert _native.cgroup_cpu_limit(str(root), str(tmp_path / "self_cgroup")) == 1
    write(root / "outer" / "inner" / "cpu.max", "max 100000\n")
    write(root / "outer" / "cpu.max", "max 100000\n")
    assert _native.cgroup_cpu_limit(str(root), str(tmp_path / "self_cgroup")) == 0  # no limit


def test_cgroup_v1_cfs_quota_in_a_container(tmp_path):
    from jaxframes import _native
    root = tmp_path / "cgroup"
    # the listed path is the host's; inside the container the mount is the container's cgroup
    write(tmp_path / "self_cgroup", "5:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n")
    write(root / "cpu,cpuacct" / "cpu.cfs_quota_us", "300000\n")
    write(root / "cpu,cpuacct" / "cpu.cfs_period_us", "100000\n")
    assert _native.cgroup_cpu_limit(str(root), str(tmp_path / "self_cgroup")) == 3
    write(root / "cpu,cpuacct" / "cpu.cfs_quota_us", "-1\n")
    assert _native.cgroup_cpu_limit(str(root), str(tmp_path / "self_cgroup")) == 0
    assert _native.cgroup_cpu_limit(str(tmp_path / "missing"), str(tmp_path / "missing")) == 0


def test_concurrent_calls_share_the_pool():
    rng = np.random.default_rng(0)
    data = [rng.integers(-1000, 1000, 150_000) for _ in range(4)]
    expected = [np.argsort(d, kind="stable") for d in data]
    ids = rng.integers(0, 10, 300_000)
    values = rng.normal(size=300_000)
    expected_sum = segments.segment_reduce_jax("sum", jnp.asarray(values), jnp.asarray(ids), 10, False)
    failures: list[str] = []

    def work(i: int) -> None:
        try:
            for _ in range(3):
                perm = sort.argsort_native([SortKey(jnp.asarray(data[i]))], num_threads=4)
                np.testing.assert_array_equal(np.asarray(perm), expected[i])
                got = segments.segment_reduce_native("sum", jnp.asarray(values), jnp.asarray(ids), 10)
                np.testing.assert_allclose(np.asarray(got), np.asarray(expected_sum), rtol=1e-9)
        except Exception as error:  # noqa: BLE001  (reported below, from the test's thread)
            failures.append(f"{i}: {error!r}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
