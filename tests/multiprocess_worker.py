"""One process of a multi-process run (tests/distributed/test_processes.py starts them).

argv: process_id num_processes port mode. Every process builds the same frames row-sharded over
the global mesh (2 CPU devices per process, gloo), runs the queries, and compares the
all-gathered results with pandas; process 0 prints a JSON report as its last line.
mode "queries": sort, group-by, merge (partitioned left and outer, broadcast inner); "queries4"
adds a sort=False group-by and drop_duplicates. mode "killed": one query, then process 1 kills
itself (SIGKILL) and process 0 starts the next query: it must end with an error, not hang.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def main() -> None:
    process_id, num_processes, port, mode = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    from jaxframes.distributed.processes import initialize
    initialize(f"127.0.0.1:{port}", num_processes, process_id)
    import jax

    import jaxframes as jf
    from jaxframes.distributed import join as dj
    from jaxframes.distributed.processes import to_host_frame
    from jaxframes.testing import assert_same_result

    assert jax.process_count() == num_processes and len(jax.devices()) == 2 * num_processes
    sharding = jf.row_sharded(jax.make_mesh((len(jax.devices()),), ("data",)))
    rng = np.random.default_rng(0)
    n = 203
    pdf = pd.DataFrame({"k": rng.integers(0, 30, n), "a": rng.normal(size=n).round(2),
                        "s": pd.Series(rng.choice(["x", "yy", None], n), dtype="str")})
    ours = jf.DataFrame(pdf, sharding=sharding)
    # a right side that is not small (partitioned merge; b widens to float64 where a device has
    # unmatched left rows) and a small one (broadcast: all-gathered to every device)
    right = pd.DataFrame({"k": rng.integers(15, 45, 77), "b": rng.integers(0, 9, 77),
                          "s": pd.Series(rng.choice(["x", "z"], 77), dtype="str")})
    small = right.iloc[:8]
    ours_right, ours_small = jf.DataFrame(right, sharding=sharding), jf.DataFrame(small, sharding=sharding)
    queries = {
        "sort": (lambda d: d.sort_values(["k", "a"]), lambda d: d.sort_values(["k", "a"], kind="stable")),
        "groupby": (lambda d: d.groupby("k")["a"].agg(["sum", "mean", "std"]), None),
        "merge": (lambda d: d.merge(ours_right if isinstance(d, jf.DataFrame) else right, on="k", how="left"),
                  None),
        "merge_outer": (lambda d: d.merge(ours_right if isinstance(d, jf.DataFrame) else right, on=["k", "s"],
                                          how="outer"), None),
        "merge_broadcast": (lambda d: d.merge(ours_small if isinstance(d, jf.DataFrame) else small, on="k"),
                            None),
    }
    if mode == "queries":  # read_parquet: each process reads its own row groups; merge on strings
        queries["parquet_merge"] = (_parquet_merge(process_id), None)
    if mode == "killed":  # one query before the kill, one after
        queries = {k: queries[k] for k in ("sort", "groupby")}
    if mode == "queries4":  # the 4-process run: first-appearance group-by, rows by key range
        queries["groupby_sort_false"] = (lambda d: d.groupby("s", sort=False, dropna=False)["a"].var(), None)
        queries["drop_duplicates"] = (lambda d: d.drop_duplicates(["k"]), None)
    report = {}
    for name, (op, pandas_op) in queries.items():
        if mode == "killed" and name == "groupby":
            if process_id == 1:
                print("killing myself", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(2)  # let the peer die first
            print("starting a query after the peer died", flush=True)
        try:
            result = op(ours)
            assert result._sharding == sharding, "result is not row-sharded"
            assert_same_result(to_host_frame(result), (pandas_op or op)(pdf))
            if name == "parquet_merge":
                _check_own_row_groups(process_id, num_processes)
            strategy = f" ({dj.STRATEGIES[-1]})" if "merge" in name else ""
            report[name] = {"status": "passed", "detail": f"{num_processes} processes{strategy}"}
        except Exception as err:  # noqa: BLE001 - reported
            report[name] = {"status": "failed", "detail": f"{type(err).__name__}: {err}\n{traceback.format_exc()}"}
    print("\n" + json.dumps(report), flush=True)


LEFT_ROWS, RIGHT_ROWS, GROUP_ROWS = 120, 40, 16


def _parquet_frames() -> tuple[pa.Table, pa.Table]:
    """Left: the first half's keys are 'a*' and the second half's 'b*' (so the two processes'
    reads build different string dictionaries), v an int column whose nulls are in the second
    half only (int64 for process 0's rows alone, float64 over the file). Right: keys of both."""
    rng = np.random.default_rng(1)
    half = LEFT_ROWS // 2
    keys = np.concatenate([rng.choice(["a1", "a2", "a3", "c"], half), rng.choice(["b1", "b2", "c"], half)])
    v = [None if i >= half and i % 7 == 6 else i for i in range(LEFT_ROWS)]
    left = pa.table({"key": keys, "v": pa.array(v, pa.int64())})  # no pandas metadata: v reads as float64
    right = pa.table({"key": rng.choice(["a2", "b1", "c", "zz"], RIGHT_ROWS), "w": rng.normal(size=RIGHT_ROWS).round(2)})
    return left, right


def _parquet_merge(process_id: int):
    """A query: both frames read with sharding= (each process its own row groups), merged on the
    string key; the pandas side reads the same files whole."""
    import tempfile

    import jaxframes as jf
    folder = tempfile.mkdtemp(prefix=f"jf_mp{process_id}_")
    paths = [os.path.join(folder, f"{side}.parquet") for side in ("left", "right")]
    for frame, path in zip(_parquet_frames(), paths):
        pq.write_table(frame, path, row_group_size=GROUP_ROWS)

    def op(d):
        if isinstance(d, jf.DataFrame):
            _check_filtered_read(paths[0], d._sharding, process_id)
            left, right = (jf.read_parquet(p, sharding=d._sharding) for p in paths)
        else:
            left, right = (pd.read_parquet(p) for p in paths)
        assert str(left["v"].dtype) == "float64", left["v"].dtype
        return left.merge(right, on="key", how="left")
    return op


def _check_filtered_read(path: str, sharding, process_id: int) -> None:
    """read_parquet(sharding=, filters=): the pandas answer (rows in file order, int64 once the
    filter dropped the nulls), and each row group of the plan read by one process only: the
    statistics skip group 0 (v <= 15), the plan's 112 rows split 56/56 by the groups' first
    rows: process 0 reads groups 1-4, process 1 groups 5-7 (2 processes)."""
    import jaxframes as jf
    from jaxframes.distributed.processes import to_host_frame
    from jaxframes.io.parquet import ROW_GROUPS_READ
    from jaxframes.testing import assert_same_result
    filters = [("v", ">", 15)]
    before = len(ROW_GROUPS_READ)
    frame = jf.read_parquet(path, sharding=sharding, filters=filters)
    read = sorted(g for _, g in ROW_GROUPS_READ[before:])
    del ROW_GROUPS_READ[before:]  # (the unfiltered reads' check counts its own)
    assert_same_result(to_host_frame(frame), pd.read_parquet(path, filters=filters))
    if len(sharding.mesh.devices.flat) == 4:
        assert read == ([1, 2, 3, 4] if process_id == 0 else [5, 6, 7]), (process_id, read)


def _check_own_row_groups(process_id: int, num_processes: int) -> None:
    """Each process read only the row groups that hold its own rows."""
    from jaxframes.io.parquet import ROW_GROUPS_READ
    for total, name in ((LEFT_ROWS, "left"), (RIGHT_ROWS, "right")):
        share = total // num_processes  # the rows are split evenly (devices x processes)
        lo, hi = process_id * share, (process_id + 1) * share
        want = {g for g in range((total + GROUP_ROWS - 1) // GROUP_ROWS)
                if g * GROUP_ROWS < hi and (g + 1) * GROUP_ROWS > lo}
        got = {g for path, g in ROW_GROUPS_READ if path.endswith(f"{name}.parquet")}
        assert got == want, (name, sorted(got), sorted(want))


if __name__ == "__main__":
    main()
