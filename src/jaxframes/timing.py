"""Timing for the demo and the benchmarks: JAX is asynchronous, so a clock may only stop after
every device array of the result is ready; the first call (trace + compile + run) is kept
apart from the steady-state median."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable

import jax


def block(result: Any) -> Any:
    """Wait for every device array inside ``result`` (frames are PyTrees) and return it."""
    jax.block_until_ready(jax.tree_util.tree_leaves(result))
    return result


def timed(fn: Callable[[], Any], repeats: int = 5) -> tuple[Any, float, float]:
    """(result, first-call seconds including compilation, median seconds of ``repeats`` more calls)."""
    start = time.perf_counter()
    result = block(fn())
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        block(fn())
        runs.append(time.perf_counter() - start)
    return result, first, statistics.median(runs)
