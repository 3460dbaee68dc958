"""TPC-H with streaming execution: each query's lazy plan over ``scan_parquet`` runs with
``collect(streaming=True)`` under a device-memory budget, and its answer is checked against DuckDB
on the same files. Reports time, time per lineitem row, batches and the peak device bytes held,
and the same lazy query collected in memory (no budget: the whole files read at once) in the same
run, so the ratio streamed / in memory compares two reads of the same Parquet files.

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
from typing import Any, Callable

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


def timed(run: Callable[[], Any]) -> list:
    """[first run's seconds (compiles included), second run's seconds, the second's answer]."""
    times = []
    for _ in range(2):
        start = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - start)
        if len(times) == 1:
            del answer
            gc.collect()
    return times + [answer]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sf", type=float, default=1)
    parser.add_argument("--budget-mb", type=float, default=512)
    parser.add_argument("--queries", type=int, nargs="*", default=sorted(QUERIES))
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--no-in-memory", action="store_true",
                        help="skip the in-memory run of each query (at a scale whose files do not fit)")
    args = parser.parse_args()
    folder = tpch.generate(args.sf, args.data_dir)
    lineitem_rows = pq.ParquetFile(folder / "lineitem.parquet").metadata.num_rows
    budget = int(args.budget_mb * 1e6)
    print(f"{machine()}\n\nTPC-H SF {args.sf:g} ({lineitem_rows:,} lineitem rows), streaming with a "
          f"{args.budget_mb:g} MB device budget; {load()} at the start\n")
    in_memory = "" if args.no_in_memory else " in-memory s | streamed / in-memory |"
    print(f"| query | first s | second s | ns per lineitem row | batches | peak device MB |{in_memory} answer |")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if in_memory else "") + "---|")
    for q in args.queries:
        times, answer = [], "ok"
        try:
            jf.set_memory_budget(budget)
            times = timed(lambda: QUERIES[q](lazy_tables(folder, q)).collect(streaming=True))
            stats = streaming.LAST_STATS
            tpch.check(q, times.pop(), tpch.duckdb_answer(folder, q))
            gc.collect()
            if in_memory:
                jf.set_memory_budget(None)
                whole = timed(lambda: QUERIES[q](lazy_tables(folder, q)).collect())
                whole.pop()
        except Exception as err:  # reported in the table, never hidden
            answer = f"{type(err).__name__}: {str(err).splitlines()[0][:80]}"
        finally:
            jf.set_memory_budget(None)
        if len(times) == 2:
            memory = f" {whole[1]:.2f} | {times[1] / whole[1]:.2f}x |" if in_memory and answer == "ok" else \
                (" | |" if in_memory else "")
            print(f"| q{q} | {times[0]:.2f} | {times[1]:.2f} | {times[1] / lineitem_rows * 1e9:.0f} "
                  f"| {stats.batches} | {stats.peak_live_bytes / 1e6:.0f} |{memory} {answer} |", flush=True)
        else:
            print(f"| q{q} | | | | | |{' | |' if in_memory else ''} {answer} |", flush=True)
        gc.collect()
    print(f"\n({load()} at the end)")


if __name__ == "__main__":
    main()
