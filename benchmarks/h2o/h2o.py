"""The H2O db-benchmark (group-by q1-q10, join q1-q5) as written for pandas, run unchanged on
JaxFrames (only the module passed as ``pd`` differs), next to pandas, Polars and DuckDB.

Run (the README's command):

    uv run python benchmarks/h2o/h2o.py --rows 1e7 --threads 1 2

Writes benchmarks/h2o/RESULTS.md and benchmarks/h2o/h2o.png (``--out`` to write elsewhere).
Each thread count runs in its own child process whose CPU affinity is set before JAX, Polars
and DuckDB start (the C++ kernels' thread pool, XLA, Polars and DuckDB all size themselves from
it). Every JaxFrames answer (eager and lazy) is checked against pandas' before it is timed;
Polars and DuckDB answers are checked by row count. A question JaxFrames cannot run yet is
reported with its exception, never skipped silently.

Data follows db-benchmark's generator (groupby-datagen.R / join-datagen.R): id1-id3 strings
with K, K and N/K distinct values, id4-id6 integers with K, K and N/K values, v1 in 1..5,
v2 in 1..15, v3 uniform with 6 decimals; ``--nas`` percent of each column null (pandas
nullable dtypes); ``--sorted`` sorts the rows by the ids. Join: x (N rows) against small
(N/1e6), medium (N/1e3) and big (N) tables whose keys cover ~90% of x's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
SLOW_S = 5.0

# ---------------------------------------------------------------------------------------------
# The questions, written once in pandas code. ``pd`` is the pandas module or jaxframes.

GROUPBY: dict[str, Callable[..., Any]] = {
    "q1 sum v1 by id1": lambda pd, x: x.groupby("id1", as_index=False, sort=False, observed=True,
                                                dropna=False).agg({"v1": "sum"}),
    "q2 sum v1 by id1:id2": lambda pd, x: x.groupby(["id1", "id2"], as_index=False, sort=False, observed=True,
                                                    dropna=False).agg({"v1": "sum"}),
    "q3 sum v1 mean v3 by id3": lambda pd, x: x.groupby("id3", as_index=False, sort=False, observed=True,
                                                        dropna=False).agg({"v1": "sum", "v3": "mean"}),
    "q4 mean v1:v3 by id4": lambda pd, x: x.groupby("id4", as_index=False, sort=False, observed=True,
                                                    dropna=False).agg({"v1": "mean", "v2": "mean", "v3": "mean"}),
    "q5 sum v1:v3 by id6": lambda pd, x: x.groupby("id6", as_index=False, sort=False, observed=True,
                                                   dropna=False).agg({"v1": "sum", "v2": "sum", "v3": "sum"}),
    "q6 median v3 sd v3 by id4 id5": lambda pd, x: x.groupby(["id4", "id5"], as_index=False, sort=False,
                                                             observed=True, dropna=False).agg(
        {"v3": ["median", "std"]}),
    "q7 max v1 - min v2 by id3": lambda pd, x: x.groupby("id3", as_index=False, sort=False, observed=True,
                                                         dropna=False).agg({"v1": "max", "v2": "min"}).assign(
        range_v1_v2=lambda x: x["v1"] - x["v2"])[["id3", "range_v1_v2"]],
    "q8 largest two v3 by id6": lambda pd, x: x[~x["v3"].isna()][["id6", "v3"]].sort_values(
        "v3", ascending=False).groupby("id6", as_index=False, sort=False, observed=True, dropna=False).head(2),
    "q9 regression v1 v2 by id2 id4": lambda pd, x: x[["id2", "id4", "v1", "v2"]].groupby(
        ["id2", "id4"], as_index=False, sort=False, observed=True, dropna=False).apply(
        lambda x: pd.Series({"r2": x.corr()["v1"]["v2"] ** 2})),
    "q10 sum v3 count by id1:id6": lambda pd, x: x.groupby(
        ["id1", "id2", "id3", "id4", "id5", "id6"], as_index=False, sort=False, observed=True,
        dropna=False).agg(v3=("v3", "sum"), v1=("v1", "size")),
}

JOIN: dict[str, Callable[..., Any]] = {
    "q1 small inner on int": lambda pd, x, small, medium, big: x.merge(small, on="id1"),
    "q2 medium inner on int": lambda pd, x, small, medium, big: x.merge(medium, on="id2"),
    "q3 medium outer on int": lambda pd, x, small, medium, big: x.merge(medium, how="left", on="id2"),
    "q4 medium inner on factor": lambda pd, x, small, medium, big: x.merge(medium, on="id5"),
    "q5 big inner on int": lambda pd, x, small, medium, big: x.merge(big, on="id3"),
}


def _polars_groupby(pl) -> dict[str, Callable[[Any], Any]]:
    c = pl.col
    return {
        "q1 sum v1 by id1": lambda x: x.group_by("id1").agg(c("v1").sum()),
        "q2 sum v1 by id1:id2": lambda x: x.group_by("id1", "id2").agg(c("v1").sum()),
        "q3 sum v1 mean v3 by id3": lambda x: x.group_by("id3").agg(c("v1").sum(), c("v3").mean()),
        "q4 mean v1:v3 by id4": lambda x: x.group_by("id4").agg(c("v1").mean(), c("v2").mean(), c("v3").mean()),
        "q5 sum v1:v3 by id6": lambda x: x.group_by("id6").agg(c("v1").sum(), c("v2").sum(), c("v3").sum()),
        "q6 median v3 sd v3 by id4 id5": lambda x: x.group_by("id4", "id5").agg(
            c("v3").median().alias("median_v3"), c("v3").std().alias("sd_v3")),
        "q7 max v1 - min v2 by id3": lambda x: x.group_by("id3").agg(
            (c("v1").max() - c("v2").min()).alias("range_v1_v2")),
        "q8 largest two v3 by id6": lambda x: x.drop_nulls("v3").group_by("id6").agg(
            c("v3").top_k(2).alias("largest2_v3")).explode("largest2_v3"),
        "q9 regression v1 v2 by id2 id4": lambda x: x.group_by("id2", "id4").agg(
            (pl.corr("v1", "v2") ** 2).alias("r2")),
        "q10 sum v3 count by id1:id6": lambda x: x.group_by("id1", "id2", "id3", "id4", "id5", "id6").agg(
            c("v3").sum(), c("v1").count().alias("count")),
    }


DUCKDB_GROUPBY = {
    "q1 sum v1 by id1": "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1",
    "q2 sum v1 by id1:id2": "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
    "q3 sum v1 mean v3 by id3": "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
    "q4 mean v1:v3 by id4": "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
    "q5 sum v1:v3 by id6": "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
    "q6 median v3 sd v3 by id4 id5": "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 "
                                     "FROM x GROUP BY id4, id5",
    "q7 max v1 - min v2 by id3": "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3",
    "q8 largest two v3 by id6": "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER "
                                "(PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) "
                                "sub_query WHERE order_v3 <= 2",
    "q9 regression v1 v2 by id2 id4": "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
    "q10 sum v3 count by id1:id6": "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count "
                                   "FROM x GROUP BY id1, id2, id3, id4, id5, id6",
}

_POLARS_JOIN = {"q1 small inner on int": ("small", "id1", "inner"), "q2 medium inner on int": ("medium", "id2", "inner"),
                "q3 medium outer on int": ("medium", "id2", "left"), "q4 medium inner on factor": ("medium", "id5", "inner"),
                "q5 big inner on int": ("big", "id3", "inner")}
DUCKDB_JOIN = {q: f"SELECT * FROM x {'LEFT ' if how == 'left' else ''}JOIN {t} USING ({k})"
               for q, (t, k, how) in _POLARS_JOIN.items()}


# ---------------------------------------------------------------------------------------------
# Data, like db-benchmark's generators.

def make_groupby(n: int, k: int, nas: int, sort: bool, seed: int = 108):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    nk = max(n // k, 1)

    def ids(count: int, width: int):
        labels = np.array([f"id{i:0{width}d}" for i in range(1, count + 1)], dtype=object)
        return labels[rng.integers(0, count, n)]

    data = {"id1": ids(k, 3), "id2": ids(k, 3), "id3": ids(nk, 10),
            "id4": rng.integers(1, k + 1, n), "id5": rng.integers(1, k + 1, n), "id6": rng.integers(1, nk + 1, n),
            "v1": rng.integers(1, 6, n), "v2": rng.integers(1, 16, n), "v3": np.round(rng.random(n) * 100, 6)}
    df = pd.DataFrame(data)
    df[["id1", "id2", "id3"]] = df[["id1", "id2", "id3"]].astype("str")
    if nas:
        for col in df.columns:  # nas percent of every column null (db-benchmark's NA variants)
            hit = rng.random(n) < nas / 100
            if col.startswith("id") and col[2] in "456" or col in ("v1", "v2"):
                df[col] = df[col].astype("Int64")
            df.loc[hit, col] = None if df[col].dtype == "str" else pd.NA if col != "v3" else np.nan
    if sort:
        df = df.sort_values(["id1", "id2", "id3", "id4", "id5", "id6"], ignore_index=True)
    return df


def make_join(n: int, nas: int, seed: int = 108, big: bool = True):
    """x, small, medium, big (None when ``big`` is False: q5, the only question that reads it,
    is skipped; the other tables are the same either way, big is drawn last)."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    n1, n2 = max(n // 1_000_000, 1), max(n // 1_000, 1)

    def keys(count: int, size: int):  # x's keys: 90% present on the right, 10% not
        return rng.integers(1, int(count * 1.1) + 1, size)

    def label(v):
        return pd.Series(np.char.add("id", np.asarray(v).astype(str)), dtype="str")

    x = pd.DataFrame({"id1": keys(n1, n), "id2": keys(n2, n), "id3": keys(n, n)})
    x["id4"], x["id5"], x["id6"] = label(x["id1"]), label(x["id2"]), label(x["id3"])
    x["v1"] = np.round(rng.random(n) * 100, 6)

    def right(count: int, cols: list[str]):
        base = {"id1": rng.permutation(np.arange(1, count + 1)) % n1 + 1,
                "id2": rng.permutation(np.arange(1, count + 1)) % n2 + 1,
                "id3": rng.permutation(np.arange(1, count + 1))}
        df = pd.DataFrame({c: base[c] for c in cols if c in base})
        for c, src in (("id4", "id1"), ("id5", "id2"), ("id6", "id3")):
            if c in cols:
                df[c] = label(df[src])
        df["v2"] = np.round(rng.random(count) * 100, 6)
        return df

    small, medium = right(n1, ["id1", "id4"]), right(n2, ["id1", "id2", "id4", "id5"])
    big = right(n, ["id1", "id2", "id3", "id4", "id5", "id6"]) if big else None
    if nas:
        for df in (x, medium, big) if big is not None else (x, medium):
            hit = rng.random(len(df)) < nas / 100
            df.loc[hit, "v1" if "v1" in df else "v2"] = np.nan
    return x, small, medium, big


