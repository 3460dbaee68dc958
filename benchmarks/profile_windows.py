"""Where a rolling/ewm call spends its time: each step timed alone, jitted, blocked on.

Run: ``uv run python benchmarks/profile_windows.py [--rows 10000000] [--repeats 3]``.
"""
from __future__ import annotations

import argparse

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.kernels import windows as kw
from jaxframes.timing import timed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--window", type=int, default=100)
    a = p.parse_args()
    n, w, r = a.rows, a.window, a.repeats
    values = np.random.default_rng(0).normal(size=n)
    ps, js = pd.Series(values), jf.Series(values)
    x = jax.device_put(values)
    end = jnp.arange(1, n + 1, dtype=jnp.int64)
    start = jnp.maximum(end - w, 0)
    jax.block_until_ready((x, start, end))

    def t(label, fn):
        print(f"{label:50s} {timed(fn, r)[2] * 1e3:9.1f} ms", flush=True)

    for op in ("mean", "std", "min", "max", "median"):
        t(f"pandas rolling({w}).{op}", lambda op=op: getattr(ps.rolling(w), op)())
        t(f"jf rolling({w}).{op} (API)", lambda op=op: getattr(js.rolling(w), op)()._column.data)
        kop = {"std": "var", "median": "quantile"}.get(op, op)
        kws = {"q": 0.5, "interpolation": "midpoint"} if op == "median" else {}
        nat = jax.jit(lambda v, s, e, kop=kop, kws=kws: kw.window_reduce_native(kop, v, s, e, **kws))
        t(f"  C++ kernel {kop} alone", lambda nat=nat: nat(x, start, end))
    cnt = jax.jit(lambda v, s, e: kw.window_count(~jnp.isnan(v), s, e))
    t("  window_count alone", lambda: cnt(x, start, end))
    t("pandas ewm(span=20).mean", lambda: ps.ewm(span=20).mean())
    t("jf ewm(span=20).mean (API)", lambda: js.ewm(span=20).mean()._column.data)
    a_ = jnp.full(n, 0.9)
    scan = jax.jit(kw.affine_scan)
    t("  affine_scan alone (one of two)", lambda: scan(a_, x))
    cs = jax.jit(jnp.cumsum)
    t("  jnp.cumsum alone (reference)", lambda: cs(x))
    ew = jax.jit(lambda v: jnp.where(jnp.isnan(v), 0.0, v) * 2 + 1)
    t("  one elementwise pass (reference)", lambda: ew(x))


if __name__ == "__main__":
    main()
