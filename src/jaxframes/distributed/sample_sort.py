"""Distributed stable sort of a row-sharded table: sample sort inside ``jax.shard_map``.

Per device (``n`` rows each, ``S`` devices), all in one compiled program:

1. local stable argsort of the packed key words (the C++ radix kernel on CPU, ``lax.sort``
   elsewhere: ``kernels.sort.argsort_words``) on the local shard only; dead rows sort last
   (the leading dead-last key) and are never sent;
2. ``SAMPLES`` regular samples of the live sorted rows, each weighted by the rows it stands for
   (live rows / samples), ``all_gather``ed (S x SAMPLES: independent of the row count);
3. S - 1 splitters at the weighted quantiles of the samples, compared as (key words, global row
   id): equal keys are split by row id, so heavy duplicates and one hot key still balance;
4. destinations by a binary search over the splitters; per-destination counts are swapped
   (exchange.swap_counts: O(S) per device); rows are scattered into S blocks of ``pair_capacity`` slots and swapped by
   ``all_to_all`` (exchange.py);
5. the received runs (in source order, each sorted) are merged by a stable local argsort, the
   empty slots (keys filled with all-ones) last; a device keeps ``out_capacity`` rows.

Device d ends with the d-th key range, so reading the shards in order reads the sorted frame;
equal keys keep their global order (row ids break ties), so the sort is stable. The result stays
row-sharded with ``out_capacity`` rows per device, its tail masked.

The host reads the exchange's stats (two integers, one counted sync): on an overflow (a pair sent more than
``pair_capacity``, or a device received more than ``out_capacity``) it reruns with the exact
capacities. Inside ``jax.jit`` nothing can be read back, so the capacities are the safe worst
case (``pair_capacity = n``, ``out_capacity = S * n``): correct, but S times the memory.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.column import Column
from jaxframes.distributed import exchange as ex
from jaxframes.facts import is_traced
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort_words
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import Table

SAMPLES = 32          # samples per device: the splitters' resolution (all-gathered: S * 32 rows)
CAPACITY_FACTOR = 1.25  # first-try headroom over a perfectly balanced exchange


def is_distributed(sharding: RowSharding | None) -> bool:
    """Whether a table's rows are split over more than one device."""
    return sharding is not None and sharding.num_shards > 1


# -- per-device pieces --------------------------------------------------------------------------
def _lex_le(a: Sequence[jax.Array], b: Sequence[jax.Array]) -> jax.Array:
    """a <= b for tuples of arrays compared lexicographically (first most significant)."""
    result = jnp.ones(a[0].shape, bool)
    for x, y in reversed(list(zip(a, b))):
        result = (x < y) | ((x == y) & result)
    return result


