"""The read-path table (issue 11): the Parquet + string filter + datetime group-by workload of
run_benchmarks.py, timed step by step (read, filter, group-by, total) for JaxFrames, pandas,
Polars and DuckDB. DuckDB runs one SQL statement, so only its total is meaningful. The first run
of each engine (JaxFrames compiles there) is reported apart from the warm medians, and every
engine's answer is checked against pandas'. Rows print as each engine finishes; ``--engines``
runs a subset (at 1e7 the four engines together need ~3 GB at once and several minutes under load).

    uv run python benchmarks/bench_read_path.py --rows 10000000 --repeats 3 [--engines jaxframes,pandas]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import duckdb
import jax
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

import jaxframes as jf


def make(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    words = np.array([f"{a}{b}{c}" for a in "abcdefghij" for b in "klmnopqrst" for c in "uvwxyz0123"])
    base = np.datetime64("2024-01-01T00:00:00", "ns")
    table = pa.table({
        **{f"i{j}": rng.integers(-1000, 1000, rows) for j in range(3)},
        **{f"f{j}": rng.normal(size=rows) for j in range(3)},
        "s0": pa.array(words[rng.integers(0, len(words), rows)]),
        "s1": pa.array(words[rng.integers(0, 50, rows)]),
        **{f"t{j}": base + rng.integers(0, 365 * 86_400, rows).astype("timedelta64[s]") for j in range(2)},
    })
    pq.write_table(table, path, row_group_size=1_000_000)


def _ready(x):
    if hasattr(x, "_columns"):
        jax.block_until_ready(jax.tree_util.tree_leaves(x))
    return x


def steps_jaxframes(path):
    t0 = time.perf_counter()
    df = _ready(jf.read_parquet(path))
    t1 = time.perf_counter()
    hit = _ready(df[df["s0"].str.startswith("a")])
    t2 = time.perf_counter()
    out = _ready(hit.assign(day=hit["t0"].dt.floor("D")).groupby("day").agg({"f0": "sum", "i0": "mean"}))
    t3 = time.perf_counter()
    return out, (t1 - t0, t2 - t1, t3 - t2)


def steps_pandas(path):
    t0 = time.perf_counter()
    df = pd.read_parquet(path)
    t1 = time.perf_counter()
    hit = df[df["s0"].str.startswith("a")]
    t2 = time.perf_counter()
    out = hit.assign(day=hit["t0"].dt.floor("D")).groupby("day").agg({"f0": "sum", "i0": "mean"})
    t3 = time.perf_counter()
    return out, (t1 - t0, t2 - t1, t3 - t2)


def steps_polars(path):
    t0 = time.perf_counter()
    df = pl.read_parquet(path)
    t1 = time.perf_counter()
    hit = df.filter(pl.col("s0").str.starts_with("a"))
    t2 = time.perf_counter()
    out = hit.group_by(pl.col("t0").dt.truncate("1d").alias("day")).agg(pl.col("f0").sum(), pl.col("i0").mean())
    t3 = time.perf_counter()
    return out, (t1 - t0, t2 - t1, t3 - t2)


def steps_duckdb(path):
    t0 = time.perf_counter()
    out = duckdb.execute(f"SELECT date_trunc('day', t0) AS day, sum(f0), avg(i0) FROM read_parquet('{path}') "
                         "WHERE starts_with(s0, 'a') GROUP BY day").fetchnumpy()
    return out, (float("nan"), float("nan"), time.perf_counter() - t0)


def _check(name: str, out, expected: pd.DataFrame) -> None:
    """Each engine's answer against pandas' (day -> f0 sum, i0 mean), whatever its container."""
    if name == "jaxframes":
        got = out.to_pandas()
    elif name == "polars":
        got = out.to_pandas().set_index("day").sort_index()
    elif name == "duckdb":
        got = pd.DataFrame({"f0": out["sum(f0)"], "i0": out["avg(i0)"]},
                           index=pd.Index(out["day"], name="day")).sort_index()
    else:
        got = out
    got.index = got.index.astype(expected.index.dtype)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, check_dtype=False, check_index_type=False)


ENGINES = {"jaxframes": steps_jaxframes, "pandas": steps_pandas, "polars": steps_polars, "duckdb": steps_duckdb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of " + ", ".join(ENGINES))
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).with_name("data"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / f"bench_{args.rows}.parquet"
    if not path.exists():
        make(path, args.rows)
    expected, _ = steps_pandas(path)
    print(f"{args.rows:.0e} rows; first run (compiles included) and the median of {args.repeats} warm runs (ms); "
          f"C++ kernels: {jf.native_kernels_available()}; load {os.getloadavg()[0]:.1f} at start\n")
    print("| engine | first run | read | filter | group-by | total (warm) |\n|---|---:|---:|---:|---:|---:|", flush=True)
    for name in args.engines.split(","):
        fn = ENGINES[name]
        start = time.perf_counter()
        out, _ = fn(path)  # the first run: jaxframes compiles here
        first = (time.perf_counter() - start) * 1e3
        _check(name, out, expected)
        runs = np.array([fn(path)[1] for _ in range(args.repeats)])
        med = np.median(runs, axis=0) * 1e3
        total = np.median(np.nansum(runs, axis=1)) * 1e3
        cells = ["-" if np.isnan(v) else f"{v:.0f}" for v in med]
        if name == "duckdb":
            name, cells = "duckdb (one SQL)", ["-", "-", "-"]
        print(f"| {name} | {first:.0f} | " + " | ".join(cells) + f" | {total:.0f} |", flush=True)
    print(f"\nload {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
