"""Distributed group-by aggregation: shuffle rows by key range, aggregate locally.

One compiled ``shard_map`` program per call shape:

1. the rows are partitioned by key range (partition.py): every row of a group lands on one
   device, and device d holds the d-th key range;
2. each device runs the ordinary group-by aggregation (groupby/) on the rows it received, as
   under ``jax.jit`` (static shapes: one output slot per received row, groups first);
3. per-device results in key order concatenate to pandas' ``sort=True`` order, so the result
   stays row-sharded: device d's groups, then its masked padding.

Because whole groups meet on one device, every aggregation the group-by has works unchanged
(sum, mean, var/std, min/max, first/last, median, nunique, count, size, any/all), with pandas'
dtypes and null rules. Only the key-range splitters (S x SAMPLES samples) and the swapped
counts are all-gathered; the rows move once, through ``all_to_all``.

Not here (yet): local pre-aggregation before the shuffle (sum/count/M2 partials merged with
Chan's formula) and the all-reduce of dense partials for low cardinality; ``sort=False``; a hot
key is not split (its rows all go to one device, the host retry then grows the capacity).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Hashable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.distributed import exchange as ex
from jaxframes.distributed.layout import Layout, flatten
from jaxframes.distributed.partition import shuffle_by_key
from jaxframes.distributed.sample_sort import CAPACITY_FACTOR, _keep_rows
from jaxframes.facts import is_traced
from jaxframes.groupby.grouper import sort_key_for
from jaxframes.index import RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import Table, is_series, new_frame, new_series

# result layouts per program key, recorded while the program traces (a cache hit skips tracing)
_RESULTS: dict[tuple, tuple[Layout, bool, Hashable]] = {}


@dataclass(frozen=True, eq=False)
class _Program:
    """The static part of one distributed group-by: equal keys share a compiled program."""

    key: tuple
    call: Callable[[Any], Any]
    layout: Layout
    sharding: RowSharding

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Program) and other.key == self.key


def _body(words, live, payload, *, program: _Program, pair_capacity: int):
    sharding = program.sharding
    axis, shards = sharding.axis, sharding.num_shards
    received, valid, matrix = shuffle_by_key(words, live, payload, axis=axis, num_shards=shards,
                                             pair_capacity=pair_capacity)
    rows = shards * pair_capacity
    local_table = program.layout.build(received, valid, None, jnp.arange(rows, dtype=jnp.int64))
    local_table = Table(local_table.columns, RangeIndex(rows), valid, None)
    result = program.call(new_frame(local_table.columns, local_table.index, valid))
    table = result._table
    arrays, layout = flatten(table)
    name = next(iter(table.columns)) if is_series(result) else None
    _RESULTS[program.key] = (layout, is_series(result), name)
    mask = table.live()
    count = jnp.sum(mask, dtype=jnp.int64)
    counts = jax.lax.all_gather(count, axis)
    me = jax.lax.axis_index(axis)
    before = jnp.sum(jnp.where(jnp.arange(shards) < me, counts, 0))
    positions = before + jnp.arange(mask.shape[0], dtype=jnp.int64)
    return tuple(arrays), mask, positions, counts, matrix


@partial(jax.jit, static_argnames=("program", "pair_capacity"))
def run(words, live, payload, *, program: _Program, pair_capacity: int):
    rows = P(program.sharding.axis)
    body = partial(_body, program=program, pair_capacity=pair_capacity)
    return jax.shard_map(body, mesh=program.sharding.mesh, in_specs=(rows, rows, rows),
                         out_specs=(rows, rows, rows, P(), P()), check_vma=False)(words, live, payload)


def program_inputs(table: Table, keys: Sequence[Hashable], call: Callable[[Any], Any],
                   call_key: tuple) -> tuple[tuple, jax.Array, list, _Program]:
    """(key words, live rows, row arrays, static program) of a distributed group-by: the
    arguments of ``run`` (the benchmark compiles it with chosen capacities)."""
    live = table.live()
    words = tuple(pack_keys([SortKey(~live, kind="b"), *(sort_key_for(table.columns[k]) for k in keys)]).words)
    columns = Table(table.columns, RangeIndex(table.capacity), table.row_mask, table.sharding)
    arrays, layout = flatten(columns)
    program = _Program((call_key, tuple(map(repr, keys)), layout.key(), table.sharding), call, layout,
                       table.sharding)
    return words, live, arrays, program


def aggregate(table: Table, keys: Sequence[Hashable], call: Callable[[Any], Any], call_key: tuple,
              *, pair_capacity: int | None = None) -> Any:
    """``call(frame)`` (a group-by aggregation by ``keys``, sort=True) on a row-sharded table:
    each device applies it to the rows of its key range. Returns the facade, row-sharded."""
    sharding = table.sharding
    shards = sharding.num_shards
    local = table.capacity // shards
    words, live, arrays, program = program_inputs(table, keys, call, call_key)
    traced = is_traced(live, *words, *arrays)
    pair = pair_capacity or (local if traced else ex.guess_capacities(local, shards, CAPACITY_FACTOR)[0])
    out = run(words, live, tuple(arrays), program=program, pair_capacity=pair)
    if not traced:
        needed = int(np.asarray(device_get(out[-1]))[0])
        if needed > pair:
            ex.RETRIES.append((pair, shards * pair, bucket_capacity(needed), shards * bucket_capacity(needed)))
            pair = bucket_capacity(needed)
            out = run(words, live, tuple(arrays), program=program, pair_capacity=pair)
    result_arrays, mask, positions, counts, _ = out
    if not traced:
        groups = bucket_capacity(int(np.asarray(device_get(counts)).max(initial=0)))
        if groups < mask.shape[0] // shards:
            *result_arrays, mask, positions = _keep_rows((*result_arrays, mask, positions),
                                                         sharding=sharding, rows=max(groups, 1))
    layout, series, name = _RESULTS[program.key]
    result = layout.build(result_arrays, mask, sharding, positions)
    if series:
        return new_series(result.columns[name], result.index, mask, name, sharding)
    return new_frame(result.columns, result.index, mask, sharding)
