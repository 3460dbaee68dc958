"""Per-row answers that depend on a row's key group: rows go to their key range's device, the
answer comes back to the row's own slot. One ``shard_map`` program:

1. rows are partitioned by key range (partition.route) and exchanged (``all_to_all``): every
   row of a key meets on one device, in global row order (blocks arrive in source order, each
   sorted stably by key);
2. ``fn`` computes per received row values there with the one-device operation
   (``duplicate_flags``, a group-by transform or cumulative op);
3. the values travel back through the same ``all_to_all`` (it swaps block j of device d with
   block d of device j, so each value lands in the send slot its row left from) and are put back
   on the original rows.

The result is laid out on the input's rows: row-sharded, in the input's order, nothing
compacted. Only samples and counts are all-gathered; the rows move twice through all_to_all.
On an overflow of the first-try pair capacity the host reruns with the exact one (eager);
inside ``jax.jit`` the capacity is the worst case (a device's rows all to one pair).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Hashable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.distributed import exchange as ex
from jaxframes.distributed.partition import route
from jaxframes.distributed.sample_sort import CAPACITY_FACTOR
from jaxframes.facts import is_traced
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get

_PROGRAMS: dict[tuple, Callable] = {}


def _body(words, live, payload, *, fn: Callable, axis: str, num_shards: int, pair_capacity: int):
    n = live.shape[0]
    perm, slot, counts, _ = route(words, live, None, axis=axis, num_shards=num_shards,
                                  pair_capacity=pair_capacity)
    from_each, _, stats = ex.swap_counts(counts, axis)
    received = ex.exchange([p[perm] for p in payload], slot, axis, num_shards, pair_capacity)
    valid = ex.received_valid(from_each, num_shards, pair_capacity)
    answers = fn(received, valid)
    size = num_shards * pair_capacity
    out = []
    for answer in answers:
        back = ex.all_to_all(answer, axis)
        per_sorted = back[jnp.clip(slot, 0, size - 1)]
        out.append(jnp.zeros((n,), answer.dtype).at[perm].set(per_sorted, unique_indices=True))
    return tuple(out), stats


def _program(key: Hashable, fn: Callable, sharding: RowSharding, pair_capacity: int) -> Callable:
    full = (key, sharding, pair_capacity)
    if full not in _PROGRAMS:
        rows = P(sharding.axis)
        body = partial(_body, fn=fn, axis=sharding.axis, num_shards=sharding.num_shards,
                       pair_capacity=pair_capacity)
        _PROGRAMS[full] = jax.jit(jax.shard_map(body, mesh=sharding.mesh, in_specs=(rows, rows, rows),
                                                out_specs=(rows, P()), check_vma=False))
    return _PROGRAMS[full]


def by_key(words: Sequence[jax.Array], live: jax.Array, payload: Sequence[jax.Array],
           fn: Callable[[list[jax.Array], jax.Array], Sequence[jax.Array]], key: Hashable,
           sharding: RowSharding) -> tuple[jax.Array, ...]:
    """``fn(received payload, valid)`` per key range, its per-row answers back on the input's
    rows. ``words`` (first word: a dead-last bit) decide the key ranges; ``key`` names ``fn``'s
    static behaviour (equal keys share a compiled program)."""
    shards = sharding.num_shards
    local = live.shape[0] // shards
    traced = is_traced(live, *words, *payload)
    pair = local if traced else ex.guess_capacities(local, shards, CAPACITY_FACTOR)[0]
    args = (tuple(words), live, tuple(payload))
    out, stats = _program(key, fn, sharding, pair)(*args)
    if not traced:
        needed = int(np.asarray(device_get(stats))[0])
        if needed > pair:
            ex.RETRIES.append((pair, shards * pair, bucket_capacity(needed), shards * bucket_capacity(needed)))
            out, stats = _program(key, fn, sharding, bucket_capacity(needed))(*args)
    return out
