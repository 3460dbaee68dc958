"""Row-level group-by results: rows laid out in group order and indexed by the group keys plus
the original row labels, pandas' shape for ``groupby(...).rolling/expanding/ewm``, ``take`` and
``nlargest``/``nsmallest``.

One stable radix argsort puts the grouped rows in output order: groups in the group-by's output
order (sorted keys, or first appearance with ``sort=False``), each group's rows in their original
order. Rows in no group (dead rows, null keys with ``dropna=True``) go last and are masked, so
they never enter a window or a selection. Eagerly the row count comes to the host once (the
result's capacity is its bucket); inside jit it stays on the device (the frame's capacity).

``segments`` marks each output row's group as ``[seg_start, seg_end)`` over the output rows: the
bounds every per-group window is clipped to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Hashable

import jax
import jax.numpy as jnp

from jaxframes.column import Column
from jaxframes.index import from_levels, levels_of
from jaxframes.kernels.keys import SortKey
from jaxframes.kernels.sort import argsort, argsort_words
from jaxframes.sharding import bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import is_traced


@dataclass(frozen=True, eq=False)
class GroupedRows:
    positions: jax.Array        # physical frame row of each output row (the masked tail repeats rows)
    group: jax.Array            # output group position of each output row (past the last group on the tail)
    count: int | jax.Array      # output rows that hold a grouped row (a prefix)
    capacity: int

    def mask(self) -> jax.Array | None:
        if isinstance(self.count, int) and self.count == self.capacity:
            return None
        return jnp.arange(self.capacity) < self.count

    def segments(self) -> tuple[jax.Array, jax.Array]:
        """(first output row, one past the last output row) of each output row's group."""
        return _segments(self.group)


@jax.jit
def _segments(group: jax.Array) -> tuple[jax.Array, jax.Array]:
    n = group.shape[0]
    if n == 0:
        return group.astype(jnp.int64), group.astype(jnp.int64)
    idx = jnp.arange(n, dtype=jnp.int64)
    change = group[1:] != group[:-1]
    starts = jnp.concatenate([jnp.ones(1, bool), change])
    ends = jnp.concatenate([change, jnp.ones(1, bool)])
    seg_start = jax.lax.cummax(jnp.where(starts, idx, 0))
    seg_end = jax.lax.cummin(jnp.where(ends, idx + 1, n), reverse=True)
    return seg_start, seg_end


def _exact(count: Any, traced: bool) -> int | jax.Array:
    return count if traced else int(device_get(count))


def grouped_rows(gb: Any) -> GroupedRows:
    """The grouped rows of a group-by in output order (see the module docstring)."""
    g = gb.grouping
    frame = gb._frame
    n = frame._capacity
    in_group = g.live if g.live is not None else frame._live()
    if n == 0:
        empty = jnp.zeros(0, jnp.int64)
        return GroupedRows(empty, empty, 0, 0)
    group_of_row, perm, count = _order(in_group, g.row_groups(), g.num_slots)
    traced = is_traced(in_group, perm)
    count = _exact(count, traced)
    capacity = n if traced else min(bucket_capacity(count), n)
    positions = perm[:capacity]
    return GroupedRows(positions, group_of_row[positions], count, capacity)


@functools.partial(jax.jit, static_argnames=("num_slots",))
def _order(in_group: jax.Array, row_groups: jax.Array, num_slots: int):
    """(group of each row, rows in group order, grouped rows)."""
    group_of_row = jnp.where(in_group, row_groups, num_slots).astype(jnp.int64)
    perm = argsort_words([group_of_row.astype(jnp.uint64)])
    return group_of_row, perm, jnp.sum(in_group, dtype=jnp.int64)


def key_levels(gb: Any, rows: jax.Array) -> list[tuple[Hashable, Column]]:
    """(key name, key values at these frame rows) per group key."""
    return [(k, gb._frame._columns[k].take(rows)) for k in gb._keys]


def row_levels(gb: Any, rows: jax.Array) -> list[tuple[Hashable, Column]]:
    """(level name, row labels at these frame rows) per level of the frame's index."""
    return [(name, col.take(rows)) for name, col in levels_of(gb._frame._index)]


def keyed_index(gb: Any, rows: jax.Array, with_keys: bool = True):
    """pandas' index of a row-level group-by result: the keys' levels, then the row labels'."""
    return from_levels((key_levels(gb, rows) if with_keys else []) + row_levels(gb, rows))


def with_keys(gb: Any) -> bool:
    """Whether pandas puts the group keys in front of the row labels (apply-style results:
    take, nlargest, nsmallest): as_index and group_keys."""
    return bool(gb._as_index and gb._group_keys)


