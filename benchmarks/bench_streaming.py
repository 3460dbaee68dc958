"""Streaming vs in-memory time per row on the same lazy queries over one Parquet file (issue 11's
target: streaming at most 2x the in-memory time per row), with the budget a tenth of the file's
device bytes, and the peak device bytes streaming held. Each figure is the best of ``--repeats``
runs after a warm-up run (the machine is shared: the load is printed with the table).

    uv run python benchmarks/bench_streaming.py --rows 4000000 --repeats 3
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import jaxframes as jf
from jaxframes.exec import streaming
from common import best_time, load, machine

QUERIES = {
    "filter + group-by (sum, mean, count)": lambda lf: lf[lf["w"] > 10].groupby("k").agg(
        a=("v", "sum"), b=("v", "mean"), c=("w", "count")),
    "sort (full, external merge)": lambda lf: lf[lf["w"] > 10].sort_values(["k", "v"]),
    "sort + head(100) (top-k)": lambda lf: lf.sort_values("v", ascending=False).head(100),
}


def make(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"k": rng.integers(0, 1000, rows), "v": rng.normal(size=rows),
                        "w": rng.integers(0, 100, rows), "s": rng.choice(["x", "y", "z", "w"], rows)})
    pq.write_table(pa.Table.from_pandas(pdf, preserve_index=False), path, row_group_size=max(rows // 100, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).with_name("data"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / f"stream_{args.rows}.parquet"
    if not path.exists():
        make(path, args.rows)
    budget = args.rows * 4 * 8 // 10
    print(f"{machine()}\n\n{args.rows:.0e} rows x 4 columns; budget {budget / 1e6:.1f} MB (a tenth of the data); "
          f"best of {args.repeats} runs; {load()} at the start\n")
    print("| query | in memory ns/row | streaming ns/row | streaming / in memory | batches | peak device MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for title, query in QUERIES.items():
        lf = jf.scan_parquet(str(path))
        mem = best_time(lambda: query(lf).collect(streaming=False), args.repeats)
        jf.set_memory_budget(budget)
        try:
            stream = best_time(lambda: query(lf).collect(streaming=True), args.repeats)
            stats = streaming.LAST_STATS
        finally:
            jf.set_memory_budget(None)
        print(f"| {title} | {mem / args.rows * 1e9:.0f} | {stream / args.rows * 1e9:.0f} | {stream / mem:.2f}x "
              f"| {stats.batches} | {stats.peak_live_bytes / 1e6:.1f} |", flush=True)
    print(f"\n({load()} at the end)")


if __name__ == "__main__":
    main()
