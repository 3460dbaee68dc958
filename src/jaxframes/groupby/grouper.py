"""Grouping: the group ids that every aggregation of a group-by shares.

Two ways to find groups, chosen per call:

- dense (eager, small key domains): bool keys, dictionary-coded strings and ints whose range
  is small get direct slot ids (mixed radix over the keys, an extra slot per key for nulls), so
  scatter-based aggregations need no sort at all. Slots are in key order; empty slots are
  dropped at the end (``select``).
- sorted (everything else, and inside jit): rows are sorted by (dead-last, keys...) with the
  stable radix argsort; runs of equal packed keys are the groups.

Order-dependent operations (median, nunique, ranks, scans) ask for ``as_sorted()``. Per-slot
outputs are turned into per-group outputs by ``finish`` (drop empty slots, then the
``sort=False`` first-appearance order). Inside jit the sorted grouping keeps ``num_slots`` at
the frame's capacity and the result carries a row mask.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.column import Column
from jaxframes.table import is_traced
from jaxframes.kernels.keys import SortKey, key_range, pack_keys
from jaxframes.kernels.segments import seg_first_position, seg_min
from jaxframes.kernels.sort import sort_words, sorted_segments

# A dense grouping allocates one slot per possible key combination: bound that.
_DENSE_MAX_SLOTS = 1 << 24


@dataclass(frozen=True, eq=False)
class Grouping:
    perm: jax.Array | None   # gather order of the rows (None: original order)
    ids: jax.Array           # slot id per gathered row; rows outside every group get num_slots
    sorted_ids: bool         # ids are non-decreasing (segment ops may assume it)
    live_sorted: jax.Array   # row is in a group, per gathered row
    num_slots: int           # static length of per-slot outputs
    select: jax.Array | None  # slots that hold a group, in key order (None: all slots)
    order: jax.Array | None  # sort=False: output position -> group in key order
    num_groups: int | jax.Array
    group_rows: jax.Array    # original row of each output group's first row
    keys: tuple = field(default=())
    live: jax.Array | None = None
    sort: bool = True
    _sorted: list = field(default_factory=list)
    frame_live: jax.Array | None = None  # the frame's live rows, rows with a dropped null key included

    def gather(self, values: jax.Array) -> jax.Array:
        return values if self.perm is None else values[self.perm]

    def finish(self, per_slot: jax.Array) -> jax.Array:
        """Per-slot values as per-group values, in output order."""
        out = per_slot if self.select is None else per_slot[self.select]
        return out if self.order is None else out[self.order]

    def result_mask(self) -> jax.Array | None:
        if isinstance(self.num_groups, int):
            return None
        return jnp.arange(self.num_slots) < self.num_groups

    def row_groups(self) -> jax.Array:
        """Per original row: the output position of its group (garbage for rows in no group)."""
        slot = self.ids if self.perm is None else jnp.zeros_like(self.ids).at[self.perm].set(
            self.ids, unique_indices=True)
        if self.select is not None:
            rank = jnp.zeros(self.num_slots + 1, jnp.int64).at[self.select].set(
                jnp.arange(self.select.shape[0], dtype=jnp.int64))
            slot = rank[jnp.clip(slot, 0, self.num_slots)]
        if self.order is not None:
            inverse = jnp.zeros_like(self.order).at[self.order].set(jnp.arange(self.order.shape[0]))
            slot = inverse[jnp.clip(slot, 0, max(self.order.shape[0] - 1, 0))]
        return slot

    def broadcast(self, per_group: jax.Array) -> jax.Array:
        """Per-group values (output order) onto the original rows (for transform)."""
        if per_group.shape[0] == 0:
            return jnp.zeros(self.ids.shape, per_group.dtype)
        return per_group[jnp.clip(self.row_groups(), 0, per_group.shape[0] - 1)]

    def as_sorted(self) -> "Grouping":
        """The same groups, in the same output order, found by sorting (for order-dependent ops)."""
        if self.sorted_ids:
            return self
        if not self._sorted:
            self._sorted.append(_build_sorted(list(self.keys), self.live, self.sort))
        return self._sorted[0]


def sort_key_for(col: Column, ascending: bool = True, na_position: str = "last") -> SortKey:
    """The kernel-level sort key of a column (strings sort by their sorted-dictionary codes,
    categoricals by their codes, which are in pandas' category order)."""
    kind = col.dtype.kind
    if kind == "C":
        cats = getattr(col.dtype, "categories", None)
        return SortKey(col.data, kind="U", ascending=ascending, na_position=na_position,
                       validity=col.validity, domain=None if cats is None else len(cats))
    validity = col.validity if col.dtype.has_validity else None
    domain = col.dictionary.code_bound if kind == "U" and col.dictionary is not None else None
    return SortKey(col.data, kind=kind, ascending=ascending, na_position=na_position,
                   validity=validity, domain=domain)


def build(keys: list[Column], live: jax.Array, sort: bool = True, dropna: bool = True) -> Grouping:
    """Group the live rows by the key columns (nulls form a group when dropna=False)."""
    grouping = _build(keys, live, sort, dropna)
    return dataclasses.replace(grouping, frame_live=live)


def _build(keys: list[Column], live: jax.Array, sort: bool, dropna: bool) -> Grouping:
    if dropna:
        for col in keys:
            live = live & col.not_null()
    if live.shape[0] and not is_traced(live, *[c.data for c in keys]):
        dense = _build_dense(keys, live, sort)
        if dense is not None:
            return dense
    return _build_sorted(keys, live, sort)


def _dense_layout(col: Column, live: jax.Array) -> tuple[int, int] | None:
    """(lowest key, number of key values) of a key with a small domain, or None."""
    kind = col.dtype.kind
    if kind == "U":
        return 0, col.dictionary.code_bound
    if kind == "C":
        cats = getattr(col.dtype, "categories", None)
        return None if cats is None else (0, max(len(cats), 1))
    if kind == "b":
        return 0, 2
    if kind != "i":
        return None
    found, low, high = (int(x) for x in np.asarray(key_range(col.data, live & col.not_null())))
    if not found:
        return 0, 1
    if high - low >= _DENSE_MAX_SLOTS:
        return None
    return low, high - low + 1


@functools.partial(jax.jit, static_argnames=("sizes", "nullable"))
def _dense_ids(datas: tuple, presents: tuple, lows: tuple, live: jax.Array, *, sizes: tuple,
               nullable: tuple) -> tuple[jax.Array, jax.Array]:
    """Slot id per row (mixed radix over the keys, nulls in an extra last slot per key; rows in
    no group get the slot count) and the first row of each slot: one fused pass."""
    capacity = live.shape[0]
    slot = jnp.zeros(capacity, jnp.int64)
    slots = 1
    for data, present, low, size, has_null in zip(datas, presents, lows, sizes, nullable):
        code = jnp.clip(data.astype(jnp.int64) - low, 0, size - 1)
        if has_null:
            code = jnp.where(present, code, size)
            size += 1
        slot = slot * size + code
        slots *= size
    ids = jnp.where(live, slot, slots)
    rows = jnp.arange(capacity, dtype=jnp.int64)
    first_row = seg_min(jnp.where(live, rows, capacity), ids, slots, indices_are_sorted=False)
    return ids, first_row


def _build_dense(keys: list[Column], live: jax.Array, sort: bool) -> Grouping | None:
    capacity = live.shape[0]
    layouts = []
    slots = 1
    for col in keys:
        layout = _dense_layout(col, live)
        if layout is None:
            return None
        layouts.append(layout)
        slots *= layout[1] + (1 if col.dtype.has_validity else 0)
        if slots > max(1024, 2 * capacity) or slots > _DENSE_MAX_SLOTS:
            return None
    ids, first_row = _dense_ids(
        tuple(c.data for c in keys), tuple(c.not_null() for c in keys),
        tuple(np.int64(low) for low, _ in layouts), live,
        sizes=tuple(size for _, size in layouts), nullable=tuple(c.dtype.has_validity for c in keys))
    occupied = np.flatnonzero(np.asarray(first_row) < capacity)
    select = jnp.asarray(occupied, dtype=jnp.int64)
    group_rows = first_row[select]
    order = None
    if not sort and occupied.size:
        order = jnp.argsort(group_rows, stable=True)
        group_rows = group_rows[order]
    return Grouping(None, ids, False, live, slots, select, order, int(occupied.size), group_rows,
                    tuple(keys), live, sort)


def _build_sorted(keys: list[Column], live: jax.Array, sort: bool) -> Grouping:
    capacity = live.shape[0]
    if capacity == 0:
        empty = jnp.zeros(0, jnp.int64)
        return Grouping(empty, empty, True, jnp.zeros(0, bool), 0, None, None, 0, empty, tuple(keys), live, sort)
    sort_keys = [SortKey(~live, kind="b")] + [sort_key_for(c) for c in keys]
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
    return Grouping(perm, ids, True, live_sorted, num_slots, None, order, num_groups, group_rows,
                    tuple(keys), live, sort)
