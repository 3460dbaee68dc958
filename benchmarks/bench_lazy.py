"""Lazy vs eager vs pandas vs Polars lazy on a 5-stage pipeline:
filter -> derived columns -> join -> group-by -> sort. Compile time is reported apart from run time.

    python benchmarks/bench_lazy.py --rows 1000000
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.exec import cache
from jaxframes.timing import timed


def data(rows: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"k": rng.integers(0, 1000, rows), "a": rng.normal(size=rows), "b": rng.normal(size=rows),
                         "unused": rng.normal(size=rows)})
    right = pd.DataFrame({"k": np.arange(1000), "g": np.arange(1000) % 50, "w": rng.normal(size=1000)})
    return left, right


def run_eager(left, right):
    """The pipeline in pandas' API: the same code runs on pandas frames and on eager JaxFrames."""
    d = left[left["a"] > 0]
    d = d.assign(c=d["a"] * d["b"], d=d["b"] * 2 + 1)
    d = d.merge(right, on="k")
    d = d.groupby("g", as_index=False).agg(c=("c", "sum"), d=("d", "mean"), w=("w", "max"))
    return d.sort_values("c", ascending=False)


def lazy_query(left: jf.DataFrame, right: jf.DataFrame) -> jf.LazyFrame:
    C = jf.col
    # The filter is written after the join on purpose: explain() shows the optimizer pushing it
    # below the join and the derived columns, next to the scan (legal: the group-by hides row labels).
    return (left.lazy()
            .with_columns((C("a") * C("b")).alias("c"), (C("b") * 2 + 1).alias("d"))
            .merge(right.lazy(), on="k")
            .filter(C("a") > 0)
            .group_by("g").agg(C("c").sum(), C("d").mean(), C("w").max())
            .sort("c", descending=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = int(args.rows)
    left_pd, right_pd = data(rows)
    left, right = jf.from_pandas(left_pd), jf.from_pandas(right_pd)
    expected = run_eager(left_pd, right_pd).reset_index(drop=True)

    query = lazy_query(left, right)
    print("```")
    query.explain()
    print("```\n")
    got = query.collect().to_pandas().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)
    cache.clear()

    results = []
    before = cache.STATS["compile_seconds"]
    _, first, steady = timed(lambda: lazy_query(left, right).collect().to_pandas(), args.repeat)
    results.append(("jaxframes lazy", first, cache.STATS["compile_seconds"] - before, steady))
    _, first, steady = timed(lambda: run_eager(left, right).to_pandas(), args.repeat)
    results.append(("jaxframes eager", first, float("nan"), steady))
    _, first, steady = timed(lambda: run_eager(left_pd, right_pd), args.repeat)
    results.append(("pandas", first, float("nan"), steady))
    pandas_steady = steady
    try:
        import polars as pl
        lp, rp = pl.from_pandas(left_pd).lazy(), pl.from_pandas(right_pd).lazy()

        def polars_run():
            return (lp.filter(pl.col("a") > 0)
                    .with_columns((pl.col("a") * pl.col("b")).alias("c"), (pl.col("b") * 2 + 1).alias("d"))
                    .join(rp, on="k").group_by("g").agg(pl.col("c").sum(), pl.col("d").mean(), pl.col("w").max())
                    .sort("c", descending=True).collect())
        _, first, steady = timed(polars_run, args.repeat)
        results.append(("polars lazy", first, float("nan"), steady))
    except ImportError:
        pass

    print(f"rows={rows:,}  (times in seconds; steady = median of {args.repeat} warm runs)\n")
    print("| engine | first run | of which compile | steady run | pandas / engine (steady) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, first, compile_s, steady in results:
        comp = "-" if compile_s != compile_s else f"{compile_s:.3f}"
        print(f"| {name} | {first:.3f} | {comp} | {steady:.3f} | {pandas_steady / steady:.2f}x |")


if __name__ == "__main__":
    main()
