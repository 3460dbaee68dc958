"""Window benchmark: rolling(100).mean/std/min/max/median and ewm(span=20).mean on float64 rows,
JaxFrames (C++ kernels on the CPU, and the pure-JAX twin) against pandas and Polars, and time
per row as the window grows.

Run: ``uv run python benchmarks/bench_windows.py [--rows 10000000] [--repeats 3]
[--windows 10 100 1000 10000] [--curve-rows N]``. Each cell is the median of ``--repeats`` runs after one warm-up
call; the warm-up (compile + first run) is reported apart. Results are blocked on before the
clock stops. Both tables are markdown; ratios are pandas (or Polars) time / JaxFrames time.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import jax
import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.kernels import windows as kw
from jaxframes.timing import timed

try:
    import polars as pl
except ImportError:  # Polars is optional: its column stays empty
    pl = None

OPS = ["mean", "std", "min", "max", "median"]


def ours(s: jf.Series, op: str, window: int) -> Callable[[], object]:
    if op == "ewm":
        return lambda: s.ewm(span=20).mean()._column.data
    return lambda: getattr(s.rolling(window), op)()._column.data


def twin(x: jax.Array, op: str, window: int) -> Callable[[], object] | None:
    """The pure-JAX kernel alone (what a GPU/TPU runs), jitted; None where it is O(n w)."""
    name = {"mean": "mean", "std": "var", "min": "min", "max": "max"}.get(op)
    if name is None:
        return None
    n = x.shape[0]
    end = jax.numpy.arange(1, n + 1)
    start = jax.numpy.maximum(end - window, 0)
    fn = jax.jit(lambda v, a, b: kw.window_reduce_jax(name, v, a, b, max_window=window + 1))
    return lambda: fn(x, start, end)


def theirs_pandas(s: pd.Series, op: str, window: int) -> Callable[[], object]:
    if op == "ewm":
        return lambda: s.ewm(span=20).mean()
    return lambda: getattr(s.rolling(window), op)()


def theirs_polars(s, op: str, window: int) -> Callable[[], object] | None:
    if pl is None:
        return None
    if op == "ewm":
        return lambda: s.ewm_mean(span=20)
    return lambda: getattr(s, f"rolling_{op}")(window)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--windows", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--curve-rows", type=int, default=None, help="rows for the window-size curve (default --rows)")
    parser.add_argument("--twin", action="store_true", help="also time the pure-JAX twin kernels")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    values = rng.normal(size=args.rows)
    ps = pd.Series(values)
    js = jf.Series(ps)
    xs = jax.device_put(values)
    pls = pl.Series(values) if pl is not None else None

    print(f"## rolling(100) and ewm(span=20).mean on {args.rows:,} float64 rows (median of {args.repeats})\n")
    print("| op | JaxFrames first call (s) | JaxFrames (s) | pandas (s) | Polars (s) | pandas / JaxFrames "
          "| Polars / JaxFrames |" + (" pure-JAX twin (s) |" if args.twin else ""))
    print("|---|---|---|---|---|---|---|" + ("---|" if args.twin else ""))
    for op in OPS + ["ewm"]:
        label = "ewm(span=20).mean" if op == "ewm" else f"rolling(100).{op}"
        _, first, ours_t = timed(ours(js, op, 100), args.repeats)
        _, _, pd_t = timed(theirs_pandas(ps, op, 100), args.repeats)
        pl_fn = theirs_polars(pls, op, 100)
        pl_t = timed(pl_fn, args.repeats)[2] if pl_fn is not None else float("nan")
        row = (f"| {label} | {first:.3f} | {ours_t:.3f} | {pd_t:.3f} | {pl_t:.3f} | {pd_t / ours_t:.2f} "
               f"| {pl_t / ours_t:.2f} |")
        if args.twin:
            tw = twin(xs, op, 100) if op != "ewm" else None
            row += f" {timed(tw, args.repeats)[2]:.3f} |" if tw is not None else " - |"
        print(row, flush=True)

    if args.curve_rows and args.curve_rows != args.rows:
        ps = pd.Series(values[: args.curve_rows])
        js = jf.Series(ps)
        args.rows = args.curve_rows
    print(f"\n## time per row (ns) as the window grows, {args.rows:,} rows\n")
    print("| window | " + " | ".join(f"{op} JaxFrames | {op} pandas" for op in OPS) + " |")
    print("|---|" + "---|---|" * len(OPS))
    for w in args.windows:
        cells = []
        for op in OPS:
            ours_t = timed(ours(js, op, w), args.repeats)[2]
            pd_t = timed(theirs_pandas(ps, op, w), args.repeats)[2]
            cells.append(f"{ours_t / args.rows * 1e9:.1f} | {pd_t / args.rows * 1e9:.1f}")
        print(f"| {w} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
