"""Engine counters: primitives per elementwise op, compilations per ten merges of similar sizes,
host syncs per operation. Counts, not timings: they say whether the engine wastes work that a
timing on one machine would hide (a recompile per new length, a sync per operation).

    python benchmarks/bench_engine.py --rows 100000
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.compiles import count_compiles
from jaxframes.sharding import data_capacity
from jaxframes.sync import count_syncs
from jaxframes.timing import block


def equations(jaxpr: Any) -> int:
    """Primitive applications in a jaxpr, counting those inside nested jaxprs (pjit, cond...)."""
    total = 0
    for eqn in jaxpr.eqns:
        subs = [v for v in eqn.params.values() if hasattr(v, "jaxpr") or hasattr(v, "eqns")]
        if subs:
            total += sum(equations(s.jaxpr if hasattr(s, "jaxpr") else s) for s in subs)
        else:
            total += 1
    return total


def primitives_table(rows: int) -> list[str]:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=rows), rng.normal(size=rows)
    frame = jf.DataFrame({"a": a, "b": b})
    filtered = frame[frame["a"] > 0]
    ours = equations(jax.make_jaxpr(lambda f: f["a"] * 2 + f["b"])(frame).jaxpr)
    masked = equations(jax.make_jaxpr(lambda f: f["a"] * 2 + f["b"])(filtered).jaxpr)
    plain = equations(jax.make_jaxpr(lambda x, y: x * 2 + y)(jnp.asarray(a), jnp.asarray(b)).jaxpr)
    return ["| expression | jaxpr equations |", "|---|---:|",
            f"| jnp: `a * 2 + b` | {plain} |",
            f"| jaxframes: `df['a'] * 2 + df['b']` | {ours} |",
            f"| jaxframes, filtered frame (row mask) | {masked} |"]


def _merge_inputs(rows: int, i: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sizes that differ from run to run but share capacity buckets; every left key matches once."""
    rng = np.random.default_rng(i)
    n, m = rows - 3 * i, rows // 2 - 5 * i
    left = pd.DataFrame({"k": rng.integers(0, rows // 2, n), "a": rng.normal(size=n)})
    right = pd.DataFrame({"k": rng.permutation(m), "b": rng.normal(size=m)})
    return left, right


def merge_compiles_table(rows: int) -> list[str]:
    lines = ["| merge | left rows (capacity) | right rows (capacity) | compilations | seconds |",
             "|---:|---:|---:|---:|---:|"]
    total = 0
    for i in range(10):
        left, right = _merge_inputs(rows, i)
        lf, rf = jf.from_pandas(left), jf.from_pandas(right)
        start = time.perf_counter()
        with count_compiles() as count:
            block(lf.merge(rf, on="k"))
        total += count.compiles
        lines.append(f"| {i + 1} | {len(left)} ({lf._capacity}) | {len(right)} ({rf._capacity}) | "
                     f"{count.compiles} | {time.perf_counter() - start:.3f} |")
    lines.append(f"| all ten | | | {total} | |")
    return lines


def syncs_table(rows: int) -> list[str]:
    rng = np.random.default_rng(1)
    left = jf.from_pandas(pd.DataFrame({"k": rng.integers(0, 1000, rows), "s": rng.choice(["x", "y"], rows),
                                        "a": rng.normal(size=rows), "b": rng.normal(size=rows)}))
    right = jf.from_pandas(pd.DataFrame({"k": np.arange(1000), "w": rng.normal(size=1000)}))

    def filter_elementwise():
        kept = left[left["a"] > 0]
        return kept.assign(c=kept["a"] * 2 + kept["b"])

    ops: list[tuple[str, Callable[[], Any], str]] = [
        ("filter + elementwise", filter_elementwise, "0"),
        ("sort_values", lambda: left.sort_values("a"), "0"),
        ("group-by + agg (int key)", lambda: left.groupby("k").agg({"a": "sum", "b": "mean"}), "<= 1"),
        ("group-by + agg (string key)", lambda: left.groupby("s").agg({"a": "sum"}), "<= 1"),
        ("merge (inner)", lambda: left.merge(right, on="k"), "<= 2"),
        ("merge (left)", lambda: left.merge(right, on="k", how="left"), "<= 2"),
    ]
    lines = ["| operation (eager) | host syncs | budget |", "|---|---:|---:|"]
    for name, fn, budget in ops:
        block(fn())
        with count_syncs() as count:
            block(fn())
        lines.append(f"| {name} | {count.syncs} | {budget} |")
    return lines


def report(rows: int) -> str:
    merge_rows = max(rows // 10, 1000)
    return "\n".join([
        "Primitives per elementwise op (jaxpr equations, nested ones included):", "",
        *primitives_table(rows), "",
        f"Compilations per ten merges of similar sizes (left ~{merge_rows} rows, right ~{merge_rows // 2}; "
        f"capacities are buckets: {data_capacity(merge_rows)} / {data_capacity(merge_rows // 2)}):", "",
        *merge_compiles_table(merge_rows), "",
        "Host syncs per operation (`jaxframes.sync.count_syncs`, after a warm-up call):", "",
        *syncs_table(rows)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(report(args.rows))


if __name__ == "__main__":
    main()
