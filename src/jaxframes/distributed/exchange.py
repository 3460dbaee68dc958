"""The shuffle: rows sent to destination devices through one padded ``all_to_all``.

The MoE token-dispatch pattern (what ``lax.ragged_all_to_all`` would do, which XLA:CPU lacks):
each device orders its rows by destination, computes per-destination counts, swaps them with a
small ``all_to_all`` (S counts per device: no S x S matrix anywhere, so the count traffic per
device stays O(S)), scatters its rows into a send buffer of S blocks of ``pair_capacity`` slots,
and one ``all_to_all(tiled=True)`` per array swaps the blocks. Block j of a receive buffer holds
the rows from device j, its first ``from_each[j]`` slots valid.

A pair that sends more rows than ``pair_capacity`` overflows: its extra rows are dropped and the
replicated stats (largest pair, largest receive; one ``pmax`` and an all-gather of S totals) say
so; the host then retries with the exact capacity (``check_capacity``). Everything here runs per
device inside ``jax.shard_map``.
"""

from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.sharding import bucket_capacity


# (old pair, old output, new pair, new output) per overflow retry, for tests and benchmarks
RETRIES: list[tuple[int, int, int, int]] = []


def send_slots(dest: jax.Array, sending: jax.Array, num_shards: int,
               pair_capacity: int) -> tuple[jax.Array, jax.Array]:
    """(send-buffer slot of each row, per-destination counts) for rows already ordered by
    destination (``dest`` non-decreasing over the sending rows). Rows not sent, and rows past a
    pair's capacity, get slot ``num_shards * pair_capacity`` (out of range: dropped)."""
    n = dest.shape[0]
    safe = jnp.where(sending, dest, num_shards)
    counts = jax.ops.segment_sum(sending.astype(jnp.int64), safe, num_segments=num_shards + 1)[:num_shards]
    starts = jnp.cumsum(counts) - counts
    rank = jnp.arange(n, dtype=jnp.int64) - starts[jnp.clip(safe, 0, num_shards - 1)]
    ok = sending & (rank < pair_capacity)
    slot = jnp.where(ok, safe * pair_capacity + rank, num_shards * pair_capacity)
    return slot, counts


def scatter_send(values: jax.Array, slot: jax.Array, size: int, fill: Any = 0) -> jax.Array:
    """The send buffer: ``values[i]`` at ``slot[i]`` (out-of-range slots dropped)."""
    buffer = jnp.full((size,), fill, values.dtype)
    return buffer.at[slot].set(values, mode="drop")


def all_to_all(buffer: jax.Array, axis: str) -> jax.Array:
    """Block j of the result is block ``me`` of device j's buffer (bool travels as uint8)."""
    if buffer.dtype == jnp.bool_:
        return jax.lax.all_to_all(buffer.astype(jnp.uint8), axis, 0, 0, tiled=True).astype(bool)
    return jax.lax.all_to_all(buffer, axis, 0, 0, tiled=True)


def swap_counts(counts: jax.Array, axis: str) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(rows from each source (S,), rows received by each device (S,), stats [largest pair
    count, largest receive] replicated) from this device's per-destination counts."""
    from_each = jax.lax.all_to_all(counts, axis, 0, 0, tiled=True)
    totals = jax.lax.all_gather(jnp.sum(from_each), axis)
    stats = jnp.stack([jax.lax.pmax(jnp.max(counts), axis), jnp.max(totals)])
    return from_each, totals, stats


def received_valid(from_each: jax.Array, num_shards: int, pair_capacity: int) -> jax.Array:
    """Which slots of the receive buffer hold rows: block j's first ``from_each[j]`` (capped by
    the capacity)."""
    capped = jnp.minimum(from_each, pair_capacity)
    slot = jnp.arange(num_shards * pair_capacity) % pair_capacity
    return slot < jnp.repeat(capped, pair_capacity, total_repeat_length=num_shards * pair_capacity)


def check_capacity(stats: np.ndarray, pair_capacity: int, out_capacity: int) -> tuple[int, int] | None:
    """None when the exchange fitted, else the (pair, output) capacities that will: the host's
    retry after an overflow (the counts are exact, so one retry suffices)."""
    pair, received = (int(x) for x in stats)
    if pair <= pair_capacity and received <= out_capacity:
        return None
    return bucket_capacity(max(pair, pair_capacity)), bucket_capacity(max(received, out_capacity))


def guess_capacities(local_rows: int, num_shards: int, factor: float) -> tuple[int, int]:
    """First-try (pair, output) capacities for ``local_rows`` rows per device: a balanced
    exchange sends ``local_rows / S`` to each pair; ``factor`` is the headroom."""
    pair = min(local_rows, bucket_capacity(int(np.ceil(factor * local_rows / num_shards)) + 8))
    out = min(num_shards * pair, bucket_capacity(int(np.ceil(factor * local_rows)) + 8))
    return max(pair, 1), max(out, 1)


def exchange(arrays: Sequence[jax.Array], slot: jax.Array, axis: str, num_shards: int,
             pair_capacity: int, fills: Sequence[Any] | None = None) -> list[jax.Array]:
    """Every array scattered to its send buffer and swapped by one all_to_all each."""
    size = num_shards * pair_capacity
    fills = [0] * len(arrays) if fills is None else fills
    return [all_to_all(scatter_send(a, slot, size, f), axis) for a, f in zip(arrays, fills)]

