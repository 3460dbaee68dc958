"""Sorting rows: sort_values, sort_index, nlargest/nsmallest, searchsorted.

One stable argsort of normalized keys (kernels/sort.py) gives the row permutation, and every
column is gathered once with it (``RowContainer._gather_rows``). Dead rows (row mask False) sort
last behind a leading ``~live`` key and stay dead, so shapes are static and everything works
under ``jax.jit``. Because our sort is always stable, ``kind='quicksort'`` (pandas' default, which
is not stable on one column) gives pandas' ``kind='stable'`` order for tied keys.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Hashable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.executables import jit
from jaxframes.column import Column, gather
from jaxframes.distributed.sample_sort import is_distributed, sort_table
from jaxframes.errors import reject_inplace
from jaxframes.table import is_traced
from jaxframes.groupby.grouper import sort_key_for
from jaxframes import index as idxmod
from jaxframes.index import MultiIndex, RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort, sort_words, sorted_segments
from jaxframes.sharding import padded_capacity

KINDS = ("quicksort", "mergesort", "heapsort", "stable", None)
NA_POSITIONS = ("first", "last")


# -- keys and permutations ------------------------------------------------------------------------
def column_key(col: Column, ascending: bool = True, na_position: str = "last") -> SortKey:
    """The kernel sort key of a column; categoricals sort by their codes (pandas' category order)."""
    if col.dtype.kind == "C":
        cats = getattr(col.dtype, "categories", None)
        return SortKey(col.data, kind="U", ascending=ascending, na_position=na_position,
                       validity=col.validity, domain=None if cats is None else len(cats))
    return sort_key_for(col, ascending, na_position)


def dead_last(live: jax.Array) -> SortKey:
    """The leading key that parks dead rows behind every live row."""
    return SortKey(~live, kind="b")


def row_permutation(cols: Sequence[Column], ascending: Sequence[bool], na_position: str,
                    live: jax.Array, extra: Sequence[SortKey] = ()) -> jax.Array:
    """Stable permutation: live rows sorted by the keys (first most significant), dead rows last
    (folded into the first key's spare values where it has them: a float64 key stays one word)."""
    keys = [*(column_key(c, a, na_position) for c, a in zip(cols, ascending)), *extra]
    if not keys:
        return argsort([dead_last(live)])
    return argsort([dataclasses.replace(keys[0], dead=_dead(live)), *keys[1:]])


@jit
def _dead(live: jax.Array) -> jax.Array:
    return ~live


def _sample_sort(container: Any, cols: Sequence[Column], ascending: Sequence[bool], na_position: str,
                 ignore_index: bool) -> Any:
    """A row-sharded container sorted by the distributed sample sort (distributed/sample_sort.py):
    local shards only, no all-gather; the result stays row-sharded."""
    keys = [dead_last(container._live()), *(column_key(c, a, na_position) for c, a in zip(cols, ascending))]
    return container._wrap(sort_table(container._table, keys, ignore_index))


def reorder(container: Any, perm: jax.Array, ignore_index: bool = False) -> Any:
    """All columns gathered once with ``perm``; the row mask follows (dead rows stay dead) and the
    result keeps the container's sharding (``_gather_rows`` places; the mask is placed here)."""
    mask = None if container._row_mask is None else container._place(gather(container._row_mask, perm))
    index = RangeIndex(container._capacity) if ignore_index else container._index.take(perm)
    return container._gather_rows(perm, mask, index)


def take_prefix(container: Any, perm: jax.Array, keep_sorted: jax.Array) -> Any:
    """Rows ``perm[i]`` for the True prefix of ``keep_sorted``. Eagerly the result is exact (one
    host sync for the count, capacity padded for sharding); inside jit it keeps the capacity and
    masks the tail."""
    if is_traced(perm, keep_sorted):
        mask = container._place(keep_sorted)
        return container._gather_rows(perm, mask, container._index.take(perm))
    count = int(jnp.sum(keep_sorted))
    capacity = padded_capacity(count, container._sharding)
    rows = perm[:count]
    mask = None
    if capacity != count:
        rows = jnp.concatenate([rows, jnp.zeros(capacity - count, rows.dtype)])
        mask = container._place(jnp.arange(capacity) < count)
    return container._gather_rows(rows, mask, container._index.take(rows))


# -- argument checks ------------------------------------------------------------------------------
def _check_bool(value: Any, what: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f'For argument "{what}" expected type bool, received type {type(value).__name__}.')
    return bool(value)


def _check_common(kind: Any, na_position: Any, key: Any, axis: Any) -> None:
    if kind not in KINDS:
        raise ValueError(f"sort kind must be one of {KINDS[:-1]}, got {kind!r}")
    if na_position not in NA_POSITIONS:
        raise ValueError(f"invalid na_position: {na_position}")
    if key is not None:
        raise NotImplementedError("sorting with key=... (a callable applied to the keys) is not supported")
    if axis not in (0, "index", "rows"):
        if axis in (1, "columns"):
            raise NotImplementedError("sorting along axis=1 (columns) is not supported")
        raise ValueError(f"No axis named {axis}")


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple, pd.Index, np.ndarray)) else [value]


