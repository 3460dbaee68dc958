"""TPC-H on JaxFrames (eager and lazy), pandas, Polars and DuckDB, every answer checked against
DuckDB running the specification's SQL on the same Parquet files.

Run: ``uv run python benchmarks/tpch/run.py --sf 1 [--queries 1 6] [--repeats 3]``. Data comes
from ``tpchgen-cli`` (``uv run --with tpchgen-cli``) into benchmarks/tpch/data/sf<SF>/ once.
Writes the table into benchmarks/RESULTS.md (section "TPC-H") and prints it.

The dataframe engines read the same Arrow tables, with dates as datetime64[ms] (the loader's
one conversion; not timed). pandas reads decimals as float64. JaxFrames keeps TPC-H's
decimal(15, 2) columns as decimals (exact scaled int64 sums) in the queries of
``DECIMAL_QUERIES``; q1 keeps float64, because pandas' Arrow decimal rules cannot run it as
written: ``disc_price * (1 + l_tax)`` needs precision 38 + 22 + 1 > 38 (ArrowInvalid, in pandas
and so in JaxFrames), and its averages would round to the column's scale (2 digits), which is
not the specification's avg. q9 also keeps float64: its ``amount`` subtracts decimal128(31, 4)
from decimal128(38, 4), precision 39 (ArrowInvalid again). q13 reads no decimal.
Polars runs the SQL text through its SQL context. First calls (compilation) are reported apart.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import jax
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

import jaxframes as jf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from queries import QUERIES  # noqa: E402

TABLES = ("lineitem", "orders", "customer", "nation", "region", "supplier", "part", "partsupp")
SECTION = "### TPC-H"


def generate(sf: float, folder: Path) -> Path:
    out = folder / f"sf{sf:g}"
    if not (out / "lineitem.parquet").exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["uv", "run", "--with", "tpchgen-cli", "tpchgen-cli", "parquet", "-s", f"{sf:g}",
                        f"--output-dir={out}"], check=True)
    return out


#: Queries whose pandas code holds on decimal columns (module docstring): JaxFrames runs them on
#: the files' decimals.
DECIMAL_QUERIES = frozenset({3, 5, 6, 10, 18})


#: The tables each query reads: the runner loads only those, one query at a time, so that the
#: five engines' copies of SF1 fit a shared 24 GiB machine.
QUERY_TABLES = {1: ("lineitem",), 3: ("customer", "orders", "lineitem"),
                5: ("region", "nation", "customer", "orders", "lineitem", "supplier"), 6: ("lineitem",),
                9: ("part", "supplier", "lineitem", "partsupp", "orders", "nation"),
                10: ("customer", "orders", "lineitem", "nation"), 13: ("customer", "orders"),
                18: ("customer", "orders", "lineitem")}


def load_arrow(folder: Path, decimals: bool = False, names: tuple = TABLES) -> dict[str, pa.Table]:
    """The tables with dates as timestamp[ms], string views as strings and decimals as float64
    (``decimals=True``: kept as they are)."""
    tables = {}
    for name in names:
        table = pq.read_table(folder / f"{name}.parquet")
        fields = []
        for field in table.schema:
            typ = field.type
            if pa.types.is_decimal(typ) and not decimals:
                typ = pa.float64()
            elif pa.types.is_date(typ):
                typ = pa.timestamp("ms")
            elif pa.types.is_string_view(typ):
                typ = pa.string()
            fields.append(pa.field(field.name, typ))
        tables[name] = table.cast(pa.schema(fields))
    return tables


def sql_text(query: int) -> str:
    return (HERE / "sql" / f"q{query}.sql").read_text()


def duckdb_answer(folder: Path, query: int, con: Any = None) -> pd.DataFrame:
    con = con or duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    return con.execute(sql_text(query)).df()


def as_pandas(result: Any) -> pd.DataFrame:
    if hasattr(result, "collect"):
        result = result.collect()
    if hasattr(result, "to_pandas"):
        result = result.to_pandas()
    return result.reset_index(drop=True)


def check(query: int, got: Any, want: pd.DataFrame) -> None:
    """Same columns, rows and values (floats to 1e-6 relative: decimals vs float64)."""
    got = as_pandas(got)
    if list(got.columns) != list(want.columns):
        raise AssertionError(f"q{query}: columns {list(got.columns)} != {list(want.columns)}")
    if len(got) != len(want):
        raise AssertionError(f"q{query}: {len(got)} rows != {len(want)}")
    for name in want.columns:
        a, b = got[name], want[name]
        if isinstance(a.dtype, pd.ArrowDtype) and pa.types.is_decimal(a.dtype.pyarrow_dtype):
            a = a.astype("float64")  # exact decimals against DuckDB's (float) answer
        if b.dtype.kind in "iufO" and a.dtype.kind in "iufb" or str(a.dtype).startswith(("Int", "Float")):
            np.testing.assert_allclose(a.astype("float64").to_numpy(), b.astype("float64").to_numpy(),
                                       rtol=1e-6, err_msg=f"q{query} column {name}")
        elif a.dtype.kind == "M":
            assert (pd.to_datetime(a).to_numpy() == pd.to_datetime(b).to_numpy()).all(), f"q{query} column {name}"
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), f"q{query} column {name}"


def _block(result: Any) -> Any:
    if hasattr(result, "collect"):
        result = result.collect()
    jax.block_until_ready(jax.tree_util.tree_leaves(result))
    return result


def jaxframes_tables(arrow: dict[str, pa.Table], exact: dict[str, pa.Table]) -> Any:
    """query -> JaxFrames tables for it: the decimal ones for ``DECIMAL_QUERIES``."""
    floats = {k: jf.from_arrow(v) for k, v in arrow.items()}
    decimals = {k: jf.from_arrow(v) for k, v in exact.items()}
    return lambda q: decimals if q in DECIMAL_QUERIES else floats


def engines(arrow: dict[str, pa.Table], folder: Path, exact: dict[str, pa.Table], query: int) -> dict[str, Any]:
    """The five runners over the tables of one query (JaxFrames on its decimals where
    ``DECIMAL_QUERIES`` says so)."""
    pandas_tables = {k: v.to_pandas() for k, v in arrow.items()}
    source = exact if query in DECIMAL_QUERIES else arrow
    frames = {k: jf.from_arrow(v) for k, v in source.items()}
    tables_for = lambda q: frames  # noqa: E731
    lazy = {query: {k: v.lazy() for k, v in frames.items()}}
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    ctx = pl.SQLContext({k: pl.from_arrow(v) for k, v in arrow.items()})
    return {
        "jaxframes": lambda q: _block(QUERIES[q](tables_for(q))),
        "jaxframes lazy": lambda q: _block(QUERIES[q](lazy[q])),
        "pandas": lambda q: QUERIES[q](pandas_tables),
        "polars (SQL)": lambda q: ctx.execute(sql_text(q), eager=True),
        "duckdb (SQL)": lambda q: con.execute(sql_text(q)).df(),
    }


def run(sf: float, queries: list[int], repeats: int, data_dir: Path) -> list[dict[str, Any]]:
    folder = generate(sf, data_dir)
    rows = []
    for q in queries:
        names = QUERY_TABLES.get(q, TABLES)
        arrow = load_arrow(folder, names=names)
        exact = load_arrow(folder, decimals=True, names=names) if q in DECIMAL_QUERIES else arrow
        runners = engines(arrow, folder, exact, q)
        want = duckdb_answer(folder, q)
        row: dict[str, Any] = {"query": q}
        for engine, fn in runners.items():
            try:
                start = time.perf_counter()
                got = fn(q)
                row[f"{engine} first"] = time.perf_counter() - start
                if not engine.startswith(("polars", "duckdb")):
                    check(q, got, want)
                times = []
                for _ in range(repeats):
                    gc.collect()  # each timed call starts with empty young generations (timeit's
                    # hygiene, without its gc.disable): a full collection of the ~200k objects
                    # jax, pandas, Polars and DuckDB hold costs ~0.25 s here and otherwise lands
                    # in whichever engine's call crosses the threshold
                    start = time.perf_counter()
                    fn(q)
                    times.append(time.perf_counter() - start)
                row[engine] = float(np.median(times))
            except Exception as err:  # reported in the table, never hidden
                row[engine] = f"{type(err).__name__}: {str(err).splitlines()[0][:80]}"
        rows.append(row)
        print(row, flush=True)
        del runners, arrow, exact  # the next query loads its own tables
        gc.collect()
    return rows


def table(rows: list[dict[str, Any]], sf: float) -> str:
    names = ["jaxframes", "jaxframes lazy", "pandas", "polars (SQL)", "duckdb (SQL)"]
    lines = [f"{SECTION} (SF {sf:g}; {platform.machine()}, {os.cpu_count()} cores, jax {jax.__version__}; "
             f"load average {os.getloadavg()[0]:.1f})", "",
             "Median seconds of the steady state (first call, with compilation, in parentheses for "
             "JaxFrames); pandas/jf > 1 means JaxFrames is faster.", "",
             "| query | " + " | ".join(names) + " | pandas/jf lazy | polars/jf lazy |",
             "|---|" + "---:|" * (len(names) + 2)]
    ratios = []
    for row in rows:
        cells = []
        for name in names:
            value = row.get(name)
            if isinstance(value, float):
                first = row.get(f"{name} first")
                cells.append(f"{value:.3f}" + (f" ({first:.2f})" if name.startswith("jaxframes") else ""))
            else:
                cells.append(str(value))
        lazy, pandas_t, polars_t = row.get("jaxframes lazy"), row.get("pandas"), row.get("polars (SQL)")
        ok = isinstance(lazy, float) and lazy > 0
        r_pd = pandas_t / lazy if ok and isinstance(pandas_t, float) else None
        r_pl = polars_t / lazy if ok and isinstance(polars_t, float) else None
        if r_pl:
            ratios.append(r_pl)
        cells += [f"{r_pd:.2f}x" if r_pd else "-", f"{r_pl:.2f}x" if r_pl else "-"]
        lines.append(f"| q{row['query']} | " + " | ".join(cells) + " |")
    if ratios:
        lines += ["", f"Geometric mean polars/jf lazy: {math.exp(np.mean(np.log(ratios))):.2f}x over {len(ratios)} queries."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--queries", type=int, nargs="*", default=sorted(QUERIES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    text = table(run(args.sf, args.queries, args.repeats, args.data_dir), args.sf)
    print(text)
    if not args.no_write:
        results = HERE.parent / "RESULTS.md"
        old = results.read_text(encoding="utf-8") if results.exists() else ""
        start = old.find(SECTION)
        if start >= 0:
            end = old.find("\n### ", start + 1)
            old = old[:start] + (old[end + 1:] if end >= 0 else "")
        results.write_text(old.rstrip() + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
