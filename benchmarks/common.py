"""Timing and machine helpers shared by the benchmark scripts (import as ``from common import ...``:
a script's own folder is on ``sys.path`` when it runs).

JAX is asynchronous: every clock here stops only after the result's device arrays are ready
(``block``; results that hold none, pandas or Polars frames, pass through). The first call
(tracing + compilation + run) is kept apart from the steady state. This machine is shared, so
a timing should say the load it ran under (``load``) and prefer the best of several runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Any, Callable

import jax
import pandas as pd

import jaxframes as jf
from jaxframes.timing import block, timed  # noqa: F401  (timed: (result, first call, median))


def run_times(fn: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` calls, each blocked on (no warm-up call)."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        block(fn())
        runs.append(time.perf_counter() - start)
    return runs


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    """Median seconds of ``repeats`` calls (no warm-up: for host engines, or after one)."""
    return statistics.median(run_times(fn, repeats))


def best_time(fn: Callable[[], Any], repeats: int, warm_up: bool = True) -> float:
    """Fastest of ``repeats`` calls after one warm-up call: the least noisy figure on a busy machine."""
    if warm_up:
        block(fn())
    return min(run_times(fn, repeats))


def load() -> str:
    """The 1-minute load average against the cores, to print beside a timing."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def machine(*extra: str) -> str:
    """Backend, devices, CPU model, cores and library versions (``extra``: more "name version" parts)."""
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line)
    except (OSError, StopIteration):
        pass
    dev = jax.devices()[0]
    parts = [f"jax {jax.__version__}", f"pandas {pd.__version__}", *extra]
    return (f"{jax.default_backend()} backend, {jax.device_count()} device(s) ({dev.device_kind}); host: {cpu}, "
            f"{os.cpu_count()} cores; {', '.join(parts)}; C++ kernels: {jf.native_kernels_available()}")