# ---------------------------------------------------------------------------------------------
# Running and checking.

def _block(result: Any) -> Any:
    import jax
    return jax.block_until_ready(result)


def _time(fn: Callable[[], Any], repeats: int, block: Callable[[Any], Any]) -> tuple[Any, float, float]:
    start = time.perf_counter()
    result = block(fn())
    first = time.perf_counter() - start
    runs = []
    if first > SLOW_S:  # a question this slow is timed once (pandas' q9 takes tens of seconds)
        repeats = 1
    for _ in range(repeats):
        start = time.perf_counter()
        block(fn())
        runs.append(time.perf_counter() - start)
    return result, first, statistics.median(runs) if runs else first


def _canonical(df):
    """Rows in a fixed order (sort=False orders differ between engines), a fresh index."""
    import pandas as pd
    df = pd.DataFrame(df).reset_index(drop=True)
    return df.sort_values(list(df.columns), kind="stable", na_position="last").reset_index(drop=True)


def check(got_pandas, want) -> None:
    import pandas as pd
    pd.testing.assert_frame_equal(_canonical(got_pandas), _canonical(want), check_exact=False, rtol=1e-6)


def _rows(result: Any) -> int:
    for attr in ("height", "shape"):
        if hasattr(result, attr):
            v = getattr(result, attr)
            return v if isinstance(v, int) else v[0]
    return len(next(iter(result.values())))  # duckdb fetchnumpy: dict of arrays


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return text[:160]


