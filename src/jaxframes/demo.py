"""The main job on generated data: run a pipeline with JaxFrames and pandas, print both results
and both timings. ``uv run python -m jaxframes.demo [--rows N]``."""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np
import pandas as pd

import jaxframes as jf


def _timed(fn, repeats: int = 3):
    """(result, first-call seconds including compilation, best steady-state seconds)."""
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return result, first, best


def _block(frame):
    jax.block_until_ready(jax.tree_util.tree_leaves(frame))
    return frame


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    n = args.rows

    key = jax.random.key(0)
    a = jax.random.normal(key, (n,))
    b = jax.random.normal(jax.random.key(1), (n,))
    df = jf.DataFrame({"a": a, "b": b})
    pdf = pd.DataFrame({"a": np.asarray(a), "b": np.asarray(b)})
    print(f"JaxFrames demo on {n:,} generated rows, backend={jax.default_backend()}, devices={jax.device_count()}")

    def ours():
        return _block(df.filter(df["a"].to_jax() > 0).head(5))

    def theirs():
        return pdf[pdf["a"] > 0].head(5)

    got, first, steady = _timed(ours)
    expected, _, pandas_time = _timed(theirs)
    print("\nfilter(a > 0).head(5)")
    print("JaxFrames:\n", got.to_pandas())
    print("pandas:\n", expected)
    print(f"timing: jaxframes first call {first*1e3:.1f} ms (with compile), steady {steady*1e3:.2f} ms; "
          f"pandas {pandas_time*1e3:.2f} ms")
    pd.testing.assert_frame_equal(got.to_pandas(), expected)
    print("\nresults match pandas")


if __name__ == "__main__":
    main()
