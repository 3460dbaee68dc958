"""Grouping: the one sort that every aggregation of a group-by shares.

Rows are sorted by (dead-last, keys...) with the stable radix argsort; runs of equal packed
keys are the groups. Per-group outputs have ``num_slots`` entries: exactly the number of
groups in eager mode (one host sync), the frame's capacity inside jit (the extra slots are
masked out by the result's row mask).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp

from jaxframes.column import Column
from jaxframes.generic import is_traced
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.segments import seg_first_position
from jaxframes.kernels.sort import sort_words, sorted_segments


@dataclass(frozen=True, eq=False)
class Grouping:
    perm: jax.Array         # row order: live rows sorted by key (stable), dead rows last
    ids: jax.Array          # group id per sorted position; dead rows get num_slots (dropped)
    live_sorted: jax.Array  # live flag per sorted position
    num_groups: jax.Array   # number of groups (device scalar)
    num_slots: int          # static length of per-group outputs
    group_rows: jax.Array   # original row of each group's first row, in output order
    order: jax.Array | None  # sort=False: sorted-group slot of each output group

    def finish(self, per_group: jax.Array) -> jax.Array:
        """Per-group values (in key order) arranged in output order."""
        return per_group if self.order is None else per_group[self.order]

    def result_mask(self) -> jax.Array | None:
        if isinstance(self.num_groups, int):
            return None
        return jnp.arange(self.num_slots) < self.num_groups

    def broadcast(self, per_group_sorted: jax.Array) -> jax.Array:
        """Per-group values (key order) back onto the original rows (for transform)."""
        ids = jnp.clip(self.ids, 0, max(self.num_slots - 1, 0))
        per_row_sorted = per_group_sorted[ids] if self.num_slots else jnp.zeros(ids.shape, per_group_sorted.dtype)
        return jnp.zeros_like(per_row_sorted).at[self.perm].set(per_row_sorted, unique_indices=True)


def sort_key_for(col: Column, ascending: bool = True, na_position: str = "last") -> SortKey:
    """The kernel-level sort key of a column (strings sort by their sorted-dictionary codes)."""
    kind = col.dtype.kind
    validity = col.validity if col.dtype.has_validity else None
    domain = len(col.dictionary) if kind == "U" and col.dictionary is not None else None
    return SortKey(col.data, kind=kind, ascending=ascending, na_position=na_position,
                   validity=validity, domain=domain)


def build(keys: list[Column], live: jax.Array, sort: bool = True, dropna: bool = True) -> Grouping:
    """Group the live rows by the key columns (nulls form a group when dropna=False)."""
    if dropna:
        for col in keys:
            live = live & col.not_null()
    capacity = live.shape[0]
    sort_keys = [SortKey(~live, kind="b")] + [sort_key_for(c) for c in keys]
    if capacity == 0:
        empty = jnp.zeros(0, jnp.int64)
        return Grouping(empty, empty, jnp.zeros(0, bool), 0, 0, empty, None)
    perm, sorted_words = sort_words(pack_keys(sort_keys).words)
    starts, ids = sorted_segments(sorted_words)
    live_sorted = live[perm]
    num_groups = jnp.sum(starts & live_sorted, dtype=jnp.int64)
    if is_traced(num_groups):
        num_slots = capacity
    else:
        num_groups = int(num_groups)
        num_slots = num_groups
    ids = jnp.where(live_sorted, ids, num_slots)
    first = seg_first_position(live_sorted, ids, num_slots)
    group_rows = perm[jnp.clip(first, 0)]
    order = None
    if not sort and num_slots:
        appearance = jnp.where(first >= 0, group_rows, jnp.iinfo(jnp.int64).max)
        order = jnp.argsort(appearance, stable=True)
        group_rows = group_rows[order]
    return Grouping(perm, ids, live_sorted, num_groups, num_slots, group_rows, order)
