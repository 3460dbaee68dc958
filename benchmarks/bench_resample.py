"""resample benchmark: ``resample('1h').agg({...})`` on timestamped rows, JaxFrames vs pandas
and Polars (``group_by_dynamic``), measured in one run on the same data.

Run: ``uv run python benchmarks/bench_resample.py [--rows 10000000] [--repeats 3]``.
Rows: sorted timestamps, one per ~0.3 s over ~35 days (~830 one-hour bins), a float and an int
column. JaxFrames' first call (trace + compile + run) is reported apart from the steady-state
median; pandas and Polars have no compile step. The JaxFrames result is checked against
pandas' before timing. Prints a markdown table.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import polars as pl

import jaxframes as jf
from common import median_time, timed

SPEC = {"price": ["mean", "max", "min"], "volume": "sum"}


def make_data(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    step = rng.integers(0, 600, rows, dtype=np.int64)  # ms between rows
    t = pd.Timestamp("2024-01-01").value + np.cumsum(step) * 1_000_000
    return pd.DataFrame({"price": rng.normal(100, 5, rows), "volume": rng.integers(1, 1000, rows)},
                        index=pd.DatetimeIndex(t.view("datetime64[ns]"), name="t"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    pdf = make_data(args.rows)
    ours = jf.from_pandas(pdf)
    pl_df = pl.from_pandas(pdf.reset_index())

    def run_ours():
        return ours.resample("1h").agg(SPEC)

    def run_pandas():
        return pdf.resample("1h").agg(SPEC)

    def run_polars():
        return pl_df.group_by_dynamic("t", every="1h").agg(
            pl.col("price").mean().alias("price_mean"), pl.col("price").max().alias("price_max"),
            pl.col("price").min().alias("price_min"), pl.col("volume").sum().alias("volume_sum"))

    expected = run_pandas()
    result, first, ours_s = timed(run_ours, args.repeats)
    pd.testing.assert_frame_equal(result.to_pandas(), expected)
    pandas_s = median_time(run_pandas, args.repeats)
    polars_s = median_time(run_polars, args.repeats)
    print(f"resample('1h').agg({SPEC}) on {args.rows:,} rows ({len(expected):,} bins), "
          f"median of {args.repeats}\n")
    print("| engine | seconds | ns/row | vs pandas | vs Polars |")
    print("|---|---|---|---|---|")
    for name, secs in (("JaxFrames (steady state)", ours_s), ("JaxFrames first call (compile + run)", first),
                       ("pandas", pandas_s), ("Polars group_by_dynamic", polars_s)):
        print(f"| {name} | {secs:.4f} | {secs / args.rows * 1e9:.1f} | {pandas_s / secs:.2f}x | "
              f"{polars_s / secs:.2f}x |")


if __name__ == "__main__":
    main()
