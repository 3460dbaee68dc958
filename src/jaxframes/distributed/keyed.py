"""Column answers decided by key ranges: ``nunique`` and ``rank`` of a row-sharded column.

Both partition the rows by key range (partition.py: samples and counts all-gathered, the rows
moved by one ``all_to_all``), so every row of one value meets on one device and device d holds
the d-th key range. Then, per device, one local stable sort of the received key words gives the
runs of equal values:

- ``nunique``: each device counts its runs; one ``psum`` of a scalar adds the counts.
- ``rank``: each device ranks its rows locally (first / min / max / average from positions in
  its sorted run, dense from the run number) and adds the rows and runs of the lower key ranges
  (an all-gather of 4 integers per device); pct divides by the global count. The ranks go back
  to their rows through the same all-to-all (rowwise.by_key), so the result is laid out on the
  input's rows, row-sharded. 'first' is right because received rows keep their global order
  (blocks arrive in source order, each sorted stably).

Nothing row-sized is all-gathered. On an overflow of the first-try pair capacity the host reruns
with the exact one (eager); inside ``jax.jit`` the capacity is the worst case.
"""

from __future__ import annotations

from functools import partial
from typing import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.distributed import exchange as ex
from jaxframes.distributed import rowwise
from jaxframes.distributed.partition import shuffle_by_key
from jaxframes.distributed.sample_sort import CAPACITY_FACTOR
from jaxframes.facts import is_traced
from jaxframes.kernels.sort import sort_words, sorted_segments
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get


def _runs(words: Sequence[jax.Array], valid: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """(sort order, run starts, run ids, valid) of received rows sorted by their words, the
    valid rows first (empty receive slots never join a run of valid rows)."""
    lead = (~valid).astype(words[0].dtype)
    perm, ordered = sort_words((lead, *words))
    starts, ids = sorted_segments(ordered)
    return perm, starts, ids, valid[perm]


# -- nunique -----------------------------------------------------------------------------------
def _nunique_body(words, live, *, axis: str, num_shards: int, pair_capacity: int):
    received, valid, stats = shuffle_by_key(words, live, list(words), axis=axis, num_shards=num_shards,
                                            pair_capacity=pair_capacity)
    _, starts, _, valid_sorted = _runs(received, valid)
    return jax.lax.psum(jnp.sum(starts & valid_sorted, dtype=jnp.int64), axis), stats


@partial(jax.jit, static_argnames=("sharding", "pair_capacity"))
def nunique_program(words, live, *, sharding: RowSharding, pair_capacity: int):
    """(distinct key tuples among the live rows, exchange stats), both replicated."""
    rows = P(sharding.axis)
    body = partial(_nunique_body, axis=sharding.axis, num_shards=sharding.num_shards, pair_capacity=pair_capacity)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(rows, rows), out_specs=(P(), P()),
                         check_vma=False)(tuple(words), live)


def nunique(words: Sequence[jax.Array], live: jax.Array, sharding: RowSharding) -> jax.Array:
    """The number of distinct key tuples (packed ``words``, the first with a dead-last bit)
    among the live rows: a replicated int64 scalar."""
    shards = sharding.num_shards
    local = live.shape[0] // shards
    traced = is_traced(live, *words)
    pair = local if traced else ex.guess_capacities(local, shards, CAPACITY_FACTOR)[0]
    count, stats = nunique_program(tuple(words), live, sharding=sharding, pair_capacity=pair)
    if not traced:
        needed = int(np.asarray(device_get(stats))[0])
        if needed > pair:
            ex.RETRIES.append((pair, shards * pair, bucket_capacity(needed), shards * bucket_capacity(needed)))
            count, _ = nunique_program(tuple(words), live, sharding=sharding, pair_capacity=bucket_capacity(needed))
    return count


# -- rank --------------------------------------------------------------------------------------
def _rank_answers(received: list[jax.Array], valid: jax.Array, *, axis: str, num_shards: int, num_words: int,
                  method: str, pct: bool) -> tuple[jax.Array]:
    """Global ranks of one device's received rows (its key range), in received order."""
    words, counted = received[:num_words], received[num_words]
    perm, starts, ids, valid_sorted = _runs(words, valid)
    m = valid.shape[0]
    counted_sorted = counted[perm] & valid_sorted
    mine = jnp.stack([jnp.sum(valid_sorted, dtype=jnp.int64), jnp.sum(starts & valid_sorted, dtype=jnp.int64),
                      jnp.sum(counted_sorted, dtype=jnp.int64), jnp.sum(starts & counted_sorted, dtype=jnp.int64)])
    every = jax.lax.all_gather(mine, axis)  # (S, 4): rows, runs, counted rows, counted runs
    me = jax.lax.axis_index(axis)
    below = jnp.sum(jnp.where((jnp.arange(num_shards) < me)[:, None], every, 0), axis=0)
    pos = below[0] + jnp.arange(1, m + 1, dtype=jnp.int64)  # valid rows sort first
    if method == "first":
        rank = pos.astype(jnp.float64)
    elif method == "dense":
        rank = (below[1] + ids + 1).astype(jnp.float64)
    else:
        lo = jax.ops.segment_min(pos, ids, num_segments=m, indices_are_sorted=True)[ids]
        hi = jax.ops.segment_max(pos, ids, num_segments=m, indices_are_sorted=True)[ids]
        rank = {"min": lo.astype(jnp.float64), "max": hi.astype(jnp.float64),
                "average": (lo + hi) / 2.0}[method]
    if pct:
        total = jnp.sum(every[:, 3 if method == "dense" else 2])
        rank = rank / jnp.maximum(total, 1).astype(jnp.float64)
    return (jnp.zeros(m, jnp.float64).at[perm].set(rank, unique_indices=True),)


def rank(words: Sequence[jax.Array], live: jax.Array, counted: jax.Array, method: str, pct: bool,
         sharding: RowSharding) -> jax.Array:
    """float64 ranks (1-based) of the live rows by their packed key ``words`` (first word: a
    dead-last bit), laid out on the input's rows; ``counted`` marks the rows pct divides by
    (all live rows, or the non-null ones for na_option='keep'). Dead rows get garbage."""
    fn = partial(_rank_answers, axis=sharding.axis, num_shards=sharding.num_shards, num_words=len(words),
                 method=method, pct=pct)
    key = ("rank", method, pct, len(words), str(words[0].dtype))
    (out,) = rowwise.by_key(words, live, [*words, counted], fn, key, sharding)
    return out
