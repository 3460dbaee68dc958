"""Argsort benchmark: the C++ radix path and the pure-JAX path against jnp, numpy and pandas.

Run: ``uv run python benchmarks/bench_argsort.py [--sizes 1000000 10000000] [--repeats 5]``.
Each cell is the median of ``--repeats`` timed runs after one warm-up call; for jitted paths the
warm-up (compile + first run) is reported separately. Results are blocked on before the clock
stops. Prints a markdown table.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.timing import timed
from jaxframes.kernels import native, sort
from jaxframes.kernels.keys import SortKey


def make_case(case: str, n: int, rng: np.random.Generator) -> list[np.ndarray]:
    if case == "int64":
        return [rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64)]
    if case == "float64":
        return [rng.normal(size=n)]
    if case == "two int32":
        return [rng.integers(0, 1000, n, dtype=np.int32),
                rng.integers(np.iinfo(np.int32).min, np.iinfo(np.int32).max, n, dtype=np.int32)]
    raise ValueError(case)


def methods(cols: list[np.ndarray]) -> dict[str, tuple[Callable[[], object], bool]]:
    """name -> (thunk, is_jitted)."""
    dev = [jax.device_put(c) for c in cols]
    out: dict[str, tuple[Callable[[], object], bool]] = {}
    if native.available():
        cpp = jax.jit(lambda *xs: sort.argsort_native([SortKey(x) for x in xs]))
        out["jaxframes C++ radix"] = (lambda: cpp(*dev), True)
    jx = jax.jit(lambda *xs: sort.argsort_jax([SortKey(x) for x in xs]))
    out["jaxframes pure-JAX (lax.sort)"] = (lambda: jx(*dev), True)
    if len(cols) == 1:
        raw = jax.jit(lambda x: jnp.argsort(x, stable=True))
        out["jnp.argsort(stable)"] = (lambda: raw(dev[0]), True)
        out["numpy argsort(stable)"] = (lambda: cols[0].argsort(kind="stable"), False)
        s = pd.Series(cols[0])
        out["pandas Series.sort_values"] = (lambda: s.sort_values(kind="stable").index, False)
    else:
        raw = jax.jit(lambda *xs: jnp.lexsort(xs[::-1]))
        out["jnp.lexsort"] = (lambda: raw(*dev), True)
        out["numpy lexsort"] = (lambda: np.lexsort(cols[::-1]), False)
        df = pd.DataFrame({f"k{i}": c for i, c in enumerate(cols)})
        out["pandas DataFrame.sort_values"] = (
            lambda: df.sort_values(list(df.columns), kind="stable").index, False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cases", nargs="+", default=["int64", "float64", "two int32"])
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"backend={jax.default_backend()} devices={jax.devices()} native={native.available()}")
    print()
    print("| keys | rows | method | median ms | compile+first s | speedup vs numpy | vs jnp |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for case in args.cases:
        for n in args.sizes:
            cols = make_case(case, n, rng)
            results = {}
            for name, (fn, jitted) in methods(cols).items():
                _, first, med = timed(fn, args.repeats)
                results[name] = (first, med, jitted)
            np_time = next(m for k, (_, m, _) in results.items() if k.startswith("numpy"))
            jnp_time = next(m for k, (_, m, _) in results.items() if k.startswith("jnp"))
            for name, (first, med, jitted) in results.items():
                compile_s = f"{first:.2f}" if jitted else "-"
                print(f"| {case} | {n:,} | {name} | {med * 1e3:.1f} | {compile_s} | "
                      f"{np_time / med:.2f}x | {jnp_time / med:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