def empty_result_index(gb: Any):
    """pandas' index when there are no groups at all (apply over nothing): the keys' index."""
    return gb._result_index(exact=True)


# -- take ------------------------------------------------------------------------------------------
def take_positions(gb: Any, indices: Any) -> tuple[jax.Array, int] | None:
    """Frame rows of ``groupby.take(indices)``: per group (output order), the rows at the given
    positions within the group (negative from the end). IndexError when one is out of bounds
    for some group (pandas' check). Returns (frame rows, how many); None when there are no
    groups."""
    idx = jnp.asarray(indices, dtype=jnp.int64).reshape(-1)
    rows = grouped_rows(gb)
    groups = int(device_get(jnp.asarray(gb.grouping.num_groups)))
    if groups == 0:
        return None
    k = idx.shape[0]
    live_group = jnp.where(jnp.arange(rows.capacity) < rows.count, rows.group, groups)
    starts = jnp.searchsorted(live_group, jnp.arange(groups), side="left")
    ends = jnp.searchsorted(live_group, jnp.arange(groups), side="right")
    sizes = (ends - starts)[:, None]
    pos = jnp.where(idx[None, :] < 0, idx[None, :] + sizes, idx[None, :])
    if k and bool(device_get(jnp.any((pos < 0) | (pos >= sizes)))):
        raise IndexError("indices are out-of-bounds")
    out = rows.positions[jnp.clip(starts[:, None] + pos, 0, max(rows.capacity - 1, 0))]
    return out.reshape(-1), groups * k


# -- nlargest / nsmallest -----------------------------------------------------------------------
def select_n_positions(gb: Any, col: Column, n: int, keep: str, largest: bool) -> tuple[jax.Array, int] | None:
    """Frame rows of ``SeriesGroupBy.nlargest/nsmallest(n, keep)``, pandas' SelectNSeries per
    group: present values best first (ties by position; keep='last': the later row first),
    then null rows in their order, cut at n. A group of at most n rows is sorted whole (ties
    by position whatever ``keep``). keep='all' keeps every row tied with the n-th value, and the
    null rows when the present ones are fewer than n. One compiled step (n is an argument).
    Returns (frame rows, padded to a capacity bucket; how many are picked)."""
    rows = grouped_rows(gb)
    if rows.capacity == 0 or n <= 0:
        return None
    seg_start, seg_end = rows.segments()
    src = col.take(rows.positions)
    chosen, count = _select_n(src.data, src.not_null(), rows.group, jnp.asarray(rows.count), seg_start, seg_end,
                              jnp.asarray(n, jnp.int64), keep=keep, largest=largest, kind=_kind(src))
    count = int(device_get(count))
    return rows.positions[chosen[:min(bucket_capacity(count), rows.capacity)]], count


@functools.partial(jax.jit, static_argnames=("keep", "largest", "kind"))
def _select_n(data, not_null, group, count, seg_start, seg_end, n, *, keep: str, largest: bool, kind: str):
    cap = data.shape[0]
    at = jnp.arange(cap, dtype=jnp.int64)
    live = at < count
    size = seg_end - seg_start
    present = not_null & live
    whole = size <= n  # pandas' sort path: keep is ignored
    tie = jnp.where(present & (keep == "last") & ~whole, cap - at, at)
    order = argsort([SortKey(jnp.where(live, group, jnp.iinfo(jnp.int64).max), kind="i"),
                     SortKey(data, kind=kind, ascending=not largest, na_position="last", validity=present),
                     SortKey(tie, kind="i")])
    # within-group rank in that order (the sort keeps each group on its own segment)
    rank = at - seg_start
    sorted_present = present[order]

    def per_group(flags):
        totals = jnp.zeros(cap + 1, jnp.int64).at[jnp.where(live, seg_start, cap)].add(flags.astype(jnp.int64))
        return totals[:cap][seg_start]

    nn = per_group(present)  # present rows of the row's group
    if keep == "all":
        values = data[order]
        kth = values[jnp.clip(seg_start + jnp.clip(jnp.minimum(n, nn) - 1, 0), 0, cap - 1)]
        in_top = sorted_present & ((rank < n) | (values == kth))
        kept = per_group(in_top)  # pandas' count of kept present rows, then its rule for null rows
        with_nulls = (kept < n) & (n <= size - nn + kept)
        keep_row = whole | in_top | (~sorted_present & with_nulls)
    else:
        keep_row = rank < n
    keep_row = keep_row & live
    return order[jnp.flatnonzero(keep_row, size=cap, fill_value=0)], jnp.sum(keep_row)


def _kind(col: Column) -> str:
    kind = col.dtype.kind
    return "U" if kind in "UC" else kind
