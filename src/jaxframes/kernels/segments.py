"""Segmented reductions: one output per segment id.

Ids equal to ``num_segments`` (rows in no group) are dropped by the scatter, so callers never
need to slice. Rows sorted by group pass ``indices_are_sorted=True`` (much faster on GPU);
dense group ids of unsorted rows pass False. Pure jnp: works under jit, vmap and grad.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def _kw(num_segments: int, indices_are_sorted: bool) -> dict:
    return {"num_segments": num_segments, "indices_are_sorted": indices_are_sorted}


def seg_sum(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    return jax.ops.segment_sum(values, ids, **_kw(num_segments, indices_are_sorted))


def seg_prod(values: jax.Array, ids: jax.Array, num_segments: int,
             indices_are_sorted: bool = True) -> jax.Array:
    return jax.ops.segment_prod(values, ids, **_kw(num_segments, indices_are_sorted))


def seg_min(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    return jax.ops.segment_min(values, ids, **_kw(num_segments, indices_are_sorted))


def seg_max(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    return jax.ops.segment_max(values, ids, **_kw(num_segments, indices_are_sorted))


def seg_count(present: jax.Array, ids: jax.Array, num_segments: int,
              indices_are_sorted: bool = True) -> jax.Array:
    return seg_sum(present.astype(jnp.int64), ids, num_segments, indices_are_sorted)


def seg_first_position(present: jax.Array, ids: jax.Array, num_segments: int, last: bool = False,
                       indices_are_sorted: bool = True) -> jax.Array:
    """Position of the first (or last) present row of each segment; -1 where none."""
    pos = jnp.arange(present.shape[0], dtype=jnp.int64)
    if last:
        found = seg_max(jnp.where(present, pos, -1), ids, num_segments, indices_are_sorted)
        return jnp.maximum(found, -1)
    big = jnp.iinfo(jnp.int64).max
    found = seg_min(jnp.where(present, pos, big), ids, num_segments, indices_are_sorted)
    return jnp.where(found == big, -1, found)


def identity_fill(values: jax.Array, present: jax.Array, identity: float | int | bool) -> jax.Array:
    """Values with absent rows replaced by a reduction's identity (so they cannot contribute)."""
    return jnp.where(present, values, jnp.asarray(identity, dtype=values.dtype))


def lowest(dtype: jnp.dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else (
        False if dtype == jnp.bool_ else jnp.iinfo(dtype).min)


def highest(dtype: jnp.dtype):
    return jnp.inf if jnp.issubdtype(dtype, jnp.floating) else (
        True if dtype == jnp.bool_ else jnp.iinfo(dtype).max)