def splitters(sources: Sequence[tuple[Sequence[jax.Array], jax.Array]], axis: str,
              num_shards: int) -> list[jax.Array]:
    """S - 1 splitters (tuples of words) from weighted regular samples of the live rows of each
    source (its words sorted with the live rows first, and its live count): a join draws them
    from both sides at once."""
    drawn = []
    for words, live_count in sources:
        n = words[0].shape[0]
        k = jnp.arange(SAMPLES, dtype=jnp.int64)
        pos = jnp.clip(((2 * k + 1) * live_count) // (2 * SAMPLES), 0, max(n - 1, 0))
        weight = jnp.where(live_count > 0, live_count.astype(jnp.float64) / SAMPLES, 0.0)
        empty = jnp.broadcast_to(live_count == 0, (SAMPLES,))
        drawn.append((empty, *(w[pos] if n else jnp.zeros(SAMPLES, w.dtype) for w in words),
                      jnp.broadcast_to(weight, (SAMPLES,))))
    columns = [jnp.concatenate(parts) for parts in zip(*drawn)]
    gathered = [jax.lax.all_gather(x, axis, tiled=True) for x in columns]
    ordered = jax.lax.sort(tuple(gathered), num_keys=len(gathered) - 1)
    sample_words, weight = ordered[1:-1], ordered[-1]
    cumulative = jnp.cumsum(weight)
    targets = cumulative[-1] * jnp.arange(1, num_shards, dtype=jnp.float64) / num_shards
    at = jnp.clip(jnp.searchsorted(cumulative, targets, side="left"), 0, weight.shape[0] - 1)
    return [w[at] for w in sample_words]


def destinations(row: Sequence[jax.Array], splitters: Sequence[jax.Array], num_shards: int) -> jax.Array:
    """Per row, how many splitters are <= its tuple ``row``: a binary search over the S - 1."""
    count = jnp.zeros(row[0].shape, jnp.int64)
    if num_shards == 1:
        return count
    step = 1 << max(num_shards - 1, 1).bit_length()
    while step:
        candidate = count + step
        probe = jnp.clip(candidate - 1, 0, num_shards - 2)
        ok = (candidate <= num_shards - 1) & _lex_le([s[probe] for s in splitters], row)
        count = jnp.where(ok, candidate, count)
        step >>= 1
    return count


def _sort_shard(words: tuple[jax.Array, ...], live: jax.Array, payload: tuple[jax.Array, ...], *,
                axis: str, num_shards: int, pair_capacity: int, out_capacity: int):
    """One device's part of the sample sort (inside shard_map)."""
    n = live.shape[0]
    me = jax.lax.axis_index(axis).astype(jnp.int64)
    perm = argsort_words(words).astype(jnp.int64)
    words = [w[perm] for w in words]
    live_count = jnp.sum(live, dtype=jnp.int64)
    sending = jnp.arange(n, dtype=jnp.int64) < live_count  # dead rows sorted last: not sent
    gid = me * n + perm
    bounds = splitters([([*words, gid], live_count)], axis, num_shards)
    dest = destinations([*words, gid], bounds, num_shards)
    slot, counts = ex.send_slots(dest, sending, num_shards, pair_capacity)
    from_each, totals, stats = ex.swap_counts(counts, axis)
    top = np.iinfo(words[0].dtype).max  # empty slots sort after every live key
    fills = [top] + [0] * (len(words) - 1) + [0] * len(payload)
    received = ex.exchange([*words, *(p[perm] for p in payload)], slot, axis, num_shards,
                           pair_capacity, fills)
    got_words, got_payload = received[:len(words)], received[len(words):]
    merge = argsort_words(got_words)[:out_capacity]
    total = jnp.sum(jnp.minimum(from_each, pair_capacity))
    keep = jnp.arange(out_capacity) < total
    before = jnp.sum(jnp.where(jnp.arange(num_shards) < me, totals, 0))
    position = before + jnp.arange(out_capacity, dtype=jnp.int64)  # global sorted position
    return tuple(p[merge] for p in got_payload), keep, position, stats


@partial(jax.jit, static_argnames=("sharding", "pair_capacity", "out_capacity"))
def sort_program(words: tuple[jax.Array, ...], live: jax.Array, payload: tuple[jax.Array, ...], *,
                 sharding: RowSharding, pair_capacity: int, out_capacity: int):
    """The compiled sample sort: (payload sorted, live mask, global positions, the exchange's
    stats [largest pair count, largest receive])."""
    rows = P(sharding.axis)
    body = partial(_sort_shard, axis=sharding.axis, num_shards=sharding.num_shards,
                   pair_capacity=pair_capacity, out_capacity=out_capacity)
    return jax.shard_map(
        body, mesh=sharding.mesh, in_specs=(rows, rows, rows),
        out_specs=(rows, rows, rows, P()), check_vma=False,
    )(tuple(words), live, tuple(payload))


@partial(jax.jit, static_argnames=("sharding", "rows"))
def _keep_rows(arrays: tuple[jax.Array, ...], *, sharding: RowSharding, rows: int):
    """Each device's first ``rows`` rows (a local slice: shrinks an over-sized output)."""
    spec = P(sharding.axis)
    return jax.shard_map(lambda xs: tuple(x[:rows] for x in xs), mesh=sharding.mesh,
                         in_specs=(spec,), out_specs=spec, check_vma=False)(tuple(arrays))


# -- tables -------------------------------------------------------------------------------------
def _flatten(table: Table, ignore_index: bool) -> tuple[list[jax.Array], Any]:
    """The row-aligned arrays of a table (column data and validity, index labels) and a function
    rebuilding the table from their sorted versions."""
    arrays: list[jax.Array] = []
    slots: list[tuple[Any, int, int | None]] = []

    def add(col: Column) -> tuple[int, int | None]:
        if col.dtype.kind == "L":  # its child is not row-aligned: the exchange would scatter it
            raise NotImplementedError("a list column in a row-sharded sort, join or group-by exchange")
        arrays.append(col.data)
        data_at = len(arrays) - 1
        if col.validity is None:
            return data_at, None
        arrays.append(col.validity)
        return data_at, len(arrays) - 1

    cols = [(name, col, add(col)) for name, col in table.columns.items()]
    index = table.index
    if ignore_index:
        index_cols = None
    elif isinstance(index, MultiIndex):
        index_cols = [(c, add(c)) for c in index.columns]
    else:
        index_cols = [(index.labels(), add(index.labels()))]

    def rebuild(sorted_arrays: Sequence[jax.Array], mask: jax.Array, position: jax.Array) -> Table:
        def col_of(col: Column, at: tuple[int, int | None]) -> Column:
            data_at, valid_at = at
            return col.replace(data=sorted_arrays[data_at],
                               validity=None if valid_at is None else sorted_arrays[valid_at])
        columns = {name: col_of(col, at) for name, col, at in cols}
        if index_cols is None:
            new_index = Index(Column(position), None)
        elif isinstance(index, MultiIndex):
            new_index = MultiIndex(tuple(col_of(c, at) for c, at in index_cols), index.names)
        else:
            new_index = Index(col_of(*index_cols[0]), index.name)
        return Table(columns, new_index, mask, table.sharding)

    return arrays, rebuild


def sort_table(table: Table, keys: Sequence[SortKey], ignore_index: bool = False, *,
               capacities: tuple[int, int] | None = None) -> Table:
    """The table's live rows sorted stably by ``keys`` (first most significant; ``keys`` must
    start with the dead-last key), row-sharded like the input. ``capacities`` (pair, output)
    overrides the first try (tests force an overflow with it)."""
    sharding = table.sharding
    num_shards = sharding.num_shards
    local = table.capacity // num_shards
    words = tuple(pack_keys(keys).words)
    arrays, rebuild = _flatten(table, ignore_index)
    live = table.live()
    traced = is_traced(live, *words, *arrays)
    if traced:
        pair, out = capacities or (local, num_shards * local)
    else:
        pair, out = capacities or ex.guess_capacities(local, num_shards, CAPACITY_FACTOR)
    run = partial(sort_program, sharding=sharding)
    sorted_arrays, mask, position, matrix = run(words, live, tuple(arrays), pair_capacity=pair, out_capacity=out)
    if not traced:
        host = np.asarray(device_get(matrix))
        retry = ex.check_capacity(host, pair, out)
        if retry is not None:
            ex.RETRIES.append((pair, out, *retry))
            pair, out = retry
            sorted_arrays, mask, position, matrix = run(words, live, tuple(arrays), pair_capacity=pair,
                                                        out_capacity=out)
        needed = bucket_capacity(int(host[1]))
        if needed < out:
            *sorted_arrays, mask, position = _keep_rows((*sorted_arrays, mask, position),
                                                        sharding=sharding, rows=needed)
    return rebuild(sorted_arrays, mask, position)