def _ascending_list(ascending: Any, n: int) -> list[bool]:
    if isinstance(ascending, (list, tuple, np.ndarray)):
        flags = [_check_bool(a, "ascending") for a in ascending]
        if len(flags) != n:
            raise ValueError(f"Length of ascending ({len(flags)}) != length of by ({n})")
        return flags
    return [_check_bool(ascending, "ascending")] * n


def _series_ascending(ascending: Any) -> bool:
    if isinstance(ascending, (list, tuple, np.ndarray)):
        if len(ascending) != 1:
            raise ValueError(f"Length of ascending ({len(ascending)}) must be 1 for Series")
        ascending = ascending[0]
    return _check_bool(ascending, "ascending")


# -- sort_values / sort_index ----------------------------------------------------------------------
def frame_sort_values(frame: Any, by: Any, axis: Any = 0, ascending: Any = True, inplace: bool = False,
                      kind: Any = "quicksort", na_position: str = "last", ignore_index: bool = False,
                      key: Any = None) -> Any:
    """DataFrame.sort_values: a stable multi-key sort, nulls per na_position."""
    reject_inplace(inplace, "sort_values")
    _check_common(kind, na_position, key, axis)
    names = _as_list(by)
    flags = _ascending_list(ascending, len(names))
    for name in names:
        if not isinstance(name, Hashable) or name not in frame._columns:
            raise KeyError(name)
    if not names:
        return frame._replace_rows(frame._row_mask) if not ignore_index else _reset_index(frame)
    cols = [frame._columns[n] for n in names]
    if is_distributed(frame._sharding) and frame._capacity:
        return _sample_sort(frame, cols, flags, na_position, ignore_index)
    perm = row_permutation(cols, flags, na_position, frame._live())
    return reorder(frame, perm, ignore_index)


def series_sort_values(series: Any, axis: Any = 0, ascending: Any = True, inplace: bool = False,
                       kind: Any = "quicksort", na_position: str = "last", ignore_index: bool = False,
                       key: Any = None) -> Any:
    """Series.sort_values: stable, nulls per na_position."""
    reject_inplace(inplace, "sort_values")
    _check_common(kind, na_position, key, axis)
    flag = _series_ascending(ascending)
    if is_distributed(series._sharding) and series._capacity:
        return _sample_sort(series, [series._column], [flag], na_position, ignore_index)
    perm = row_permutation([series._column], [flag], na_position, series._live())
    return reorder(series, perm, ignore_index)


def sort_index(container: Any, axis: Any = 0, level: Any = None, ascending: Any = True,
               inplace: bool = False, kind: Any = "quicksort", na_position: str = "last",
               sort_remaining: bool = True, ignore_index: bool = False, key: Any = None) -> Any:
    """sort_index (stable): by the labels, or by the levels of a MultiIndex (``level=`` first, then
    the remaining levels when ``sort_remaining``)."""
    reject_inplace(inplace, "sort_index")
    _check_common(kind, na_position, key, axis)
    index = container._index
    if level is None and not isinstance(index, MultiIndex):
        flag = _series_ascending(ascending)
        perm = row_permutation([index.labels()], [flag], na_position, container._live())
        return reorder(container, perm, ignore_index)
    levels = idxmod.levels_of(index)
    if level is None:
        order = list(range(len(levels)))
    else:
        order = list(dict.fromkeys(idxmod.level_number(index, lev)
                                   for lev in (level if isinstance(level, (list, tuple)) else [level])))
    flags = _ascending_list(ascending, len(order)) if isinstance(ascending, (list, tuple, np.ndarray)) else (
        [_check_bool(ascending, "ascending")] * len(order))
    if sort_remaining:
        rest = [i for i in range(len(levels)) if i not in order]
        order, flags = order + rest, flags + [flags[0] if flags else True] * len(rest)
    perm = row_permutation([levels[i][1] for i in order], flags, na_position, container._live())
    return reorder(container, perm, ignore_index)


def _reset_index(container: Any) -> Any:
    """Live rows first, labelled 0..n-1 (the compacted tail stays masked)."""
    compact = container._compact()
    return compact._replace_rows(compact._row_mask, RangeIndex(compact._capacity))


# -- nlargest / nsmallest -------------------------------------------------------------------------
def _check_n_keep(n: Any, keep: Any, method: str) -> int:
    if keep not in ("first", "last", "all"):
        raise ValueError('keep must be either "first", "last" or "all"')
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{method}: n must be an integer, got {type(n).__name__}")
    return int(n)


def _check_select_dtype(col: Column, method: str, name: Hashable, frame: bool) -> None:
    if col.dtype.kind not in "bifMm":
        if frame:
            raise TypeError(f"Column {name!r} has dtype {col.dtype}, cannot use method {method!r} with this dtype")
        raise TypeError(f"Cannot use method '{method}' with dtype {col.dtype}")


