"""Row concatenation (``concat(axis=0)``) of row-sharded tables, balanced, in one ``shard_map``.

pandas' order is every live row of the first input, then of the second, ...; a frame's order is
its physical slot order, so device d's shard of the second input cannot stay on device d (it
comes after the first input's rows on every later device). Instead each live row gets its global
rank in the concatenation (an all-gather of S x k live counts: the per-device counts of the k
inputs) and goes to device ``floor(rank * S / total)``: every device ends with floor or ceil
of total / S rows, in order. Rows that stay on their device are not sent anywhere (the all-to-all's own
block is a local copy); every other row moves once. The receiver puts a row at slot
``rank - first rank of device d`` directly (ranks are dense): no sort.

Only the live counts are all-gathered; the rows move by one ``all_to_all``. Eagerly the host
reads the counts first (one sync) and sizes the exchange exactly: a device's rows of one input
go to at most a few consecutive devices, so the pair capacity is nearly its whole shard. Inside
``jax.jit`` the capacities are the worst case (a device's shards, summed).
"""

from __future__ import annotations

from functools import partial
from typing import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.distributed import exchange as ex
from jaxframes.facts import is_traced
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get


def _counts_body(lives, *, axis: str):
    return jax.lax.all_gather(jnp.stack([jnp.sum(l, dtype=jnp.int64) for l in lives]), axis)


@partial(jax.jit, static_argnames=("sharding",))
def live_counts(lives: tuple[jax.Array, ...], *, sharding: RowSharding) -> jax.Array:
    """(S, k) live rows of each input on each device, replicated."""
    body = partial(_counts_body, axis=sharding.axis)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(P(sharding.axis),), out_specs=P(),
                         check_vma=False)(tuple(lives))


def _concat_body(parts, lives, *, axis: str, num_shards: int, pair_capacity: int, out_capacity: int):
    me = jax.lax.axis_index(axis).astype(jnp.int64)
    every = _counts_body(lives, axis=axis)                      # (S, k)
    totals = jnp.sum(every, axis=0)                             # (k,)
    total = jnp.sum(totals)
    start = (jnp.arange(num_shards + 1, dtype=jnp.int64) * total + num_shards - 1) // num_shards
    below = jnp.sum(jnp.where((jnp.arange(num_shards) < me)[:, None], every, 0), axis=0)
    first = jnp.cumsum(totals) - totals + below                 # rank of my first live row per input
    ranks = [first[i] + jnp.cumsum(l.astype(jnp.int64)) - 1 for i, l in enumerate(lives)]
    arrays = [jnp.concatenate(a) for a in zip(*parts)]
    live = jnp.concatenate(lives)
    rank = jnp.concatenate(ranks)
    n = live.shape[0]
    # live rows first, in order (their ranks then increase: destinations are non-decreasing)
    count_live = jnp.sum(live, dtype=jnp.int64)
    at = jnp.where(live, jnp.cumsum(live) - 1, count_live + jnp.cumsum(~live) - 1)
    perm = jnp.zeros(n, jnp.int64).at[at].set(jnp.arange(n, dtype=jnp.int64), unique_indices=True)
    rank = rank[perm]
    sending = jnp.arange(n) < count_live
    dest = jnp.clip((rank * num_shards) // jnp.maximum(total, 1), 0, num_shards - 1)
    slot, counts = ex.send_slots(dest, sending, num_shards, pair_capacity)
    from_each, _, stats = ex.swap_counts(counts, axis)
    received = ex.exchange([*(a[perm] for a in arrays), rank], slot, axis, num_shards, pair_capacity)
    valid = ex.received_valid(from_each, num_shards, pair_capacity)
    target = jnp.where(valid, received[-1] - start[me], out_capacity)
    out = tuple(jnp.zeros((out_capacity,), r.dtype).at[target].set(r, mode="drop") for r in received[:-1])
    mask = jnp.arange(out_capacity) < start[me + 1] - start[me]
    positions = start[me] + jnp.arange(out_capacity, dtype=jnp.int64)
    return out, mask, positions, stats


@partial(jax.jit, static_argnames=("sharding", "pair_capacity", "out_capacity"))
def concat_program(parts, lives, *, sharding: RowSharding, pair_capacity: int, out_capacity: int):
    """(arrays, live mask, global positions, exchange stats) of the concatenation."""
    rows = P(sharding.axis)
    body = partial(_concat_body, axis=sharding.axis, num_shards=sharding.num_shards,
                   pair_capacity=pair_capacity, out_capacity=out_capacity)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(rows, rows), out_specs=(rows, rows, rows, P()),
                         check_vma=False)(tuple(tuple(p) for p in parts), tuple(lives))


def exact_capacities(counts: np.ndarray) -> tuple[int, int]:
    """(pair, output) capacities from the (S, k) live counts: the most rows one device sends
    to one device, and the most rows a device keeps (ceil(total / S))."""
    shards = counts.shape[0]
    total = int(counts.sum())
    start = (np.arange(shards + 1, dtype=np.int64) * total + shards - 1) // shards
    flat = counts.T.reshape(-1)                  # input-major, device-minor: the rank order
    first = np.concatenate([[0], np.cumsum(flat)[:-1]])
    sent = np.zeros((shards, shards), np.int64)  # [source, destination]
    for j, (lo, c) in enumerate(zip(first, flat)):
        if c:
            overlap = np.minimum(lo + c, start[1:]) - np.maximum(lo, start[:-1])
            sent[j % shards] += np.maximum(overlap, 0)
    return max(int(sent.max(initial=0)), 1), max(int(np.diff(start).max(initial=0)), 1)


def concat_rows(parts: Sequence[Sequence[jax.Array]], lives: Sequence[jax.Array],
                sharding: RowSharding) -> tuple[list[jax.Array], jax.Array, jax.Array]:
    """The row arrays of k row-sharded inputs (equal structure and dtypes, each with its live
    mask) concatenated: (arrays, live mask, global positions), row-sharded and balanced."""
    shards = sharding.num_shards
    local = sum(l.shape[0] for l in lives) // shards
    traced = is_traced(*lives, *(a for p in parts for a in p))
    if traced:
        pair, out = local, local
    else:
        pair, per = exact_capacities(np.asarray(device_get(live_counts(tuple(lives), sharding=sharding))))
        pair, out = bucket_capacity(pair), bucket_capacity(per)
    arrays, mask, positions, _ = concat_program(tuple(tuple(p) for p in parts), tuple(lives), sharding=sharding,
                                                pair_capacity=pair, out_capacity=out)
    return list(arrays), mask, positions
