"""Time jf.from_pandas of the H2O-style frame of h2o_script.py (two string columns, five numeric).

    uv run python benchmarks/pandas_mode/conversion.py [--rows 1e6]

Prints the first call (which pays any compilation) and the best of 5 after it."""

from __future__ import annotations

import argparse
import os
import time

import jax
import numpy as np
import pandas as pd

import jaxframes as jf


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1e6")
    rows = int(float(parser.parse_args().rows))
    rng = np.random.default_rng(0)
    k = 100
    x = pd.DataFrame({
        "id1": np.char.add("id", rng.integers(1, k + 1, rows).astype(str)),
        "id2": np.char.add("id", rng.integers(1, k + 1, rows).astype(str)),
        "id4": rng.integers(1, k + 1, rows), "id6": rng.integers(1, rows // k + 1, rows),
        "v1": rng.integers(1, 6, rows), "v2": rng.integers(1, 16, rows),
        "v3": np.round(rng.uniform(0, 100, rows), 6)})
    start = time.perf_counter()
    jax.block_until_ready(jf.from_pandas(x)._table)
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        jax.block_until_ready(jf.from_pandas(x)._table)
        best = min(best, time.perf_counter() - start)
    print(f"rows={rows}: first {first:.3f} s, best of 5 {best:.3f} s (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
