"""Memory and traffic model of the distributed algorithms at 1, 2, 4 and 8 simulated devices.

For each device count (one subprocess each: the count is fixed when JAX starts) and a fixed
number of rows per device, the distributed programs are compiled (not run) on abstract inputs:

- peak bytes per device: the compiled memory analysis (arguments + outputs + temporaries -
  aliased), which for an SPMD program is per device;
- bytes exchanged per row: the collectives' result bytes per device read from the compiled HLO
  (distributed/hlo.py), all-to-all counted at (S-1)/S (a device's own block stays), divided by
  the rows per device.

Workloads: sort_values (one float64 key, one int64 payload column), group-by mean of a float64
column with many groups (~4 rows per group: local partials exchanged by key range) and with few
(64 groups: partials all-gathered, the dense mode), the partitioned join's exchange (both sides
1 key + 1 value column, unique keys) and the broadcast join's all-gather of a small side (1/64
of the rows), group-by mean and std with unique keys in both the partials and the rows exchange
(and the mode the eager path picks), and concat of two frames. Capacities: the first-try capacities of the eager path
(exchange.guess_capacities); for the group-by they come from the exchange stats of a small run
of the same data distribution (scaled), as the host retry would set them. Any rows per device works (shards are whole:
the totals are rows x devices).

Usage: python benchmarks/bench_scaling.py [--rows-per-device N] [--devices 1,2,4,8] [--workloads a,b]
Prints a markdown table (the one in benchmarks/SCALING.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

ROWS_PER_DEVICE = 1_000_000
FEW_GROUPS = 64


def _collective_bytes(text: str, shards: int) -> dict:
    from jaxframes.distributed.hlo import collectives
    out = {"all-gather": 0, "all-reduce": 0, "all-to-all": 0, "other": 0}
    for c in collectives(text):
        if c.kind == "all-to-all":
            out["all-to-all"] += c.bytes * (shards - 1) / shards
        elif c.kind in out:
            out[c.kind] += c.bytes
        else:
            out["other"] += c.bytes
    return out


def _measure(compiled, shards: int, rows: int) -> dict:
    mem = compiled.memory_analysis()
    peak = (mem.argument_size_in_bytes + mem.output_size_in_bytes + mem.temp_size_in_bytes
            - mem.alias_size_in_bytes)
    traffic = _collective_bytes(compiled.as_text(), shards)
    total = sum(traffic.values())
    return {"peak_bytes_per_device": int(peak), "peak_bytes_per_row": peak / rows,
            "exchanged_bytes_per_row": total / rows,
            "all_gather_bytes": int(traffic["all-gather"]), "all_reduce_bytes": int(traffic["all-reduce"])}


def _abstract(shape: int, dtype, sharding):
    import jax
    return jax.ShapeDtypeStruct((shape,), dtype, sharding=sharding.named)


def worker(rows: int, only: set | None = None) -> dict:
    import jax
    import jax.numpy as jnp
    import numpy as np
    import pandas as pd

    import jaxframes as jf
    from jaxframes.distributed import exchange as ex
    from jaxframes.distributed import groupby as dgroupby
    from jaxframes.distributed.join import broadcast_program, exchange_program
    from jaxframes.distributed.sample_sort import CAPACITY_FACTOR, sort_program
    from jaxframes.sharding import bucket_capacity
    from jaxframes.sync import device_get

    shards = len(jax.devices())
    sharding = jf.row_sharded(jax.make_mesh((shards,), ("data",)))
    total = rows * shards
    results = {}

    def wanted(name: str) -> bool:
        return only is None or name in only

    # -- sort: words (one u64 key), live, payload (float64 values, int64 index labels) ------------
    pair, out = ex.guess_capacities(rows, shards, CAPACITY_FACTOR)
    args = ((_abstract(total, jnp.uint64, sharding),), _abstract(total, jnp.bool_, sharding),
            (_abstract(total, jnp.float64, sharding), _abstract(total, jnp.int64, sharding)))
    if wanted("sort"):
        compiled = sort_program.lower(*args, sharding=sharding, pair_capacity=pair, out_capacity=out).compile()
        results["sort"] = _measure(compiled, shards, rows)

    # -- group-by mean: local partials; many groups exchange them (shuffle mode, capacities from
    # a small run's stats as the host retry would set them), few groups all-gather them (dense);
    # unique keys (as many groups as rows): the partials exchange and the rows exchange side by
    # side, and the mode the eager path chooses from its dense try's counts (_choose_rows)
    for name, groups, mode in (("groupby_many", None, "shuffle"), ("groupby_few", FEW_GROUPS, "dense"),
                               ("groupby_unique_partials", "unique", "shuffle"),
                               ("groupby_unique_rows", "unique", "rows"),
                               ("groupby_unique_std_partials", "unique", "shuffle"),
                               ("groupby_unique_std_rows", "unique", "rows")):
        if not wanted(name):
            continue
        small = 4096
        rng = np.random.default_rng(0)
        if groups == "unique":
            keys = rng.permutation(small * shards)
        else:
            keys = rng.integers(0, (small * shards) // 4 if groups is None else groups, small * shards)
        pdf = pd.DataFrame({"k": keys, "v": rng.normal(size=small * shards)})
        gb = jf.DataFrame(pdf, sharding=sharding).groupby("k")["v"]
        call = (lambda g: g.std()) if name.startswith("groupby_unique_std") else (lambda g: g.mean())
        live, arrays, gid, program = dgroupby.program_inputs(gb._frame._table, gb, call, ("bench", name))
        dense = min(dgroupby.DENSE_GROUPS, rows) if mode == "dense" else 0
        pair = small
        if mode != "dense":
            outputs = dgroupby.run(live, tuple(arrays), gid, program=program, pair_capacity=small, mode=mode)
            ratio = float(np.asarray(device_get(outputs[-1]))[0]) / small  # the largest pair count
            pair = max(ex.guess_capacities(rows, shards, CAPACITY_FACTOR)[0],
                       bucket_capacity(int(ratio * rows * 1.02) + 1))
        big = (_abstract(total, jnp.bool_, sharding), tuple(_abstract(total, a.dtype, sharding) for a in arrays),
               _abstract(total, jnp.int64, sharding))
        compiled = dgroupby.run.lower(*big, program=program, pair_capacity=pair, mode="shuffle" if dense else mode,
                                      dense=dense).compile()
        results[name] = _measure(compiled, shards, rows)
        results[name]["pair_capacity_over_fair_share"] = pair / (rows / shards)
        if groups == "unique" and mode == "shuffle":
            before = len(dgroupby.MODES)
            call(gb)  # the eager path: dense try, then the choice
            results[name]["chosen_mode"] = dgroupby.MODES[before] if len(dgroupby.MODES) > before else "?"
            results[name]["partial_row_bytes"] = dgroupby.PARTIAL_BYTES.get(program.key)
            results[name]["row_bytes"] = sum(a.dtype.itemsize for a in arrays) + 8

    # -- concat of two row-sharded frames (rows per device each; one float64 and one int64
    # column): the static layout moved by collective-permute rounds (distributed/concat.py).
    # Per output row.
    from jaxframes.distributed.concat import concat_program, kept_slots, round_limit
    kept = kept_slots(np.full((shards, 2), rows, np.int64), (rows, rows))
    part = (_abstract(total, jnp.float64, sharding), _abstract(total, jnp.int64, sharding))
    lives = (_abstract(total, jnp.bool_, sharding),) * 2
    if wanted("concat"):
        compiled = concat_program.lower((part, part), lives, sharding=sharding, kept=kept,
                                        limit=round_limit(2)).compile()
        results["concat"] = _measure(compiled, shards, 2 * rows)

    # -- join exchange: both sides rows per device, unique keys ------------------------------------
    pair = ex.guess_capacities(rows, shards, CAPACITY_FACTOR)[0]
    side = ((_abstract(total, jnp.uint64, sharding),), _abstract(total, jnp.bool_, sharding),
            (_abstract(total, jnp.int64, sharding), _abstract(total, jnp.float64, sharding),
             _abstract(total, jnp.int64, sharding)))
    if wanted("join_exchange"):
        compiled = exchange_program.lower(*side, *side, sharding=sharding, pair_capacity=pair).compile()
        results["join_exchange"] = _measure(compiled, shards, 2 * rows)

    # -- broadcast join: the small side (1/64 of the large side's rows per device, two columns
    # and the row id) all-gathered; the large side does not move. Per large-side row.
    small_total = max(rows // 64, 1) * shards  # a multiple of the device count (whole shards)
    small_side = (_abstract(small_total, jnp.int64, sharding), _abstract(small_total, jnp.float64, sharding),
                  _abstract(small_total, jnp.int64, sharding), _abstract(small_total, jnp.bool_, sharding))
    if wanted("join_broadcast"):
        compiled = broadcast_program.lower(small_side, sharding=sharding).compile()
        results["join_broadcast"] = _measure(compiled, shards, rows)
    return {"devices": shards, "rows_per_device": rows, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-per-device", type=int, default=ROWS_PER_DEVICE)
    parser.add_argument("--devices", default="1,2,4,8")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--workloads", default="", help="comma-separated subset (default: all)")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.rows_per_device, set(args.workloads.split(",")) if args.workloads else None)))
        return
    runs = []
    for count in (int(c) for c in args.devices.split(",")):
        env = dict(os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS=f"--xla_force_host_platform_device_count={count}")
        proc = subprocess.run([sys.executable, __file__, "--worker", "--rows-per-device", str(args.rows_per_device),
                               "--workloads", args.workloads],
                              env=env, capture_output=True, text=True, check=False)
        if proc.returncode:
            raise SystemExit(f"{count} devices failed:\n{proc.stderr[-4000:]}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"rows per device: {args.rows_per_device:,}\n")
    print("| workload | devices | peak MB / device | peak B / row | exchanged B / row | all-gather B | all-reduce B |")
    print("|---|---|---|---|---|---|---|")
    for workload in runs[0]["results"]:
        for run in runs:
            r = run["results"][workload]
            print(f"| {workload} | {run['devices']} | {r['peak_bytes_per_device'] / 1e6:.1f} | "
                  f"{r['peak_bytes_per_row']:.1f} | {r['exchanged_bytes_per_row']:.1f} | "
                  f"{r['all_gather_bytes']:,} | {r['all_reduce_bytes']:,} |")
    for run in runs:
        for name in ("groupby_unique_partials", "groupby_unique_std_partials"):
            r = run["results"].get(name, {})
            if "chosen_mode" in r:
                print(f"\n{run['devices']} devices, {name}: partial row {r['partial_row_bytes']} B, row "
                      f"{r['row_bytes']} B (columns + row id): the eager path chose {r['chosen_mode']!r}")
    print("\n" + json.dumps(runs))


if __name__ == "__main__":
    main()
