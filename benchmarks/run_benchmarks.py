"""JaxFrames benchmarks against pandas, Polars and DuckDB, measured in the same run on the same data.

Run: ``uv run python benchmarks/run_benchmarks.py [--rows 10000000] [--repeats 5]
[--only argsort groupby merge parquet lazy engine]``
Writes benchmarks/RESULTS.md (one section per machine/backend) and prints the tables. With
``--only``, the sections run replace their namesakes in RESULTS.md and the others are kept.

Timing rules: JAX is asynchronous, so every JaxFrames result is blocked on before the clock stops;
the first call (tracing + compilation + run) is reported apart from the steady-state median.
Ratios are other-engine time / JaxFrames time (above 1: JaxFrames is faster).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl

import jaxframes as jf
from common import machine as describe_machine, timed

RESULTS = Path(__file__).with_name("RESULTS.md")
ALL_SECTIONS = ("argsort", "groupby", "merge", "parquet", "lazy", "engine")
ENGINE_TITLE = "### Engine counters (primitives, compilations, host syncs)"


def groupby_workloads(rows: int, rng: np.random.Generator):
    for groups in (100, 100_000):
        keys = rng.integers(0, groups, rows)
        values = rng.normal(size=rows)
        pdf = pd.DataFrame({"k": keys, "v": values})
        jdf = jf.DataFrame(pdf)
        pldf = pl.DataFrame({"k": keys, "v": values})
        con = duckdb.connect()
        con.register("t", pdf)
        for agg in ("sum", "mean"):
            yield f"group-by {agg}, {rows:.0e} rows, {groups:,} groups", {
                "jaxframes": lambda jdf=jdf, agg=agg: jdf.groupby("k").agg({"v": agg}),
                "pandas": lambda pdf=pdf, agg=agg: pdf.groupby("k").agg({"v": agg}),
                "polars": lambda pldf=pldf, agg=agg: pldf.group_by("k").agg(getattr(pl.col("v"), agg)()),
                "duckdb": lambda con=con, agg=agg: con.execute(
                    f"SELECT k, {'avg' if agg == 'mean' else agg}(v) FROM t GROUP BY k").fetchnumpy(),
            }


def merge_workloads(rows: int, rng: np.random.Generator):
    right_rows = 100_000
    left = pd.DataFrame({"k": rng.integers(0, right_rows, rows), "x": rng.normal(size=rows)})
    right = pd.DataFrame({"k": rng.permutation(right_rows), "y": rng.normal(size=right_rows)})
    jl, jr = jf.DataFrame(left), jf.DataFrame(right)
    pl_l, pl_r = pl.from_pandas(left), pl.from_pandas(right)
    con = duckdb.connect()
    con.register("l", left)
    con.register("r", right)
    yield f"inner merge {rows:.0e} x {right_rows:.0e} rows", {
        "jaxframes": lambda: jf.merge(jl, jr, on="k"),
        "pandas": lambda: pd.merge(left, right, on="k"),
        "polars": lambda: pl_l.join(pl_r, on="k"),
        "duckdb": lambda: con.execute("SELECT * FROM l JOIN r USING (k)").fetchnumpy(),
    }


def parquet_workloads(rows: int, rng: np.random.Generator, folder: Path):
    """Issue 4's workload: read a 10-column Parquet file, string filter, datetime group-by."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = folder / f"bench_{rows}.parquet"
    if not path.exists():
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

    def ours():
        df = jf.read_parquet(path)
        hit = df[df["s0"].str.startswith("a")]
        return hit.assign(day=hit["t0"].dt.floor("D")).groupby("day").agg({"f0": "sum", "i0": "mean"})

    def theirs():
        df = pd.read_parquet(path)
        hit = df[df["s0"].str.startswith("a")]
        return hit.assign(day=hit["t0"].dt.floor("D")).groupby("day").agg({"f0": "sum", "i0": "mean"})

    def polars():
        return (pl.read_parquet(path).filter(pl.col("s0").str.starts_with("a"))
                .group_by(pl.col("t0").dt.truncate("1d").alias("day")).agg(pl.col("f0").sum(), pl.col("i0").mean()))

    def duck():
        return duckdb.execute(f"SELECT date_trunc('day', t0) AS day, sum(f0), avg(i0) FROM read_parquet('{path}') "
                              "WHERE starts_with(s0, 'a') GROUP BY day").fetchnumpy()

    yield f"read Parquet ({rows:.0e} rows, 10 cols) + str filter + datetime group-by", {
        "jaxframes": ours, "pandas": theirs, "polars": polars, "duckdb": duck}


def check_same_answer(title: str, ours: Any, theirs: Any) -> None:
    """A benchmark of a wrong answer is worthless: compare with pandas once before timing."""
    got = ours.to_pandas()
    if isinstance(theirs, pd.DataFrame) and list(got.columns) == list(theirs.columns) and len(got) == len(theirs):
        got = got.sort_values(list(got.columns), kind="stable").reset_index(drop=True)
        theirs = theirs.sort_values(list(theirs.columns), kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, theirs, check_exact=False, obj=title)


