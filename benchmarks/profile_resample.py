"""Where resample('1h').agg(...) spends its time at 1e7 rows: each step timed alone (jitted,
blocked on). Run: ``uv run python benchmarks/profile_resample.py [--rows N] [--repeats R]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import jaxframes as jf
from jaxframes.kernels.keys import key_range
from jaxframes.timeseries import resample as rs

sys.path.insert(0, str(Path(__file__).parent))
from bench_resample import SPEC, make_data  # noqa: E402
from common import timed  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    pdf = make_data(a.rows)
    ours = jf.from_pandas(pdf)

    def t(label, fn):
        print(f"{label:55s} {timed(fn, a.repeats)[2] * 1e3:9.1f} ms", flush=True)

    t("pandas resample('1h').agg", lambda: pdf.resample("1h").agg(SPEC))
    t("jf resample('1h').agg (API)", lambda: ours.resample("1h").agg(SPEC))
    r = ours.resample("1h")
    r._state()
    t("  state: bins + ids (_build_state)", lambda: ours.resample("1h")._state().grouping.ids)
    times = ours._table.index.column
    live = ours._table.live()
    t("    key_range (host sync of the time range)", lambda: key_range(times.data, live))
    st = r._state()
    g = st.grouping
    price, volume = ours._table.columns["price"], ours._table.columns["volume"]
    t("  _stats(price, mean/max/min)", lambda: rs._stats(price.data, g.ids, g.live_sorted,
                                                         num_slots=g.num_slots, nan_null=True))
    t("  volume sum (AGGREGATIONS['sum'])", lambda: rs.AGGREGATIONS["sum"](volume, g).data)
    t("  agg after the state is built", lambda: r.agg(SPEC))
    ew = jax.jit(lambda v: v + 1)
    t("  reference: one elementwise pass", lambda: ew(price.data))


if __name__ == "__main__":
    main()
