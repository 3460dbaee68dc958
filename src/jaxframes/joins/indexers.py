"""Sort-merge join indexers: which left row and which right row make each output row.

The right keys are sorted once (stable radix argsort); each left key finds its run of equal
right keys with two ``searchsorted`` calls, [lo, hi). Output rows come from "units" in output
order: a left row expands to its matches (or to one row with no partner in left/outer joins),
a right row that no left row matched is one unit of an outer join. Unit counts give the output
size (eager: one host sync for the exact total; inside jit: a static ``capacity`` and a row
mask), and ``jnp.repeat`` with ``total_repeat_length`` expands units to rows.

Order, as pandas: inner/left follow the left rows, matches in right order; outer (and sort=True)
order units stably by key (nulls last), so within a key the left rows come first, in order.
A right join is a left join with the sides swapped (the caller swaps the indexers back).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jax
import jax.numpy as jnp

from jaxframes.table import is_traced
from jaxframes.kernels.probe import probe
from jaxframes.sharding import bucket_capacity
from jaxframes.kernels.sort import argsort_words


@dataclass(frozen=True, eq=False)
class Indexers:
    """left/right: source row per output row, -1 where that side has no row (int64).

    mask: None when every output row is real (eager); inside jit, True for the real rows.
    total: the number of real output rows (a Python int eagerly, else a device scalar).
    """

    left: jax.Array
    right: jax.Array
    mask: jax.Array | None
    total: object


def _stable_order(words: jax.Array) -> jax.Array:
    return argsort_words([words]) if words.shape[0] else jnp.zeros(0, jnp.int64)


def join_indexers(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array, how: str,
                  sort: bool, capacity: int | None = None) -> Indexers:
    """Indexers of an inner, left or outer join of key words ``lw`` with ``rw``."""
    n_l, n_r = lw.shape[0], rw.shape[0]
    perm_r = _stable_order(rw)
    if n_r:
        lo, hi = probe(rw[perm_r], lw)
    else:
        lo = hi = jnp.zeros(n_l, jnp.int64)
    cnt = jnp.where(live_l, hi - lo, 0)
    unit_count = cnt if how == "inner" else jnp.where(live_l, jnp.maximum(cnt, 1), 0)
    unit_key = lw
    if how == "outer":
        hit = (cnt > 0).astype(jnp.int64)
        cover = jnp.zeros(n_r + 1, jnp.int64).at[lo].add(hit).at[hi].add(-hit)
        matched_sorted = jnp.cumsum(cover)[:n_r] > 0
        matched_r = jnp.zeros(n_r, bool).at[perm_r].set(matched_sorted, unique_indices=True)
        right_only = live_r & ~matched_r
        unit_count = jnp.concatenate([unit_count, right_only.astype(jnp.int64)])
        unit_key = jnp.concatenate([lw, rw])
    order = _stable_order(unit_key) if (sort or how == "outer") else None
    counts = unit_count if order is None else unit_count[order]
    total = jnp.sum(counts)
    if is_traced(total):
        if capacity is None:
            raise ValueError(
                "merge inside jax.jit needs capacity=: the number of output rows is data-dependent; "
                "pass merge(..., capacity=N) with N >= the row count (the result gets a row mask)")
        cap = int(capacity)
    else:
        total = int(total)
        cap = total if capacity is None else int(capacity)
        if total > cap:
            raise ValueError(f"merge produced {total} rows, more than capacity={cap}")
    n_units = counts.shape[0]
    if n_units == 0 or cap == 0:
        empty = jnp.full(cap, -1, jnp.int64)
        return Indexers(empty, empty, None if cap == 0 and not is_traced(total) else jnp.zeros(cap, bool), total)
    if is_traced(total):
        left_idx, right_idx = _expand(counts, order, lo, cnt, perm_r, cap=cap, n_l=n_l, n_r=n_r)
    else:
        # Eagerly the exact total varies from query to query: compile for a capacity bucket and slice.
        bucket = max(bucket_capacity(cap), cap)
        left_idx, right_idx = _expand(counts, order, lo, cnt, perm_r, cap=bucket, n_l=n_l, n_r=n_r)
        left_idx, right_idx = left_idx[:cap], right_idx[:cap]
    mask = None
    if is_traced(total) or cap != total:
        mask = jnp.arange(cap) < total
    return Indexers(left_idx, right_idx, mask, total)


@functools.partial(jax.jit, static_argnames=("cap", "n_l", "n_r"))
def _expand(counts: jax.Array, order: jax.Array | None, lo: jax.Array, cnt: jax.Array, perm_r: jax.Array,
            *, cap: int, n_l: int, n_r: int) -> tuple[jax.Array, jax.Array]:
    """Units (left rows, unmatched right rows) expanded to output rows: one fused function."""
    n_units = counts.shape[0]
    out_unit = jnp.repeat(jnp.arange(n_units, dtype=jnp.int64), counts, total_repeat_length=cap)
    starts = jnp.cumsum(counts) - counts
    step = jnp.arange(cap, dtype=jnp.int64) - starts[out_unit]
    unit = out_unit if order is None else order[out_unit]
    is_left = unit < n_l
    row_l = jnp.clip(unit, 0, max(n_l - 1, 0))
    left_idx = jnp.where(is_left, unit, -1)
    if not n_r:
        return left_idx, jnp.full(cap, -1, jnp.int64)
    lo_p, cnt_p = (lo, cnt) if n_l else (jnp.zeros(1, jnp.int64), jnp.zeros(1, jnp.int64))
    pos = jnp.clip(lo_p[row_l] + step, 0, n_r - 1)
    matched = is_left & (cnt_p[row_l] > 0)
    right_idx = jnp.where(matched, perm_r[pos], jnp.where(is_left, -1, unit - n_l))
    return left_idx, right_idx


def has_duplicates(words: jax.Array, live: jax.Array) -> bool:
    """Whether two live rows share a key (eager only: it decides an exception)."""
    if words.shape[0] < 2:
        return False
    order = _stable_order(words)
    s, alive = words[order], live[order]
    return bool(jnp.any((s[1:] == s[:-1]) & alive[1:] & alive[:-1]))
