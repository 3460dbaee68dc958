"""TPC-H with streaming execution: each query's lazy plan over ``scan_parquet`` runs with
``collect(streaming=True)`` under a device-memory budget, and its answer is checked against DuckDB
on the same files. Reports time, time per lineitem row, batches and the peak device bytes held.

    uv run python benchmarks/tpch/streaming.py --sf 10 --budget-mb 512

The queries are those of ``queries.py`` (pandas API), on the tables the in-memory runner gives
every engine (run.py ``load_arrow``): dates as datetime64[ms] (``to_pandas_kwargs={'date_as_object':
False}``) and, for the queries outside ``DECIMAL_QUERIES``, decimals as float64. Those float copies
are written once, row group by row group, next to the generated files (``floats/``).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import jaxframes as jf
from jaxframes.exec import streaming

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import run as tpch  # noqa: E402
from common import load, machine  # noqa: E402
from queries import QUERIES  # noqa: E402

DATES = {"date_as_object": False}


def float_copy(folder: Path, name: str) -> Path:
    """``name``'s table with decimals as float64 (written once, one row group at a time)."""
    out = folder / "floats" / f"{name}.parquet"
    if out.exists():
        return out
    out.parent.mkdir(exist_ok=True)
    source = pq.ParquetFile(folder / f"{name}.parquet")
    schema = pa.schema([pa.field(f.name, pa.float64() if pa.types.is_decimal(f.type) else f.type)
                        for f in source.schema_arrow])
    tmp = out.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for i in range(source.num_row_groups):
            writer.write_table(source.read_row_group(i).cast(schema))
    tmp.replace(out)
    return out


def lazy_tables(folder: Path, query: int) -> dict[str, jf.LazyFrame]:
    names = tpch.QUERY_TABLES.get(query, tpch.TABLES)
    paths = {n: folder / f"{n}.parquet" if query in tpch.DECIMAL_QUERIES else float_copy(folder, n) for n in names}
    return {n: jf.scan_parquet(p, to_pandas_kwargs=DATES) for n, p in paths.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sf", type=float, default=1)
    parser.add_argument("--budget-mb", type=float, default=512)
    parser.add_argument("--queries", type=int, nargs="*", default=sorted(QUERIES))
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    args = parser.parse_args()
    folder = tpch.generate(args.sf, args.data_dir)
    lineitem_rows = pq.ParquetFile(folder / "lineitem.parquet").metadata.num_rows
    budget = int(args.budget_mb * 1e6)
    print(f"{machine()}\n\nTPC-H SF {args.sf:g} ({lineitem_rows:,} lineitem rows), streaming with a "
          f"{args.budget_mb:g} MB device budget; {load()} at the start\n")
    print("| query | first s | second s | ns per lineitem row | batches | peak device MB | answer |")
    print("|---|---:|---:|---:|---:|---:|---|")
    jf.set_memory_budget(budget)
    try:
        for q in args.queries:
            times, answer = [], "ok"
            try:
                for _ in range(2):  # the first run compiles; the second is the run time
                    tables = lazy_tables(folder, q)
                    start = time.perf_counter()
                    got = QUERIES[q](tables).collect(streaming=True)
                    times.append(time.perf_counter() - start)
                stats = streaming.LAST_STATS
                tpch.check(q, got, tpch.duckdb_answer(folder, q))
            except Exception as err:  # reported in the table, never hidden
                answer = f"{type(err).__name__}: {str(err).splitlines()[0][:80]}"
            if len(times) == 2:
                print(f"| q{q} | {times[0]:.2f} | {times[1]:.2f} | {times[1] / lineitem_rows * 1e9:.0f} "
                      f"| {stats.batches} | {stats.peak_live_bytes / 1e6:.0f} | {answer} |", flush=True)
            else:
                print(f"| q{q} | | | | | | {answer} |", flush=True)
            gc.collect()
    finally:
        jf.set_memory_budget(None)
    print(f"\n({load()} at the end)")


if __name__ == "__main__":
    main()