def run_table(workloads, repeats: int) -> list[str]:
    lines = ["| workload | jaxframes first call ms | jaxframes ms | pandas ms | polars ms | duckdb ms "
             "| pandas/jf | polars/jf | duckdb/jf |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for title, impls in workloads:
        check_same_answer(title, impls["jaxframes"](), impls["pandas"]())
        results = {name: timed(fn, repeats)[1:] for name, fn in impls.items()}
        jf_first, jf_time = results["jaxframes"]
        cells = [f"{results[n][1] * 1e3:.1f}" for n in ("pandas", "polars", "duckdb")]
        ratios = [f"{results[n][1] / jf_time:.2f}x" for n in ("pandas", "polars", "duckdb")]
        line = f"| {title} | {jf_first * 1e3:.0f} | {jf_time * 1e3:.1f} | " + " | ".join(cells + ratios) + " |"
        print(line, flush=True)
        lines.append(line)
    return lines


def machine() -> str:
    return describe_machine(f"polars {pl.__version__}", f"duckdb {duckdb.__version__}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=list(ALL_SECTIONS))
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).with_name("data"))
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    header = f"## {machine()}\n\nMeasured {time.strftime('%Y-%m-%d')} with `uv run python benchmarks/run_benchmarks.py " \
             f"--rows {args.rows}`; medians of {args.repeats} runs.\n"
    print(header)
    sections = [header]
    if "argsort" in args.only:
        out = subprocess.run([sys.executable, str(Path(__file__).with_name("bench_argsort.py")),
                              "--repeats", str(args.repeats)], capture_output=True, text=True, check=True)
        print(out.stdout)
        sections.append("### Argsort (C++ radix vs pure JAX vs numpy vs pandas)\n\n" + out.stdout.strip() + "\n")
    if "groupby" in args.only:
        lines = run_table(groupby_workloads(args.rows, rng), args.repeats)
        sections.append("### Group-by\n\n" + "\n".join(lines) + "\n")
    if "merge" in args.only:
        lines = run_table(merge_workloads(args.rows, rng), args.repeats)
        sections.append("### Merge\n\n" + "\n".join(lines) + "\n")
    if "parquet" in args.only:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        lines = run_table(parquet_workloads(args.rows, rng, args.data_dir), args.repeats)
        sections.append("### Parquet + strings + datetimes\n\n" + "\n".join(lines) + "\n")
    if "lazy" in args.only:
        out = subprocess.run([sys.executable, str(Path(__file__).with_name("bench_lazy.py")), "--rows", str(args.rows),
                              "--repeat", str(min(args.repeats, 3))], capture_output=True, text=True, check=True)
        print(out.stdout)
        sections.append("### Lazy pipeline (filter, derived columns, join, group-by, sort)\n\nThe optimized plan "
                        "(the filter is written after the join and pushed down to the scan; the unused column is "
                        "dropped), then eager vs lazy vs pandas vs Polars lazy:\n\n" + out.stdout.strip() + "\n")
    if "engine" in args.only:
        engine_rows = min(args.rows, 1_000_000)
        out = subprocess.run([sys.executable, str(Path(__file__).with_name("bench_engine.py")),
                              "--rows", str(engine_rows)], capture_output=True, text=True, check=True)
        print(out.stdout)
        sections.append(f"{ENGINE_TITLE}\n\nMeasured {time.strftime('%Y-%m-%d')} with `benchmarks/bench_engine.py "
                        f"--rows {engine_rows}` on: {machine()}. Counts do not depend on the machine; the "
                        "seconds column does (the first merge includes compilation).\n\n" + out.stdout.strip() + "\n")
    if not args.no_write:
        intro = "# Benchmark results\n\nWritten by benchmarks/run_benchmarks.py. Ratios: other engine's time / " \
                "JaxFrames' time (above 1 means JaxFrames is faster).\n\n"
        if set(ALL_SECTIONS) <= set(args.only) or not RESULTS.exists():
            RESULTS.write_text(intro + "\n".join(sections), encoding="utf-8")
        else:
            RESULTS.write_text(replace_sections(RESULTS.read_text(encoding="utf-8"), sections[1:]), encoding="utf-8")
        print(f"wrote {RESULTS}")


def replace_sections(text: str, sections: list[str]) -> str:
    """``text`` with each "### title" section replaced by the new one of that title (or appended)."""
    for section in sections:
        title = section.splitlines()[0]
        start = text.find(title + "\n")
        if start < 0:
            text = text.rstrip("\n") + "\n\n" + section
            continue
        nxt = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i >= 0]
        end = min(nxt) + 1 if nxt else len(text)
        text = text[:start] + section + ("\n" if nxt else "") + text[end:]
    return text


if __name__ == "__main__":
    main()