def run_suite(rows: int, k: int, nas: int, sort: bool, repeats: int, engines: list[str], what: list[str],
              verbose: bool = True, skip: dict[str, tuple[str, ...]] | None = None) -> list[dict]:
    """All questions on one data set, in this process. Returns one record per (question, engine).
    ``skip``: task -> question ids ('q9') not run (reported as skipped)."""
    skip = skip or {}
    import duckdb
    import pandas as pd
    import polars as pl

    import jaxframes as jf
    out: list[dict] = []

    def say(msg: str) -> None:
        if verbose:
            print(msg, flush=True)

    def jf_block(r: Any) -> Any:
        return _block(r)

    def record(task: str, q: str, engine: str, **fields: Any) -> None:
        out.append({"task": task, "question": q, "engine": engine, **fields})
        say(f"  {task} {q:34s} {engine:16s} " + " ".join(f"{k}={v}" for k, v in fields.items()))

    suites = []
    if "groupby" in what:
        x = make_groupby(rows, k, nas, sort)
        suites.append(("groupby", GROUPBY, _polars_groupby(pl), DUCKDB_GROUPBY, {"x": x}))
    if "join" in what:
        # the 1e7 x 1e7 table only when q5 runs (memory: --skip join:q5, then q5 alone)
        x, small, medium, big = make_join(rows, nas, big="q5" not in skip.get("join", ()))
        tables = {"x": x, "small": small, "medium": medium, "big": big}
        suites.append(("join", JOIN, {q: (lambda t, key, how: lambda d: d["x"].join(d[t], on=key, how=how))(*spec)
                                      for q, spec in _POLARS_JOIN.items()}, DUCKDB_JOIN,
                       {name: df for name, df in tables.items() if df is not None}))
    for task, questions, polars_q, duck_q, frames in suites:
        ours = {name: jf.DataFrame(df) for name, df in frames.items()}
        # Polars' copies and DuckDB's registration only for the engines that run (1e7: ~1 GB each)
        pl_frames = {name: pl.from_pandas(df) for name, df in frames.items()} if "polars" in engines else {}
        con = duckdb.connect()
        if "duckdb" in engines:
            for name, df in frames.items():
                con.register(name, df)

        def args(module, fr):
            return (module, fr["x"]) if task == "groupby" else (module, fr["x"], fr["small"], fr["medium"], fr.get("big"))

        for q, code in questions.items():
            if q.split()[0] in skip.get(task, ()):
                for engine in ["pandas", *engines]:
                    record(task, q, engine, error="skipped: not run at this size (--skip)")
                continue
            want, first, med = _time(lambda: code(*args(pd, frames)), repeats, lambda r: r)
            record(task, q, "pandas", ms=round(med * 1e3, 2), first_ms=round(first * 1e3, 2))
            if "jaxframes" in engines:
                try:
                    got, first, med = _time(lambda: code(*args(jf, ours)), repeats, jf_block)
                    check(got.to_pandas(), want)
                    got = None  # the next engine is timed without this answer alive (1e7 joins: ~1 GB)
                    record(task, q, "jaxframes", ms=round(med * 1e3, 2), first_ms=round(first * 1e3, 2))
                except Exception as exc:  # reported, never skipped silently
                    record(task, q, "jaxframes", error=_short(exc))
            if "jaxframes-lazy" in engines:
                try:
                    lazy = {name: f.lazy() for name, f in ours.items()}

                    def lazy_run():
                        return code(*args(jf, lazy)).collect()
                    got, first, med = _time(lazy_run, repeats, jf_block)
                    check(got.to_pandas(), want)
                    got = None
                    record(task, q, "jaxframes-lazy", ms=round(med * 1e3, 2), first_ms=round(first * 1e3, 2))
                except Exception as exc:
                    record(task, q, "jaxframes-lazy", error=_short(exc))
            if "polars" in engines:
                try:
                    got, first, med = _time(lambda: polars_q[q](pl_frames["x"] if task == "groupby" else pl_frames),
                                            repeats, lambda r: r)
                    status = "ok" if _rows(got) == len(want) else f"rows {_rows(got)} != pandas {len(want)}"
                    record(task, q, "polars", ms=round(med * 1e3, 2), check=status)
                except Exception as exc:
                    record(task, q, "polars", error=_short(exc))
            if "duckdb" in engines:
                try:
                    got, first, med = _time(lambda: con.execute(duck_q[q]).fetchnumpy(), repeats, lambda r: r)
                    status = "ok" if _rows(got) == len(want) else f"rows {_rows(got)} != pandas {len(want)}"
                    record(task, q, "duckdb", ms=round(med * 1e3, 2), check=status)
                except Exception as exc:
                    record(task, q, "duckdb", error=_short(exc))
    return out