def select_n(container: Any, cols: list[Column], n: int, keep: str, largest: bool) -> Any:
    """The n rows with the largest (smallest) keys in key order. As in pandas 3, nulls sort
    last in each key and can be selected when there are too few values; keep='first'/'last'
    breaks ties by earlier/later row; keep='all' adds every row tied with the n-th (whole key
    tuple, nulls tying with nulls)."""
    present = container._live()
    extra = []
    if keep == "last":
        # pandas takes the later of tied rows, except when n covers every row (it then sorts)
        pos = jnp.arange(container._capacity, dtype=jnp.int64)
        # (nulls stay in row order: pandas appends them as they come)
        forward = (n >= container.count_rows()) | ~cols[0].not_null()
        extra = [SortKey(jnp.where(forward, pos, container._capacity - 1 - pos), kind="i")]
    keys = [dead_last(present), *(column_key(c, not largest) for c in cols)]
    if container._capacity == 0:
        return take_prefix(container, jnp.zeros(0, jnp.int64), jnp.zeros(0, bool))
    perm, words = sort_words(pack_keys(keys + extra).words)
    pos = jnp.arange(container._capacity)
    keep_sorted = (pos < n) & present[perm]
    if keep == "all" and n > 0:
        _, ids = sorted_segments(words)
        nth = ids[min(n, container._capacity) - 1]
        keep_sorted = (keep_sorted | (ids == nth)) & present[perm]
    return take_prefix(container, perm, keep_sorted)


def frame_select_n(frame: Any, n: Any, columns: Any, keep: str, largest: bool) -> Any:
    method = "nlargest" if largest else "nsmallest"
    n = _check_n_keep(n, keep, method)
    names = _as_list(columns)
    if keep == "last" and len(names) > 1:
        raise NotImplementedError(f"DataFrame.{method} with several columns and keep='last' (pandas' order "
                                  "of fully tied rows depends on its column-by-column algorithm)")
    for name in names:
        if not isinstance(name, Hashable) or name not in frame._columns:
            raise KeyError(name)
        _check_select_dtype(frame._columns[name], method, name, True)
    return select_n(frame, [frame._columns[c] for c in names], n, keep, largest)


def series_select_n(series: Any, n: Any, keep: str, largest: bool) -> Any:
    method = "nlargest" if largest else "nsmallest"
    n = _check_n_keep(n, keep, method)
    _check_select_dtype(series._column, method, series._name, False)
    return select_n(series, [series._column], n, keep, largest)


# -- searchsorted ---------------------------------------------------------------------------------
def _search_targets(col: Column, values: list, side: str) -> tuple[jax.Array, list[str]]:
    """Per value: (target in the column's storage space, the side to search with)."""
    kind = col.dtype.kind
    if kind == "U":
        for v in values:
            if not isinstance(v, str):
                raise TypeError(f"searchsorted: cannot compare {v!r} with a {col.dtype} Series")
        if not values:
            return jnp.zeros(0, col.data.dtype), []
        # codes are integers: 'right' of a present code p is 'left' of p + 1, and an absent
        # string sits 'left' of its insertion code; found may be traced data inside jit
        pos, found = col.dictionary.search(values)
        targets = pos + found if side == "right" else pos
        return jnp.asarray(targets).astype(col.data.dtype), ["left"] * len(values)
    if kind in "Mm":
        conv = pd.Timestamp if kind == "M" else pd.Timedelta
        counts = [int(conv(v).as_unit(col.dtype.unit).asm8.view("i8")) for v in values]  # the column's unit
        return jnp.asarray(np.asarray(counts, dtype=np.int64)), [side] * len(values)
    if kind == "C":
        raise NotImplementedError("searchsorted on a categorical Series is not supported")
    return jnp.asarray(np.asarray(values)), [side] * len(values)


def searchsorted(series: Any, value: Any, side: str = "left", sorter: Any = None) -> Any:
    """Insertion positions of ``value`` in the (assumed sorted) live values, like numpy/pandas."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right' (got {side!r})")
    traced = series._traced()
    if series._row_mask is not None and traced:
        raise NotImplementedError("searchsorted on a filtered Series inside jax.jit")
    col = series._compact_exact()._column
    if not traced and bool(jnp.any(~col.not_null())):
        raise NotImplementedError("searchsorted on a Series with missing values is not supported")
    data = col.data
    if sorter is not None:
        data = data[jnp.asarray(np.asarray(sorter) if not isinstance(sorter, jax.Array) else sorter)]
    scalar = np.ndim(value) == 0 and not isinstance(value, (list, tuple))
    values = [value] if scalar else list(value.tolist() if hasattr(value, "tolist") else value)
    targets, sides = _search_targets(col, values, side)
    if not values:
        out = jnp.zeros(0, jnp.int64)
    else:
        out = jnp.stack([jnp.searchsorted(data, targets[i], side=s) for i, s in enumerate(sides)])
    if traced or is_traced(out):
        return out[0] if scalar else out
    host = np.asarray(out, dtype=np.intp)
    return host[0] if scalar else host
