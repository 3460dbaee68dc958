"""Key-range partitioning: rows with equal keys land on one device, key ranges in device order.

``shuffle_by_key`` (per device, inside ``jax.shard_map``) sorts the local rows by their packed
key words, draws weighted samples, all-gathers them (S x SAMPLES), picks S - 1 splitters over
the key words alone (equal keys must meet, so unlike the sort no row id breaks ties: one hot key
stays on one device) and exchanges the rows (exchange.py). Device d then holds every row whose
key falls in the d-th range, so per-device results in key order concatenate to the global
key order. Group-by and joins build on it.
"""

from __future__ import annotations

from typing import Sequence

import jax
import jax.numpy as jnp

from jaxframes.distributed import exchange as ex
from jaxframes.distributed.sample_sort import destinations, splitters
from jaxframes.kernels.sort import argsort_words


def route(words: Sequence[jax.Array], live: jax.Array, bounds: Sequence[jax.Array] | None, *, axis: str,
          num_shards: int, pair_capacity: int) -> tuple[jax.Array, jax.Array, jax.Array, list[jax.Array]]:
    """(local sort order, send slot per sorted row, per-destination counts, splitters) of rows
    keyed by ``words`` (the first word must hold a dead-last bit); ``bounds`` given (a join's
    shared splitters): use them, else draw them from these rows."""
    n = live.shape[0]
    perm = argsort_words(tuple(words)).astype(jnp.int64)
    sorted_words = [w[perm] for w in words]
    live_count = jnp.sum(live, dtype=jnp.int64)
    sending = jnp.arange(n, dtype=jnp.int64) < live_count
    if bounds is None:
        bounds = splitters([(sorted_words, live_count)], axis, num_shards)
    dest = destinations(sorted_words, bounds, num_shards)
    slot, counts = ex.send_slots(dest, sending, num_shards, pair_capacity)
    return perm, slot, counts, list(bounds)


def shuffle_by_key(words: Sequence[jax.Array], live: jax.Array, payload: Sequence[jax.Array], *, axis: str,
                   num_shards: int, pair_capacity: int,
                   bounds: Sequence[jax.Array] | None = None) -> tuple[list[jax.Array], jax.Array, jax.Array]:
    """(received payload, which received slots hold rows, the exchange stats [largest pair
    count, largest receive], replicated)."""
    perm, slot, counts, _ = route(words, live, bounds, axis=axis, num_shards=num_shards,
                                  pair_capacity=pair_capacity)
    from_each, _, stats = ex.swap_counts(counts, axis)
    received = ex.exchange([p[perm] for p in payload], slot, axis, num_shards, pair_capacity)
    return received, ex.received_valid(from_each, num_shards, pair_capacity), stats