def machine() -> str:
    import duckdb
    import jax
    import pandas as pd
    import polars as pl

    import jaxframes as jf
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (f"{jax.default_backend()} backend; host: {cpu}, {os.cpu_count()} cores; jax {jax.__version__}, "
            f"pandas {pd.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}; "
            f"C++ kernels: {jf.native_kernels_available()}")


# ---------------------------------------------------------------------------------------------
# Report.

def _geomean(values: list[float]) -> float:
    import math
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def report(results: dict[int, list[dict]], args: argparse.Namespace, host: str, load: str) -> str:
    lines = ["# H2O db-benchmark: JaxFrames vs pandas, Polars, DuckDB", "",
             "Written by `benchmarks/h2o/h2o.py`. The pandas code of each question runs unchanged on JaxFrames "
             "(the module passed as `pd` differs). Times are medians of "
             f"{args.repeats} runs after a first call (compilation), in ms. Ratios: pandas (or Polars) time / "
             "JaxFrames eager time; above 1 means JaxFrames is faster. JaxFrames answers are checked "
             "against pandas (values, dtypes, columns); Polars/DuckDB by row count.", "",
             f"Command: `uv run python benchmarks/h2o/h2o.py --rows {args.rows:.0e} --k {args.k} --nas {args.nas}"
             f"{' --sorted' if args.sorted else ''} --threads {' '.join(map(str, args.threads))}"
             f"{' --skip ' + ' '.join(args.skip) if getattr(args, 'skip', None) else ''}`", "",
             f"Machine: {host}", "", f"Load average when the run started: {load}", ""]
    for threads, recs in results.items():
        lines += [f"## {threads} thread(s), {args.rows:,} rows, K={args.k}, NAs {args.nas}%"
                  f"{', sorted' if args.sorted else ''}", "",
                  "| task | question | jaxframes ms | jf first call ms | jf lazy ms | pandas ms | polars ms | duckdb ms "
                  "| pandas/jf | polars/jf |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        by = {(r["task"], r["question"], r["engine"]): r for r in recs}
        ratios = []
        notes = []
        for task, q in dict.fromkeys((r["task"], r["question"]) for r in recs):
            def cell(engine: str, field: str = "ms") -> str:
                r = by.get((task, q, engine))
                if r is None:
                    return "-"
                if "error" in r:
                    if r["error"].startswith("skipped"):
                        notes.append(f"- {task} {q}: {r['error']}")
                        return "skipped"
                    notes.append(f"- {task} {q}, {engine}: {r['error']}")
                    return "not supported yet" if engine.startswith("jaxframes") else "error"
                return f"{r[field]:.1f}"
            ours, pand, pol = by.get((task, q, "jaxframes")), by.get((task, q, "pandas")), by.get((task, q, "polars"))
            ok = ours is not None and "ms" in ours
            ratio = pand["ms"] / ours["ms"] if ok and pand else None
            pol_ratio = pol["ms"] / ours["ms"] if ok and pol and "ms" in pol else None
            if ratio:
                ratios.append(ratio)
            lines.append(f"| {task} | {q} | {cell('jaxframes')} | {cell('jaxframes', 'first_ms')} | "
                         f"{cell('jaxframes-lazy')} | {cell('pandas')} | {cell('polars')} | {cell('duckdb')} | "
                         f"{'-' if ratio is None else f'{ratio:.2f}x'} | "
                         f"{'-' if pol_ratio is None else f'{pol_ratio:.2f}x'} |")
        lines += ["", f"Geometric mean pandas/jf over the {len(ratios)} questions JaxFrames runs: "
                  f"{_geomean(ratios):.2f}x", ""]
        if notes:
            lines += ["Not supported / errors:", ""] + sorted(set(notes)) + [""]
    return "\n".join(lines) + "\n"


def chart(results: dict[int, list[dict]], path: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    engines = ["jaxframes", "jaxframes-lazy", "pandas", "polars", "duckdb"]
    fig, axes = plt.subplots(len(results), 1, figsize=(14, 5 * len(results)), squeeze=False)
    for ax, (threads, recs) in zip(axes[:, 0], results.items()):
        qs = list(dict.fromkeys((r["task"], r["question"]) for r in recs))
        by = {(r["task"], r["question"], r["engine"]): r for r in recs}
        width = 0.8 / len(engines)
        for i, engine in enumerate(engines):
            vals = [by.get((t, q, engine), {}).get("ms", 0.0) for t, q in qs]
            ax.bar([j + i * width for j in range(len(qs))], vals, width, label=engine)
        ax.set_xticks([j + 0.4 for j in range(len(qs))])
        ax.set_xticklabels([f"{t} {q.split()[0]}" for t, q in qs], rotation=45, ha="right")
        ax.set_yscale("log")
        ax.set_ylabel("ms (log)")
        ax.set_title(f"H2O questions, {threads} thread(s) (missing bar: not supported)")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return True


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=float, default=1e6)
    p.add_argument("--k", type=int, default=100)
    p.add_argument("--nas", type=int, default=0, help="percent of nulls per column")
    p.add_argument("--sorted", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--what", nargs="+", default=["groupby", "join"])
    p.add_argument("--engines", nargs="+", default=["jaxframes", "jaxframes-lazy", "pandas", "polars", "duckdb"])
    p.add_argument("--skip", nargs="+", default=[], metavar="TASK:QID",
                   help="questions not run, e.g. groupby:q9 (reported as skipped)")
    p.add_argument("--out", type=Path, default=HERE)
    p.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--combine", type=Path, nargs="+", default=[], metavar="RESULTS_JSON",
                   help="write one report from the results.json of separate runs (e.g. --what groupby, then "
                        "--what join; each thread count) instead of running")
    args = p.parse_args(argv)
    args.rows = int(args.rows)
    if args.combine:
        combine(args)
        return
    if args.child:
        skip: dict[str, tuple[str, ...]] = {}
        for item in args.skip:
            task, qid = item.split(":")
            skip[task] = skip.get(task, ()) + (qid,)
        recs = run_suite(args.rows, args.k, args.nas, args.sorted, args.repeats, args.engines, args.what,
                         skip=skip)
        print("H2O-RESULT " + json.dumps({"records": recs, "machine": machine()}), flush=True)
        return
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results: dict[int, list[dict]] = {}
    host = ""
    for threads in args.threads:
        cpus = sorted(os.sched_getaffinity(0))[:threads]
        env = dict(os.environ, POLARS_MAX_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        cmd = [sys.executable, __file__, "--child", str(threads), "--rows", str(args.rows), "--k", str(args.k),
               "--nas", str(args.nas), "--repeats", str(args.repeats), "--what", *args.what,
               "--engines", *args.engines] + (["--sorted"] if args.sorted else []) + \
            (["--skip", *args.skip] if args.skip else [])
        print(f"== {threads} thread(s) on CPUs {cpus}", flush=True)
        proc = subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE,
                                preexec_fn=lambda cpus=cpus: os.sched_setaffinity(0, cpus))
        lines = []
        for line in proc.stdout:  # progress as it comes (a long run cut short still leaves its log)
            if line.startswith("H2O-RESULT "):
                lines.append(line)
            else:
                print(line, end="", flush=True)
        proc.wait()
        if proc.returncode or not lines:
            raise SystemExit(f"the {threads}-thread run failed (exit {proc.returncode})")
        payload = json.loads(lines[-1][len("H2O-RESULT "):])
        results[threads] = payload["records"]
        host = payload["machine"]
        text = write_report(results, args, host, load)  # after each thread count: a cut-off run keeps it
    print(text)


def combine(args: argparse.Namespace) -> None:
    """One report from several runs' results.json: records of the same thread count are joined
    (groupby run + join run), the machine line is the first run's, every run's load is listed."""
    results: dict[int, list[dict]] = {}
    host, loads = "", []
    for path in args.combine:
        payload = json.loads(path.read_text())
        host = host or payload["machine"]
        loads.append(payload["load"])
        for threads, recs in payload["results"].items():
            results.setdefault(int(threads), []).extend(recs)
    args.threads = sorted(results)
    results = {t: _measured_first(results[t]) for t in args.threads}
    print(write_report(results, args, host, "; ".join(loads)))


def _measured_first(recs: list[dict]) -> list[dict]:
    """One record per (task, question, engine), in first-seen order: the last measured one, a
    run's '--skip' record only where no run measured it (runs that each skip the others' questions)."""
    keep: dict[tuple, dict] = {}
    for r in recs:
        key = (r["task"], r["question"], r["engine"])
        if key not in keep or not str(r.get("error", "")).startswith("skipped"):
            keep[key] = r
    return list(keep.values())


def write_report(results: dict[int, list[dict]], args: argparse.Namespace, host: str, load: str) -> str:
    args.out.mkdir(parents=True, exist_ok=True)
    text = report(results, args, host, load)
    if chart(results, args.out / "h2o.png"):
        text += "\n![H2O timings](h2o.png)\n"
    (args.out / "RESULTS.md").write_text(text)
    (args.out / "results.json").write_text(json.dumps({"machine": host, "load": load, "results": results}))
    return text


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        raise
