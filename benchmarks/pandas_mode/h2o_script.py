"""An H2O-style group-by/join script written for plain pandas (nothing JaxFrames-specific).

    python benchmarks/pandas_mode/h2o_script.py [rows]                      # pandas
    python -m jaxframes.pandas benchmarks/pandas_mode/h2o_script.py [rows]  # accelerator mode

Prints one line per question (seconds, checksum) and a total, so run.py can compare the two."""

import sys
import time

import numpy as np
import pandas as pd

rows = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
rng = np.random.default_rng(0)
k = 100
t0 = time.perf_counter()
x = pd.DataFrame({
    "id1": np.char.add("id", rng.integers(1, k + 1, rows).astype(str)),
    "id2": np.char.add("id", rng.integers(1, k + 1, rows).astype(str)),
    "id4": rng.integers(1, k + 1, rows),
    "id6": rng.integers(1, rows // k + 1, rows),
    "v1": rng.integers(1, 6, rows),
    "v2": rng.integers(1, 16, rows),
    "v3": np.round(rng.uniform(0, 100, rows), 6),
})
small = pd.DataFrame({"id4": np.arange(1, k + 1), "v4": rng.uniform(0, 100, k)})
medium = pd.DataFrame({"id6": np.arange(1, rows // k + 1), "v5": rng.uniform(0, 100, rows // k)})
timings = {"load": time.perf_counter() - t0}


def question(name, fn):
    start = time.perf_counter()
    out = fn()
    checksum = float(out.sum(numeric_only=True).sum())
    timings[name] = time.perf_counter() - start
    print(f"{name}: {timings[name]:.3f} s checksum={checksum:.6g}", flush=True)


question("q1 sum v1 by id1", lambda: x.groupby("id1", as_index=False).agg({"v1": "sum"}))
question("q2 sum v1 by id1:id2", lambda: x.groupby(["id1", "id2"], as_index=False).agg({"v1": "sum"}))
question("q3 sum v1 mean v3 by id4", lambda: x.groupby("id4", as_index=False).agg({"v1": "sum", "v3": "mean"}))
question("q4 mean v1:v3 by id4", lambda: x.groupby("id4", as_index=False).agg({"v1": "mean", "v2": "mean", "v3": "mean"}))
question("q5 sum v1:v3 by id6", lambda: x.groupby("id6", as_index=False).agg({"v1": "sum", "v2": "sum", "v3": "sum"}))
question("j1 small inner on int", lambda: x.merge(small, on="id4"))
question("j2 medium inner on int", lambda: x.merge(medium, on="id6"))
question("f1 filter + sort", lambda: x[x["v3"] > 50].sort_values("v3").head(1000))
print(f"total: {sum(v for k, v in timings.items()):.3f} s", flush=True)
