"""The main job on generated data: the Getting Started pipeline (filter -> group-by -> agg) and a
few more operations, run with JaxFrames and with pandas on the same data; prints both results and
both timings. ``uv run python -m jaxframes.demo [--rows N]``."""

from __future__ import annotations

import argparse
from typing import Any, Callable

import jax
import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.timing import timed


def _compare(title: str, ours: Callable[[], Any], theirs: Callable[[], Any], show: bool = True) -> None:
    got, first, steady = timed(ours)
    expected, _, pandas_time = timed(theirs)
    got_pd = got.to_pandas() if hasattr(got, "to_pandas") else np.asarray(got)[()]
    print(f"\n== {title}")
    if show:
        print("JaxFrames:\n", got_pd)
        print("pandas:\n", expected)
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got_pd, expected)
    elif isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got_pd, expected)
    else:
        np.testing.assert_allclose(got_pd, expected, rtol=1e-9)
    print(f"   jaxframes: first call {first * 1e3:9.1f} ms (includes compile) | steady {steady * 1e3:8.2f} ms")
    print(f"   pandas:                                          | steady {pandas_time * 1e3:8.2f} ms"
          f"   (pandas/jaxframes = {pandas_time / steady:5.2f}x)   results match")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    n = args.rows

    mesh = jax.make_mesh((len(jax.devices()),), ("data",))
    df = jf.DataFrame({
        "a": jax.random.normal(jax.random.key(0), (n,)),
        "b": jax.random.normal(jax.random.key(1), (n,)),
    }, sharding=jf.row_sharded(mesh))
    df = df.assign(b_bucket=(df["b"] * 4).astype("int32"))
    pdf = df.to_pandas()
    print(f"JaxFrames demo: {n:,} generated rows; backend={jax.default_backend()}, "
          f"devices={jax.device_count()}, native C++ kernels: {jf.native_kernels_available()}")

    _compare("Getting Started: df.filter(df['a'] > 0).groupby('b_bucket').agg({'a': 'sum', 'b': 'mean'})",
             lambda: df.filter(df["a"] > 0).groupby("b_bucket").agg({"a": "sum", "b": "mean"}).collect(),
             lambda: pdf[pdf["a"] > 0].groupby("b_bucket").agg({"a": "sum", "b": "mean"}))
    _compare("arithmetic + reduction: ((a * 2 + b) ** 2).mean()",
             lambda: ((df["a"] * 2 + df["b"]) ** 2).mean(),
             lambda: ((pdf["a"] * 2 + pdf["b"]) ** 2).mean(), show=False)
    _compare("sort_values('a').head(5)",
             lambda: df.sort_values("a").head(5),
             lambda: pdf.sort_values("a", kind="stable").head(5))


if __name__ == "__main__":
    main()
